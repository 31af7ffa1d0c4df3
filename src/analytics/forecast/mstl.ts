/**
 * Several seasons at once (e.g. 24 and 168 for hourly data): the seasons are
 * removed by an MSTL-style decomposition and the seasonally adjusted rest is
 * forecast by exponential smoothing, each season by repeating its last cycle.
 */
import { aicOf, checkSeries, withIntervals, type ForecastFit } from './common.ts';
import { normalQuantile } from '../distributions.ts';
import {
  etsFilter,
  etsForecast,
  etsInitialState,
  etsParamCount,
  etsPoints,
  etsVarianceFactors,
  type EtsParams,
  type EtsSpec,
  type EtsTrend,
} from './ets.ts';
import { centredMovingAverage } from './seasonal-init.ts';

/** Decomposition passes over all seasons: the second removes what each season leaked into the others' trends. */
const PASSES = 2;
/**
 * Cycles on each side a season's per-phase mean reaches, the i-th shortest
 * season 3 + 2i: windows of 7, 11, … cycles, growing with the period as R's
 * mstl's s.window = 7 + 4i does (its loess weights taper, these are flat).
 */
const halfWindow = (i: number): number => 3 + 2 * i;

/** Two whole cycles of the longest season, plus two points. */
export const mstlMinimum = (periods: readonly number[]): number => 2 * Math.max(...periods) + 2;

/**
 * Centred moving average of order m ((2×)m for even m) with its undefined
 * ends continued by the least-squares line through the ⌈m/2⌉ nearest defined values.
 */
function trendOf(d: readonly number[], m: number): number[] {
  const trend = centredMovingAverage(d, m);
  const half = Math.floor(m / 2);
  const first = half;
  const last = d.length - half - 1;
  const fit = (from: number, to: number): { a: number; b: number; at: number } => {
    const k = to - from + 1;
    const xBar = (k - 1) / 2;
    let yBar = 0;
    for (let i = 0; i < k; i++) yBar += trend[from + i]! / k;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < k; i++) {
      sxy += (i - xBar) * (trend[from + i]! - yBar);
      sxx += (i - xBar) ** 2;
    }
    const b = sxx > 0 ? sxy / sxx : 0;
    return { a: yBar - b * xBar, b, at: from };
  };
  const span = Math.max(1, Math.ceil(m / 2));
  const head = fit(first, Math.min(last, first + span - 1));
  const tail = fit(Math.max(first, last - span + 1), last);
  for (let t = 0; t < first; t++) trend[t] = head.a + head.b * (t - head.at);
  for (let t = last + 1; t < d.length; t++) trend[t] = tail.a + tail.b * (t - tail.at);
  return trend;
}

/**
 * Seasonal component of period m: at each t, the mean of r at t's phase over
 * the cycles within `w` of t's cycle, then centred so that each cycle's values
 * average zero (a moving mean across cycles standing in for STL's loess).
 */
function seasonOf(r: readonly number[], m: number, w: number): number[] {
  const n = r.length;
  const cycles = Math.ceil(n / m);
  const raw = new Array<number>(n).fill(0);
  for (let j = 0; j < m; j++) {
    for (let c = 0; c * m + j < n; c++) {
      let sum = 0;
      let count = 0;
      for (let k = Math.max(0, c - w); k <= Math.min(cycles - 1, c + w); k++) {
        const t = k * m + j;
        if (t < n) {
          sum += r[t]!;
          count += 1;
        }
      }
      raw[c * m + j] = sum / count;
    }
  }
  // Centre each cycle (the last one: the last m values) on its own mean.
  const out = new Array<number>(n).fill(0);
  for (let c = 0; c < cycles; c++) {
    const start = Math.max(0, Math.min(c * m, n - m));
    let mean = 0;
    for (let t = start; t < start + m; t++) mean += raw[t]! / m;
    for (let t = c * m; t < Math.min(n, (c + 1) * m); t++) out[t] = raw[t]! - mean;
  }
  return out;
}

export interface SeasonalDecomposition {
  /** One component per period, each as long as y. */
  readonly seasonals: readonly number[][];
  /** y minus every seasonal component. */
  readonly adjusted: number[];
}

/**
 * MSTL-style decomposition (Bandara, Hyndman & Bergmeir 2021): seasons from
 * the shortest period up, each estimated from the series with the others
 * removed, detrended by a centred moving average of its period, by per-phase
 * moving means across cycles; all seasons re-estimated once more.
 * @param periods ascending, each ≥ 2, y holding at least two cycles of the longest
 * @complexity O(n · Σ half-windows)
 */
function decomposeSeasons(y: readonly number[], periods: readonly number[]): SeasonalDecomposition {
  const n = y.length;
  const seasonals = periods.map(() => new Array<number>(n).fill(0));
  for (let pass = 0; pass < PASSES; pass++) {
    periods.forEach((m, i) => {
      const d = y.map((v, t) => v - seasonals.reduce((a, s, k) => (k === i ? a : a + s[t]!), 0));
      const trend = trendOf(d, m);
      seasonals[i] = seasonOf(
        d.map((v, t) => v - trend[t]!),
        m,
        halfWindow(i),
      );
    });
  }
  const adjusted = y.map((v, t) => v - seasonals.reduce((a, s) => a + s[t]!, 0));
  return { seasonals, adjusted };
}

