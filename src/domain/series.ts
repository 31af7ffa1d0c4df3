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

/** One way of splitting a series' raw values: by a dimension (or tag), a reference value and the others. */
interface SampleAxis {
  readonly dimension: Dimension;
  /** When set, the samples are split by this tag's value instead of by `dimension`. */
  readonly tag?: string | undefined;
  /** The value every other one is ranked against. */
  readonly reference: string;
  /** The other values (the reference may be among them; it is summarized once). */
  readonly values: readonly string[];
}

/** A series' raw values split along one or more axes, read in one pass. */
export interface SampleStatisticsQuery {
  readonly filter: ResultFilter;
  readonly series: SeriesKind;
  readonly axes: readonly SampleAxis[];
}

/** Sorted, disjoint runs of one sample's values: [lo, hi] holding `weight` values whose mean is `mean`. */
export interface WeightedPoint {
  readonly lo: number;
  readonly hi: number;
  readonly mean: number;
  readonly weight: number;
}

/** One value's sample, summarized in the database, and ranked against the reference's. */
export interface SampleStatistics {
  readonly value: string;
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); null with a single value. */
  readonly stdDev: number | null;
  readonly median: number;
  /** Mann–Whitney U of this sample against the reference: #{(r, x): x > r} + ½·#{(r, x): x = r}. */
  readonly u: number;
  /** Σ(t³ − t) over the groups of equal values in the reference and this sample pooled. */
  readonly tieTerm: number;
  /**
   * The sample as ascending weighted points: one per distinct value (exact) while the sample has
   * at most 65,536 of them, else 8,192 equal-count bins (see src/db/sample-statistics.ts).
   */
  readonly points: readonly WeightedPoint[];
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
  /**
   * Per axis (in order), the samples of the reference and each value summarized (size, mean, standard
   * deviation, median, weighted points) and ranked against the reference's; values without data are left out.
   */
  sampleStatistics(q: SampleStatisticsQuery): Promise<SampleStatistics[][]>;
  /** Per group, every result's duration and metrics, oldest first. */
  executionVectors(
    q: Pick<SeriesQuery, 'filter' | 'groupBy' | 'groupByTags' | 'limit'>,
  ): Promise<{ group: MetricsGroup; rows: ExecutionVector[] }[]>;
}
