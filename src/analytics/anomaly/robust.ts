/**
 * Robust detector: each point against the rolling median and MAD of the
 * window that precedes it (Hampel-style identifier, trailing variant).
 */
import { differenceNoise, MAD_TO_SD, maxAbs, medianOfSorted, RELATIVE_EPSILON } from './robust-stats.ts';
import { forEachSortedWindow } from './rolling.ts';
import {
  type AnomalyPoint,
  checkFinite,
  checkInteger,
  checkSensitivity,
  DEFAULT_SENSITIVITY,
  flagPoint,
} from './types.ts';

export interface RobustOptions {
  /** Points of history the median and MAD are taken over. @default 30 */
  readonly window?: number;
  /** Half-width of the band in robust SDs. @default 3 */
  readonly sensitivity?: number;
  /** No point is scored before it has this many points of history. @default 5 */
  readonly minHistory?: number;
}

/**
 * Fraction of the series' difference-based noise level (robustSd(Δy)/√2) below
 * which a window's scale may not fall. A MAD of ~30 points is a noisy estimate:
 * letting it drop below the series' noise level (fraction 0.5) flagged 1.5 % of
 * white noise at window 30 instead of the nominal 0.27 %; with 1 the rate is
 * nominal, and a constant stretch cannot turn the next wiggle into a huge score.
 * The local scale can still rise above the floor in noisier stretches.
 */
const SCALE_FLOOR_FRACTION = 1;

/**
 * Points far from the rolling median of the `window` points BEFORE them.
 *
 * Procedure, for each t with at least `minHistory` points before it:
 * W = y[max(0, t − window) .. t − 1] (trailing: a point never masks itself and
 * the detector works online, apart from the floor below);
 * expected = median(W); scale = max(1.4826·MAD(W), robustSd(Δy)/√2,
 * 1e-10·max|y|), the last two over the whole series;
 * score = |y_t − expected| / scale; flagged when score > sensitivity, with the
 * band expected ± sensitivity·scale.
 *
 * Level shifts: after a sustained shift the window still describes the old
 * level, so the first points of the new level are flagged; once enough new
 * points have entered the window its MAD grows and its median moves over, and
 * flagging stops. Expect a short run of flags at each shift, not the whole
 * shifted stretch (that is what a change-point method is for).
 *
 * Scale-invariant (y·c flags the same points for c > 0), and shift-invariant
 * apart from the 1e-10·max|y| floor.
 * Empty or too-short input → [].
 * @throws RangeError on non-finite values, sensitivity ≤ 0, window < 2, or minHistory outside [2, window]
 * @example robustAnomalies([10, 11, 10, 12, 11, 10, 11, 40, 10, 11]) // one point: index 7, expected 11, score ≈ 13.83 (the floor, robustSd(Δy)/√2 ≈ 2.10, binds)
 * @complexity O(n·window·log window)
 */
export function robustAnomalies(
  y: readonly number[],
  { window = 30, sensitivity = DEFAULT_SENSITIVITY, minHistory = 5 }: RobustOptions = {},
): AnomalyPoint[] {
  checkFinite(y);
  checkSensitivity(sensitivity);
  checkInteger('window', window, 2);
  checkInteger('minHistory', minHistory, 2);
  if (minHistory > window)
    throw new RangeError(`minHistory (${minHistory}) cannot exceed window (${window})`);
  if (y.length <= minHistory) return [];
  const floor = Math.max(SCALE_FLOOR_FRACTION * differenceNoise(y), RELATIVE_EPSILON * maxAbs(y));
  const out: AnomalyPoint[] = [];
  forEachSortedWindow(
    y,
    (t) => [Math.max(0, t - window), t],
    (t, sorted) => {
      if (sorted.length < minHistory) return;
      const expected = medianOfSorted(sorted);
      const deviations = sorted.map((v) => Math.abs(v - expected)).sort((a, b) => a - b);
      const scale = Math.max(MAD_TO_SD * medianOfSorted(deviations), floor);
      const point = flagPoint(t, y[t]!, expected, scale, sensitivity);
      if (point) out.push(point);
    },
  );
  return out;
}
