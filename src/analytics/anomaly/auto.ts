/**
 * AUTO: choose the univariate method from the data, and run it.
 */
import { detectPeriod } from './period.ts';
import { type RobustOptions, robustAnomalies } from './robust.ts';
import { seasonalAnomalies } from './seasonal.ts';
import type { AnomalyPoint } from './types.ts';

export type UnivariateMethod = 'ROBUST' | 'SEASONAL';

/** Full periods the seasonal method needs before AUTO picks it: with 3, per-phase medians resist one anomalous cycle. */
const MIN_SEASONAL_CYCLES = 3;

/**
 * 'SEASONAL' when detectPeriod(y, candidates) finds a period p and y holds at
 * least 3·p points (three full cycles; with two, a per-phase median is the mean
 * of two values and one anomalous cycle leaks into the other), else 'ROBUST'.
 * @throws RangeError as detectPeriod
 * @example autoMethod(hourlyDurations, [24, 168]) // 'SEASONAL' for three weeks of a daily rhythm
 * @complexity O(n·Σ candidates)
 */
export function autoMethod(y: readonly number[], candidates: readonly number[]): UnivariateMethod {
  return seasonalPeriod(y, candidates) === null ? 'ROBUST' : 'SEASONAL';
}

/** The period AUTO would use for the seasonal method, or null when it would pick ROBUST. */
function seasonalPeriod(y: readonly number[], candidates: readonly number[]): number | null {
  const eligible = candidates.filter((p) => y.length >= MIN_SEASONAL_CYCLES * p);
  return eligible.length === 0 ? null : detectPeriod(y, eligible);
}

export interface AutoResult {
  readonly method: UnivariateMethod;
  /** The seasonal period used, null for ROBUST. */
  readonly period: number | null;
  readonly points: AnomalyPoint[];
}

/**
 * Runs the method autoMethod picks: seasonalAnomalies(y, period, {sensitivity})
 * or robustAnomalies(y, options).
 * @throws RangeError as the method it runs
 * @complexity as the method it runs
 */
export function autoAnomalies(
  y: readonly number[],
  candidates: readonly number[],
  options: RobustOptions = {},
): AutoResult {
  const period = seasonalPeriod(y, candidates);
  if (period === null) return { method: 'ROBUST', period: null, points: robustAnomalies(y, options) };
  const seasonalOptions = options.sensitivity === undefined ? {} : { sensitivity: options.sensitivity };
  return { method: 'SEASONAL', period, points: seasonalAnomalies(y, period, seasonalOptions) };
}
