import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../../src/analytics/distributions.ts';
import { InsufficientDataError } from '../../../src/analytics/forecast/errors.ts';
import { holtWinters, holtWintersFilter } from '../../../src/analytics/forecast/holt-winters.ts';
import { seasonalInitialState } from '../../../src/analytics/forecast/seasonal-init.ts';
import { holtWintersVarianceFactor } from '../../../src/analytics/forecast/variance.ts';

// Reference: Hyndman & Athanasopoulos, "Forecasting: Principles and Practice",
// 3rd ed., §8.3 (Holt-Winters additive, component form), §8.7 and Table 8.8
// (ETS(A,A,A) and its forecast variance); §3.4 (classical decomposition).
//
// m = 4, y = [13, 10, 9, 14, 17, 16, 13, 18, 21, 19, 16, 23]
// (10 + t + [3, −1, −3, 1] with y₅, y₉, y₁₀, y₁₁ disturbed).
// Initial states from the first two seasons, worked by hand:
//   2×4 moving average, T_t = (y_{t−2}/2 + y_{t−1} + y_t + y_{t+1} + y_{t+2}/2)/4:
//     T₂ = 48/4 = 12, T₃ = 53/4 = 13.25, T₄ = 58/4 = 14.5, T₅ = 62/4 = 15.5
//   y − T: position 2: 9 − 12 = −3; 3: 14 − 13.25 = 0.75; 0: 17 − 14.5 = 2.5; 1: 16 − 15.5 = 0.5
//   their mean is 0.1875, so s = [2.3125, 0.3125, −3.1875, 0.5625]
//   seasonally adjusted first 8 points: 10.6875, 9.6875, 12.1875, 13.4375, 14.6875,
//     15.6875, 16.1875, 17.4375; mean 13.75, Sxy = 45.75, Sxx = 42
//   slope b = 45.75/42 = 61/56, intercept a = 13.75 − 3.5·61/56 = 9.9375
//   ℓ₋₁ = a − b = 9.9375 − 61/56, b₋₁ = 61/56
// With α = 0.4, β = 0.1, γ = 0.3 (state-space form; β* = β/α = 0.25):
//   ŷ₀ = a + s₀ = 12.25; e₀ = 0.75; ℓ₀ = 10.2375; b₀ = 61/56 + 0.075; s₀ ← 2.5375
//   ŷ₁ = ℓ₀ + b₀ + s₁ = 10.625 + 61/56; e₁ = −0.625 − 61/56
//   ℓ₁ = 10.0625 + 0.6·61/56; b₁ = 0.0125 + 0.9·61/56; s₁ ← 0.125 − 0.3·61/56
//   ŷ₂ = ℓ₁ + b₁ + s₂ = 6.8875 + 1.5·61/56
// The remaining values are checked against the component form written out literally below.
const y = [13, 10, 9, 14, 17, 16, 13, 18, 21, 19, 16, 23];
const params = { alpha: 0.4, beta: 0.1, gamma: 0.3 };
const b0 = 61 / 56;

/** FPP3 §8.3 component form, independent of the error-correction form in the source. */
function componentForm(
  series: readonly number[],
  m: number,
  alpha: number,
  betaStar: number,
  gamma: number,
  horizon: number,
) {
  const init = { level: 9.9375 - b0, trend: b0, season: [2.3125, 0.3125, -3.1875, 0.5625] };
  const s: number[] = [...init.season]; // s[t + m] holds s_t (time t counted from 0, the book's t + 1)
  let level = init.level;
  let trend = init.trend;
  const fitted: number[] = [];
  for (let t = 0; t < series.length; t++) {
    fitted.push(level + trend + s[t]!);
    const newLevel = alpha * (series[t]! - s[t]!) + (1 - alpha) * (level + trend);
    const newTrend = betaStar * (newLevel - level) + (1 - betaStar) * trend;
    s.push(gamma * (series[t]! - level - trend) + (1 - gamma) * s[t]!);
    level = newLevel;
    trend = newTrend;
  }
  const T = series.length;
  const forecasts: number[] = [];
  for (let h = 1; h <= horizon; h++) {
    const k = Math.floor((h - 1) / m);
    // s_{T+h−m(k+1)} in the book's 1-based time is s[(T + h − m(k+1) − 1) + m] here.
    forecasts.push(level + h * trend + s[T + h - m * (k + 1) - 1 + m]!);
  }
  return { fitted, forecasts };
}

