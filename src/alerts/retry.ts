/**
 * The delay before retry number `retry` (1 for the first retry): "full jitter",
 * a uniform draw from [0, min(max, base · 2^(retry−1))) (AWS Architecture Blog,
 * "Exponential Backoff and Jitter", 2015).
 * @example backoffDelay(3, 500, 30_000, () => 0.5) // 1000
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * A `Retry-After` header in ms: delay-seconds or an HTTP date (RFC 9110 §10.2.3);
 * null when absent or unreadable.
 */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (header === null) return null;
  const s = header.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, at - now.getTime()) : null;
}

/** Whether an HTTP status is worth another try: rate limiting and server errors. */
export const retryableStatus = (status: number): boolean => status === 429 || status >= 500;
