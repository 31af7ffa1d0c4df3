import { describe, expect, it } from 'vitest';
import { changePoints } from '../../src/analytics/change-points.ts';

/** Numerical Recipes' 32-bit LCG (a = 1664525, c = 1013904223), uniform in (0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
}

/** n standard normal draws (Box–Muller) from the seeded LCG. */
function gaussian(n: number, seed: number): number[] {
  const uniform = lcg(seed);
  return Array.from(
    { length: n },
    () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()),
  );
}

function expectNear(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('changePoints', () => {
  it('finds one step from 1 to 5 at index 10', () => {
    const noise = gaussian(20, 1).map((e) => 0.1 * e);
    const y = noise.map((e, i) => (i < 10 ? 1 : 5) + e);
    const found = changePoints(y);
    expect(found).toHaveLength(1);
    expect(found[0]!.index).toBe(10);
    // Noise SD 0.1 over 10 points: each mean is within ±0.1 (3 standard errors).
    expectNear(found[0]!.before, 1, 0.1);
    expectNear(found[0]!.after, 5, 0.1);
  });

  it('finds two steps, with the means of the adjacent segments', () => {
    const noise = gaussian(30, 2).map((e) => 0.1 * e);
    const y = noise.map((e, i) => (i < 10 ? 1 : i < 20 ? 5 : 2) + e);
    const found = changePoints(y);
    expect(found.map((c) => c.index)).toEqual([10, 20]);
    expectNear(found[0]!.before, 1, 0.1);
    expectNear(found[1]!.before, 5, 0.1);
    expectNear(found[1]!.after, 2, 0.1);
    expect(found[0]!.after).toBe(found[1]!.before);
  });

  it('reports at most one false change over twenty 200-point pure-noise series', () => {
    // With the default 3·ln(n) penalty about 0.5% of such series show a false change.
    let falseChanges = 0;
    for (let seed = 1; seed <= 20; seed++) falseChanges += changePoints(gaussian(200, seed)).length;
    expect(falseChanges).toBeLessThanOrEqual(1);
  });

  it('finds the same changes whatever the units (y × 1000, y + 1e7)', () => {
    const y = gaussian(120, 3).map((e, i) => e + (i >= 40 ? 3 : 0) + (i >= 85 ? -2.5 : 0));
    const indices = changePoints(y).map((c) => c.index);
    expect(indices).toEqual([40, 85]);
    expect(changePoints(y.map((v) => v * 1000)).map((c) => c.index)).toEqual(indices);
    expect(changePoints(y.map((v) => v * 1e-6)).map((c) => c.index)).toEqual(indices);
    const shifted = changePoints(y.map((v) => v + 1e7));
    expect(shifted.map((c) => c.index)).toEqual(indices);
    // The segment means keep their digits on top of the 1e7 offset.
    const plain = changePoints(y);
    expectNear(shifted[0]!.after - shifted[0]!.before, plain[0]!.after - plain[0]!.before, 1e-8);
    expectNear(shifted[1]!.after - 1e7, plain[1]!.after, 1e-8);
  });

  it('does not cut a linear ramp into many small steps', () => {
    // Noise-free: the differences are all equal, so there is no shift at all.
    expect(changePoints(Array.from({ length: 50 }, (_, i) => 0.3 * i))).toEqual([]);
    // A noisy ramp rising by 3σ over 100 points: at most a few steps, usually one or two.
    let total = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const found = changePoints(gaussian(100, seed).map((e, i) => e + (3 * i) / 100));
      expect(found.length).toBeLessThanOrEqual(3);
      total += found.length;
    }
    expect(total).toBeLessThanOrEqual(40);
  });

  it('finds the exact changes of a noise-free piecewise-constant series', () => {
    expect(changePoints([1, 1, 1, 1, 5, 5, 5, 5, 2, 2, 2, 2])).toEqual([
      { index: 4, before: 1, after: 5 },
      { index: 8, before: 5, after: 2 },
    ]);
  });

  it('returns nothing for a constant or too-short series', () => {
    expect(changePoints(Array.from({ length: 30 }, () => 7))).toEqual([]);
    expect(changePoints([1, 1, 1, 5, 5])).toHaveLength(1); // n < 6: minSegment 2
    expect(changePoints([1, 1, 5])).toEqual([]);
    expect(changePoints([1, 1, 1, 5, 5], { minSegment: 3 })).toEqual([]);
    expect(changePoints([])).toEqual([]);
  });

  it('respects minSegment and penalty', () => {
    const y = gaussian(40, 4).map((e, i) => 0.1 * e + (i === 20 || i === 21 ? 10 : 0));
    expect(changePoints(y, { minSegment: 2 }).map((c) => c.index)).toEqual([20, 22]);
    expect(changePoints(y, { minSegment: 3 }).every((c) => c.index >= 3 && c.index <= 37)).toBe(true);
    const step = gaussian(40, 5).map((e, i) => e + (i >= 20 ? 2 : 0));
    expect(changePoints(step, { penalty: 1e6 })).toEqual([]);
  });

  it('refuses bad input and options', () => {
    expect(() => changePoints([1, 2, Number.NaN, 4, 5, 6])).toThrow(RangeError);
    expect(() => changePoints([1, 2, 3, 4, 5, 6], { penalty: -1 })).toThrow(RangeError);
    expect(() => changePoints([1, 2, 3, 4, 5, 6], { minSegment: 0 })).toThrow(RangeError);
    expect(() => changePoints([1, 2, 3, 4, 5, 6], { minSegment: 1.5 })).toThrow(RangeError);
  });
});