describe('holtWinters', () => {
  it('takes its initial states from a classical decomposition of the first two seasons', () => {
    const init = seasonalInitialState(y, 4);
    [2.3125, 0.3125, -3.1875, 0.5625].forEach((v, j) => expect(init.season0[j]).toBeCloseTo(v, 12));
    expect(init.trend0).toBeCloseTo(b0, 12);
    expect(init.level0).toBeCloseTo(9.9375 - b0, 12);
  });

  it('recovers an exact line plus a zero-sum season, for odd and even m', () => {
    // A centred (2×)m moving average passes a line through and cancels a zero-sum season (FPP3 §3.3).
    for (const season of [
      [4, -1, -3],
      [3, -2, 1, -4, 2, 0, 0],
    ]) {
      const m = season.length;
      const series = Array.from({ length: 3 * m }, (_, t) => 5 + 2 * t + season[t % m]!);
      const init = seasonalInitialState(series, m);
      season.forEach((s, j) => expect(init.season0[j]).toBeCloseTo(s, 12));
      expect(init.trend0).toBeCloseTo(2, 12);
      expect(init.level0).toBeCloseTo(3, 12);
      const { fitted } = holtWintersFilter(series, params, init);
      fitted.forEach((f, t) => expect(f).toBeCloseTo(series[t]!, 11));
    }
  });

  it('follows the ETS(A,A,A) recursion worked by hand', () => {
    const { fitted } = holtWintersFilter(y, params, seasonalInitialState(y, 4));
    expect(fitted[0]).toBeCloseTo(12.25, 12);
    expect(fitted[1]).toBeCloseTo(10.625 + b0, 12);
    expect(fitted[2]).toBeCloseTo(6.8875 + 1.5 * b0, 12);
  });

  it('agrees with the textbook component form at every step and forecast', () => {
    const reference = componentForm(y, 4, 0.4, 0.25, 0.3, 9);
    const fit = holtWinters(y, 9, 0.95, 4, params);
    reference.fitted.forEach((v, t) => expect(fit.fitted[t]).toBeCloseTo(v, 12));
    reference.forecasts.forEach((v, h) => expect(fit.forecast[h]!.value).toBeCloseTo(v, 12));
    expect(fit.method).toBe('HOLT_WINTERS');
    expect(fit.seasonLength).toBe(4);
  });

  it('widens its intervals by the ETS(A,A,A) variance, γ entering once a season has passed', () => {
    const fit = holtWinters(y, 9, 0.95, 4, params);
    const sse = fit.fitted.reduce((a, f, t) => a + (y[t]! - f) ** 2, 0);
    const sigma2 = sse / (12 - 5); // k = m + 1: ℓ₀, b₀ and 3 free seasonal states
    const z = normalQuantile(0.975);
    fit.forecast.forEach((p, i) => {
      const h = i + 1;
      let factor = 1;
      for (let j = 1; j < h; j++) factor += (0.4 + 0.1 * j + (j % 4 === 0 ? 0.3 : 0)) ** 2;
      expect(p.upper - p.value).toBeCloseTo(z * Math.sqrt(sigma2 * factor), 10);
    });
  });

  it('uses the closed form of Table 8.8 for 1 + Σ_{j<h} (α + βj + γ[j ≡ 0 mod m])²', () => {
    for (const [alpha, beta, gamma, m] of [
      [0.4, 0.1, 0.3, 4],
      [0.2, 0.01, 0.5, 7],
      [0.9, 0.5, 0.05, 12],
    ] as const) {
      for (let h = 1; h <= 40; h++) {
        let direct = 1;
        for (let j = 1; j < h; j++) direct += (alpha + beta * j + (j % m === 0 ? gamma : 0)) ** 2;
        expect(holtWintersVarianceFactor(h, alpha, beta, gamma, m)).toBeCloseTo(direct, 9);
      }
    }
  });

  it('fits α, β, γ inside the usual region and tracks a clean seasonal pattern', () => {
    const series = Array.from(
      { length: 60 },
      (_, t) => 50 + 0.5 * t + [6, -2, -5, 1][t % 4]! + 0.3 * Math.sin(t * 1.7),
    );
    const fit = holtWinters(series, 8, 0.95, 4);
    const { alpha = Number.NaN, beta = Number.NaN, gamma = Number.NaN } = fit.params;
    expect(alpha).toBeGreaterThan(0);
    expect(beta).toBeLessThanOrEqual(alpha);
    expect(gamma).toBeLessThanOrEqual(1 - alpha);
    // Two steps ahead: 50 + 0.5·61 + season[61 mod 4 = 1] = 78.5, give or take the wiggle.
    expect(fit.forecast[1]!.value).toBeCloseTo(78.5, 0);
  });

  it('needs 2m + 2 points and says so', () => {
    expect(() => holtWinters(y.slice(0, 9), 1, 0.95, 4)).toThrow(InsufficientDataError);
    expect(() => holtWinters(y.slice(0, 9), 1, 0.95, 4)).toThrow(
      'forecast needs at least 10 points for HOLT_WINTERS with seasonLength 4 (got 9)',
    );
    expect(holtWinters(y.slice(0, 10), 1, 0.95, 4).forecast).toHaveLength(1);
  });

  it('rejects a season length below 2 and γ above 1 − α', () => {
    expect(() => holtWinters(y, 1, 0.95, 1)).toThrow(RangeError);
    expect(() => holtWinters(y, 1, 0.95, 2.5)).toThrow(RangeError);
    expect(() => holtWinters(y, 1, 0.95, 4, { alpha: 0.8, beta: 0.1, gamma: 0.3 })).toThrow(RangeError);
  });

  it('collapses the intervals of a constant series onto the forecast', () => {
    const fit = holtWinters(new Array<number>(12).fill(3.3), 5, 0.95, 4);
    expect(fit.forecast.every((p) => p.value === 3.3 && p.lower === 3.3 && p.upper === 3.3)).toBe(true);
    expect(fit.rmse).toBe(0);
  });
});
