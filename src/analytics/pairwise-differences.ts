/**
 * Order statistics of the m·n pairwise differences c − b of two samples,
 * without materialising them (the Hodges–Lehmann estimate and its interval
 * need a few of them; m·n can be 10⁸ for two slices of 10,000 durations).
 */

/** Number of b in `ascending` with c − b < t (strict) or ≤ t, by binary search. */
function countRow(c: number, ascending: readonly number[], t: number, strict: boolean): number {
  // c − b is non-increasing in b, so the b with c − b ≤ t form a suffix of `ascending`.
  let lo = 0;
  let hi = ascending.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const d = c - ascending[mid]!;
    if (strict ? d < t : d <= t) hi = mid;
    else lo = mid + 1;
  }
  return ascending.length - lo;
}

/**
 * The k-th smallest (1-based) of the differences c − b over all pairs of
 * `candidate` × `baseline`, both sorted ascending. Selection in the implicit
 * sorted matrix: each round takes the weighted median of the middle elements
 * of the rows' remaining ranges as pivot (Johnson & Mizoguchi 1978), so a
 * constant share of the remaining pairs drops out per round.
 *
 * @throws RangeError when k is not an integer in [1, m·n]
 * @example kthPairwiseDifference([1, 2], [3, 5], 2) // differences 1, 2, 3, 4 → 2
 * @complexity O((m + n) · log m · log(m·n)) time, O(n) space
 */
export function kthPairwiseDifference(baseline: readonly number[], candidate: readonly number[], k: number): number {
  const m = baseline.length;
  const n = candidate.length;
  if (!(Number.isInteger(k) && k >= 1 && k <= m * n)) throw new RangeError(`kthPairwiseDifference needs 1 ≤ k ≤ ${m * n} (got ${k})`);
  // Row j holds c_j − b for b in descending order, i.e. ascending differences; the
  // undecided part of row j is positions [lo[j], hi[j]), position i ↔ b = baseline[m − 1 − i].
  const lo = new Array<number>(n).fill(0);
  const hi = new Array<number>(n).fill(m);
  const at = (j: number, i: number): number => candidate[j]! - baseline[m - 1 - i]!;
  for (;;) {
    const pivots: { value: number; weight: number }[] = [];
    let remaining = 0;
    for (let j = 0; j < n; j++) {
      const w = hi[j]! - lo[j]!;
      if (w <= 0) continue;
      pivots.push({ value: at(j, (lo[j]! + hi[j]! - 1) >>> 1), weight: w });
      remaining += w;
    }
    pivots.sort((a, b) => a.value - b.value);
    let acc = 0;
    let pivot = pivots[pivots.length - 1]!.value;
    for (const p of pivots) {
      acc += p.weight;
      if (2 * acc >= remaining) {
        pivot = p.value;
        break;
      }
    }
    let below = 0;
    let atMost = 0;
    const lt = new Array<number>(n);
    const le = new Array<number>(n);
    for (let j = 0; j < n; j++) {
      lt[j] = countRow(candidate[j]!, baseline, pivot, true);
      le[j] = countRow(candidate[j]!, baseline, pivot, false);
      below += lt[j]!;
      atMost += le[j]!;
    }
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
  const b = [...baseline].sort((x, y) => x - y);
  const c = [...candidate].sort((x, y) => x - y);
  if (total % 2 === 1) return kthPairwiseDifference(b, c, (total + 1) / 2);
  return (kthPairwiseDifference(b, c, total / 2) + kthPairwiseDifference(b, c, total / 2 + 1)) / 2;
}
