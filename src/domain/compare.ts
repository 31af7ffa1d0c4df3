/** Two samples of a series compared (Mann-Whitney or Welch). */

export const COMPARE_METHODS = ['MANN_WHITNEY', 'WELCH_T'] as const;
export type CompareMethod = (typeof COMPARE_METHODS)[number];

export interface SampleSummary {
  /** The dimension value the sample was taken for. */
  readonly value: string;
  readonly n: number;
  readonly mean: number | null;
  readonly median: number | null;
  readonly stdDev: number | null;
}

export interface Comparison {
  readonly baseline: SampleSummary;
  readonly candidate: SampleSummary;
  /** Candidate − baseline (difference of means for WELCH_T, Hodges–Lehmann shift for MANN_WHITNEY). */
  readonly delta: number;
  /** delta / baseline location × 100; null when the baseline is 0. */
  readonly deltaPct: number | null;
  /** Confidence interval of delta. */
  readonly lower: number | null;
  readonly upper: number | null;
  readonly pValue: number;
  readonly significant: boolean;
  readonly method: CompareMethod;
}
