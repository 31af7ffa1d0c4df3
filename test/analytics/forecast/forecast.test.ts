import { describe, expect, it } from 'vitest';
import { InsufficientDataError, SeasonNotFoundError } from '../../../src/analytics/forecast/errors.ts';
import { forecast } from '../../../src/analytics/forecast/forecast.ts';
import { lcg, simulateHoltWinters, simulateLine } from './simulate.ts';

// Reference: model selection by AIC among exponential-smoothing models,
// Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed., §8.6.
const seasonal = (seed: number) =>
  simulateHoltWinters(lcg(seed), 96, 0.2, 0.02, 0.1, 1, [8, -3, 2, -6, 0, 6, -2, -9, 1, 5, -1, -1]);
const line = (seed: number) => simulateLine(lcg(seed), 60, 3, 0.5, 1);

const errorOf = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('forecast AUTO', () => {
  it('picks HOLT_WINTERS for a strongly seasonal series, with the detected season', () => {
    for (const seed of [1, 2, 3]) {
      const fit = forecast(seasonal(seed), { horizon: 12 });
      expect(fit.method).toBe('HOLT_WINTERS');
      expect(fit.seasonLength).toBe(12);
    }
  });

  it('picks LINEAR or HOLT for a straight line with noise', () => {
    for (const seed of [1, 2, 3, 4, 5])
      expect(['LINEAR', 'HOLT']).toContain(forecast(line(seed), { horizon: 5 }).method);
  });

  it('chooses by out-of-sample error: an exactly repeating season goes to seasonal naive, with a rolling-origin error of 0', () => {
    const y = Array.from({ length: 48 }, (_, t) => [3, 9, 4, 1][t % 4]!);
    const fit = forecast(y, { horizon: 4, seasonCandidates: [4] });
    expect(fit.model).toBe('seasonal naive (4)');
    expect(fit.method).toBe('SEASONAL_NAIVE');
    expect(fit.forecast.map((p) => p.value)).toEqual([3, 9, 4, 1]);
    expect(fit.candidates.find((c) => c.name === 'seasonal naive (4)')).toEqual({
      name: 'seasonal naive (4)',
      cvRmse: 0,
      rejected: null,
    });
    // Every other candidate misses somewhere, e.g. the line by far more than 1.
    expect(fit.candidates.find((c) => c.name === 'linear trend')!.cvRmse).toBeGreaterThan(1);
  });

  it('tries every natural period the history holds twice, and MSTL over them: two weeks of hours give 24 and 168', () => {
    const hourly = Array.from(
      { length: 340 },
      (_, t) => 50 + 10 * Math.sin((2 * Math.PI * t) / 24) + (Math.floor(t / 24) % 7 >= 5 ? -15 : 0),
    );
    const names = forecast(hourly, { horizon: 24, seasonCandidates: [24, 168] }).candidates.map(
      (c) => c.name,
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'Holt-Winters (24)',
        'damped Holt-Winters (168)',
        'seasonal naive (168)',
        'MSTL (24, 168)',
      ]),
    );
    const shorter = forecast(hourly.slice(0, 300), {
      horizon: 24,
      seasonCandidates: [24, 168],
    }).candidates.map((c) => c.name);
    expect(shorter.some((n) => n.includes('168'))).toBe(false);
  });

  it('forecasts a week of hourly data with a daily and a weekly rhythm better than repeating the last week', () => {
    // Busy weekday daytimes, quiet nights and weekends, noise; 28 days to fit, the 29th–35th held out.
    const rng = lcg(11);
    const all = Array.from({ length: 35 * 24 }, (_, t) => {
      const day = Math.max(0, Math.sin((2 * Math.PI * ((t % 24) - 6)) / 24));
      return 200 + 60 * day * (Math.floor(t / 24) % 7 >= 5 ? 0.3 : 1) + 15 * (rng.uniform() - 0.5);
    });
    const y = all.slice(0, 28 * 24);
    const held = all.slice(28 * 24);
    const fit = forecast(y, { horizon: 168, seasonCandidates: [24, 168] });
    const rmse = (values: readonly number[]) =>
      Math.sqrt(held.reduce((a, v, i) => a + (v - values[i]!) ** 2, 0) / held.length);
    expect(fit.seasonLengths).toContain(168);
    expect(rmse(fit.forecast.map((p) => p.value))).toBeLessThan(
      rmse(held.map((_, i) => y[y.length - 168 + i]!)),
    );
    expect(Math.max(...fit.forecast.map((p) => p.value))).toBeLessThanOrEqual(Math.max(...y));
  });

  it("never keeps a forecast that leaves the data's range by more than its interval", () => {
    // Flat for 40 points, then a sharp rise at the end: trend models extrapolate it far past the data.
    const y = [...Array.from({ length: 40 }, (_, t) => 10 + (t % 3) * 0.1), 11, 13, 16, 20];
    const fit = forecast(y, { horizon: 30 });
    const hi = Math.max(...y);
    const lo = Math.min(...y);
    for (const p of fit.forecast)
      expect(Math.max(p.value - hi, lo - p.value, 0)).toBeLessThanOrEqual(p.upper - p.lower);
    // Holt's trend scores best out of sample here, and is the one passed over.
    expect(fit.candidates.find((c) => c.name === 'Holt')!.rejected).toMatch(/leaves the range/);
  });

  it('uses a given season length instead of detecting one', () => {
    const fit = forecast(seasonal(4), { horizon: 4, method: 'HOLT_WINTERS', seasonLength: 6 });
    expect(fit.seasonLength).toBe(6);
    expect(forecast(seasonal(4), { horizon: 4, seasonCandidates: [12] }).seasonLength).toBe(12);
  });

  it('skips HOLT_WINTERS when the series is too short for the season, and uses LINEAR alone on 3 points', () => {
    expect(forecast(line(1).slice(0, 20), { horizon: 2, seasonLength: 12 }).method).not.toBe('HOLT_WINTERS');
    expect(forecast([1, 2, 4], { horizon: 2 }).method).toBe('LINEAR');
  });

  it('returns fitted values aligned with the input and `horizon` finite points', () => {
    const y = seasonal(5);
    const fit = forecast(y, { horizon: 30, confidence: 0.8 });
    expect(fit.fitted).toHaveLength(y.length);
    expect(fit.forecast).toHaveLength(30);
    for (const p of fit.forecast) {
      expect(Number.isFinite(p.value) && Number.isFinite(p.lower) && Number.isFinite(p.upper)).toBe(true);
      expect(p.lower).toBeLessThanOrEqual(p.value);
      expect(p.value).toBeLessThanOrEqual(p.upper);
    }
    expect(fit.rmse).toBeGreaterThan(0);
  });

  it('forecasts a constant series as that constant with collapsed intervals, for every method', () => {
    const y = new Array<number>(30).fill(0.1);
    for (const method of ['AUTO', 'LINEAR', 'HOLT'] as const) {
      const fit = forecast(y, { horizon: 3, method });
      expect(fit.forecast).toEqual([0.1, 0.1, 0.1].map((v) => ({ value: v, lower: v, upper: v })));
      expect(fit.rmse).toBe(0);
    }
    expect(forecast(y, { horizon: 3, method: 'HOLT_WINTERS', seasonLength: 7 }).forecast[2]).toEqual({
      value: 0.1,
      lower: 0.1,
      upper: 0.1,
    });
  });
});

