/**
 * Order statistics of the m·n pairwise differences c − b of two samples,
 * without materialising them (the Hodges–Lehmann estimate and its interval
 * need a few of them; m·n can be 10⁸ for two slices of 10,000 durations).
 */
import { mulberry32 } from './random.ts';
import { sortedCopy } from './sorted.ts';

/**
 * For each row j, how many b give c_j − b < t (strict) or ≤ t. The predicate
 * only gets harder as c_j grows and easier as b grows (floating-point
 * subtraction is monotone in each argument), so one pointer sweeps the
 * sorted baseline once: O(m + n), with the exact comparisons a search makes.
 */
function countBelow(
  baseline: readonly number[],
  candidate: readonly number[],
  t: number,
  strict: boolean,
  out: Int32Array,
): number {
  const m = baseline.length;
  let i = 0;
  let total = 0;
  for (let j = 0; j < candidate.length; j++) {
    const c = candidate[j]!;
    while (i < m && !(strict ? c - baseline[i]! < t : c - baseline[i]! <= t)) i++;
    out[j] = m - i;
    total += m - i;
  }
  return total;
}

/**
 * The k-th smallest (1-based) of the differences c − b over all pairs of
 * `candidate` × `baseline`, both sorted ascending: selection in the implicit
 * sorted matrix. Each round takes as pivot a pair drawn uniformly from the
 * undecided ones (a seeded draw, so results repeat), counts the pairs below
 * and at it in one sweep, and narrows every row; the undecided pairs shrink
 * geometrically in expectation (randomised selection, as quickselect).
 *
 * @throws RangeError when k is not an integer in [1, m·n]
 * @example kthPairwiseDifference([1, 2], [3, 5], 2) // differences 1, 2, 3, 4 → 2
 * @complexity O((m + n) · log(m·n)) expected time, O(n) space
 */
export function kthPairwiseDifference(
  baseline: readonly number[],
  candidate: readonly number[],
  k: number,
): number {
  const m = baseline.length;
  const n = candidate.length;
  if (!(Number.isInteger(k) && k >= 1 && k <= m * n))
    throw new RangeError(`kthPairwiseDifference needs 1 ≤ k ≤ ${m * n} (got ${k})`);
  // Row j holds c_j − b for b in descending order, i.e. ascending differences; the
  // undecided part of row j is positions [lo[j], hi[j]), position i ↔ b = baseline[m − 1 − i].
  const lo = new Int32Array(n);
  const hi = new Int32Array(n).fill(m);
  const lt = new Int32Array(n);
  const le = new Int32Array(n);
  const random = mulberry32(0x4c33);
  for (;;) {
    let remaining = 0;
    for (let j = 0; j < n; j++) remaining += hi[j]! - lo[j]!;
    // A uniformly drawn undecided pair is the pivot.
    let target = Math.floor(random() * remaining);
    let pivot = Number.NaN;
    for (let j = 0; j < n; j++) {
      const w = hi[j]! - lo[j]!;
      if (target < w) {
        pivot = candidate[j]! - baseline[m - 1 - (lo[j]! + target)]!;
        break;
      }
      target -= w;
    }
    const below = countBelow(baseline, candidate, pivot, true, lt);
    const atMost = countBelow(baseline, candidate, pivot, false, le);
    if (below < k && k <= atMost) return pivot;
    for (let j = 0; j < n; j++) {
      if (k <= below) hi[j] = Math.min(hi[j]!, lt[j]!);
      else lo[j] = Math.max(lo[j]!, le[j]!);
    }
  }
}

/**
 * Median of the pairwise differences c − b: the Hodges–Lehmann two-sample
 * shift estimate (Hodges & Lehmann 1963).
 * @throws RangeError when a sample is empty
 * @example pairwiseDifferenceMedian([1, 2], [3, 5]) // median of 1, 2, 3, 4 = 2.5
 * @complexity as {@link kthPairwiseDifference}
 */
export function pairwiseDifferenceMedian(baseline: readonly number[], candidate: readonly number[]): number {
  const total = baseline.length * candidate.length;
  if (total === 0) throw new RangeError('pairwiseDifferenceMedian needs two non-empty samples');
  const b = sortedCopy(baseline);
  const c = sortedCopy(candidate);
  if (total % 2 === 1) return kthPairwiseDifference(b, c, (total + 1) / 2);
  return (kthPairwiseDifference(b, c, total / 2) + kthPairwiseDifference(b, c, total / 2 + 1)) / 2;
}
