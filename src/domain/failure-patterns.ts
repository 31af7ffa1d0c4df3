/** Failure messages grouped into patterns, with the dimension values they concentrate on. */
import type { TestId } from './ids.ts';
import type { Dimension, ResultFilter } from './types.ts';

export interface FailureCorrelation {
  /** Null when the value is a tag's (see `tag`). */
  readonly dimension: Dimension | null;
  /** The tag key when the value is a tag's. */
  readonly tag: string | null;
  readonly value: string;
  /** The pattern's occurrences with this value. */
  readonly occurrences: number;
  /** Share of the pattern's occurrences with this value, 0 … 1. */
  readonly share: number;
  /** The value's share of the slice's attempts that ran, 0 … 1. */
  readonly baselineShare: number;
  /** share / baselineShare; above 1 means over-represented. */
  readonly lift: number;
}

export interface FailurePatternDay {
  /** Start of the day (UTC). */
  readonly day: Date;
  readonly occurrences: number;
}

export interface FailurePattern {
  readonly fingerprint: string;
  readonly pattern: string;
  readonly sample: string;
  readonly occurrences: number;
  /** Distinct tests that failed with it. */
  readonly tests: number;
  readonly testIds: readonly TestId[];
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  /** Occurrences per day with any, oldest first. */
  readonly daily: readonly FailurePatternDay[];
  readonly correlations: readonly FailureCorrelation[];
}

/** Attempts of a slice with one dimension or tag value (what a pattern's values are measured against). */
export interface DimensionValueCount {
  readonly dimension: Dimension | null;
  readonly tag: string | null;
  readonly value: string;
  readonly n: number;
}

/** One failure pattern as counted in SQL, before correlations are judged. */
export interface FailurePatternCounts extends Omit<FailurePattern, 'correlations'> {
  /** Occurrences per dimension and tag value. */
  readonly values: readonly DimensionValueCount[];
}

/** The most frequent patterns of a slice, and the slice's attempts per value of the dimensions they touch. */
export interface FailurePatternSlice {
  readonly patterns: readonly FailurePatternCounts[];
  /** Attempts of the slice that ran (not SKIPPED). */
  readonly attempts: number;
  readonly baseline: readonly DimensionValueCount[];
}

/** What the failure-pattern analysis reads. */
export interface FailurePatternStore {
  /** The `first` most frequent failure patterns of a slice with their counts, and the slice's attempts per value they touch. */
  failurePatterns(filter: ResultFilter, first: number): Promise<FailurePatternSlice>;
}
