/**
 * Mann–Whitney U test (Wilcoxon rank-sum test) and the Hodges–Lehmann shift
 * estimate with its distribution-free confidence interval. Pure functions.
 */
import { normalQuantile, twoSidedNormalPValue } from './distributions.ts';
import { kthPairwiseDifference } from './pairwise-differences.ts';
import { sortedCopy } from './sorted.ts';

/** The exact null distribution is used up to this many pairs m·n (covers m, n ≤ 20) and without ties. */
const EXACT_MAX_PAIRS = 400;

/** The outcome of a two-sided Mann–Whitney U test. */
export interface MannWhitneyTest {
  /** U of the candidate: #{(b, c): c > b} + ½·#{(b, c): c = b}; mn/2 under no shift. */
  readonly u: number;
  /** Two-sided p-value. */
  readonly pValue: number;
  /** True when the p-value comes from the exact null distribution, false for the normal approximation. */
  readonly exact: boolean;
}

/** A location-shift estimate (candidate − baseline) with its confidence interval. */
export interface ShiftEstimate {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * Exact null distribution of U for samples of sizes m and n without ties:
 * entry u counts the C(m + n, m) equally likely orderings with U = u. They
 * are the coefficients of the Gaussian binomial [m + n choose m]_q =
 * Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i), built one factor at a time (every
 * partial product is itself a Gaussian binomial, so all counts stay integers).
 *
 * @throws RangeError when m or n is not a non-negative integer
 * @example mannWhitneyNullCounts(2, 2) // [1, 1, 2, 1, 1]
 * @complexity O(m · m·n) time, O(m·n) space
 */
export function mannWhitneyNullCounts(m: number, n: number): number[] {
  if (!(Number.isInteger(m) && Number.isInteger(n) && m >= 0 && n >= 0))
    throw new RangeError(`mannWhitneyNullCounts needs integer sizes ≥ 0 (got ${m}, ${n})`);
  const counts = new Array<number>(m * n + 1).fill(0);
  counts[0] = 1;
  for (let i = 1; i <= m; i++) {
    const top = i * n;
    // × (1 − q^{n+i}), from the top down so each term reads the old value.
    for (let u = top; u >= n + i; u--) counts[u]! -= counts[u - n - i]!;
    // ÷ (1 − q^i): a running sum with stride i.
    for (let u = i; u <= top; u++) counts[u]! += counts[u - i]!;
  }
  return counts;
}

/**
 * The candidate's rank sum (1-based midranks in the pooled sample) and
 * Σ(t³ − t) over groups of ties, by merging the two sorted samples: O(m + n).
 */
function rankStatistics(
  b: readonly number[],
  c: readonly number[],
): { candidateRankSum: number; tieTerm: number } {
  let i = 0;
  let j = 0;
  let below = 0;
  let candidateRankSum = 0;
  let tieTerm = 0;
  while (i < b.length || j < c.length) {
    const v = j >= c.length || (i < b.length && b[i]! <= c[j]!) ? b[i]! : c[j]!;
    let nb = 0;
    let nc = 0;
    while (i < b.length && b[i] === v) {
      i++;
      nb++;
    }
    while (j < c.length && c[j] === v) {
      j++;
      nc++;
    }
    const t = nb + nc;
    candidateRankSum += nc * (below + (t + 1) / 2);
    tieTerm += t * t * t - t;
    below += t;
  }
  return { candidateRankSum, tieTerm };
}

/** Standard deviation of U under the null, corrected for ties. */
function sigmaU(m: number, n: number, tieTerm: number): number {
  const total = m + n;
  return Math.sqrt(((m * n) / 12) * (total + 1 - tieTerm / (total * (total - 1))));
}

/**
 * Two-sided Mann–Whitney U test of "no location shift" (Mann & Whitney 1947;
 * as R's wilcox.test): exact p = min(1, 2·min(P(U ≤ u), P(U ≥ u))) from the
 * exact null distribution when there are no ties and m·n ≤ {@link EXACT_MAX_PAIRS};
 * otherwise the normal approximation with the tie-corrected variance
 * σ² = mn/12·((N + 1) − Σ(t³ − t)/(N(N − 1))) and continuity correction ½.
 * When every value is equal (σ = 0) the p-value is 1.
 *
 * @throws RangeError when a sample is empty or holds a non-finite value
 * @example mannWhitneyU([1.15, 0.88, 0.90, 0.74, 1.21], [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46])
 *   // { u: 35, pValue: 0.2544, exact: true }
 * @complexity O((m + n) log(m + n)), plus O(min(m,n)·m·n) for the exact distribution
 */
export function mannWhitneyU(baseline: readonly number[], candidate: readonly number[]): MannWhitneyTest {
  const m = baseline.length;
  const n = candidate.length;
  if (m === 0 || n === 0) throw new RangeError('mannWhitneyU needs at least one value in each sample');
  if (!baseline.every(Number.isFinite) || !candidate.every(Number.isFinite))
    throw new RangeError('mannWhitneyU needs finite values');
  const { candidateRankSum, tieTerm } = rankStatistics(sortedCopy(baseline), sortedCopy(candidate));
  return mannWhitneyFromRanks(m, n, candidateRankSum - (n * (n + 1)) / 2, tieTerm);
}

