import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  kthWeightedDifference,
  kthWeightedDifferencePair,
} from '../../src/analytics/weighted-differences.ts';

describe('kthWeightedDifference', () => {
  it('works a small case by hand', () => {
    // b = 1, 2 (weights 1, 1); c = 3 (weight 2), 5 → differences 2 2 1 1 4 3, sorted 1 1 2 2 3 4.
    const b = { values: [1, 2], weights: [1, 1] };
    const c = { values: [3, 5], weights: [2, 1] };
    expect([1, 2, 3, 4, 5, 6].map((k) => kthWeightedDifference(b, c, k))).toEqual([1, 1, 2, 2, 3, 4]);
    expect(() => kthWeightedDifference(b, c, 7)).toThrow(/1 ≤ k ≤ 6/);
    // Pairs of neighbours: within one value's pairs (k = 1, 3) and across values (k = 2, 4, 5).
    expect([1, 2, 3, 4, 5].map((k) => kthWeightedDifferencePair(b, c, k))).toEqual([
      [1, 1],
      [1, 2],
      [2, 2],
      [2, 3],
      [3, 4],
    ]);
    expect(() => kthWeightedDifferencePair(b, c, 6)).toThrow(/1 ≤ k ≤ 5/);
  });

  it('selects like sorting every pair repeated by its weights', () => {
    const points = fc
      .uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 8 })
      .chain((vs) =>
        fc.tuple(
          fc.constant([...vs].sort((x, y) => x - y)),
          fc.array(fc.integer({ min: 1, max: 4 }), { minLength: vs.length, maxLength: vs.length }),
        ),
      );
    fc.assert(
      fc.property(points, points, ([bv, bw], [cv, cw]) => {
        const diffs: number[] = [];
        cv.forEach((y, j) => bv.forEach((x, i) => diffs.push(...Array<number>(bw[i]! * cw[j]!).fill(y - x))));
        diffs.sort((p, q) => p - q);
        const b = { values: bv, weights: bw };
        const c = { values: cv, weights: cw };
        for (const k of [1, diffs.length, Math.ceil(diffs.length / 2), Math.ceil(diffs.length / 3)])
          expect(kthWeightedDifference(b, c, k)).toBe(diffs[k - 1]);
        for (const k of [1, Math.floor(diffs.length / 2), diffs.length - 1].filter(
          (x) => x >= 1 && x < diffs.length,
        ))
          expect(kthWeightedDifferencePair(b, c, k)).toEqual([diffs[k - 1], diffs[k]]);
      }),
    );
  });
});
