import type { Database } from './database.ts';
import { flakinessAggregates } from './flakiness.ts';
import { queryFlakinessByValue } from './flakiness-cause.ts';
import { queryFlakinessHistory } from './series.ts';
import type { FlakinessStore } from '../domain/flakiness.ts';

/** Flakiness histories, evidence sums (from the rollup or the sequences) and sums per worker and hardware value. */
export const flakinessStore = (db: Database): FlakinessStore => ({
  flakinessHistory: (filter, limit) => queryFlakinessHistory(db, filter, limit),
  flakinessAggregates: (filter, options) => flakinessAggregates(db, filter, options),
  flakinessByValue: (filter, testIds, options) => queryFlakinessByValue(db, filter, testIds, options),
});