/**
 * The test of {@link mannWhitneyU} from the sizes, the candidate's U and the
 * pooled Σ(t³ − t) alone (what a database computes without handing over the values).
 * @example mannWhitneyFromRanks(3, 3, 8, 0) // { u: 8, pValue: 0.2, exact: true }
 * @complexity O(1), plus O(min(m,n)·m·n) for the exact distribution
 */
export function mannWhitneyFromRanks(m: number, n: number, u: number, tieTerm: number): MannWhitneyTest {
  const mean = (m * n) / 2;
  if (tieTerm === 0 && m * n <= EXACT_MAX_PAIRS) {
    const counts = mannWhitneyNullCounts(Math.min(m, n), Math.max(m, n));
    const total = counts.reduce((a, b) => a + b, 0);
    let tail = 0;
    // The distribution is symmetric about mn/2: P(U ≥ u) = P(U ≤ mn − u).
    const k = Math.min(u, m * n - u);
    for (let v = 0; v <= k; v++) tail += counts[v]!;
    return { u, pValue: Math.min(1, (2 * tail) / total), exact: true };
  }
  const sigma = sigmaU(m, n, tieTerm);
  if (sigma === 0) return { u, pValue: 1, exact: false };
  const diff = u - mean;
  const z = (diff - Math.sign(diff) * 0.5) / sigma;
  return { u, pValue: Math.min(1, twoSidedNormalPValue(z)), exact: false };
}

/**
 * Hodges–Lehmann shift estimate (median of the m·n pairwise differences
 * candidate − baseline) with its distribution-free confidence interval
 * [D₍K₎, D₍mn+1−K₎] from the ordered differences (Bauer 1972; Lehmann 1975
 * §2.6). Exact case (no ties, m·n ≤ {@link EXACT_MAX_PAIRS}): K − 1 is the
 * largest u with P(U ≤ u) < α/2, α = 1 − confidence, as R's wilcox.test
 * (K = 1 when even P(U = 0) ≥ α/2). Otherwise K = ⌊mn/2 − z₁₋α/₂·σ_U⌋ with
 * the tie-corrected σ_U, at least 1 (rounded down, so never narrower than
 * the normal approximation asks).
 *
 * @throws RangeError when a sample is empty, a value is not finite, or confidence is outside (0, 1)
 * @example hodgesLehmann([1, 2, 3], [2, 4, 6], 0.9).estimate // 2
 * @complexity O((m + n) · log m · log(m·n)) plus the exact distribution when used
 */
export function hodgesLehmann(
  baseline: readonly number[],
  candidate: readonly number[],
  confidence: number,
): ShiftEstimate {
  const m = baseline.length;
  const n = candidate.length;
  if (m === 0 || n === 0) throw new RangeError('hodgesLehmann needs at least one value in each sample');
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`hodgesLehmann needs 0 < confidence < 1 (got ${confidence})`);
  if (!baseline.every(Number.isFinite) || !candidate.every(Number.isFinite))
    throw new RangeError('hodgesLehmann needs finite values');
  const b = sortedCopy(baseline);
  const c = sortedCopy(candidate);
  const mn = m * n;
  const kth = (k: number): number => kthPairwiseDifference(b, c, k);
  const estimate = mn % 2 === 1 ? kth((mn + 1) / 2) : (kth(mn / 2) + kth(mn / 2 + 1)) / 2;

  const k = shiftIntervalRank(m, n, rankStatistics(b, c).tieTerm, confidence);
  return { estimate, lower: kth(k), upper: kth(mn + 1 - k) };
}

/**
 * K of the Hodges–Lehmann interval [D₍K₎, D₍mn+1−K₎] (see {@link hodgesLehmann})
 * from the sizes and the pooled Σ(t³ − t).
 * @example shiftIntervalRank(3, 3, 0, 0.7) // 2
 * @complexity O(1), plus the exact distribution when used
 */
export function shiftIntervalRank(m: number, n: number, tieTerm: number, confidence: number): number {
  const mn = m * n;
  const alpha = 1 - confidence;
  let k: number;
  if (tieTerm === 0 && mn <= EXACT_MAX_PAIRS) {
    const counts = mannWhitneyNullCounts(Math.min(m, n), Math.max(m, n));
    const total = counts.reduce((a, x) => a + x, 0);
    let cdf = 0;
    k = 0;
    while (k < counts.length && cdf + counts[k]! < (alpha / 2) * total) cdf += counts[k++]!;
    k = Math.max(1, k);
  } else {
    k = Math.max(1, Math.floor(mn / 2 - normalQuantile(1 - alpha / 2) * sigmaU(m, n, tieTerm)));
  }
  return Math.min(k, Math.ceil(mn / 2));
}
