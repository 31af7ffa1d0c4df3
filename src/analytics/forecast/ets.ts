/**
 * The additive exponential-smoothing family ETS(A, N|A|Ad, N|A) in one
 * recursion, for AUTO's candidates: simple exponential smoothing, Holt,
 * Gardner & McKenzie's damped Holt, and each with an additive season.
 */
import {
  checkSeries,
  smoothingFit,
  leastSquaresLine,
  locationScale,
  standardised,
  type FitMethod,
  type ForecastFit,
} from './common.ts';
import { holtInitialState, SMOOTHING_EPSILON } from './holt.ts';
import { minimizeInBox } from './optimize.ts';
import { seasonalInitialState } from './seasonal-init.ts';

/** N: no trend; A: additive trend; Ad: additive trend damped by φ. */
export type EtsTrend = 'N' | 'A' | 'Ad';

export interface EtsSpec {
  readonly trend: EtsTrend;
  /** Steps per season, or null for no season. */
  readonly season: number | null;
}

/** State-space smoothing parameters; β = 0 without a trend, γ = 0 without a season, φ = 1 unless damped. */
export interface EtsParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly phi: number;
}

/** Bounds of φ when fitted, as R's forecast::ets (Hyndman et al. 2008, §2.3). */
export const PHI_MIN = 0.8;
export const PHI_MAX = 0.98;

export interface EtsState {
  readonly level: number;
  readonly trend: number;
  /** season[j] predicts the next y_t with t ≡ j (mod m); [] without a season. */
  readonly season: readonly number[];
}

/** Points the model needs: its initial states plus two. */
export function etsMinimum(spec: EtsSpec): number {
  return spec.season === null ? 4 : 2 * spec.season + 2;
}

/** Count of estimated parameters and initial states, for σ² and AIC. */
export function etsParamCount(spec: EtsSpec): number {
  const trend = spec.trend === 'N' ? 0 : spec.trend === 'A' ? 2 : 3;
  return 2 + trend + (spec.season === null ? 0 : spec.season);
}

/** Most seasons the initial states of the damped and trend-free seasonal models are estimated from. */
const MAX_INIT_SEASONS = 4;

/**
 * Seasons the initial states are estimated from: two for Holt-Winters (as R's
 * stats::HoltWinters, which it is checked against); for the damped and
 * trend-free variants as many as the series holds, leaving one season after
 * them, up to four (Hyndman et al. 2008, §2.6.1, use the first few years):
 * two seasons alone leave each seasonal index resting on two noisy values.
 */
function initSeasons(n: number, spec: EtsSpec): number {
  if (spec.season === null || spec.trend === 'A') return 2;
  return Math.max(2, Math.min(MAX_INIT_SEASONS, Math.floor(n / spec.season) - 1));
}

/**
 * Initial states just before y[0]: for a season, the classical decomposition of
 * the first seasons ({@link initSeasons}, see seasonalInitialState); otherwise
 * the line through the first points (holtInitialState). Without a trend the
 * level starts at the line's value at t = 0.
 */
export function etsInitialState(y: readonly number[], spec: EtsSpec): EtsState {
  if (spec.season !== null) {
    const s = seasonalInitialState(y, spec.season, initSeasons(y.length, spec));
    return spec.trend === 'N'
      ? { level: s.level0 + s.trend0, trend: 0, season: s.season0 }
      : { level: s.level0, trend: s.trend0, season: s.season0 };
  }
  if (spec.trend === 'N')
    return { level: leastSquaresLine(y, Math.min(y.length, 4)).intercept, trend: 0, season: [] };
  const { level0, trend0 } = holtInitialState(y);
  return { level: level0, trend: trend0, season: [] };
}

/**
 * The additive damped-trend seasonal recursion (Gardner & McKenzie 1985;
 * Hyndman & Athanasopoulos, FPP3 §8.2–8.3, error-correction form):
 * ŷ_t = ℓ + φb + s_{t−m}; e_t = y_t − ŷ_t; ℓ ← ℓ + φb + αe; b ← φb + βe; s_t = s_{t−m} + γe.
 * With φ = 1 it is Holt-Winters, with β = b = 0 it has no trend.
 * @complexity O(n)
 */
export function etsFilter(
  y: readonly number[],
  params: EtsParams,
  init: EtsState,
  count = y.length,
  fitted?: number[],
): { readonly sse: number; readonly state: EtsState } {
  const { alpha, beta, gamma, phi } = params;
  const season = [...init.season];
  const m = season.length;
  let l = init.level;
  let b = init.trend;
  let sse = 0;
  for (let t = 0; t < count; t++) {
    const j = m > 0 ? t % m : 0;
    const s = m > 0 ? season[j]! : 0;
    const damped = phi * b;
    const e = y[t]! - (l + damped + s);
    sse += e * e;
    fitted?.push(l + damped + s);
    l += damped + alpha * e;
    b = damped + beta * e;
    if (m > 0) season[j] = s + gamma * e;
  }
  return { sse, state: { level: l, trend: b, season } };
}

/** Point forecasts h = 1..horizon from the state after `count` points: ℓ + (φ + … + φʰ)b + s. */
export function etsPoints(state: EtsState, count: number, phi: number, horizon: number): number[] {
  const m = state.season.length;
  const out: number[] = [];
  let damping = 0;
  let power = 1;
  for (let h = 1; h <= horizon; h++) {
    power *= phi;
    damping += power;
    out.push(state.level + damping * state.trend + (m > 0 ? state.season[(count - 1 + h) % m]! : 0));
  }
  return out;
}

