/** A series' trend: least-squares line, Mann-Kendall test, Sen's slope and level shifts. */
import type { SeriesPoint } from './series.ts';
import type { MetricsGroup } from './types.ts';

export const TREND_DIRECTIONS = ['IMPROVING', 'DEGRADING', 'STABLE'] as const;
export type TrendDirection = (typeof TREND_DIRECTIONS)[number];

/** The Mann-Kendall trend test of a series against time (src/analytics/mann-kendall.ts). */
export interface MannKendall {
  /** S = Σ_{i<j} sign(y_j − y_i): concordant minus discordant pairs. */
  readonly s: number;
  /** Var(S) under H0 with the tie correction; 0 for a constant series. */
  readonly varS: number;
  /** Continuity-corrected normal score: (S − 1)/√Var(S), 0 or (S + 1)/√Var(S); 0 when Var(S) = 0. */
  readonly z: number;
  /** Kendall's tau-b of value against time, −1 … 1; NaN for a constant series (0/0). */
  readonly tau: number;
  /** Two-sided p-value of "no monotonic trend", from the standard normal; 1 when S = 0. */
  readonly pValue: number;
}

/** A trend's Mann-Kendall test as answered: tau (0 for a constant series), p-value, and Sen's slope. */
export interface MannKendallTrend extends Pick<MannKendall, 'tau' | 'pValue'> {
  /** Theil–Sen slope: median pairwise slope, in value units per day. */
  readonly senSlope: number;
}

/**
 * A shift in the mean of a series. `At` places the first point of the new
 * level: its position in the series for the pure analytics
 * (src/analytics/change-points.ts), its time in a trend's answer.
 */
export type ChangePoint<At = { readonly t: Date }> = At & {
  /** Mean value of the segment that ends just before the change. */
  readonly before: number;
  /** Mean value of the segment that starts at the change. */
  readonly after: number;
};

/** One group's series with an ordinary-least-squares fit over x = days since its first point. */
export interface TrendSeries {
  readonly group: MetricsGroup;
  readonly points: readonly SeriesPoint[];
  /** Value units per day; null with fewer than 2 points. */
  readonly slope: number | null;
  readonly slopeStdErr: number | null;
  /** Fitted value at the first point. */
  readonly intercept: number | null;
  readonly interceptStdErr: number | null;
  readonly rSquared: number | null;
  readonly residualStdErr: number | null;
  /** Two-sided p-value of slope = 0 (t-test). */
  readonly pValue: number | null;
  /** Null with fewer than 3 points. */
  readonly mannKendall: MannKendallTrend | null;
  /** Whether the change is good or bad for this measure (a falling pass rate degrades, a falling duration improves). */
  readonly direction: TrendDirection;
  readonly changePoints: readonly ChangePoint[];
}
