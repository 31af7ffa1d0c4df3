/**
 * Rolling windows over a series kept sorted, so that medians and MADs of
 * sliding windows cost O(window) per step instead of a sort each time.
 */
import { lowerBound } from '../sorted.ts';
import { medianOfSorted } from './robust-stats.ts';

/**
 * Calls `visit(t, sorted)` for t = 0…n−1 with y[lo(t)], …, y[hi(t) − 1] in
 * ascending order. `bounds(t)` = [lo, hi) must have lo ≤ hi and both
 * non-decreasing in t. `sorted` is reused: read it during the call only.
 * @complexity O(n·w) for windows of length w
 */
export function forEachSortedWindow(
  y: readonly number[],
  bounds: (t: number) => readonly [number, number],
  visit: (t: number, sorted: readonly number[]) => void,
): void {
  const sorted: number[] = [];
  let lo = 0;
  let hi = 0;
  for (let t = 0; t < y.length; t++) {
    const [nextLo, nextHi] = bounds(t);
    for (; hi < nextHi; hi++) sorted.splice(lowerBound(sorted, y[hi]!), 0, y[hi]!);
    for (; lo < nextLo; lo++) sorted.splice(lowerBound(sorted, y[lo]!), 1);
    visit(t, sorted);
  }
}

/**
 * Centred rolling median of length `length`: at t the window is the `length`
 * points starting at t − ⌊length/2⌋, clamped to lie inside the series (so the
 * first and last ⌊length/2⌋ points share the first and last full window).
 * A series shorter than `length` gets its overall median everywhere.
 * @example centredMedian([1, 9, 2, 3, 8], 3) // [2, 2, 3, 3, 3]
 * @complexity O(n·length)
 */
export function centredMedian(y: readonly number[], length: number): number[] {
  const n = y.length;
  const w = Math.min(length, n);
  const out = new Array<number>(n).fill(0);
  forEachSortedWindow(
    y,
    (t) => {
      const lo = Math.min(Math.max(t - (w >> 1), 0), n - w);
      return [lo, lo + w];
    },
    (t, sorted) => {
      out[t] = medianOfSorted(sorted);
    },
  );
  return out;
}
