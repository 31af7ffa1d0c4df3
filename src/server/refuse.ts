import type { ServerResponse } from 'node:http';
import { AssayError, type ErrorCode } from '../domain/errors.ts';
import { isUploadPath } from './http-access.ts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
};

/**
 * Answers a request refused before GraphQL (a key, the rate limit, a replica's version) as
 * GraphQL over HTTP does; uploads in their own shape. An error that is not an AssayError is a
 * replica that could not wait for the version asked for: 503.
 */
export function refuse(res: ServerResponse, error: unknown, retryAfterS = 1): void {
  const e =
    error instanceof AssayError
      ? error
      : new AssayError('UNAVAILABLE', 'The replica could not wait for the requested version.');
  const status = STATUS[e.code] ?? 503;
  const upload = isUploadPath((res.req.url ?? '').split('?')[0] ?? '');
  res
    .writeHead(status, {
      'content-type': 'application/json',
      ...((status === 503 || status === 429) && { 'retry-after': String(retryAfterS) }),
      ...(status === 401 && { 'www-authenticate': 'Bearer' }),
    })
    .end(
      JSON.stringify(
        upload
          ? { error: { code: e.code, message: e.message } }
          : { errors: [{ message: e.message, extensions: { code: e.code } }] },
      ),
    );
}
