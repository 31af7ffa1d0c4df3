/**
 * Order statistics of the pairwise differences c − b of two samples given as
 * ascending weighted values (a value with weight w stands for w equal
 * values), without materialising the pairs: the k-th smallest of the
 * multiset in which the pair (b_i, c_j) occurs w_i·v_j times. With every
 * weight 1 it is the k-th pairwise difference of the raw samples; with one
 * point per distinct value it is still exactly that.
 */
import { mulberry32 } from './random.ts';

/** Ascending values, each standing for `weight` equal values. */
export interface Weighted {
  readonly values: readonly number[];
  readonly weights: readonly number[];
}

/**
 * For each row j, how many b give c_j − b < t (strict) or ≤ t, as positions
 * (out[j]) and summed as weighted pairs (returned). One pointer sweeps the
 * sorted baseline once: O(m + n), with the exact comparisons a search makes
 * (floating-point subtraction is monotone in each argument).
 */
function countBelow(
  b: Weighted,
  c: Weighted,
  suffix: Float64Array,
  t: number,
  strict: boolean,
  out: Int32Array,
): number {
  const m = b.values.length;
  let i = 0;
  let total = 0;
  for (let j = 0; j < c.values.length; j++) {
    const y = c.values[j]!;
    while (i < m && !(strict ? y - b.values[i]! < t : y - b.values[i]! <= t)) i++;
    out[j] = m - i;
    total += c.weights[j]! * suffix[i]!;
  }
  return total;
}

/** The selected order statistic, how many weighted pairs are at or below it, and per row how many cells. */
interface Selected {
  readonly value: number;
  readonly atMost: number;
  readonly le: Int32Array;
}

/**
 * The k-th smallest weighted pairwise difference by randomised selection in the implicit sorted
 * matrix (a seeded pivot drawn from the undecided cells, each round counting the weighted pairs
 * below and at it); `ranks` of them from k on must exist.
 */
function select(b: Weighted, c: Weighted, k: number, ranks: 1 | 2, name: string): Selected {
  const m = b.values.length;
  const n = c.values.length;
  const suffix = new Float64Array(m + 1);
  for (let i = m - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + b.weights[i]!;
  const total = suffix[0]! * c.weights.reduce((a, x) => a + x, 0);
  const last = total - ranks + 1;
  if (!(Number.isInteger(k) && k >= 1 && k <= last))
    throw new RangeError(`${name} needs 1 ≤ k ≤ ${last} (got ${k})`);
  const lo = new Int32Array(n);
  const hi = new Int32Array(n).fill(m);
  const lt = new Int32Array(n);
  const le = new Int32Array(n);
  const random = mulberry32(0x4c33);
  for (;;) {
    let remaining = 0;
    for (let j = 0; j < n; j++) remaining += hi[j]! - lo[j]!;
    let target = Math.floor(random() * remaining);
    let pivot = Number.NaN;
    for (let j = 0; j < n; j++) {
      const w = hi[j]! - lo[j]!;
      if (target < w) {
        pivot = c.values[j]! - b.values[m - 1 - (lo[j]! + target)]!;
        break;
      }
      target -= w;
    }
    const below = countBelow(b, c, suffix, pivot, true, lt);
    const atMost = countBelow(b, c, suffix, pivot, false, le);
    if (below < k && k <= atMost) return { value: pivot, atMost, le };
    for (let j = 0; j < n; j++) {
      if (k <= below) hi[j] = Math.min(hi[j]!, lt[j]!);
      else lo[j] = Math.max(lo[j]!, le[j]!);
    }
  }
}

/**
 * The k-th smallest (1-based) weighted pairwise difference c − b.
 *
 * @throws RangeError when k is not an integer in [1, Σw·Σv]
 * @example kthWeightedDifference({ values: [1, 2], weights: [1, 1] }, { values: [3, 5], weights: [2, 1] }, 3) // 2, 2, 1, 3, 4 → 2
 * @complexity O((m + n) · log(m·n)) expected time for m and n points
 */
export const kthWeightedDifference = (b: Weighted, c: Weighted, k: number): number =>
  select(b, c, k, 1, 'kthWeightedDifference').value;

/**
 * The k-th and (k + 1)-th smallest weighted pairwise differences c − b (the two middle ones of an
 * even count, whose mean is the median): one selection, then one sweep for the smallest
 * difference above the k-th when the k-th's own pairs end at k. Weights are at least 1.
 *
 * @throws RangeError when k is not an integer in [1, Σw·Σv − 1]
 * @example kthWeightedDifferencePair({ values: [1, 2], weights: [1, 1] }, { values: [3, 5], weights: [2, 1] }, 4) // [2, 3]
 * @complexity as {@link kthWeightedDifference}, plus O(n)
 */
export function kthWeightedDifferencePair(b: Weighted, c: Weighted, k: number): [number, number] {
  const { value, atMost, le } = select(b, c, k, 2, 'kthWeightedDifferencePair');
  if (k + 1 <= atMost) return [value, value];
  // Row j's cells at or below the k-th are its le[j] smallest; the next is c_j − b at m − 1 − le[j].
  const m = b.values.length;
  let next = Number.POSITIVE_INFINITY;
  for (let j = 0; j < c.values.length; j++)
    if (le[j]! < m) next = Math.min(next, c.values[j]! - b.values[m - 1 - le[j]!]!);
  return [value, next];
}

/**
 * The median weighted pairwise difference c − b: the middle one of an odd count, else the mean of
 * the two middle ones (the Hodges–Lehmann shift of the samples the points stand for).
 *
 * @example medianWeightedDifference({ values: [1, 2], weights: [1, 1] }, { values: [3, 5], weights: [1, 1] }) // 1 2 3 4 → 2.5
 * @complexity as {@link kthWeightedDifference}
 */
export function medianWeightedDifference(b: Weighted, c: Weighted): number {
  const total = b.weights.reduce((a, x) => a + x, 0) * c.weights.reduce((a, x) => a + x, 0);
  if (total % 2 === 1) return kthWeightedDifference(b, c, (total + 1) / 2);
  const [below, above] = kthWeightedDifferencePair(b, c, total / 2);
  return (below + above) / 2;
}
