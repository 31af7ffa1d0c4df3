import type { Database } from './database.ts';
import * as series from './series.ts';
import type { SeriesStore } from '../domain/series.ts';

/** The series, samples and execution vectors the series analytics start from. */
export const seriesStore = (db: Database): SeriesStore => ({
  series: (q) => series.querySeries(db, q),
  samples: (q) => series.querySamples(db, q),
  executionVectors: (q) => series.queryExecutionVectors(db, q),
});
