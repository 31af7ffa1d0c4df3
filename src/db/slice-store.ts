import type { Database } from './database.ts';
import { queryMetrics } from './metrics.ts';
import * as slices from './slices.ts';
import type { SliceStore } from '../domain/slices.ts';

/** The slice queries (pages, metrics, look-ups by id) over the database. */
export const sliceStore = (db: Database): SliceStore => ({
  resultsPage: (filter, first, after, order) => slices.resultsPage(db, filter, first, after, order),
  runsPage: (filter, first, after) => slices.runsPage(db, filter, first, after),
  testsPage: (filter, first, after, order) => slices.testsPage(db, filter, first, after, order),
  metrics: (q) => queryMetrics(db, q),
  testsByIds: (ids) => slices.testsByIds(db, ids),
  runsByIds: (ids) => slices.runsByIds(db, ids),
  statsByTestIds: (ids) => slices.statsByTestIds(db, ids),
  historyByTestIds: (ids, last) => slices.historyByTestIds(db, ids, last),
  counts: () => slices.counts(db),
});
