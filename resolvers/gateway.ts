import type { Deps } from '../src/domain/ports.ts';

export interface GatewayInfo {
  readonly version: string;
  readonly dataVersion: number;
  readonly runs: number;
  readonly tests: number;
  readonly results: number;
  readonly cache: { hits: number; misses: number; hitRatio: number | null; entries: number; bytes: number };
  readonly db: { statements: number };
  readonly responses: { hits: number; misses: number; entries: number };
}

/** Counts of stored data, and how the cache and the database are doing. */
export async function gateway(deps: Pick<Deps, 'store' | 'cache' | 'version' | 'responses'>): Promise<GatewayInfo> {
  const counts = await deps.store.counts();
  const c = deps.cache.stats();
  const lookups = c.hits + c.misses;
  return {
    version: deps.version,
    dataVersion: deps.store.dataVersion,
    ...counts,
    cache: { ...c, hitRatio: lookups ? c.hits / lookups : null },
    db: { statements: deps.store.statements },
    responses: deps.responses?.stats() ?? { hits: 0, misses: 0, entries: 0 },
  };
}
