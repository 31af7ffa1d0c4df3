import { describe, expect, it } from 'vitest';
import { averagePathLength, isolationForest } from '../../../src/analytics/anomaly/isolation-forest.ts';
import { multivariateAnomalies } from '../../../src/analytics/anomaly/multivariate.ts';
import { mulberry32 } from '../../../src/analytics/random.ts';
import { gaussian } from './synthetic.ts';

function cloud(seed: number, n: number): number[][] {
  const g = gaussian(mulberry32(seed));
  return Array.from({ length: n }, () => [100 + 10 * g(), 5 + g(), 1000 + 300 * g()]);
}

describe('averagePathLength', () => {
  it('matches c(n) = 2H(n−1) − 2(n−1)/n of Liu, Ting & Zhou (2008)', () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    // 2(ln 255 + 0.5772156649) − 2·255/256 = 12.2369584201 − 1.9921875
    expect(averagePathLength(256)).toBeCloseTo(10.2447709201, 9);
  });
});

describe('isolationForest', () => {
  const rows = cloud(42, 500);
  rows[123] = [160, -1, 1000]; // +6 SD in duration, −6 SD in the second metric, typical third
  const scores = isolationForest(rows);

  it('gives an obvious outlier among 500 Gaussian points the top score', () => {
    const top = scores.indexOf(Math.max(...scores));
    expect(top).toBe(123);
    expect(scores[123]).toBeGreaterThan(0.65);
  });

  it('scores inliers about 0.5 or below, all within (0, 1]', () => {
    const inliers = scores.filter((_, i) => i !== 123);
    const mean = inliers.reduce((a, b) => a + b, 0) / inliers.length;
    expect(mean).toBeLessThanOrEqual(0.5);
    expect(mean).toBeGreaterThan(0.35);
    expect(scores.every((s) => s > 0 && s <= 1)).toBe(true);
  });

  it('is deterministic for a seed and varies with it', () => {
    expect(isolationForest(rows, { seed: 1 })).toEqual(scores);
    expect(isolationForest(rows, { seed: 2 })).not.toEqual(scores);
  });

  it('is unchanged when a column is rescaled', () => {
    const scaled = rows.map(([a, b, c]) => [a! * 1000, b! / 8, c! * 4]);
    expect(isolationForest(scaled)).toEqual(scores);
  });

  it('handles tiny and degenerate input and rejects ragged rows', () => {
    expect(isolationForest([])).toEqual([]);
    expect(isolationForest([[1, 2]])).toEqual([0.5]);
    // Identical rows cannot be split: every tree is one leaf of 3, so h = c(3) and s = 2^−1.
    for (const s of isolationForest([[1], [1], [1]])) expect(s).toBeCloseTo(0.5, 12);
    expect(() => isolationForest([[1, 2], [3]])).toThrow(RangeError);
    expect(() => isolationForest([[Number.NaN]])).toThrow(RangeError);
  });
});

describe('multivariateAnomalies', () => {
  it('flags the outlier row and reports its duration against the duration band', () => {
    const rows = cloud(42, 500);
    rows[123] = [160, -1, 1000];
    const flagged = multivariateAnomalies(rows);
    const outlier = flagged.find((p) => p.index === 123);
    expect(outlier).toBeDefined();
    expect(outlier?.value).toBe(160);
    expect(outlier?.direction).toBe('UP');
    expect(outlier?.expected).toBeGreaterThan(95);
    expect(outlier?.expected).toBeLessThan(105);
    expect(outlier?.upper).toBeCloseTo(outlier!.expected + (outlier!.expected - outlier!.lower), 9);
    expect(flagged.length).toBeLessThanOrEqual(1 + 10); // ≤ 2 % of clean rows flagged
  });

  it('flags few rows of clean Gaussian clouds', () => {
    const flagged = [1, 2, 3, 4, 5].map((seed) => multivariateAnomalies(cloud(seed, 500)).length);
    expect(flagged.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(25); // ≤ 1 % of 2500 rows
  });

  it('returns nothing for fewer than 10 rows or identical rows', () => {
    expect(multivariateAnomalies(cloud(1, 9))).toEqual([]);
    expect(multivariateAnomalies(Array.from({ length: 50 }, () => [3, 4]))).toEqual([]);
  });
});
