/**
 * Whether a series has a seasonal rhythm at one of the caller's candidate
 * periods, judged by robust autocorrelation.
 */
import { median, robustSd } from './robust-stats.ts';
import { centredMedian } from './rolling.ts';
import { checkFinite, checkInteger } from './types.ts';

/** Autocorrelation at the period must reach this (the rhythm explains a material share of the variance). */
const MIN_SEASONAL_ACF = 0.3;
/** …and exceed the autocorrelation at half the period by this much (a rhythm reverses at half its period; persistence does not). */
const MIN_HALF_PERIOD_CONTRAST = 0.3;
/** A longer candidate that is a multiple of a shorter significant one must beat it by this much to be preferred. */
const MULTIPLE_MARGIN = 0.1;
/** Detrended values are clipped to median ± 4 robust SDs so a few spikes cannot fake or hide a rhythm. */
const CLIP_SDS = 4;

/**
 * Autocorrelation at `lag` as the Pearson correlation of x[0..n−lag) with
 * x[lag..n): unlike the textbook estimator (which divides by all n terms) it is
 * not shrunk by (n − lag)/n, so long and short candidate lags compare fairly.
 */
function lagCorrelation(x: readonly number[], lag: number): number {
  const m = x.length - lag;
  if (m < 2) return 0;
  let sa = 0;
  let sb = 0;
  for (let t = 0; t < m; t++) {
    sa += x[t]!;
    sb += x[t + lag]!;
  }
  const ma = sa / m;
  const mb = sb / m;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let t = 0; t < m; t++) {
    const a = x[t]! - ma;
    const b = x[t + lag]! - mb;
    sab += a * b;
    saa += a * a;
    sbb += b * b;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/**
 * Autocorrelation of y at `period` (the smaller of those at the period and at
 * twice the period, once there are three cycles) and at ⌊period/2⌋, after
 * removing a centred rolling-median trend of length `period` and clipping
 * outliers.
 * @complexity O(n·period)
 */
function seasonalAutocorrelation(
  y: readonly number[],
  period: number,
): { readonly atPeriod: number; readonly atHalf: number } {
  const trend = centredMedian(y, period);
  const detrended = y.map((v, t) => v - trend[t]!);
  const centre = median(detrended);
  const limit = CLIP_SDS * robustSd(detrended);
  const x = detrended.map((v) => Math.min(Math.max(v - centre, -limit), limit));
  const atPeriod = lagCorrelation(x, period);
  const atDouble = x.length >= 3 * period ? lagCorrelation(x, 2 * period) : atPeriod;
  return { atPeriod: Math.min(atPeriod, atDouble), atHalf: lagCorrelation(x, period >> 1) };
}

/**
 * The best significant seasonal period among `candidates`, or null.
 *
 * Procedure, for each candidate p with at least 2p points: detrend y with a
 * centred rolling median of length p, clip to median ± 4 robust SDs, and take
 * the lag correlations r(p) and r(⌊p/2⌋) (Pearson correlation of the series
 * with itself shifted by the lag); with at least 3p points, r(p) is replaced by
 * min(r(p), r(2p)), so that a rhythm must repeat twice (two level shifts that
 * happen to lie p apart correlate at p, but not also at 2p). p is significant when
 * r(p) ≥ max(0.3, 3/√n) and r(p) − r(⌊p/2⌋) ≥ 0.3: the first asks that the
 * rhythm explain a material share of the variance and clears white noise
 * (whose r has SD ≈ 1/√n); the second rejects mere persistence (AR-like or
 * random-walk series, whose autocorrelation decays with the lag, while a rhythm
 * is out of phase at half its period). Among significant candidates the highest
 * r(p) wins, except that a candidate that is a multiple of a shorter significant
 * one (168 of 24) must beat it by 0.1, since a daily rhythm also repeats weekly.
 * @throws RangeError on non-finite values or a candidate that is not an integer ≥ 2
 * @example detectPeriod(Array.from({ length: 96 }, (_, t) => Math.sin((2 * Math.PI * t) / 24)), [7, 24]) // 24
 * @complexity O(n·Σ candidates)
 */
export function detectPeriod(y: readonly number[], candidates: readonly number[]): number | null {
  checkFinite(y);
  for (const p of candidates) checkInteger('period candidate', p, 2);
  const threshold = Math.max(MIN_SEASONAL_ACF, 3 / Math.sqrt(Math.max(y.length, 1)));
  const significant: { readonly period: number; readonly r: number }[] = [];
  for (const period of [...new Set(candidates)].sort((a, b) => a - b)) {
    if (y.length < 2 * period) continue;
    const { atPeriod, atHalf } = seasonalAutocorrelation(y, period);
    if (atPeriod >= threshold && atPeriod - atHalf >= MIN_HALF_PERIOD_CONTRAST)
      significant.push({ period, r: atPeriod });
  }
  let best: { readonly period: number; readonly r: number } | null = null;
  for (const c of significant) {
    if (best === null) best = c;
    else if (c.period % best.period === 0 ? c.r >= best.r + MULTIPLE_MARGIN : c.r > best.r) best = c;
  }
  return best === null ? null : best.period;
}
