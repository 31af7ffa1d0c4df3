/** First index in ascending `sorted` whose value is ≥ x (binary search). */
export function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * An ascending copy of finite values: a typed-array sort, several times
 * faster than a comparator sort on samples of 10⁵–10⁶ values.
 * @example sortedCopy([3, -1, 2]) // [-1, 2, 3]
 */
export const sortedCopy = (values: readonly number[]): number[] =>
  Array.from(Float64Array.from(values).sort());
