import { describe, expect, it } from 'vitest';
import { coefficientOfVariation, gini, jainIndex, maxToMeanRatio } from '../../src/analytics/fairness.ts';

describe('fairness of a load over workers', () => {
  it('scores an even load as perfectly fair', () => {
    const even = [5, 5, 5, 5];
    expect(jainIndex(even)).toBe(1);
    expect(gini(even)).toBe(0);
    expect(coefficientOfVariation(even)).toBe(0);
    expect(maxToMeanRatio(even)).toBe(1);
  });

  it('scores one worker carrying everything as the extreme', () => {
    // n = 4, loads 0 0 0 8: Jain = 8² / (4 · 64) = 1/4; Gini = (2 · 4 · 8) / (4 · 8) − 5/4 = 3/4 = (n − 1)/n;
    // mean 2, population variance (3 · 4 + 36) / 4 = 12, CV = √12 / 2 = √3; max/mean = 8 / 2 = 4 = n.
    const all = [0, 8, 0, 0];
    expect(jainIndex(all)).toBe(0.25);
    expect(gini(all)).toBeCloseTo(0.75, 15);
    expect(coefficientOfVariation(all)).toBeCloseTo(Math.sqrt(3), 15);
    expect(maxToMeanRatio(all)).toBe(4);
  });

  it('works an uneven load by hand', () => {
    // Loads 1, 2, 3, 6 (sum 12, mean 3, Σx² = 1 + 4 + 9 + 36 = 50):
    //   Jain = 144 / (4 · 50) = 0.72
    //   Gini: Σ i·x₍ᵢ₎ = 1 + 4 + 9 + 24 = 38 → 2 · 38 / (4 · 12) − 5/4 = 76/48 − 60/48 = 1/3
    //     (check by pairs: |1−2| + |1−3| + |1−6| + |2−3| + |2−6| + |3−6| = 1 + 2 + 5 + 1 + 4 + 3 = 16,
    //      Σᵢ Σⱼ = 32, 32 / (2 · 16 · 3) = 1/3)
    //   CV: deviations −2 −1 0 3, variance (4 + 1 + 0 + 9) / 4 = 3.5, CV = √3.5 / 3 ≈ 0.623610
    //   max/mean = 6 / 3 = 2
    const loads = [3, 1, 6, 2];
    expect(jainIndex(loads)).toBeCloseTo(0.72, 15);
    expect(gini(loads)).toBeCloseTo(1 / 3, 15);
    expect(coefficientOfVariation(loads)).toBeCloseTo(Math.sqrt(3.5) / 3, 15);
    expect(maxToMeanRatio(loads)).toBe(2);
    // Jain's index is 1 / (1 + CV²) for the population CV: 1 / (1 + 3.5/9) = 9 / 12.5 = 0.72.
    expect(1 / (1 + coefficientOfVariation(loads) ** 2)).toBeCloseTo(jainIndex(loads), 15);
  });

  it('gives k/n when k workers share the load evenly and the rest idle', () => {
    expect(jainIndex([3, 3, 0, 0, 0])).toBeCloseTo(2 / 5, 15);
  });

  it('treats an all-idle fleet as even, and refuses no workers or negative loads', () => {
    expect(jainIndex([0, 0])).toBe(1);
    expect(gini([0, 0])).toBe(0);
    expect(coefficientOfVariation([0, 0])).toBe(0);
    expect(maxToMeanRatio([0, 0])).toBe(1);
    for (const f of [jainIndex, gini, coefficientOfVariation, maxToMeanRatio]) {
      expect(() => f([])).toThrow(RangeError);
      expect(() => f([1, -1])).toThrow(/≥ 0/);
      expect(() => f([1, Number.NaN])).toThrow(RangeError);
    }
  });
});
