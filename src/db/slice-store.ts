import type { Database } from './database.ts';
import { queryMetrics } from './metrics.ts';
import { historyByTestIds } from './history.ts';
import * as slices from './slices.ts';
import * as testStats from './test-stats.ts';
import type { SliceStore } from '../domain/slices.ts';

/** The slice queries (pages, metrics, look-ups by id) over the database. */
export const sliceStore = (db: Database): SliceStore => ({
  resultsPage: (filter, size, bounds, order) => slices.resultsPage(db, filter, size, bounds, order),
  runsPage: (filter, size, bounds) => slices.runsPage(db, filter, size, bounds),
  testsPage: (filter, size, bounds, order, stats) =>
    testStats.testsPage(db, filter, size, bounds, order, stats),
  metrics: (q) => queryMetrics(db, q),
  testsByIds: (ids) => slices.testsByIds(db, ids),
  runsByIds: (ids) => slices.runsByIds(db, ids),
  resultsByIds: (ids) => slices.resultsByIds(db, ids),
  statsByTestIds: (ids) => testStats.statsByTestIds(db, ids),
  historyByTestIds: (ids, last) => historyByTestIds(db, ids, last),
  counts: () => slices.counts(db),
});
