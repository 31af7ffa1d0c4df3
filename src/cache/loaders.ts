import DataLoader from 'dataloader';
import type { RunId, TestId } from '../domain/ids.ts';
import type { RunInfraFailure } from '../domain/infra-failures.ts';
import type { Loaders, QueryCache, Store } from '../domain/ports.ts';
import type { Result, Run, Test, TestStats } from '../domain/types.ts';

type Fetch<K, V> = (keys: readonly K[]) => Promise<Map<string, V>>;

/**
 * One batch function per entity: one SQL statement per tick, values in key
 * order. Each batch also goes through the cross-request cache (keyed by the
 * batch's keys and dataVersion), so a repeated page costs no SQL at all.
 */
function loader<K extends string, V>(
  cache: QueryCache,
  kind: string,
  fetch: Fetch<K, V>,
  missing: V,
): DataLoader<K, V> {
  return new DataLoader<K, V>(
    async (keys) => {
      const entries = await cache.get(`loader:${kind}`, keys, async () => [...(await fetch(keys)).entries()]);
      const found = new Map(entries);
      return keys.map((k) => found.get(k) ?? missing);
    },
    { maxBatchSize: 5000 },
  );
}

/** Creates the loaders of one request; never share them across requests. */
export function createLoaders(store: Store, cache: QueryCache): Loaders {
  const histories = new Map<number, DataLoader<TestId, readonly Result[]>>();
  return {
    test: loader<TestId, Test | null>(cache, 'test', (ids) => store.testsByIds(ids), null),
    run: loader<RunId, Run | null>(cache, 'run', (ids) => store.runsByIds(ids), null),
    runInfraFailure: loader<RunId, RunInfraFailure | null>(
      cache,
      'runInfraFailure',
      async (ids) => new Map(await store.runInfraFailures(ids)),
      null,
    ),
    testStats: loader<TestId, TestStats>(
      cache,
      'testStats',
      (ids) => store.statsByTestIds(ids),
      undefined as never,
    ),
    history(last: number) {
      let l = histories.get(last);
      if (!l) {
        l = loader<TestId, readonly Result[]>(
          cache,
          `history:${last}`,
          (ids) => store.historyByTestIds(ids, last),
          [],
        );
        histories.set(last, l);
      }
      return l;
    },
  };
}
