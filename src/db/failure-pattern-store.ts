import type { Database } from './database.ts';
import { queryFailurePatterns } from './failure-patterns.ts';
import type { FailurePatternStore } from '../domain/failure-patterns.ts';

/** A slice's most frequent failure patterns with their counts. */
export const failurePatternStore = (db: Database): FailurePatternStore => ({
  failurePatterns: (filter, first) => queryFailurePatterns(db, filter, first),
});
