import { describe, expect, it } from 'vitest';
import { durationSurprise } from '../../src/analytics/duration-regression.ts';
import { studentTCdf } from '../../src/analytics/distributions.ts';

describe('durationSurprise', () => {
  it('works a three-point history by hand', () => {
    // ln history = ln 100 + (0, 0.1, −0.1): mean ln 100, s = √((0 + 0.01 + 0.01) / 2) = 0.1.
    // x = 100·e^0.3: t = 0.3 / (0.1·√(4/3)) = 3√3/2 ≈ 2.598; with 2 degrees of freedom the t CDF is
    // 1/2 + t / (2√(2 + t²)) = 1/2 + 3√3 / (2√35), so P(T ≥ t) = 1/2 − 3√3 / (2√35) ≈ 0.0608.
    const r = durationSurprise([100, 100 * Math.exp(0.1), 100 * Math.exp(-0.1)], 100 * Math.exp(0.3));
    expect(r.n).toBe(3);
    expect(r.t).toBeCloseTo((3 * Math.sqrt(3)) / 2, 12);
    expect(r.pValue).toBeCloseTo(0.5 - (3 * Math.sqrt(3)) / (2 * Math.sqrt(35)), 12);
  });

  it('agrees with the t distribution on a larger history, and says a faster run is no regression', () => {
    const history = [200, 210, 190, 205, 195, 202, 198, 207];
    const slow = durationSurprise(history, 260);
    expect(slow.pValue).toBeCloseTo(1 - studentTCdf(slow.t, 7), 12);
    expect(slow.pValue).toBeLessThan(0.001);
    const fast = durationSurprise(history, 150);
    expect(fast.t).toBeLessThan(0);
    expect(fast.pValue).toBeGreaterThan(0.99);
  });

  it('handles a history that never varied, sub-millisecond durations, and refuses too little history', () => {
    expect(durationSurprise([50, 50, 50], 80)).toEqual({ n: 3, t: Infinity, pValue: 0 });
    expect(durationSurprise([50, 50, 50], 50)).toEqual({ n: 3, t: 0, pValue: 0.5 });
    expect(durationSurprise([0, 0.5, 1], 1).t).toBe(0);
    expect(() => durationSurprise([100], 200)).toThrow(RangeError);
  });
});
