/** The series the analytics read: what a series is, its query, and the store port that reads it. */
import type { Dimension, Granularity, MetricsGroup, ResultFilter, Stat } from './types.ts';

export type SeriesMeasure = 'PASS_RATE' | 'FAIL_RATE' | 'FLAKY_RATE' | 'EXECUTIONS' | 'DURATION';

/** What an analysis runs over: an execution measure or a named metric (exactly one), with a statistic. */
export interface SeriesSpec {
  readonly measure?: SeriesMeasure | null | undefined;
  readonly metric?: string | null | undefined;
  readonly stat?: Stat | null | undefined;
}

/** A look-back window ending now. */
export interface TimeWindow {
  readonly days?: number | null | undefined;
  readonly hours?: number | null | undefined;
}

export interface SeriesPoint {
  /** Bucket start (or the execution's start time without bucketing). */
  readonly t: Date;
  readonly value: number;
  /** Observations aggregated into the point. */
  readonly n: number;
}

/** A validated series: exactly one of measure or metric. */
export type SeriesKind = { readonly measure: SeriesMeasure } | { readonly metric: string };

export interface SeriesQuery {
  readonly filter: ResultFilter;
  readonly groupBy: readonly Dimension[];
  readonly groupByTags: readonly string[];
  readonly bucket: Granularity;
  readonly series: SeriesKind;
  readonly stat: Stat;
  /** Most points read over all groups. */
  readonly limit: number;
}

export interface GroupSeries {
  readonly group: MetricsGroup;
  /** Oldest first. */
  readonly points: readonly SeriesPoint[];
}

/** Raw values of a series for two values of one dimension (the samples `compare` tests). */
export interface SampleQuery {
  readonly filter: ResultFilter;
  readonly series: SeriesKind;
  readonly dimension: Dimension;
  /** When set, the samples are split by this tag's value instead of by `dimension`. */
  readonly tag?: string | undefined;
  readonly baseline: string;
  readonly candidate: string;
  readonly limit: number;
}

/** An execution's duration and named metrics, for multivariate anomaly detection. */
export interface ExecutionVector {
  readonly t: Date;
  readonly durationMs: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/** What the series-based analytics (trends, anomalies, forecasts, compare) read. */
export interface SeriesStore {
  /** A series per group (bucketed like `metrics`, or raw with bucket NONE), oldest first. */
  series(q: SeriesQuery): Promise<GroupSeries[]>;
  /** Raw values of a series for a baseline and a candidate value of one dimension. */
  samples(q: SampleQuery): Promise<[number[], number[]]>;
  /** Per group, every result's duration and metrics, oldest first. */
  executionVectors(
    q: Pick<SeriesQuery, 'filter' | 'groupBy' | 'groupByTags' | 'limit'>,
  ): Promise<{ group: MetricsGroup; rows: ExecutionVector[] }[]>;
}
