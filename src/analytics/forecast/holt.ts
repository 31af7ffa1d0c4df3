import {
  checkConfidence,
  checkHorizon,
  checkParam,
  checkSeries,
  smoothingFit,
  leastSquaresLine,
  locationScale,
  standardised,
  type ForecastFit,
} from './common.ts';
import { minimizeInBox } from './optimize.ts';
import { holtVarianceFactor } from './variance.ts';

/** HOLT needs 4 points: two initial states and two smoothing parameters. */
const HOLT_MINIMUM = 4;
/**
 * Points the initial level and trend are regressed on. Hyndman et al. (2008,
 * §2.6.1) use 10; fewer leak less of the series into the initial state (whose
 * one-step errors are counted), which otherwise biases β down and the intervals
 * in: on simulated ETS(A,A,N) series 4 gave the best-calibrated intervals.
 */
const HOLT_INIT_POINTS = 4;
/** Smoothing parameters stay inside [ε, 1 − ε] when fitted. */
export const SMOOTHING_EPSILON = 1e-4;

/** Smoothing parameters of ETS(A,A,N) in state-space form: 0 ≤ β ≤ α ≤ 1 (β = α·β* of the component form). */
export interface HoltParams {
  readonly alpha: number;
  readonly beta: number;
}

export interface HoltStates {
  /** ŷ_t = ℓ_{t−1} + b_{t−1}, the one-step-ahead prediction of y[t]. */
  readonly fitted: number[];
  /** ℓ_t and b_t after observing y[t]. */
  readonly level: number[];
  readonly trend: number[];
  readonly sse: number;
}

/**
 * Initial state (ℓ₋₁, b₋₁) just before y[0]: the least-squares line a + b·t
 * through the first 4 points ({@link HOLT_INIT_POINTS}) gives b₋₁ = b and
 * ℓ₋₁ = a − b, so the first prediction ℓ₋₁ + b₋₁ is the line's value a at t = 0
 * (the heuristic of Hyndman et al. 2008, "Forecasting with Exponential
 * Smoothing", §2.6.1, on fewer points).
 */
export function holtInitialState(y: readonly number[]): { readonly level0: number; readonly trend0: number } {
  const { intercept, slope } = leastSquaresLine(y, Math.min(y.length, HOLT_INIT_POINTS));
  return { level0: intercept - slope, trend0: slope };
}

/**
 * The ETS(A,A,N) recursion (FPP3 §8.2, error-correction form):
 * e_t = y_t − (ℓ_{t−1} + b_{t−1}); ℓ_t = ℓ_{t−1} + b_{t−1} + αe_t; b_t = b_{t−1} + βe_t.
 * @complexity O(n)
 */
export function holtFilter(
  y: readonly number[],
  alpha: number,
  beta: number,
  level0: number,
  trend0: number,
): HoltStates {
  const fitted: number[] = [];
  const level: number[] = [];
  const trend: number[] = [];
  let l = level0;
  let b = trend0;
  let sse = 0;
  for (const v of y) {
    const prediction = l + b;
    const e = v - prediction;
    sse += e * e;
    fitted.push(prediction);
    l = prediction + alpha * e;
    b += beta * e;
    level.push(l);
    trend.push(b);
  }
  return { fitted, level, trend, sse };
}

function holtSse(z: readonly number[], alpha: number, beta: number, level0: number, trend0: number): number {
  let l = level0;
  let b = trend0;
  let sse = 0;
  for (const v of z) {
    const e = v - l - b;
    sse += e * e;
    l += b + alpha * e;
    b += beta * e;
  }
  return sse;
}

/**
 * α and β minimising the one-step SSE over 0 < β ≤ α < 1, searched as
 * (α, β/α) in a box: grid, then Nelder–Mead. The series is standardised first
 * so the search does not depend on the data's location and units.
 */
export function fitHolt(y: readonly number[]): HoltParams {
  const { mean, sd } = locationScale(y);
  if (sd === 0) return { alpha: 0.5, beta: 0.05 }; // a constant series fits exactly for any α, β
  const z = standardised(y, mean, sd);
  const { level0, trend0 } = holtInitialState(z);
  const { x } = minimizeInBox(([a, r]) => holtSse(z, a!, a! * r!, level0, trend0), {
    lower: [SMOOTHING_EPSILON, SMOOTHING_EPSILON],
    upper: [1 - SMOOTHING_EPSILON, 1],
    grid: [
      [0.05, 0.2, 0.4, 0.6, 0.8, 0.95],
      [0.02, 0.1, 0.3, 0.6, 0.9],
    ],
  });
  return { alpha: x[0]!, beta: x[0]! * x[1]! };
}

/**
 * Holt's linear trend method as the ETS(A,A,N) model (Hyndman & Athanasopoulos,
 * "Forecasting: Principles and Practice", 3rd ed., §8.2 and §8.7).
 * α, β are fitted by minimising the one-step squared error unless given;
 * the initial state is the heuristic of {@link holtInitialState}.
 * Forecast ℓ_n + h·b_n with variance σ²[1 + (h−1)(α² + αβh + β²h(2h−1)/6)]
 * (FPP3 Table 8.8), σ² = SSE/max(n − k, 1) with k the AIC's parameter count, and a
 * normal-quantile interval. A perfect fit (e.g. a constant series) has σ = 0
 * and intervals collapsed onto the forecast. AIC counts k = 4 (α, β, ℓ₀, b₀), or 2 when α, β are given.
 *
 * @param params fixed smoothing parameters, 0 ≤ β ≤ α ≤ 1; fitted when omitted
 * @throws InsufficientDataError with fewer than 4 points
 * @throws RangeError on a bad horizon, confidence or parameter, or a non-finite value
 * @example holt([1, 3, 2, 5, 4], 2, 0.95, { alpha: 0.5, beta: 0.25 }).forecast[0]!.value // 5.52001953125
 * @complexity O(n + horizon), times the several hundred objective evaluations of a fit
 */
export function holt(
  y: readonly number[],
  horizon: number,
  confidence: number,
  params?: HoltParams,
): ForecastFit {
  checkHorizon(horizon);
  checkConfidence(confidence);
  checkSeries(y, 'HOLT', HOLT_MINIMUM);
  if (params) {
    checkParam('alpha', params.alpha, 0, 1);
    checkParam('beta', params.beta, 0, params.alpha);
  }
  const { alpha, beta } = params ?? fitHolt(y);
  const { level0, trend0 } = holtInitialState(y);
  const states = holtFilter(y, alpha, beta, level0, trend0);
  const n = y.length;
  const l = states.level[n - 1]!;
  const b = states.trend[n - 1]!;
  return smoothingFit(
    {
      method: 'HOLT',
      seasonLength: null,
      model: 'Holt',
      fitted: states.fitted,
      sse: states.sse,
      k: params ? 2 : 4,
    },
    horizon,
    confidence,
    (h) => ({ value: l + h * b, varianceFactor: holtVarianceFactor(h, alpha, beta) }),
    (sigma) => ({ alpha, beta, level0, trend0, sigma }),
  );
}
