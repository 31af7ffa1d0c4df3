import { leastSquaresLine } from './common.ts';

/**
 * Whole seasons the initial states are estimated from: two, as R's
 * stats::HoltWinters (start.periods = 2). More (Hyndman et al. use up to 5)
 * leak more of the series into states whose errors are then counted, which
 * drives the fitted γ towards 0 and narrows the intervals.
 */
const INIT_SEASONS = 2;

export interface SeasonalState {
  /** ℓ₋₁ and b₋₁: level and trend just before y[0]. */
  readonly level0: number;
  readonly trend0: number;
  /** season0[j] is the seasonal state that predicts y[j], j = 0..m−1; they sum to 0. */
  readonly season0: number[];
}

/**
 * Centred moving average of order m (2×m when m is even, so that it is
 * centred on a time point), defined for ⌊m/2⌋ ≤ t < count − ⌊m/2⌋; NaN elsewhere.
 */
export function centredMovingAverage(y: readonly number[], m: number, count = y.length): number[] {
  const half = Math.floor(m / 2);
  const out = new Array<number>(count).fill(Number.NaN);
  for (let t = half; t < count - half; t++) {
    let sum = 0;
    if (m % 2 === 1) {
      for (let i = t - half; i <= t + half; i++) sum += y[i]!;
    } else {
      sum = (y[t - half]! + y[t + half]!) / 2;
      for (let i = t - half + 1; i < t + half; i++) sum += y[i]!;
    }
    out[t] = sum / m;
  }
  return out;
}

/**
 * Initial states of additive Holt-Winters by classical decomposition
 * (Hyndman et al. 2008, §2.6.1; Hyndman & Athanasopoulos FPP3 §3.4):
 * 1. take the first two seasons, 2m points (or `seasons` seasons);
 * 2. their trend-cycle is the centred (2×)m moving average;
 * 3. the seasonal index of position j is the mean of y_t − trend_t over the
 *    t ≡ j (mod m) where the average exists, then all indices are shifted to sum to 0;
 * 4. the least-squares line a + b·t through the seasonally adjusted
 *    y_t − s_{t mod m} of those 2m points gives b₋₁ = b and ℓ₋₁ = a − b,
 *    so the first prediction ℓ₋₁ + b₋₁ + s₀ is a + s₀.
 *
 * @throws RangeError when y holds fewer than two whole seasons
 * @complexity O(m²) for the moving average
 */
export function seasonalInitialState(y: readonly number[], m: number, seasons = INIT_SEASONS): SeasonalState {
  const count = Math.max(INIT_SEASONS, seasons) * m;
  if (y.length < count)
    throw new RangeError(
      `seasonal initial states need ${count / m} whole seasons (${count} points, got ${y.length})`,
    );
  // Work on y − y[0] so a constant series gives exactly zero seasonal and trend states.
  const y0 = y[0]!;
  const d = y.slice(0, count).map((v) => v - y0);
  const trend = centredMovingAverage(d, m);
  const sums = new Array<number>(m).fill(0);
  const counts = new Array<number>(m).fill(0);
  for (let t = 0; t < count; t++) {
    if (Number.isNaN(trend[t]!)) continue;
    sums[t % m]! += d[t]! - trend[t]!;
    counts[t % m]! += 1;
  }
  const raw = sums.map((s, j) => s / counts[j]!);
  const shift = raw.reduce((a, b) => a + b, 0) / m;
  const season0 = raw.map((s) => s - shift);
  const adjusted: number[] = [];
  for (let t = 0; t < count; t++) adjusted.push(d[t]! - season0[t % m]!);
  const { intercept, slope } = leastSquaresLine(adjusted);
  return { level0: y0 + (intercept - slope), trend0: slope, season0 };
}
