/**
 * A token bucket per caller (an API key's id, else the client address): a
 * caller may send `burst` requests at once, then `perSecond` a second. The
 * clock is injected (AppConfig.now), so tests move time instead of sleeping.
 */
export interface RateLimit {
  /** Requests a second, sustained. */
  readonly perSecond: number;
  /** Requests at once after a quiet spell. @default 2 × perSecond (at least 1) */
  readonly burst?: number;
}

/** Buckets kept before full ones (callers quiet long enough to be back at `burst`) are dropped. */
const MAX_BUCKETS = 10_000;

export interface RateLimiter {
  /** Takes one token for `caller`: 0 when the request may go on, else the milliseconds until it may. */
  take(caller: string): number;
}

export function createRateLimiter(limit: RateLimit, now: () => number): RateLimiter {
  const rate = limit.perSecond / 1000;
  const burst = limit.burst ?? Math.max(1, 2 * limit.perSecond);
  const buckets = new Map<string, { tokens: number; at: number }>();
  const level = (b: { tokens: number; at: number }, t: number): number =>
    Math.min(burst, b.tokens + Math.max(0, t - b.at) * rate);
  return {
    take(caller) {
      const t = now();
      if (buckets.size >= MAX_BUCKETS)
        for (const [k, b] of buckets) if (level(b, t) >= burst) buckets.delete(k);
      const b = buckets.get(caller) ?? { tokens: burst, at: t };
      const tokens = level(b, t);
      if (tokens < 1) {
        buckets.set(caller, { tokens, at: t });
        return Math.ceil((1 - tokens) / rate);
      }
      buckets.set(caller, { tokens: tokens - 1, at: t });
      return 0;
    },
  };
}

/** Reads `--rate-limit`: `N/s` (N may have decimals), or `off`. */
export function parseRateLimit(text: string): RateLimit | null {
  if (text === 'off') return null;
  const m = /^(\d+(?:\.\d+)?)\/s$/.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0)) throw new Error(`a rate limit is N/s with N above 0, e.g. 20/s, or off (got "${text}")`);
  return { perSecond: n };
}