describe('forecast errors', () => {
  it('names the minimum when there is too little data', () => {
    const cases = [
      { y: [1, 2], method: 'AUTO', minimum: 3, message: 'forecast needs at least 3 points for AUTO (got 2)' },
      {
        y: [1, 2],
        method: 'LINEAR',
        minimum: 3,
        message: 'forecast needs at least 3 points for LINEAR (got 2)',
      },
      {
        y: [1, 2, 3],
        method: 'HOLT',
        minimum: 4,
        message: 'forecast needs at least 4 points for HOLT (got 3)',
      },
      {
        y: [1, 2, 3, 4, 5, 6, 7, 8, 9],
        method: 'HOLT_WINTERS',
        seasonLength: 4,
        minimum: 10,
        message: 'forecast needs at least 10 points for HOLT_WINTERS with seasonLength 4 (got 9)',
      },
    ] as const;
    for (const { y, method, minimum, message, ...rest } of cases) {
      const error = errorOf(() => forecast(y, { horizon: 1, method, ...rest }));
      expect(error).toBeInstanceOf(InsufficientDataError);
      expect(error).toMatchObject({ minimum, got: y.length, message });
    }
  });

  it('asks for a season length when HOLT_WINTERS finds none', () => {
    const noise = simulateLine(lcg(3), 100, 0, 0, 1);
    expect(() => forecast(noise, { horizon: 1, method: 'HOLT_WINTERS' })).toThrow(SeasonNotFoundError);
  });

  it('rejects a horizon outside 1..1000, a confidence outside (0, 1) and a bad season length', () => {
    const y = line(1);
    for (const horizon of [0, -1, 1.5, 1001, Number.NaN])
      expect(() => forecast(y, { horizon })).toThrow(RangeError);
    for (const confidence of [0, 1, -0.5, 1.5, Number.NaN])
      expect(() => forecast(y, { horizon: 1, confidence })).toThrow(RangeError);
    for (const seasonLength of [1, 0, 2.5])
      expect(() => forecast(y, { horizon: 1, seasonLength })).toThrow(RangeError);
    expect(() => forecast([1, 2, Number.POSITIVE_INFINITY, 4], { horizon: 1 })).toThrow(RangeError);
    expect(forecast(y, { horizon: 1000 }).forecast).toHaveLength(1000);
  });
});
