import {
  checkConfidence,
  checkHorizon,
  checkParam,
  checkSeries,
  smoothingFit,
  locationScale,
  standardised,
  type ForecastFit,
} from './common.ts';
import { SMOOTHING_EPSILON } from './holt.ts';
import { minimizeInBox } from './optimize.ts';
import { seasonalInitialState, type SeasonalState } from './seasonal-init.ts';
import { holtWintersVarianceFactor } from './variance.ts';

/** HOLT_WINTERS needs two whole seasons for its initial states plus two points: 2m + 2. */
export const holtWintersMinimum = (seasonLength: number): number => 2 * seasonLength + 2;

/** Smoothing parameters of ETS(A,A,A) in state-space form: 0 ≤ β ≤ α ≤ 1, 0 ≤ γ ≤ 1 − α. */
export interface HoltWintersParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
}

export interface HoltWintersStates {
  /** ŷ_t = ℓ_{t−1} + b_{t−1} + s_{t−m}, the one-step-ahead prediction of y[t]. */
  readonly fitted: number[];
  readonly level: number;
  readonly trend: number;
  /** Final seasonal states by position: season[j] predicts the next y_t with t ≡ j (mod m). */
  readonly season: number[];
  readonly sse: number;
}

/**
 * The ETS(A,A,A) recursion (FPP3 §8.3 and §8.7, error-correction form):
 * e_t = y_t − (ℓ_{t−1} + b_{t−1} + s_{t−m}); ℓ_t = ℓ_{t−1} + b_{t−1} + αe_t;
 * b_t = b_{t−1} + βe_t; s_t = s_{t−m} + γe_t.
 * @complexity O(n)
 */
export function holtWintersFilter(
  y: readonly number[],
  params: HoltWintersParams,
  init: SeasonalState,
): HoltWintersStates {
  const { alpha, beta, gamma } = params;
  const m = init.season0.length;
  const season = [...init.season0];
  const fitted: number[] = [];
  let l = init.level0;
  let b = init.trend0;
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const j = t % m;
    const prediction = l + b + season[j]!;
    const e = y[t]! - prediction;
    sse += e * e;
    fitted.push(prediction);
    l += b + alpha * e;
    b += beta * e;
    season[j]! += gamma * e;
  }
  return { fitted, level: l, trend: b, season, sse };
}

/**
 * α, β, γ minimising the one-step SSE over 0 < β ≤ α < 1, 0 < γ < 1 − α
 * (FPP3 §8.3's usual region), searched as (α, β/α, γ/(1 − α)) in a box: grid,
 * then Nelder–Mead, on the standardised series.
 */
export function fitHoltWinters(y: readonly number[], seasonLength: number): HoltWintersParams {
  const { mean, sd } = locationScale(y);
  if (sd === 0) return { alpha: 0.5, beta: 0.05, gamma: 0.1 }; // a constant series fits exactly for any parameters
  const z = standardised(y, mean, sd);
  const init = seasonalInitialState(z, seasonLength);
  const toParams = (u: readonly number[]): HoltWintersParams => ({
    alpha: u[0]!,
    beta: u[0]! * u[1]!,
    gamma: (1 - u[0]!) * u[2]!,
  });
  const { x } = minimizeInBox((u) => holtWintersFilter(z, toParams(u), init).sse, {
    lower: [SMOOTHING_EPSILON, SMOOTHING_EPSILON, SMOOTHING_EPSILON],
    upper: [1 - SMOOTHING_EPSILON, 1, 1 - SMOOTHING_EPSILON],
    grid: [
      [0.05, 0.2, 0.5, 0.8],
      [0.02, 0.1, 0.4, 0.8],
      [0.02, 0.1, 0.4, 0.8],
    ],
  });
  return toParams(x);
}

/**
 * Holt-Winters additive seasonality as the ETS(A,A,A) model (Hyndman &
 * Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed., §8.3, §8.7).
 * α, β, γ are fitted by minimising the one-step squared error unless given;
 * initial states by classical decomposition ({@link seasonalInitialState}).
 * Forecast ℓ_n + h·b_n + s_{n+h−m(k+1)} with variance
 * σ²[1 + (h−1)(α² + αβh + β²h(2h−1)/6) + γk(2α + γ + βm(k+1))], k = ⌊(h−1)/m⌋
 * (FPP3 Table 8.8), σ² = SSE/max(n − k, 1) with k the AIC's parameter count, and a
 * normal-quantile interval (collapsed onto the forecast when σ = 0).
 * AIC counts k = m + 4 (α, β, γ, ℓ₀, b₀ and m − 1 free seasonal states), 3 fewer when α, β, γ are given.
 *
 * @param seasonLength m, the number of steps per season, an integer ≥ 2
 * @param params fixed smoothing parameters; fitted when omitted
 * @throws InsufficientDataError with fewer than 2m + 2 points
 * @throws RangeError on a bad horizon, confidence, season length or parameter, or a non-finite value
 * @example holtWinters(weeklyDailyCounts, 14, 0.95, 7).forecast // two weeks ahead
 * @complexity O(n + m + horizon), times the several hundred to ~1 500 objective evaluations of a fit
 */
export function holtWinters(
  y: readonly number[],
  horizon: number,
  confidence: number,
  seasonLength: number,
  params?: HoltWintersParams,
): ForecastFit {
  checkHorizon(horizon);
  checkConfidence(confidence);
  if (!Number.isInteger(seasonLength) || seasonLength < 2)
    throw new RangeError(`seasonLength must be an integer ≥ 2 (got ${seasonLength})`);
  const m = seasonLength;
  checkSeries(y, 'HOLT_WINTERS', holtWintersMinimum(m), ` with seasonLength ${m}`);
  if (params) {
    checkParam('alpha', params.alpha, 0, 1);
    checkParam('beta', params.beta, 0, params.alpha);
    checkParam('gamma', params.gamma, 0, 1 - params.alpha);
  }
  const fittedParams = params ?? fitHoltWinters(y, m);
  const { alpha, beta, gamma } = fittedParams;
  const init = seasonalInitialState(y, m);
  const states = holtWintersFilter(y, fittedParams, init);
  const n = y.length;
  return smoothingFit(
    {
      method: 'HOLT_WINTERS',
      seasonLength: m,
      model: `Holt-Winters (${m})`,
      fitted: states.fitted,
      sse: states.sse,
      k: params ? m + 1 : m + 4,
    },
    horizon,
    confidence,
    (h) => ({
      value: states.level + h * states.trend + states.season[(n - 1 + h) % m]!,
      varianceFactor: holtWintersVarianceFactor(h, alpha, beta, gamma, m),
    }),
    (sigma) => ({ alpha, beta, gamma, level0: init.level0, trend0: init.trend0, sigma }),
  );
}
