/**
 * The result type every forecasting method returns, and the small helpers
 * they share: argument checks, the least-squares line, AIC and intervals.
 */
import { normalQuantile } from '../distributions.ts';
import { InsufficientDataError } from './errors.ts';

/**
 * Method families: HOLT covers exponential smoothing without a season (none,
 * linear or damped trend), HOLT_WINTERS with one; MSTL several seasons removed
 * by decomposition, then exponential smoothing of the rest; COMBINATION the
 * mean of two of them (AUTO only).
 */
export type FitMethod = 'LINEAR' | 'HOLT' | 'HOLT_WINTERS' | 'SEASONAL_NAIVE' | 'MSTL' | 'COMBINATION';

/** One model AUTO considered, with its rolling-origin error. */
export interface CandidateScore {
  readonly name: string;
  /** Root-mean-square error of its forecasts from the rolling origins; null when it could not be evaluated. */
  readonly cvRmse: number | null;
  /** Why it was passed over (when it was), e.g. its forecast left the data's range. */
  readonly rejected: string | null;
}

/** One forecast step: the point forecast and its prediction interval. */
export interface ForecastPoint {
  readonly value: number;
  readonly lower: number;
  readonly upper: number;
}

export interface ForecastFit {
  readonly method: FitMethod;
  /** Buckets per season for HOLT_WINTERS and SEASONAL_NAIVE, the longest for MSTL; null otherwise. */
  readonly seasonLength: number | null;
  /** The exact model, e.g. "damped Holt-Winters (168)". */
  readonly model: string;
  /** Every season the model holds, shortest first ([] for none). */
  readonly seasonLengths: readonly number[];
  /** For AUTO, every model considered with its out-of-sample error; [] otherwise. */
  readonly candidates: readonly CandidateScore[];
  /**
   * Fitted values aligned with the input: the one-step-ahead prediction for
   * HOLT and HOLT_WINTERS (from initial states placed just before y[0], so the
   * first few lean on the points those states were estimated from), the fitted
   * line for LINEAR. NaN would mark a point without one; none of the methods
   * here leaves any.
   */
  readonly fitted: number[];
  /** `horizon` steps past the last point. */
  readonly forecast: ForecastPoint[];
  /** Root-mean-square of y − fitted over the whole series: √(SSE / n). */
  readonly rmse: number;
  /** n·ln(SSE/n) + 2k, k = estimated parameters including initial states. */
  readonly aic: number;
  readonly params: Record<string, number>;
}

const MAX_HORIZON = 1000;

/** @throws RangeError unless horizon is an integer in 1..1000 */
export function checkHorizon(horizon: number): void {
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON) {
    throw new RangeError(`horizon must be an integer from 1 to ${MAX_HORIZON} (got ${horizon})`);
  }
}

