/**
 * Order statistics of the m·n pairwise differences c − b of two samples,
 * without materialising them (the Hodges–Lehmann estimate and its interval
 * need a few of them; m·n can be 10⁸ for two slices of 10,000 durations).
 * A raw sample is a weighted one whose every weight is 1, so the selection
 * itself is `kthWeightedDifference`'s.
 */
import { sortedCopy } from './sorted.ts';
import { kthWeightedDifference, medianWeightedDifference, type Weighted } from './weighted-differences.ts';

/** Ascending values as weighted points of weight 1 each. */
const unitWeights = (values: readonly number[]): Weighted => ({
  values,
  weights: new Array<number>(values.length).fill(1),
});

/**
 * The k-th smallest (1-based) of the differences c − b over all pairs of
 * `candidate` × `baseline`, both sorted ascending.
 *
 * @throws RangeError when k is not an integer in [1, m·n]
 * @example kthPairwiseDifference([1, 2], [3, 5], 2) // differences 1, 2, 3, 4 → 2
 * @complexity O((m + n) · log(m·n)) expected time, O(m + n) space
 */
export function kthPairwiseDifference(
  baseline: readonly number[],
  candidate: readonly number[],
  k: number,
): number {
  return kthWeightedDifference(unitWeights(baseline), unitWeights(candidate), k);
}

/**
 * Median of the pairwise differences c − b: the Hodges–Lehmann two-sample
 * shift estimate (Hodges & Lehmann 1963).
 * @throws RangeError when a sample is empty
 * @example pairwiseDifferenceMedian([1, 2], [3, 5]) // median of 1, 2, 3, 4 = 2.5
 * @complexity as {@link kthPairwiseDifference}
 */
export function pairwiseDifferenceMedian(baseline: readonly number[], candidate: readonly number[]): number {
  if (baseline.length * candidate.length === 0)
    throw new RangeError('pairwiseDifferenceMedian needs two non-empty samples');
  return medianWeightedDifference(unitWeights(sortedCopy(baseline)), unitWeights(sortedCopy(candidate)));
}
