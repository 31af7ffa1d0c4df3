import DataLoader from 'dataloader';
import type { RunId, TestId } from '../domain/ids.ts';
import type { Loaders, Store } from '../domain/ports.ts';
import type { Result, Run, Test, TestStats } from '../domain/types.ts';

/** One batch function per entity: one SQL statement per tick, values in key order. */
function loader<K extends string, V>(fetch: (keys: readonly K[]) => Promise<Map<string, V>>, missing: V): DataLoader<K, V> {
  return new DataLoader<K, V>(async (keys) => {
    const found = await fetch(keys);
    return keys.map((k) => found.get(k) ?? missing);
  }, { maxBatchSize: 5000 });
}

/** Creates the loaders of one request; never share them across requests. */
export function createLoaders(store: Store): Loaders {
  const histories = new Map<number, DataLoader<TestId, readonly Result[]>>();
  return {
    test: loader<TestId, Test | null>((ids) => store.testsByIds(ids), null),
    run: loader<RunId, Run | null>((ids) => store.runsByIds(ids), null),
    testStats: loader<TestId, TestStats>((ids) => store.statsByTestIds(ids), undefined as never),
    history(last: number) {
      let l = histories.get(last);
      if (!l) {
        l = loader<TestId, readonly Result[]>((ids) => store.historyByTestIds(ids, last), []);
        histories.set(last, l);
      }
      return l;
    },
  };
}
