import { LRUCache } from 'lru-cache';
import type { CacheStats, QueryCache } from '../domain/ports.ts';

export interface QueryCacheOptions {
  /** The current dataVersion; read on every lookup so an ingest retires old answers at once. */
  readonly dataVersion: () => number;
  /** @default 2000 */
  readonly maxEntries?: number;
  /** Approximate bytes of cached answers (JSON length × 2). @default 256 MiB */
  readonly maxBytes?: number;
  /** @default 10 minutes */
  readonly ttlMs?: number;
  /** Injectable clock (performance.now-like) so TTL tests need no sleeping. */
  readonly now?: () => number;
}

/** Stable JSON: object keys sorted, Dates as ISO strings, so equal arguments give equal keys. */
export function normalise(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([, x]) => x !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    }
    return v;
  });
}

function sizeOf(value: unknown): number {
  try {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JSON.stringify(undefined) is undefined
    return Math.max(1, (JSON.stringify(value)?.length ?? 1) * 2);
  } catch {
    return 1024;
  }
}

/**
 * An LRU bounded by entries and bytes. The key carries the dataVersion, so
 * no answer outlives the data it was computed from; concurrent misses for
 * one key share a single computation (lru-cache's fetch).
 */
export function createQueryCache({
  dataVersion,
  maxEntries = 2000,
  maxBytes = 256 * 1024 * 1024,
  ttlMs = 10 * 60 * 1000,
  now,
}: QueryCacheOptions): QueryCache {
  let hits = 0;
  let misses = 0;
  const lru = new LRUCache<string, { value: unknown }, () => Promise<unknown>>({
    max: maxEntries,
    maxSize: maxBytes,
    ttl: ttlMs,
    sizeCalculation: (entry) => sizeOf(entry.value),
    ...(now && { perf: { now }, ttlResolution: 0 }),
    fetchMethod: async (_key, _stale, { context }) => ({ value: await context() }),
  });

  /** `refresh`: compute afresh even when an answer is held (one being computed is joined), and keep it. */
  const get = async <T>(
    kind: string,
    args: unknown,
    compute: () => Promise<T>,
    refresh: boolean,
  ): Promise<T> => {
    const key = `${dataVersion()}|${kind}|${normalise(args)}`;
    const status: LRUCache.Status<string, { value: unknown }, () => Promise<unknown>> = {};
    const entry = await lru.fetch(key, { context: compute, status, forceRefresh: refresh });
    if (status.fetch === 'hit' || status.fetch === 'inflight') hits++;
    else misses++;
    return entry!.value as T;
  };
  const view = (refresh: boolean): QueryCache => ({
    get: (kind, args, compute) => get(kind, args, compute, refresh),
    refreshing: () => fresh,
    stats: (): CacheStats => ({ hits, misses, entries: lru.size, bytes: lru.calculatedSize }),
    clear: () => lru.clear(),
  });
  const fresh = view(true);
  return view(false);
}
