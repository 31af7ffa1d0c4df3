/** A series' statistic over every combination of dimension and tag values, and each value's effect. */
import type { Comparison } from './compare.ts';
import type { SeriesStore } from './series.ts';
import type { SliceStore } from './slices.ts';
import type { Dimension, MetricsGroup } from './types.ts';

/** One combination of dimension and tag values with the series' statistic over it. */
export interface PerformanceCell {
  readonly group: MetricsGroup;
  readonly value: number;
  /** Observations (executions, or results carrying the metric). */
  readonly n: number;
}

/** One value of a dimension or tag against that dimension's reference value (its most observed). */
export interface DimensionEffect {
  /** Null when the value is a tag's (see tag). */
  readonly dimension: Dimension | null;
  readonly tag: string | null;
  readonly value: string;
  readonly n: number;
  /** The dimension's value with the most observations, every other value is compared with. */
  readonly reference: string;
  /** The value against the reference; null for the reference itself or with too few observations. */
  readonly comparison: Comparison | null;
}

export interface PerformanceReport {
  /** Whether a higher value is better for the series (throughput up, duration down). */
  readonly higherIsBetter: boolean;
  /** Best first. */
  readonly combinations: readonly PerformanceCell[];
  readonly effects: readonly DimensionEffect[];
}

/** What the performance analysis reads: the statistic per combination, and the samples' statistics to compare. */
export type PerformanceStore = Pick<SliceStore, 'metrics'> & Pick<SeriesStore, 'sampleStatistics'>;
