import type { ReplicaStatus, GatewayStore } from '../src/domain/gateway.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';

export interface GatewayInfo {
  readonly version: string;
  readonly dataVersion: number;
  readonly runs: number;
  readonly tests: number;
  readonly results: number;
  readonly cache: { hits: number; misses: number; hitRatio: number | null; entries: number; bytes: number };
  readonly db: { statements: number };
  readonly responses: { hits: number; misses: number; entries: number };
  /** Null when the gateway runs alone (no shared log). */
  readonly replica: ReplicaStatus | null;
}

/** Counts of stored data, and how the cache and the database are doing. */
export async function gateway(
  deps: FeatureDeps<GatewayStore, 'cache' | 'version' | 'responses' | 'replica'>,
): Promise<GatewayInfo> {
  const [counts, replica] = await Promise.all([deps.store.counts(), deps.replica?.status() ?? null]);
  const c = deps.cache.stats();
  const lookups = c.hits + c.misses;
  return {
    version: deps.version,
    dataVersion: deps.store.dataVersion,
    ...counts,
    cache: { ...c, hitRatio: lookups ? c.hits / lookups : null },
    db: { statements: deps.store.statements },
    responses: deps.responses?.stats() ?? { hits: 0, misses: 0, entries: 0 },
    replica,
  };
}