/** @throws RangeError unless 0 < confidence < 1 */
export function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be between 0 and 1, exclusive (got ${confidence})`);
}

/**
 * @throws RangeError when a value is not finite
 * @throws InsufficientDataError when y has fewer than `minimum` points
 */
export function checkSeries(y: readonly number[], method: string, minimum: number, detail = ''): void {
  if (y.length < minimum) throw new InsufficientDataError(method, minimum, y.length, detail);
  const bad = y.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new RangeError(`series values must be finite numbers (y[${bad}] = ${y[bad]})`);
}

/** @throws RangeError unless lo ≤ value ≤ hi */
export function checkParam(name: string, value: number, lo: number, hi: number): void {
  if (!(value >= lo && value <= hi)) throw new RangeError(`${name} must be in [${lo}, ${hi}] (got ${value})`);
}

/**
 * Mean taken as y₀ + Σ(yᵢ − y₀)/n, so a constant series has exactly its value
 * as mean (and a fit of it has exactly zero residuals).
 */
function stableMean(y: readonly number[], count = y.length): number {
  const y0 = y[0]!;
  let sum = 0;
  for (let i = 0; i < count; i++) sum += y[i]! - y0;
  return y0 + sum / count;
}

export interface Line {
  readonly intercept: number;
  readonly slope: number;
}

/** Least-squares line through (i, y[i]) for i = 0..count−1, from centred sums; count ≥ 2. */
export function leastSquaresLine(y: readonly number[], count = y.length): Line {
  const xBar = (count - 1) / 2;
  const yBar = stableMean(y, count);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < count; i++) {
    sxy += (i - xBar) * (y[i]! - yBar);
    sxx += (i - xBar) ** 2;
  }
  const slope = sxy / sxx;
  return { intercept: yBar - slope * xBar, slope };
}

/**
 * Gaussian AIC up to a constant shared by all methods: n·ln(SSE/n) + 2k. SSE/n
 * is floored at the smallest positive double so a perfect fit stays finite.
 */
export function aicOf(sse: number, n: number, k: number): number {
  return n * Math.log(Math.max(sse / n, Number.MIN_VALUE)) + 2 * k;
}

/**
 * value ± q·sd per step. sd = 0 (a perfectly fitted series) collapses the
 * interval onto the point forecast.
 */
export function withIntervals(values: readonly number[], sds: readonly number[], q: number): ForecastPoint[] {
  return values.map((value, i) => {
    const half = q * sds[i]!;
    return half > 0
      ? { value, lower: value - half, upper: value + half }
      : { value, lower: value, upper: value };
  });
}

/** Location and scale used to standardise a series before optimising (scale 0 for a constant series). */
export function locationScale(y: readonly number[]): { readonly mean: number; readonly sd: number } {
  const mean = stableMean(y);
  let ss = 0;
  for (const v of y) ss += (v - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / y.length) };
}

/**
 * The series the smoothing parameters are searched on: standardised, then rounded to 2⁻³⁰.
 * The rounding removes the last-bit noise that standardising c·y instead of y leaves, so the
 * search (grid, then Nelder–Mead, which can amplify a 1e-16 difference into another local
 * minimum on a flat SSE surface) sees the same numbers for any location and unit of the data:
 * the fit is then equivariant as the model is. 2⁻³⁰ ≈ 1e-9 of a standard deviation.
 */
export function standardised(y: readonly number[], mean: number, sd: number): number[] {
  const q = 2 ** 30;
  return y.map((v) => Math.round(((v - mean) / sd) * q) / q);
}

/**
 * The fit of an exponential-smoothing model (HOLT, HOLT_WINTERS) from its
 * filtered states: σ² = SSE / (n − k) with k estimated parameters, point
 * forecasts and their analytical variance factors per step ahead, intervals
 * at `confidence`, RMSE and AIC.
 */
export function smoothingFit(
  fit: {
    readonly method: FitMethod;
    readonly seasonLength: number | null;
    readonly model: string;
    readonly fitted: number[];
    readonly sse: number;
    readonly k: number;
  },
  horizon: number,
  confidence: number,
  step: (h: number) => { readonly value: number; readonly varianceFactor: number },
  params: (sigma: number) => Record<string, number>,
): ForecastFit {
  const n = fit.fitted.length;
  const sigma2 = fit.sse / Math.max(n - fit.k, 1);
  const values: number[] = [];
  const sds: number[] = [];
  for (let h = 1; h <= horizon; h++) {
    const s = step(h);
    values.push(s.value);
    sds.push(Math.sqrt(sigma2 * s.varianceFactor));
  }
  return {
    method: fit.method,
    seasonLength: fit.seasonLength,
    model: fit.model,
    seasonLengths: fit.seasonLength === null ? [] : [fit.seasonLength],
    candidates: [],
    fitted: fit.fitted,
    forecast: withIntervals(values, sds, normalQuantile((1 + confidence) / 2)),
    rmse: Math.sqrt(fit.sse / n),
    aic: aicOf(fit.sse, n, fit.k),
    params: params(Math.sqrt(sigma2)),
  };
}