/** Each season's last cycle repeated `horizon` steps past `count` points, summed over the seasons. */
function seasonalPoints(
  d: SeasonalDecomposition,
  periods: readonly number[],
  count: number,
  horizon: number,
): number[] {
  return Array.from({ length: horizon }, (_, i) =>
    periods.reduce((a, m, k) => {
      const t = count - 1 + (i + 1);
      return a + d.seasonals[k]![t - m * Math.ceil((t - count + 1) / m)]!;
    }, 0),
  );
}

/** The trends tried on the seasonally adjusted series; AIC picks one, as forecast::stlf lets ets do. */
const TRENDS: readonly EtsTrend[] = ['N', 'A', 'Ad'];

export interface MstlModel {
  readonly spec: EtsSpec;
  readonly params: EtsParams;
}

/**
 * Fits the model: decomposition, then ETS(A, N|A|Ad, N) of the adjusted series
 * with the lowest AIC.
 */
export function fitMstl(
  y: readonly number[],
  periods: readonly number[],
): MstlModel & { readonly fit: ForecastFit; readonly decomposition: SeasonalDecomposition } {
  const decomposition = decomposeSeasons(y, periods);
  let best: { spec: EtsSpec; fit: ForecastFit } | null = null;
  for (const trend of TRENDS) {
    const spec: EtsSpec = { trend, season: null };
    const fit = etsForecast(decomposition.adjusted, spec, 1, 0.95);
    if (!best || fit.aic < best.fit.aic) best = { spec, fit };
  }
  const { alpha = 0, beta = 0, gamma = 0, phi = 1 } = best!.fit.params;
  return { spec: best!.spec, params: { alpha, beta, gamma, phi }, fit: best!.fit, decomposition };
}

/** Point forecasts from the first `count` points with the model's parameters held fixed (for cross-validation). */
export function mstlPointsFrom(
  y: readonly number[],
  periods: readonly number[],
  model: MstlModel,
  count: number,
  horizon: number,
): number[] {
  const prefix = y.slice(0, count);
  const d = decomposeSeasons(prefix, periods);
  const { state } = etsFilter(d.adjusted, model.params, etsInitialState(d.adjusted, model.spec));
  const rest = etsPoints(state, count, model.params.phi, horizon);
  const seasonal = seasonalPoints(d, periods, count, horizon);
  return rest.map((v, i) => v + seasonal[i]!);
}

/**
 * MSTL forecast: the adjusted series' ETS forecast and intervals (the seasons
 * taken as known) plus each season's last cycle.
 * @throws InsufficientDataError below two cycles of the longest season plus two
 * @complexity O(n · periods) for the decomposition, plus three ETS fits
 */
export function mstlForecast(
  y: readonly number[],
  periods: readonly number[],
  horizon: number,
  confidence: number,
): ForecastFit {
  const sorted = [...periods].sort((a, b) => a - b);
  checkSeries(y, 'MSTL', mstlMinimum(sorted), ` with seasons ${sorted.join(' and ')}`);
  const model = fitMstl(y, sorted);
  const { decomposition: d, params, spec } = model;
  const n = y.length;
  const init = etsInitialState(d.adjusted, spec);
  const fittedAdjusted: number[] = [];
  const { state } = etsFilter(d.adjusted, params, init, n, fittedAdjusted);
  const seasonalNow = (t: number): number => d.seasonals.reduce((a, s) => a + s[t]!, 0);
  const fitted = fittedAdjusted.map((v, t) => v + seasonalNow(t));
  let sse = 0;
  for (let t = 0; t < n; t++) sse += (y[t]! - fitted[t]!) ** 2;
  const seasonal = seasonalPoints(d, sorted, n, horizon);
  const values = etsPoints(state, n, params.phi, horizon).map((v, i) => v + seasonal[i]!);
  const sigma = model.fit.params['sigma'] ?? 0;
  const factors = etsVarianceFactors(params, null, horizon);
  const q = normalQuantile((1 + confidence) / 2);
  const trendName =
    spec.trend === 'N' ? 'simple exponential smoothing' : spec.trend === 'A' ? 'Holt' : 'damped Holt';
  return {
    method: 'MSTL',
    seasonLength: sorted.at(-1)!,
    model: `MSTL (${sorted.join(', ')}) + ${trendName}`,
    seasonLengths: sorted,
    candidates: [],
    fitted,
    forecast: withIntervals(
      values,
      factors.map((f) => sigma * Math.sqrt(f)),
      q,
    ),
    rmse: Math.sqrt(sse / n),
    aic: aicOf(sse, n, etsParamCount(spec) + sorted.reduce((a, m) => a + m - 1, 0)),
    params: { ...params, sigma },
  };
}
