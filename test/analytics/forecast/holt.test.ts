import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../../src/analytics/distributions.ts';
import { InsufficientDataError } from '../../../src/analytics/forecast/errors.ts';
import { holt, holtFilter, holtInitialState } from '../../../src/analytics/forecast/holt.ts';
import { holtVarianceFactor } from '../../../src/analytics/forecast/variance.ts';
import { lcg, simulateHolt } from './simulate.ts';

// Reference: Hyndman & Athanasopoulos, "Forecasting: Principles and Practice",
// 3rd ed., §8.2 (Holt's method) and §8.7 (ETS(A,A,N) state-space form, Table 8.8
// variance); the recursion below is worked by hand.
//
// y = [1, 3, 2, 5, 4], α = 0.5, β = 0.25.
// Initial state: line through the first 4 points (t = 0..3, y = 1, 3, 2, 5):
//   x̄ = 1.5, ȳ = 2.75, Sxx = 5, Sxy = 2.625 − 0.125 − 0.375 + 3.375 = 5.5
//   slope b = 1.1, intercept a = 2.75 − 1.1·1.5 = 1.1  →  ℓ₋₁ = a − b = 0, b₋₁ = 1.1
// Recursion ŷ_t = ℓ + b; e = y − ŷ; ℓ ← ŷ + αe; b ← b + βe:
//   t=0: ŷ = 1.1,          e = −0.1,          ℓ = 1.05,          b = 1.075
//   t=1: ŷ = 2.125,        e = 0.875,         ℓ = 2.5625,        b = 1.29375
//   t=2: ŷ = 3.85625,      e = −1.85625,      ℓ = 2.928125,      b = 0.8296875
//   t=3: ŷ = 3.7578125,    e = 1.2421875,     ℓ = 4.37890625,    b = 1.140234375
//   t=4: ŷ = 5.519140625,  e = −1.519140625,  ℓ = 4.7595703125,  b = 0.76044921875
// SSE = 0.01 + 0.765625 + 3.4456640625 + 1.54302978515625 + 2.307788240909576 = 52901361/6553600
// Forecasts ℓ + h·b: h=1 5.52001953125, h=2 6.28046875, h=3 7.04091796875.
// σ² = SSE/(n − 2) (α, β given, so only ℓ₀, b₀ are estimated) = 2.690702362060547.
// Variance factors: h=1 1; h=2 1 + (α+β)² = 1.5625; h=3 1 + 0.75² + (α+2β)² = 2.5625.
// 95 % half-widths z·σ·√factor: 3.2149995836080607, 4.018749479510076, 5.146510439284323.
describe('holt', () => {
  const y = [1, 3, 2, 5, 4];
  const params = { alpha: 0.5, beta: 0.25 };

  it('starts from the line through the first four points', () => {
    const init = holtInitialState(y);
    expect(init.level0).toBeCloseTo(0, 12);
    expect(init.trend0).toBeCloseTo(1.1, 12);
  });

  it('follows the ETS(A,A,N) recursion worked by hand', () => {
    const states = holtFilter(y, 0.5, 0.25, 0, 1.1);
    const close = (actual: readonly number[], expected: readonly number[]) =>
      expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 12));
    close(states.fitted, [1.1, 2.125, 3.85625, 3.7578125, 5.519140625]);
    close(states.level, [1.05, 2.5625, 2.928125, 4.37890625, 4.7595703125]);
    close(states.trend, [1.075, 1.29375, 0.8296875, 1.140234375, 0.76044921875]);
    expect(states.sse).toBeCloseTo(52901361 / 6553600, 12);
  });

  it('forecasts with the analytic ETS(A,A,N) variance and normal quantiles', () => {
    const fit = holt(y, 3, 0.95, params);
    expect(fit.method).toBe('HOLT');
    expect(fit.seasonLength).toBeNull();
    expect(fit.fitted[4]).toBeCloseTo(5.519140625, 12);
    expect(fit.rmse).toBeCloseTo(Math.sqrt(52901361 / 6553600 / 5), 12);
    const values = [5.52001953125, 6.28046875, 7.04091796875];
    const halves = [3.2149995836080607, 4.018749479510076, 5.146510439284323];
    fit.forecast.forEach((p, i) => {
      expect(p.value).toBeCloseTo(values[i]!, 12);
      expect(p.upper - p.value).toBeCloseTo(halves[i]!, 12);
      expect(p.value - p.lower).toBeCloseTo(halves[i]!, 12);
    });
    expect(fit.params).toMatchObject({ alpha: 0.5, beta: 0.25 });
    expect(fit.params['sigma']).toBeCloseTo(Math.sqrt(2.690702362060547), 12);
  });

  it('uses the closed form of 1 + Σ_{j<h} (α + βj)²', () => {
    for (const [alpha, beta] of [
      [0.5, 0.25],
      [0.9, 0.05],
      [0.2, 0.2],
    ] as const) {
      for (let h = 1; h <= 30; h++) {
        let direct = 1;
        for (let j = 1; j < h; j++) direct += (alpha + beta * j) ** 2;
        expect(holtVarianceFactor(h, alpha, beta)).toBeCloseTo(direct, 10);
      }
    }
  });

  it('fits α and β that keep 0 < β ≤ α < 1 and recover a simulated process roughly', () => {
    const series = simulateHolt(lcg(42), 400, 0.5, 0.1, 1);
    const fit = holt(series, 5, 0.9);
    const { alpha = Number.NaN, beta = Number.NaN } = fit.params;
    expect(beta).toBeGreaterThan(0);
    expect(beta).toBeLessThanOrEqual(alpha);
    expect(alpha).toBeLessThan(1);
    expect(alpha).toBeGreaterThan(0.35);
    expect(alpha).toBeLessThan(0.65);
    expect(fit.rmse).toBeGreaterThan(0.85);
    expect(fit.rmse).toBeLessThan(1.15);
    // No fitted parameters do better than the optimum on the one-step SSE.
    const sseAt = (a: number, b: number) =>
      holtFilter(series, a, b, fit.params['level0']!, fit.params['trend0']!).sse;
    const best = sseAt(alpha, beta);
    for (const [a, b] of [
      [0.5, 0.1],
      [alpha * 1.05, beta],
      [alpha * 0.95, beta],
      [alpha, beta * 1.1],
      [alpha, beta * 0.9],
    ] as const) {
      expect(best).toBeLessThanOrEqual(sseAt(a, b) + 1e-9);
    }
  });

  it('collapses the intervals of a constant series onto the forecast', () => {
    const fit = holt([7, 7, 7, 7, 7, 7], 3, 0.95);
    expect(fit.forecast).toEqual([7, 7, 7].map((v) => ({ value: v, lower: v, upper: v })));
    expect(fit.fitted).toEqual([7, 7, 7, 7, 7, 7]);
    expect(fit.rmse).toBe(0);
    expect(Number.isFinite(fit.aic)).toBe(true);
  });

  it('needs four points and says so', () => {
    expect(() => holt([1, 2, 3], 1, 0.95)).toThrow(InsufficientDataError);
    expect(() => holt([1, 2, 3], 1, 0.95)).toThrow('forecast needs at least 4 points for HOLT (got 3)');
    try {
      holt([1, 2, 3], 1, 0.95);
    } catch (e) {
      expect(e).toMatchObject({ minimum: 4, got: 3 });
    }
  });

  it('rejects parameters outside 0 ≤ β ≤ α ≤ 1', () => {
    expect(() => holt(y, 1, 0.95, { alpha: 0.2, beta: 0.3 })).toThrow(RangeError);
    expect(() => holt(y, 1, 0.95, { alpha: 1.2, beta: 0.3 })).toThrow(RangeError);
  });

  it('uses the requested confidence through the normal quantile', () => {
    const f80 = holt(y, 1, 0.8, params).forecast[0]!;
    const f95 = holt(y, 1, 0.95, params).forecast[0]!;
    expect((f80.upper - f80.value) / (f95.upper - f95.value)).toBeCloseTo(
      normalQuantile(0.9) / normalQuantile(0.975),
      12,
    );
  });
});
