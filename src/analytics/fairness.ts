import { sortedCopy } from './sorted.ts';
/**
 * How evenly a load (busy time, executions) is spread over n workers. Every
 * function takes the per-worker loads (≥ 0), numbers in, numbers out. All four
 * treat the workers as the whole population (no n − 1 corrections), so
 * jain = 1 / (1 + cv²) holds exactly.
 *
 * A load of zero everywhere is perfectly even: jain 1, gini 0, cv 0, max/mean 1.
 */

function check(loads: readonly number[], fn: string): number {
  if (loads.length === 0) throw new RangeError(`${fn} needs at least one load`);
  let sum = 0;
  for (const x of loads) {
    if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`${fn} needs finite loads ≥ 0 (got ${x})`);
    sum += x;
  }
  return sum;
}

/**
 * Jain's fairness index (Jain, Chiu & Hawe 1984, DEC-TR-301):
 * (Σx)² / (n·Σx²). 1 when every worker carries the same load, 1/n when one
 * worker carries it all; k/n when k workers share it evenly and the rest idle.
 *
 * @throws RangeError on an empty list or a negative or non-finite load
 * @example jainIndex([1, 1, 1, 1]) // 1
 * @example jainIndex([4, 0, 0, 0]) // 0.25
 * @complexity O(n)
 */
export function jainIndex(loads: readonly number[]): number {
  const sum = check(loads, 'jainIndex');
  if (sum === 0) return 1;
  let sq = 0;
  for (const x of loads) sq += x * x;
  return (sum * sum) / (loads.length * sq);
}

/**
 * Gini coefficient: the mean absolute difference between all pairs over twice
 * the mean, Σᵢ Σⱼ |xᵢ − xⱼ| / (2n²·μ), computed from the sorted loads as
 * (2·Σ i·x₍ᵢ₎) / (n·Σx) − (n + 1)/n (i from 1). 0 when even; (n − 1)/n when one
 * worker carries it all (the population form, as in most inequality tables).
 *
 * @throws RangeError on an empty list or a negative or non-finite load
 * @example gini([1, 1, 1, 1]) // 0
 * @example gini([0, 0, 0, 4]) // 0.75
 * @complexity O(n log n)
 */
export function gini(loads: readonly number[]): number {
  const sum = check(loads, 'gini');
  if (sum === 0) return 0;
  const n = loads.length;
  const sorted = sortedCopy(loads);
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (i + 1) * sorted[i]!;
  // Rounding can leave −1e−17 for an even load.
  return Math.max(0, (2 * weighted) / (n * sum) - (n + 1) / n);
}

/**
 * Coefficient of variation: population standard deviation / mean.
 *
 * @throws RangeError on an empty list or a negative or non-finite load
 * @example coefficientOfVariation([2, 4, 6]) // √(8/3) / 4 ≈ 0.4082
 * @complexity O(n)
 */
export function coefficientOfVariation(loads: readonly number[]): number {
  const sum = check(loads, 'coefficientOfVariation');
  if (sum === 0) return 0;
  const n = loads.length;
  const mean = sum / n;
  let ss = 0;
  for (const x of loads) ss += (x - mean) ** 2;
  return Math.sqrt(ss / n) / mean;
}

/**
 * The busiest worker's load over the mean load: 1 when even, n when one
 * worker carries it all. The figure a capacity planner reads as "the hottest
 * worker does k× its fair share".
 *
 * @throws RangeError on an empty list or a negative or non-finite load
 * @example maxToMeanRatio([1, 1, 4]) // 2
 * @complexity O(n)
 */
export function maxToMeanRatio(loads: readonly number[]): number {
  const sum = check(loads, 'maxToMeanRatio');
  if (sum === 0) return 1;
  return Math.max(...loads) / (sum / loads.length);
}
