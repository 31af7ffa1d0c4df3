/**
 * Seasonal detector: the daily/weekly rhythm is removed by a robust
 * decomposition, then each point is scored against its seasonal value plus
 * the median level of the deseasonalised points before it.
 */
import { robustDecomposition, selfInfluence } from './decompose.ts';
import { maxAbs, medianOfSorted, RELATIVE_EPSILON, robustSd } from './robust-stats.ts';
import { forEachSortedWindow } from './rolling.ts';
import {
  type AnomalyPoint,
  checkFinite,
  checkInteger,
  checkSensitivity,
  DEFAULT_SENSITIVITY,
  flagPoint,
} from './types.ts';

export interface SeasonalOptions {
  /** Half-width of the band in robust SDs. @default 3 */
  readonly sensitivity?: number;
  /**
   * Points of deseasonalised history the level is the median of: enough for a
   * stable median, short enough that a level shift is absorbed in about a day
   * of hourly data. @default period clamped to [12, 48]
   */
  readonly levelWindow?: number;
  /** No point is scored before it has this many points of history. @default 5 */
  readonly minHistory?: number;
}

/**
 * Points that break the seasonal pattern or jump off the current level.
 *
 * Procedure: (1) robustDecomposition(y, period) gives the trend T and the
 * season S (per-phase medians over the whole series); (2) A = y − S, the
 * deseasonalised series; (3) level_t = median of A over the `levelWindow`
 * points before t (trailing, as in robustAnomalies, so a level shift is
 * flagged where it starts); (4) expected_t = S_t + level_t, e_t = y_t −
 * expected_t; (5) scale = max(robustSd(e'), 1e-10·max|y|) over all scored
 * points, where e'_t is e_t with S_t replaced by the median of the OTHER
 * cycles at t's phase (held out: with few cycles each point pulls its own
 * phase median towards itself, and with 4 weekly cycles the plain residual MAD
 * came out so small that clean series got ~16 false alarms each); one robust
 * scale for the whole series (1.4826·MAD, or robustSd's mean-absolute-deviation
 * fallback); (6) flagged when |e_t|/scale > sensitivity, band expected ±
 * sensitivity·scale.
 *
 * Needs two full periods (fewer → []); three or more make the per-phase
 * medians resistant to an anomaly in one cycle (with two, the median is the
 * mean of two and an anomaly leaks into the other cycle's expectation).
 * Scale-invariant. A day whose rhythm is inverted leaves residuals of twice the
 * seasonal amplitude, so it is flagged wherever that exceeds the band.
 * @throws RangeError on non-finite values, period < 2, sensitivity ≤ 0, levelWindow < 2, or minHistory outside [2, levelWindow]
 * @example seasonalAnomalies([0, 10, 0, 10, 0, 10, 0, 10, 0, 50, 0, 10], 2) // one point: index 9, expected 10
 * @complexity O(n·(period + levelWindow))
 */
export function seasonalAnomalies(
  y: readonly number[],
  period: number,
  {
    sensitivity = DEFAULT_SENSITIVITY,
    levelWindow = Math.min(Math.max(period, 12), 48),
    minHistory = 5,
  }: SeasonalOptions = {},
): AnomalyPoint[] {
  checkFinite(y);
  checkInteger('period', period, 2);
  checkSensitivity(sensitivity);
  checkInteger('levelWindow', levelWindow, 2);
  checkInteger('minHistory', minHistory, 2);
  if (minHistory > levelWindow)
    throw new RangeError(`minHistory (${minHistory}) cannot exceed levelWindow (${levelWindow})`);
  if (y.length < 2 * period || y.length <= minHistory) return [];
  const { trend, seasonal } = robustDecomposition(y, period);
  const deseasonalised = y.map((v, t) => v - seasonal[t]!);
  const expected: number[] = [];
  const scored: number[] = [];
  forEachSortedWindow(
    deseasonalised,
    (t) => [Math.max(0, t - levelWindow), t],
    (t, sorted) => {
      if (sorted.length < minHistory) return;
      expected.push(seasonal[t]! + medianOfSorted(sorted));
      scored.push(t);
    },
  );
  const ownPull = selfInfluence(
    y.map((v, t) => v - trend[t]!),
    period,
  );
  const heldOut = scored.map((t, i) => y[t]! - expected[i]! + ownPull[t]!);
  const scale = Math.max(robustSd(heldOut), RELATIVE_EPSILON * maxAbs(y));
  const out: AnomalyPoint[] = [];
  scored.forEach((t, i) => {
    const point = flagPoint(t, y[t]!, expected[i]!, scale, sensitivity);
    if (point) out.push(point);
  });
  return out;
}
