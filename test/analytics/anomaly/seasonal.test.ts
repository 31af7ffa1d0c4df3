import { describe, expect, it } from 'vitest';
import { autoAnomalies, autoMethod } from '../../../src/analytics/anomaly/auto.ts';
import { robustDecomposition, selfInfluence } from '../../../src/analytics/anomaly/decompose.ts';
import { detectPeriod } from '../../../src/analytics/anomaly/period.ts';
import { mulberry32 } from '../../../src/analytics/random.ts';
import { centredMedian } from '../../../src/analytics/anomaly/rolling.ts';
import { seasonalAnomalies } from '../../../src/analytics/anomaly/seasonal.ts';
import { gaussian } from './synthetic.ts';

const noise = (seed: number, n: number): number[] => {
  const g = gaussian(mulberry32(seed));
  return Array.from({ length: n }, () => g());
};
const daily = (t: number): number => 5 * Math.sin((2 * Math.PI * t) / 24);

describe('robustDecomposition', () => {
  it('splits a hand-worked alternating series with a spike into trend, season and remainder', () => {
    // Period 2. Pass 1: the centred median of length 2 is the mean of a pair: 5, except 25
    // for the pairs holding the 50 (t = 9, 10). Phase medians of y − T: even −5, odd +5.
    // Pass 2 on y − S (5 everywhere but 45 at t = 9) gives the same trend and season.
    const d = robustDecomposition([0, 10, 0, 10, 0, 10, 0, 10, 0, 50, 0, 10], 2);
    expect(d.trend).toEqual([5, 5, 5, 5, 5, 5, 5, 5, 5, 25, 25, 5]);
    expect(d.seasonal).toEqual([-5, 5, -5, 5, -5, 5, -5, 5, -5, 5, -5, 5]);
    expect(d.remainder).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 20, -20, 0]);
    expect(centredMedian([1, 9, 2, 3, 8], 3)).toEqual([2, 2, 3, 3, 3]);
    expect(() => robustDecomposition([1, 2, 3], 2)).toThrow(RangeError);
  });

  it('measures how far each value pulls its own phase median', () => {
    // Phase 0 holds 1 2 3 100 (median 2.5): without 1 the median is 3, without 100 it is 2.
    // Phase 1 holds 10 20 30 (median 20): without 10 it is 25, without 20 it is 20.
    expect(selfInfluence([1, 10, 2, 20, 3, 30, 100], 2)).toEqual([-0.5, -5, -0.5, 0, 0.5, 5, 0.5]);
  });
});

describe('seasonalAnomalies', () => {
  it('scores a hand-worked spike against season plus trailing level', () => {
    // S = −5/+5, A = y − S = 5 everywhere but 45 at t = 9. Scored from t = 5 (5 points of
    // history): expected = S_t + median(A before t) = 10 (odd) or 0 (even). Residuals
    // 0 0 0 0 40 0 0; MAD 0, so robustSd = 1.2533·40/7 = 7.1618 and the score is 40/7.1618.
    const points = seasonalAnomalies([0, 10, 0, 10, 0, 10, 0, 10, 0, 50, 0, 10], 2);
    expect(points).toHaveLength(1);
    const scale = (Math.sqrt(Math.PI / 2) * 40) / 7;
    expect(points[0]).toMatchObject({ index: 9, value: 50, expected: 10, direction: 'UP' });
    expect(points[0]?.score).toBeCloseTo(40 / scale, 12);
    expect(points[0]?.upper).toBeCloseTo(10 + 3 * scale, 12);
  });

  it('flags an inverted day but not the daily rhythm', () => {
    const e = noise(3, 24 * 10);
    const y = e.map((v, t) => 100 + (t >= 24 * 6 && t < 24 * 7 ? -1 : 1) * daily(t) + 0.3 * v);
    const flagged = seasonalAnomalies(y, 24).map((p) => p.index);
    expect(flagged.length).toBeGreaterThan(5);
    expect(flagged.every((i) => i >= 24 * 6 && i < 24 * 7)).toBe(true);
  });

  it('returns nothing for fewer than two periods', () => {
    expect(seasonalAnomalies([], 24)).toEqual([]);
    expect(seasonalAnomalies(noise(1, 47), 24)).toEqual([]);
  });
});

describe('detectPeriod', () => {
  it('finds a daily rhythm among hourly candidates', () => {
    expect(
      detectPeriod(
        noise(5, 24 * 14).map((v, t) => daily(t) + v),
        [24, 168],
      ),
    ).toBe(24);
    expect(
      detectPeriod(
        Array.from({ length: 96 }, (_, t) => Math.sin((2 * Math.PI * t) / 24)),
        [7, 24],
      ),
    ).toBe(24);
  });

  it('prefers the weekly period when weekends differ', () => {
    const y = noise(6, 24 * 7 * 4).map(
      (v, t) => (Math.floor(t / 24) % 7 >= 5 ? 0 : 1) * 3 * daily(t) + 0.5 * v,
    );
    expect(detectPeriod(y, [24, 168])).toBe(168);
  });

  it('finds no period in white noise, a random walk, a persistent AR(1) series or a trend', () => {
    const walk: number[] = [];
    const ar: number[] = [];
    noise(7, 400).forEach((v, t) => {
      walk.push((walk[t - 1] ?? 0) + v);
      ar.push(0.9 * (ar[t - 1] ?? 0) + v);
    });
    expect(detectPeriod(noise(8, 400), [7, 24])).toBeNull();
    expect(detectPeriod(walk, [7, 24])).toBeNull();
    expect(detectPeriod(ar, [7, 24])).toBeNull();
    expect(
      detectPeriod(
        noise(9, 400).map((v, t) => t + v),
        [7, 24],
      ),
    ).toBeNull();
    expect(detectPeriod(new Array<number>(100).fill(3), [7])).toBeNull();
  });

  it('ignores candidates the series is too short for', () => {
    expect(
      detectPeriod(
        noise(10, 40).map((v, t) => daily(t) + 0.1 * v),
        [24],
      ),
    ).toBeNull();
    expect(detectPeriod([1, 2], [])).toBeNull();
    expect(() => detectPeriod([1, 2, 3], [1])).toThrow(RangeError);
  });
});

describe('autoMethod', () => {
  it('picks SEASONAL for three full cycles of a rhythm, ROBUST otherwise', () => {
    const rhythm = (n: number): number[] => noise(11, n).map((v, t) => daily(t) + 0.5 * v);
    expect(autoMethod(rhythm(24 * 3), [24])).toBe('SEASONAL');
    expect(autoMethod(rhythm(24 * 3 - 1), [24])).toBe('ROBUST');
    expect(autoMethod(noise(12, 500), [24, 168])).toBe('ROBUST');
    const run = autoAnomalies(rhythm(24 * 5), [24, 168], { sensitivity: 4 });
    expect(run.method).toBe('SEASONAL');
    expect(run.period).toBe(24);
  });
});
