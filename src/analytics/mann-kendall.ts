/**
 * Non-parametric trend statistics: the Mann-Kendall test and Sen's slope.
 * Pure functions, numbers in, numbers out.
 */
import { twoSidedNormalPValue } from './distributions.ts';
import { mulberry32 } from './random.ts';
import type { MannKendall } from '../domain/trends.ts';

function assertFinite(name: string, v: readonly number[]): void {
  v.forEach((e, i) => {
    if (!Number.isFinite(e)) throw new RangeError(`${name} needs finite numbers (element ${i} is ${e})`);
  });
}

/**
 * Number of pairs i < j with v[i] > v[j] (strict inversions), by merge sort
 * (Knight 1966, "A computer method for calculating Kendall's tau").
 */
function countInversions(v: readonly number[]): number {
  let a = Float64Array.from(v);
  let b = new Float64Array(a.length);
  let inversions = 0;
  for (let width = 1; width < a.length; width *= 2) {
    for (let lo = 0; lo < a.length; lo += 2 * width) {
      const mid = Math.min(lo + width, a.length);
      const hi = Math.min(lo + 2 * width, a.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        // Ties go left first, so only strictly greater left elements count.
        if (a[i]! <= a[j]!) b[k++] = a[i++]!;
        else {
          inversions += mid - i;
          b[k++] = a[j++]!;
        }
      }
      while (i < mid) b[k++] = a[i++]!;
      while (j < hi) b[k++] = a[j++]!;
    }
    [a, b] = [b, a];
  }
  return inversions;
}

/** Sizes of the groups of equal values (only groups of 2 or more). */
function tieGroups(v: readonly number[]): number[] {
  const sorted = Float64Array.from(v).sort();
  const groups: number[] = [];
  let run = 1;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) run++;
    else {
      if (run > 1) groups.push(run);
      run = 1;
    }
  }
  return groups;
}

/**
 * Mann-Kendall trend test (Mann 1945; Kendall 1975; as in Gilbert 1987,
 * "Statistical Methods for Environmental Pollution Monitoring", §16.4) on a
 * series in time order:
 * S = Σ_{i<j} sign(y_j − y_i),
 * Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)]/18 over groups of t tied values,
 * z = (S − sign(S))/√Var(S) (continuity correction), p = 2·(1 − Φ(|z|)).
 *
 * `tau` is Kendall's tau-b against time, S/√(n₀(n₀ − n₁)) with
 * n₀ = n(n−1)/2 and n₁ = Σ t(t−1)/2 — the tie-adjusted tau that
 * scipy.stats.kendalltau returns by default (time itself has no ties).
 *
 * Degenerate case: a constant series has S = 0, Var(S) = 0, z = 0, p = 1 and
 * tau NaN (0/0; callers map NaN to null).
 *
 * @param y observations in time order (equally spaced or not; only the order matters)
 * @throws RangeError when n < 3 or a value is not finite
 * @example
 * mannKendall([1, 2, 3, 4, 5]) // { s: 10, varS: 16.67, z: 2.2045…, tau: 1, pValue: 0.0275… }
 * @complexity O(n log n) time (merge-sort inversion count), O(n) memory
 */
export function mannKendall(y: readonly number[]): MannKendall {
  const n = y.length;
  if (n < 3) throw new RangeError(`mannKendall needs at least 3 observations (got ${n})`);
  assertFinite('mannKendall', y);
  const pairs = (n * (n - 1)) / 2;
  const ties = tieGroups(y);
  const tiedPairs = ties.reduce((acc, t) => acc + (t * (t - 1)) / 2, 0);
  // Pairs are concordant, discordant (an inversion) or tied: S = n₀ − n₁ − 2·discordant.
  const s = pairs - tiedPairs - 2 * countInversions(y);
  const varS = (n * (n - 1) * (2 * n + 5) - ties.reduce((acc, t) => acc + t * (t - 1) * (2 * t + 5), 0)) / 18;
  const z = varS > 0 && s !== 0 ? (s - Math.sign(s)) / Math.sqrt(varS) : 0;
  const tau = s / Math.sqrt(pairs * (pairs - tiedPairs));
  return { s, varS, z, tau, pValue: twoSidedNormalPValue(z) };
}

/** Above this many points, senSlope samples pairs instead of using all n(n−1)/2. */
export const SEN_EXACT_MAX_POINTS = 2000;
/** Number of pairs senSlope samples above SEN_EXACT_MAX_POINTS. */
const SEN_SAMPLED_PAIRS = 2_000_000;

function pairSlope(x: readonly number[], y: readonly number[], i: number, j: number): number {
  const s = (y[j]! - y[i]!) / (x[j]! - x[i]!);
  // Both differences overflowed (values near ±1.8e308): halve first, exactly the same slope.
  return Number.isNaN(s) ? (y[j]! / 2 - y[i]! / 2) / (x[j]! / 2 - x[i]! / 2) : s;
}

function median(values: Float64Array): number {
  values.sort();
  const m = values.length >> 1;
  return values.length % 2 === 1 ? values[m]! : (values[m - 1]! + values[m]!) / 2;
}

/**
 * Theil–Sen slope (Sen 1968; Gilbert 1987 §16.5): the median of the pairwise
 * slopes (y_j − y_i)/(x_j − x_i) over i < j with x_j ≠ x_i (pairs with equal
 * x are skipped); an even count takes the mean of the middle two.
 *
 * Exact for n ≤ SEN_EXACT_MAX_POINTS (2000). Above that, to bound time and
 * memory, it is the median of SEN_SAMPLED_PAIRS (2,000,000) pairs drawn
 * uniformly with replacement by a fixed-seed generator: deterministic, and
 * its rank among all pairwise slopes is 0.5 ± 0.00035 (one standard error of
 * a sample median), far inside the estimator's own uncertainty.
 *
 * @param x times (or any predictor), not all equal
 * @param y observations, same length as x
 * @throws RangeError when the lengths differ, a value is not finite, or no pair has x_i ≠ x_j
 * @example
 * senSlope([1, 2, 3, 4, 5], [2, 4, 3, 7, 6]) // 1.25
 * @complexity O(n² log n) time and O(n²) memory for n ≤ 2000 (≤ 2e6 slopes, 16 MB);
 *   O(M log M) with M = 2e6 above
 */
export function senSlope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (y.length !== n)
    throw new RangeError(`senSlope needs x and y of equal length (got ${n} and ${y.length})`);
  assertFinite('senSlope', x);
  assertFinite('senSlope', y);
  if (n < 2 || x.every((e) => e === x[0]))
    throw new RangeError('senSlope needs at least two points with different x');

  if (n <= SEN_EXACT_MAX_POINTS) {
    const slopes = new Float64Array((n * (n - 1)) / 2);
    let k = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) if (x[j] !== x[i]) slopes[k++] = pairSlope(x, y, i, j);
    }
    return median(slopes.subarray(0, k));
  }

  const random = mulberry32(0x5e45);
  const slopes = new Float64Array(SEN_SAMPLED_PAIRS);
  let k = 0;
  // Rejection of equal-x pairs; bounded, and at least one distinct pair exists.
  for (let tries = 0; k < SEN_SAMPLED_PAIRS && tries < 50 * SEN_SAMPLED_PAIRS; tries++) {
    const i = Math.floor(random() * n);
    const j = Math.floor(random() * n);
    if (x[i] !== x[j]) slopes[k++] = i < j ? pairSlope(x, y, i, j) : pairSlope(x, y, j, i);
  }
  if (k === 0) throw new RangeError('senSlope: almost all x are equal; too few distinct pairs to sample');
  return median(slopes.subarray(0, k));
}
