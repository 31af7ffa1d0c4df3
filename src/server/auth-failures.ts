import { AssayError } from '../domain/errors.ts';
import { createRateLimiter } from './rate-limit.ts';

/**
 * A bucket per client address for failed authentications (no key, an unknown
 * or revoked one, a malformed Authorization header): each failure takes a
 * token, and past `perMinute` failures in a minute the address is answered
 * 429 with Retry-After instead of 401 until the bucket refills, so a flood of
 * guessed keys costs the caller time. A request with a good key never touches
 * the bucket, so clients behind the same address that hold keys go on. The
 * clock is the app's (AppConfig.now), so tests move time instead of sleeping.
 */
export interface AuthFailureGate {
  /** The refusal for a failed authentication from `address`: the error itself, or RATE_LIMITED with its wait. */
  refusal(error: unknown, address: string | undefined): { error: unknown; retryAfterS: number };
}

export function createAuthFailureGate(perMinute: number, now: () => number): AuthFailureGate {
  const limiter = createRateLimiter({ perSecond: perMinute / 60, burst: perMinute }, now);
  return {
    refusal(error, address) {
      if (!(error instanceof AssayError) || error.code !== 'UNAUTHENTICATED')
        return { error, retryAfterS: 1 };
      const waitMs = limiter.take(`address ${address ?? '?'}`);
      if (waitMs <= 0) return { error, retryAfterS: 1 };
      const retryAfterS = Math.ceil(waitMs / 1000);
      return {
        error: new AssayError(
          'RATE_LIMITED',
          `Too many failed authentications from this address: at most ${perMinute} a minute. Check the API key, then retry after the Retry-After header's seconds.`,
        ),
        retryAfterS,
      };
    },
  };
}
