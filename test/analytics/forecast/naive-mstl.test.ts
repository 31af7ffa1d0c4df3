import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../../src/analytics/distributions.ts';
import { combineFits } from '../../../src/analytics/forecast/combine.ts';
import { forecast } from '../../../src/analytics/forecast/forecast.ts';
import { mstlForecast } from '../../../src/analytics/forecast/mstl.ts';
import { seasonalNaive } from '../../../src/analytics/forecast/naive.ts';

// Reference: Hyndman & Athanasopoulos, "Forecasting: Principles and Practice",
// 3rd ed., §5.2 (seasonal naive) and §5.5, Table 5.2 (its h-step sd σ√(k + 1),
// k = ⌊(h − 1)/m⌋); Bandara, Hyndman & Bergmeir (2021), MSTL; Bates & Granger
// (1969), combining forecasts.
describe('seasonal naive', () => {
  it('repeats the last season, with σ from the seasonal differences, worked by hand', () => {
    // m = 2, y = [1, 5, 2, 6, 4, 7]: differences 1, 1, 2, 1, σ² = 7/4.
    const fit = seasonalNaive([1, 5, 2, 6, 4, 7], 2, 3, 0.95);
    expect(fit.forecast.map((p) => p.value)).toEqual([4, 7, 4]);
    const z = normalQuantile(0.975);
    expect(fit.forecast[0]!.upper - 4).toBeCloseTo(z * Math.sqrt(7 / 4), 12);
    expect(fit.forecast[2]!.upper - 4).toBeCloseTo(z * Math.sqrt(7 / 4) * Math.SQRT2, 12);
    expect(fit.model).toBe('seasonal naive (2)');
  });
});

describe('MSTL', () => {
  const daily = Array.from({ length: 24 }, (_, h) => 10 * Math.sin((2 * Math.PI * h) / 24));
  const weekly = [3, 3, 3, 3, 3, -7.5, -7.5];
  const truth = (t: number) => 50 + 0.01 * t + daily[t % 24]! + weekly[Math.floor(t / 24) % 7]!;

  it('separates a daily and a weekly rhythm on a trend and forecasts them within 2 % of their amplitude', () => {
    const y = Array.from({ length: 504 }, (_, t) => truth(t));
    const fit = mstlForecast(y, [168, 24], 48, 0.95);
    expect(fit.seasonLengths).toEqual([24, 168]);
    expect(fit.method).toBe('MSTL');
    fit.forecast.forEach((p, i) => expect(Math.abs(p.value - truth(504 + i))).toBeLessThan(0.4));
  });

  it("is what forecast(method: MSTL) gives with the bucket's natural periods", () => {
    const y = Array.from({ length: 400 }, (_, t) => truth(t));
    expect(forecast(y, { horizon: 5, method: 'MSTL', seasonCandidates: [24, 168] }).model).toMatch(
      /^MSTL \(24, 168\)/,
    );
  });
});

describe('combination', () => {
  it('averages two forecasts and their bounds, worked by hand', () => {
    const y = [1, 5, 2, 6, 4, 7];
    // Seasonal naive (2) forecasts 4, 7 with bounds ±z·√(7/4) (see above); the other is made up.
    const a = seasonalNaive(y, 2, 2, 0.95);
    const b = {
      ...a,
      model: 'other',
      seasonLengths: [3],
      forecast: [
        { value: 10, lower: 8, upper: 12 },
        { value: 0, lower: -1, upper: 1 },
      ],
      fitted: y.map(() => 4),
    };
    const fit = combineFits(y, a, b);
    const half = normalQuantile(0.975) * Math.sqrt(7 / 4);
    expect(fit.forecast[0]!.value).toBeCloseTo(7, 12);
    expect(fit.forecast[0]!.lower).toBeCloseTo((4 - half + 8) / 2, 12);
    expect(fit.forecast[1]!.upper).toBeCloseTo((7 + half + 1) / 2, 12);
    expect(fit).toMatchObject({
      method: 'COMBINATION',
      model: 'mean of seasonal naive (2) and other',
      seasonLengths: [2, 3],
      seasonLength: 3,
    });
  });
});
