import { describe, expect, it } from 'vitest';
import { robustAnomalies } from '../../../src/analytics/anomaly/robust.ts';
import { differenceNoise, mad, median, robustSd } from '../../../src/analytics/anomaly/robust-stats.ts';
import { severityOf } from '../../../src/analytics/anomaly/types.ts';

/** 1/Φ⁻¹(3/4), the published MAD-to-σ constant usually rounded to 1.4826. */
const K = 1.482602218505602;

describe('robust statistics', () => {
  it('match hand-worked medians, MADs and their fallbacks', () => {
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
    expect(robustSd([1, 2, 3, 4, 100])).toBeCloseTo(K, 15);
    // MAD 0 (three of five equal): √(π/2)·mean|x − 5| = 1.2533·(0+0+0+5+10)/5.
    expect(robustSd([5, 5, 5, 10, 15])).toBeCloseTo(Math.sqrt(Math.PI / 2) * 3, 14);
    expect(robustSd([7, 7, 7])).toBe(0);
    expect(differenceNoise([1, 2, 3, 4])).toBe(0);
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('robustAnomalies', () => {
  it('flags the one spike of a hand-worked 12-point series with the exact band', () => {
    const y = [10, 11, 13, 16, 17, 19, 22, 23, 25, 28, 60, 29];
    // At index 10 the trailing window is y[0..9] (fewer than 30 points: all of them).
    //   sorted: 10 11 13 16 17 | 19 22 23 25 28   → median (17 + 19)/2 = 18
    //   |y − 18|: 8 7 5 2 1 1 4 5 7 10, sorted 1 1 2 4 5 | 5 7 7 8 10 → MAD 5
    //   window scale 1.4826·5 = 7.4130; floor: Δy = 1 2 3 1 2 3 1 2 3 32 −31,
    //   median 2, MAD 1 → 1.4826·1/√2 = 1.0484 < 7.4130, so the window scale holds.
    //   score (60 − 18)/7.4130 = 5.6657; band 18 ± 3·7.4130 = [−4.2390, 40.2390].
    const points = robustAnomalies(y);
    expect(points).toHaveLength(1);
    const [p] = points;
    expect(p?.index).toBe(10);
    expect(p?.value).toBe(60);
    expect(p?.expected).toBe(18);
    expect(p?.score).toBeCloseTo(42 / (5 * K), 12);
    expect(p?.lower).toBeCloseTo(18 - 15 * K, 12);
    expect(p?.upper).toBeCloseTo(18 + 15 * K, 12);
    expect(p?.direction).toBe('UP');
    expect(p && severityOf(p.score)).toBe('CRITICAL');
  });

  it('uses the series noise as a floor when a window is constant', () => {
    // Window at index 7 is all 10 (MAD 0); Δy = 0 0 0 0 0 0 1 −1 0: median 0, MAD 0,
    // mean|Δ| = 2/9 → floor 1.2533·(2/9)/√2 = 0.19696; score 1/0.19696 = 5.077.
    const y = [10, 10, 10, 10, 10, 10, 10, 11, 10, 10];
    const points = robustAnomalies(y);
    expect(points.map((p) => p.index)).toEqual([7]);
    expect(points[0]?.score).toBeCloseTo(1 / ((Math.sqrt(Math.PI / 2) * (2 / 9)) / Math.SQRT2), 12);
  });

  it('flags the first points of a sustained level shift, then follows the new level', () => {
    const y = Array.from(
      { length: 120 },
      (_, t) => (t >= 60 ? 20 : 0) + [0.3, -0.5, 0.1, 0.6, -0.2, -0.4, 0.5][t % 7]!,
    );
    const flagged = robustAnomalies(y).map((p) => p.index);
    expect(flagged[0]).toBe(60);
    expect(flagged.every((i) => i >= 60 && i < 60 + 30)).toBe(true);
    expect(flagged.length).toBeLessThan(30);
  });

  it('returns nothing for empty, short or constant input', () => {
    expect(robustAnomalies([])).toEqual([]);
    expect(robustAnomalies([1, 2, 100])).toEqual([]);
    expect(robustAnomalies(new Array<number>(50).fill(4))).toEqual([]);
    expect(robustAnomalies(new Array<number>(50).fill(0))).toEqual([]);
  });

  it('rejects non-finite values and meaningless options', () => {
    expect(() => robustAnomalies([1, Number.NaN, 3])).toThrow(RangeError);
    expect(() => robustAnomalies([1, 2, 3], { sensitivity: 0 })).toThrow(RangeError);
    expect(() => robustAnomalies([1, 2, 3], { window: 1 })).toThrow(RangeError);
    expect(() => robustAnomalies([1, 2, 3], { window: 4, minHistory: 5 })).toThrow(RangeError);
  });
});

describe('severityOf', () => {
  it('is WARNING from the sensitivity, CRITICAL from 1.5 times it, INFO below', () => {
    expect(severityOf(2.99)).toBe('INFO');
    expect(severityOf(3)).toBe('WARNING');
    expect(severityOf(4.49)).toBe('WARNING');
    expect(severityOf(4.5)).toBe('CRITICAL');
    expect(severityOf(5, 4)).toBe('WARNING');
    expect(severityOf(6, 4)).toBe('CRITICAL');
    expect(() => severityOf(Number.NaN)).toThrow(RangeError);
    expect(() => severityOf(3, -1)).toThrow(RangeError);
  });
});
