import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kthDeviation, median } from '../../../src/analytics/anomaly/robust-stats.ts';
import { SortedWindow } from '../../../src/analytics/anomaly/sorted-window.ts';

// −0 and 0 are equal values but not equal to toEqual/toBe; the order among equal values is not part of the contract.
const values = fc
  .array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), {
    minLength: 1,
    maxLength: 60,
  })
  .map((xs) => xs.map((x) => x + 0));

describe('SortedWindow', () => {
  it('holds the last `capacity` values pushed, in ascending order, ties included', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 1, max: 12 }), (xs, capacity) => {
        const w = new SortedWindow(capacity);
        xs.forEach((x, i) => {
          w.push(x);
          const expected = xs.slice(Math.max(0, i + 1 - capacity), i + 1).sort((a, b) => a - b);
          expect(w.sorted()).toEqual(expected);
          expect(w.median()).toBe(median(expected));
        });
      }),
    );
  });
});

describe('kthDeviation', () => {
  it('is the k-th smallest |x − median| from either end of the walk', () => {
    expect(kthDeviation([1, 2, 3, 4, 100], 3, 4)).toBe(97);
    expect(kthDeviation([1, 2, 3, 4, 100], 3, 2)).toBe(1);
    fc.assert(
      fc.property(values, fc.nat(), (xs, k0) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const centre = median(sorted);
        const k = k0 % sorted.length;
        expect(kthDeviation(sorted, centre, k)).toBe(
          sorted.map((x) => Math.abs(x - centre)).sort((a, b) => a - b)[k],
        );
      }),
    );
    expect(() => kthDeviation([1, 2], 1.5, 2)).toThrow(RangeError);
  });
});
