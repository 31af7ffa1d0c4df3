import type { Database } from './database.ts';
import { queryDurationHistory, queryRunPair } from './run-compare.ts';
import type { RunCompareStore } from '../domain/run-compare.ts';
import type { SliceStore } from '../domain/slices.ts';

/** Two runs side by side and the tests' duration histories (the runs themselves come from the slice store). */
export const runCompareStore = (db: Database): Omit<RunCompareStore, keyof SliceStore> => ({
  runPair: (base, head) => queryRunPair(db, base, head),
  durationHistory: (ids, before, exclude, last) => queryDurationHistory(db, ids, before, exclude, last),
});
