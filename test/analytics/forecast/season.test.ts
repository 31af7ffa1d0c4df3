import { describe, expect, it } from 'vitest';
import { autocorrelation, detectSeasonLength } from '../../../src/analytics/forecast/season.ts';
import { lcg } from './simulate.ts';

// Reference: the sample autocorrelation and its ±z/√n white-noise band,
// Box, Jenkins, Reinsel & Ljung, "Time Series Analysis", 5th ed., §2.1.5–2.1.6;
// the small example is worked by hand.
const sine = (seed: number, n: number, period: number, amplitude: number, noise: number) => {
  const rng = lcg(seed);
  return Array.from(
    { length: n },
    (_, t) => amplitude * Math.sin((2 * Math.PI * t) / period) + noise * rng.normal(),
  );
};

/** Four weeks of hourly values: a daily wave, a weekend drop and noise. */
const hourly = (seed: number, weekendDrop: number) => {
  const rng = lcg(seed);
  return Array.from(
    { length: 24 * 7 * 4 },
    (_, t) =>
      100 +
      10 * Math.sin((2 * Math.PI * t) / 24) +
      (Math.floor(t / 24) % 7 >= 5 ? -weekendDrop : 0) +
      2 * rng.normal(),
  );
};

describe('autocorrelation', () => {
  it('matches a hand-worked example', () => {
    // x = 1, 2, 3, 4: deviations −1.5, −0.5, 0.5, 1.5; c₀ = 5
    // r₁ = (0.75 − 0.25 + 0.75)/5 = 0.25, r₂ = (−0.75 − 0.75)/5 = −0.3, r₃ = −2.25/5 = −0.45
    const r = autocorrelation([1, 2, 3, 4], 3);
    [1, 0.25, -0.3, -0.45].forEach((v, k) => expect(r[k]).toBeCloseTo(v, 14));
  });

  it('is zero for a constant series', () => {
    expect(autocorrelation([2, 2, 2], 2)).toEqual([0, 0, 0]);
  });
});

describe('detectSeasonLength', () => {
  it('finds the period of a noisy sine', () => {
    for (const seed of [1, 2, 3, 4, 5]) expect(detectSeasonLength(sine(seed, 240, 24, 3, 2))).toBe(24);
  });

  it('finds the period on top of a trend', () => {
    const y = sine(9, 120, 12, 2, 1).map((v, t) => v + 0.5 * t);
    expect(detectSeasonLength(y)).toBe(12);
  });

  it('returns null for white noise and for a straight line with noise', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      expect(detectSeasonLength(sine(seed, 200, 24, 0, 1))).toBeNull();
      expect(detectSeasonLength(sine(seed, 60, 24, 0, 1).map((v, t) => 3 + 0.5 * t + v))).toBeNull();
    }
  });

  it('returns null for a constant or a too-short series', () => {
    expect(detectSeasonLength(new Array<number>(50).fill(4))).toBeNull();
    expect(detectSeasonLength([1, 5, 1, 5, 1, 5, 1])).toBeNull();
  });

  it('prefers the weekly candidate when hourly data has a weekly as well as a daily rhythm', () => {
    // Lag 168 carries both rhythms, so it correlates clearly better than lag 24 does.
    for (const seed of [1, 2, 3]) {
      expect(detectSeasonLength(hourly(seed, 15), [24, 168])).toBe(168);
      expect(detectSeasonLength(hourly(seed, 15))).toBe(168);
    }
  });

  it('keeps the daily candidate when the weekly rhythm is absent', () => {
    for (const seed of [1, 2, 3]) expect(detectSeasonLength(hourly(seed, 0), [24, 168])).toBe(24);
  });

  it('uses a daily-bucket candidate of 7', () => {
    const rng = lcg(11);
    const daily = Array.from({ length: 56 }, (_, t) => 20 + [3, 1, 0, 1, 2, -6, -7][t % 7]! + rng.normal());
    expect(detectSeasonLength(daily, [7])).toBe(7);
  });

  it('falls back to the full search when no candidate is a peak, and ignores impossible candidates', () => {
    expect(detectSeasonLength(sine(3, 240, 24, 3, 1), [7, 1000])).toBe(24);
  });
});
