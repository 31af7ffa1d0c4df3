import type { Database } from './database.ts';
import { querySampleStatistics } from './sample-statistics.ts';
import * as series from './series.ts';
import type { SeriesStore } from '../domain/series.ts';

/** The series, the samples' statistics and execution vectors the series analytics start from. */
export const seriesStore = (db: Database): SeriesStore => ({
  series: (q) => series.querySeries(db, q),
  sampleStatistics: (q) => querySampleStatistics(db, q),
  executionVectors: (q) => series.queryExecutionVectors(db, q),
});
