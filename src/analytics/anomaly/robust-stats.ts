/**
 * Robust location and scale: median, MAD and their Gaussian-consistent
 * scale, with fallbacks so that a scale is zero only for constant data.
 */
import { normalQuantile } from '../distributions.ts';

/** 1/Φ⁻¹(3/4) ≈ 1.4826: makes the MAD a consistent estimator of σ for Gaussian data. */
export const MAD_TO_SD = 1 / normalQuantile(0.75);

/** √(π/2) ≈ 1.2533: makes the mean absolute deviation a consistent estimator of σ for Gaussian data. */
const MEAN_ABS_TO_SD = Math.sqrt(Math.PI / 2);

/** Median of values already in ascending order. @throws RangeError when empty */
export function medianOfSorted(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('median needs at least one value');
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Median. @throws RangeError when empty
 * @example median([3, 1, 2, 10]) // 2.5
 * @complexity O(n log n)
 */
export function median(values: readonly number[]): number {
  return medianOfSorted([...values].sort((a, b) => a - b));
}

/**
 * Median absolute deviation from `center` (default: the median).
 * @throws RangeError when empty
 * @example mad([1, 2, 3, 4, 100]) // 1
 * @complexity O(n log n)
 */
export function mad(values: readonly number[], center: number = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/**
 * Robust standard deviation: 1.4826·MAD; when the MAD is zero (more than half
 * the values equal) or mere rounding residue (below 1e-9 of the mean absolute
 * deviation, so the choice does not flip when the data are rescaled),
 * √(π/2)·mean|x − median| instead. Zero only when every value is equal.
 * @throws RangeError when empty
 * @example robustSd([1, 2, 3, 4, 100]) // 1.4826
 * @complexity O(n log n)
 */
export function robustSd(values: readonly number[]): number {
  const center = median(values);
  const m = mad(values, center);
  let sum = 0;
  for (const v of values) sum += Math.abs(v - center);
  const meanAbs = sum / values.length;
  return m > 1e-9 * meanAbs ? MAD_TO_SD * m : MEAN_ABS_TO_SD * meanAbs;
}

/**
 * Noise level of a series from its first differences: robustSd(Δy)/√2. Level
 * shifts, slow trends and isolated spikes hardly move it; zero only for an
 * exactly linear (or constant) series. Fewer than 3 points → 0.
 * @example differenceNoise([1, 2, 3, 4]) // 0 (exactly linear)
 * @complexity O(n log n)
 */
export function differenceNoise(y: readonly number[]): number {
  if (y.length < 3) return 0;
  const d: number[] = [];
  for (let i = 1; i < y.length; i++) d.push(y[i]! - y[i - 1]!);
  return robustSd(d) / Math.SQRT2;
}

/** Largest |y|; the last-resort scale floor is a tiny fraction of it (scale-invariant, and it absorbs rounding). */
export function maxAbs(y: readonly number[]): number {
  let m = 0;
  for (const v of y) m = Math.max(m, Math.abs(v));
  return m;
}

/** Relative floor for any scale: 1e-10·max|y| keeps rounding residue from scoring as anomalies. */
export const RELATIVE_EPSILON = 1e-10;

/**
 * The k-th smallest (0-based) of |x − centre| over values sorted ascending
 * with centre their median: the deviations grow outwards from the centre, so
 * walk outwards from it for small k and inwards from both ends for large k.
 * @throws RangeError unless 0 ≤ k < n
 * @example kthDeviation([1, 2, 3, 4, 100], 3, 4) // 97 (deviations 0 1 1 2 97)
 * @complexity O(min(k, n − k)), no allocation
 */
export function kthDeviation(sorted: readonly number[], centre: number, k: number): number {
  const n = sorted.length;
  if (!(Number.isInteger(k) && k >= 0 && k < n))
    throw new RangeError(`k must be an integer in [0, ${n}) (got ${k})`);
  if (k < n / 2) {
    let hi = n >> 1;
    let lo = hi - 1;
    for (let i = 0; ; i++) {
      const below = lo >= 0 ? centre - sorted[lo]! : Number.POSITIVE_INFINITY;
      const above = hi < n ? sorted[hi]! - centre : Number.POSITIVE_INFINITY;
      const d = Math.min(below, above);
      if (i === k) return d;
      if (below <= above) lo--;
      else hi++;
    }
  }
  let lo = 0;
  let hi = n - 1;
  for (let i = n - 1; ; i--) {
    const below = centre - sorted[lo]!;
    const above = sorted[hi]! - centre;
    const d = Math.max(below, above);
    if (i === k) return d;
    if (below >= above) lo++;
    else hi--;
  }
}
