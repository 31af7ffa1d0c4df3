/**
 * Log entries and pub/sub messages travel as JSON; Dates are tagged so they
 * come back as Dates (plain JSON would turn them into strings).
 */
const DATE = '$date';

export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { [DATE]: raw.getTime() } : v;
  });
}

export function decode<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const t = (v as Record<string, unknown>)[DATE];
      if (keys.length === 1 && typeof t === 'number') return new Date(t);
    }
    return v;
  }) as T;
}

/** A Redis stream id, `<ms>-<seq>`. */
export const STREAM_ID = /^\d+-\d+$/;

/** Orders two stream ids: negative, zero or positive. */
export function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}

/** The URL without its password, for messages and the `gateway` query. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