/**
 * v_h/σ² = 1 + Σ_{j=1}^{h−1} c_j², c_j = α + β(φ + … + φʲ) + γ[j ≡ 0 mod m]
 * (Hyndman et al. 2008, Table 6.1, class 1), for h = 1..horizon.
 * @complexity O(horizon)
 */
export function etsVarianceFactors(params: EtsParams, m: number | null, horizon: number): number[] {
  const { alpha, beta, gamma, phi } = params;
  const out = [1];
  let damping = 0;
  let power = 1;
  for (let j = 1; j < horizon; j++) {
    power *= phi;
    damping += power;
    const c = alpha + beta * damping + (m !== null && j % m === 0 ? gamma : 0);
    out.push(out[j - 1]! + c * c);
  }
  return out;
}

/**
 * Parameters minimising the one-step SSE on the standardised series, searched
 * as (α, β/α, γ/(1 − α), φ) in a box (grid, then Nelder–Mead), which keeps
 * 0 < β ≤ α < 1 and 0 < γ < 1 − α (FPP3 §8.3's usual region); φ in [0.8, 0.98].
 */
export function fitEts(y: readonly number[], spec: EtsSpec): EtsParams {
  const { mean, sd } = locationScale(y);
  const fixedPhi = spec.trend === 'Ad' ? 0.9 : 1;
  if (sd === 0)
    return {
      alpha: 0.5,
      beta: spec.trend === 'N' ? 0 : 0.05,
      gamma: spec.season === null ? 0 : 0.1,
      phi: fixedPhi,
    };
  const z = standardised(y, mean, sd);
  const init = etsInitialState(z, spec);
  const hasTrend = spec.trend !== 'N';
  const hasSeason = spec.season !== null;
  const damped = spec.trend === 'Ad';
  const lower = [SMOOTHING_EPSILON];
  const upper = [1 - SMOOTHING_EPSILON];
  const grid: number[][] = [[0.05, 0.2, 0.5, 0.8]];
  if (hasTrend) {
    lower.push(SMOOTHING_EPSILON);
    upper.push(1);
    grid.push([0.02, 0.1, 0.4]);
  }
  if (hasSeason) {
    lower.push(SMOOTHING_EPSILON);
    upper.push(1 - SMOOTHING_EPSILON);
    grid.push([0.02, 0.1, 0.4, 0.8]);
  }
  if (damped) {
    lower.push(PHI_MIN);
    upper.push(PHI_MAX);
    grid.push([0.85, 0.95]);
  }
  const toParams = (u: readonly number[]): EtsParams => {
    let i = 1;
    const alpha = u[0]!;
    const beta = hasTrend ? alpha * u[i++]! : 0;
    const gamma = hasSeason ? (1 - alpha) * u[i++]! : 0;
    const phi = damped ? u[i]! : 1;
    return { alpha, beta, gamma, phi };
  };
  const { x } = minimizeInBox((u) => etsFilter(z, toParams(u), init).sse, {
    lower,
    upper,
    grid,
    maxIterations: 150 * lower.length,
  });
  return toParams(x);
}

const smoothingCount = (spec: EtsSpec): number =>
  1 + (spec.trend === 'N' ? 0 : 1) + (spec.trend === 'Ad' ? 1 : 0) + (spec.season === null ? 0 : 1);

/** A readable name, e.g. "damped Holt-Winters (168)". */
export function etsModelName(spec: EtsSpec): string {
  const base =
    spec.trend === 'N'
      ? spec.season === null
        ? 'simple exponential smoothing'
        : 'seasonal exponential smoothing'
      : `${spec.trend === 'Ad' ? 'damped ' : ''}${spec.season === null ? 'Holt' : 'Holt-Winters'}`;
  return spec.season === null ? base : `${base} (${spec.season})`;
}

/** Which method family a spec belongs to: seasonal models are Holt-Winters, the others Holt. */
const etsMethod = (spec: EtsSpec): FitMethod => (spec.season === null ? 'HOLT' : 'HOLT_WINTERS');

/**
 * An ETS(A, trend, season) forecast: parameters fitted unless given, analytic
 * intervals from {@link etsVarianceFactors} with σ² = SSE/(n − k).
 * `estimated` says whether given params were fitted to y (they then count in k).
 * @throws InsufficientDataError below {@link etsMinimum} points
 * @complexity O(n) per objective evaluation of the fit, plus O(horizon)
 */
export function etsForecast(
  y: readonly number[],
  spec: EtsSpec,
  horizon: number,
  confidence: number,
  params?: EtsParams,
  estimated = params === undefined,
): ForecastFit {
  checkSeries(
    y,
    etsMethod(spec),
    etsMinimum(spec),
    spec.season === null ? '' : ` with seasonLength ${spec.season}`,
  );
  const p = params ?? fitEts(y, spec);
  const init = etsInitialState(y, spec);
  const fitted: number[] = [];
  const { sse, state } = etsFilter(y, p, init, y.length, fitted);
  const values = etsPoints(state, y.length, p.phi, horizon);
  const factors = etsVarianceFactors(p, spec.season, horizon);
  return smoothingFit(
    {
      method: etsMethod(spec),
      seasonLength: spec.season,
      fitted,
      sse,
      model: etsModelName(spec),
      k: estimated ? etsParamCount(spec) : etsParamCount(spec) - smoothingCount(spec),
    },
    horizon,
    confidence,
    (h) => ({ value: values[h - 1]!, varianceFactor: factors[h - 1]! }),
    (sigma) => ({ ...p, level0: init.level, trend0: init.trend, sigma }),
  );
}
