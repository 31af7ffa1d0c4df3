import { normalQuantile } from '../distributions.ts';
import { leastSquaresLine } from './common.ts';

/** Shorter series are not searched for a season: two cycles of even the shortest season leave no margin. */
const SEASON_DETECTION_MINIMUM = 8;
/** How many standard errors (1/√n) below the winner a shorter period's multiples may correlate and still replace it. */
const TOLERANCE_SE = 1.5;
/** Family-wise false-alarm rate of the peak test (one-sided, Bonferroni over the lags examined). */
const SIGNIFICANCE = 0.05;

/**
 * Sample autocorrelation r_k = Σ_{t<n−k} (x_t − x̄)(x_{t+k} − x̄) / Σ_t (x_t − x̄)²
 * for k = 0..maxLag (Box & Jenkins' estimator; r_k = 0 for a constant series).
 * @complexity O(n · maxLag)
 */
export function autocorrelation(x: readonly number[], maxLag: number): number[] {
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const d = x.map((v) => v - mean);
  const c0 = d.reduce((a, v) => a + v * v, 0);
  const r: number[] = [];
  for (let k = 0; k <= maxLag; k++) {
    let c = 0;
    for (let t = 0; t + k < n; t++) c += d[t]! * d[t + k]!;
    r.push(c0 > 0 ? c / c0 : 0);
  }
  return r;
}

/**
 * Season length suggested by the autocorrelation of the series after removing
 * its least-squares line:
 * 1. a lag k (2 ≤ k ≤ n/2, so at least two cycles are seen) is a *peak* when
 *    r_k is a local maximum (r_{k−1} < r_k ≥ r_{k+1}), lies above the white-noise
 *    band z/√n (Box & Jenkins) and rises above the lowest r_j, j < k, by more
 *    than that band (so the slow decay of a trend or a random walk is no peak);
 *    z = Φ⁻¹(1 − 0.05/L) for L lags examined — Bonferroni, so white noise is
 *    called seasonal in ≲ 5 % of series rather than in most;
 * 2. the highest peak wins, nudged (by at most 2 lags) to the lag whose
 *    multiples correlate best, as noise moves the top of a broad peak about;
 * 3. the shortest p ≈ k/j (j ≥ 2, ±1 lag) that rises above the band like a
 *    peak replaces the winner k when r̃ at each of p, 2p, …, (j−1)p is at least
 *    r̃_k − 1.5/√n, with r̃_k = r_k·n/(n−k) undoing the estimator's shrinking of
 *    long lags: a period-24 rhythm also peaks at 48, 72, … and those multiples
 *    explain nothing new, while a period-12 pattern that merely echoes at lag 4
 *    falls short at lag 8;
 * 4. `candidates` (e.g. [24, 168] for hourly buckets, [7] for daily) are tried
 *    first, with L = their count, without step 2 and with step 3 choosing only
 *    among candidates; the search over every lag runs only when none of them is a peak.
 * With both a daily and a weekly rhythm in hourly data, lag 168 carries both,
 * so its corrected r is clearly higher than r_24's and 168 is returned (one
 * season then models each weekday's own daily shape); with only a daily rhythm, 24 is.
 *
 * @param y equally spaced observations, oldest first
 * @param candidates season lengths to prefer; those outside 2..n/2 are ignored
 * @returns the season length, or null when no significant season is found or
 *   y has fewer than 8 points
 * @example detectSeasonLength(hourlyCounts, [24, 168]) // 24 or 168
 * @complexity O(n²) (the autocorrelation up to lag n/2)
 */
export function detectSeasonLength(y: readonly number[], candidates?: readonly number[]): number | null {
  const n = y.length;
  if (n < SEASON_DETECTION_MINIMUM || y.some((v) => !Number.isFinite(v))) return null;
  const maxLag = Math.floor(n / 2);
  const { intercept, slope } = leastSquaresLine(y);
  const r = autocorrelation(
    y.map((v, t) => v - intercept - slope * t),
    Math.min(maxLag + 1, n - 1),
  );
  const at = (k: number): number => r[k] ?? Number.NEGATIVE_INFINITY;
  const corrected = (k: number): number => (at(k) * n) / (n - k);
  const lowestBefore = [Number.POSITIVE_INFINITY];
  for (let k = 1; k <= maxLag; k++) lowestBefore.push(Math.min(lowestBefore[k - 1]!, at(k)));

  const bandFor = (lags: number): number => normalQuantile(1 - SIGNIFICANCE / lags) / Math.sqrt(n);
  const isPeak = (k: number, band: number): boolean =>
    at(k) > band && at(k) > at(k - 1) && at(k) >= at(k + 1) && at(k) - lowestBefore[k - 1]! > band;
  const multiplesScore = (k: number): number => {
    let sum = 0;
    for (let j = k; j <= maxLag; j += k) sum += corrected(j);
    return sum / Math.floor(maxLag / k);
  };
  /** r̃ near lag k (best of k − 1..k + 1), as multiples of a real period drift by a lag now and then. */
  const near = (k: number): number =>
    Math.max(corrected(k), k > 2 ? corrected(k - 1) : -1, k < maxLag ? corrected(k + 1) : -1);
  /**
   * The shortest p ≈ top/j (±1, by its multiples) from `allowed` that rises like a
   * peak and whose multiples below top all correlate about as well as top does.
   */
  const fundamental = (top: number, band: number, allowed: (k: number) => boolean): number => {
    const tolerance = TOLERANCE_SE / Math.sqrt(n);
    for (let j = Math.floor(top / 2); j >= 2; j--) {
      const p0 = Math.round(top / j);
      const p = [p0 - 1, p0 + 1].reduce(
        (a, b) => (b >= 2 && multiplesScore(b) > multiplesScore(a) ? b : a),
        p0,
      );
      if (!allowed(p) || !(at(p) > band && at(p) - lowestBefore[p - 1]! > band)) continue;
      let consistent = true;
      for (let i = 1; i < j && consistent; i++)
        consistent = near(Math.round((i * top) / j)) >= corrected(top) - tolerance;
      if (consistent) return p;
    }
    return top;
  };
  const choose = (lags: readonly number[], nudge: boolean): number | null => {
    const band = bandFor(lags.length);
    const found = lags.filter((k) => isPeak(k, band));
    if (found.length === 0) return null;
    let best = found.reduce((a, b) => (at(b) > at(a) ? b : a));
    if (nudge) {
      const from = best;
      for (let k = Math.max(2, from - 2); k <= Math.min(maxLag, from + 2); k++)
        if (multiplesScore(k) > multiplesScore(best)) best = k;
    }
    return fundamental(best, band, nudge ? () => true : (k) => lags.includes(k));
  };

  const preferred = [...new Set(candidates ?? [])].filter(
    (k) => Number.isInteger(k) && k >= 2 && k <= maxLag,
  );
  if (preferred.length > 0) {
    const found = choose(preferred, false);
    if (found !== null) return found;
  }
  return choose(
    Array.from({ length: maxLag - 1 }, (_, i) => i + 2),
    true,
  );
}
