/** Anomalies of a series: flagged points and the events they group into. */
import type { MetricsGroup, Severity } from './types.ts';

export const ANOMALY_METHODS = ['AUTO', 'ROBUST', 'SEASONAL', 'MULTIVARIATE'] as const;
export type AnomalyMethod = (typeof ANOMALY_METHODS)[number];

export const ANOMALY_DIRECTIONS = ['UP', 'DOWN'] as const;
type AnomalyDirection = (typeof ANOMALY_DIRECTIONS)[number];

export interface Anomaly {
  readonly group: MetricsGroup;
  readonly t: Date;
  readonly value: number;
  readonly expected: number;
  readonly lower: number;
  readonly upper: number;
  /** Distance from `expected` in robust SDs of the expectation's past one-step errors; flagged when above the sensitivity. */
  readonly score: number;
  readonly severity: Severity;
  readonly direction: AnomalyDirection;
  /** The method that flagged the point (never AUTO). */
  readonly method: AnomalyMethod;
  /** True only for the first flagged point of an event: the moment a live alert would fire. */
  readonly onset: boolean;
}

/**
 * An anomaly episode: from the first point outside the band (the onset) to the
 * last one before the series settled back, judged causally point by point.
 */
export interface AnomalyEvent {
  readonly group: MetricsGroup;
  readonly start: Date;
  readonly peak: Date;
  readonly end: Date;
  /** The peak's score: distance from the expectation in robust SDs of past errors. */
  readonly score: number;
  readonly severity: Severity;
  readonly direction: AnomalyDirection;
  /** Value, expectation and band at the onset. */
  readonly value: number;
  readonly expected: number;
  readonly lower: number;
  readonly upper: number;
  /** Points of the event outside the band. */
  readonly points: number;
  /** True while the series has not yet settled back (the event may go on). */
  readonly open: boolean;
  /** The method that judged the onset (never AUTO). */
  readonly method: AnomalyMethod;
}
