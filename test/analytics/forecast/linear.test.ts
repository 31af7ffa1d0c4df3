import { describe, expect, it } from 'vitest';
import { InsufficientDataError } from '../../../src/analytics/forecast/errors.ts';
import { linearForecast } from '../../../src/analytics/forecast/linear.ts';

// Reference: the prediction interval for a new observation in simple linear
// regression, ŷ₀ ± t_{1−α/2, n−2} · s · √(1 + 1/n + (x₀ − x̄)²/Sxx)
// (Montgomery, Peck & Vining, "Introduction to Linear Regression Analysis", §2.5),
// worked by hand with t_{0.975, 3} = 3.182446305284263 from a t table.
//
// y = [1, 2, 4, 3, 5] at x = 0..4:
//   x̄ = 2, ȳ = 3, Sxx = 10, Sxy = 4 + 1 + 0 + 0 + 4 = 9 → slope 0.9, intercept 3 − 1.8 = 1.2
//   fitted 1.2, 2.1, 3.0, 3.9, 4.8; residuals −0.2, −0.1, 1, −0.9, 0.2; SSE = 1.9
//   s = √(1.9/3) = 0.7958224257542215
//   x₀ = 5: ŷ = 5.7, √(1 + 1/5 + 9/10) = √2.1 → half-width 3.670176121986957
//   x₀ = 6: ŷ = 6.6, √(1 + 1/5 + 16/10) = √2.8 → half-width 4.237954344005013
describe('linearForecast', () => {
  const y = [1, 2, 4, 3, 5];

  it('matches the hand-worked prediction interval', () => {
    const fit = linearForecast(y, 2, 0.95);
    expect(fit.method).toBe('LINEAR');
    expect(fit.seasonLength).toBeNull();
    expect(fit.params['slope']).toBeCloseTo(0.9, 12);
    expect(fit.params['intercept']).toBeCloseTo(1.2, 12);
    expect(fit.params['sigma']).toBeCloseTo(0.7958224257542215, 12);
    [1.2, 2.1, 3, 3.9, 4.8].forEach((v, i) => expect(fit.fitted[i]).toBeCloseTo(v, 12));
    expect(fit.rmse).toBeCloseTo(Math.sqrt(1.9 / 5), 12);
    const [h1, h2] = fit.forecast;
    expect(h1!.value).toBeCloseTo(5.7, 12);
    expect(h1!.lower).toBeCloseTo(5.7 - 3.670176121986957, 9);
    expect(h1!.upper).toBeCloseTo(5.7 + 3.670176121986957, 9);
    expect(h2!.value).toBeCloseTo(6.6, 12);
    expect(h2!.upper - h2!.value).toBeCloseTo(4.237954344005013, 9);
  });

  it('reports AIC as n·ln(SSE/n) + 2·2', () => {
    expect(linearForecast(y, 1, 0.95).aic).toBeCloseTo(5 * Math.log(1.9 / 5) + 4, 12);
  });

  it('collapses the intervals of a perfect line onto it', () => {
    const fit = linearForecast([1, 2, 3, 4], 2, 0.99);
    expect(fit.forecast).toEqual([
      { value: 5, lower: 5, upper: 5 },
      { value: 6, lower: 6, upper: 6 },
    ]);
    expect(Number.isFinite(fit.aic)).toBe(true);
  });

  it('needs three points and says so', () => {
    expect(() => linearForecast([1, 2], 1, 0.95)).toThrow(InsufficientDataError);
    expect(() => linearForecast([1, 2], 1, 0.95)).toThrow(
      'forecast needs at least 3 points for LINEAR (got 2)',
    );
  });

  it('rejects a bad horizon, confidence or value', () => {
    expect(() => linearForecast(y, 0, 0.95)).toThrow(RangeError);
    expect(() => linearForecast(y, 1001, 0.95)).toThrow(RangeError);
    expect(() => linearForecast(y, 2.5, 0.95)).toThrow(RangeError);
    expect(() => linearForecast(y, 1, 1)).toThrow(RangeError);
    expect(() => linearForecast(y, 1, 0)).toThrow(RangeError);
    expect(() => linearForecast([1, Number.NaN, 3], 1, 0.95)).toThrow(RangeError);
  });
});
