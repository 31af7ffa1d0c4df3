import { describe, expect, it } from 'vitest';
import {
  etsFilter,
  etsForecast,
  etsInitialState,
  etsVarianceFactors,
  fitEts,
  PHI_MAX,
  PHI_MIN,
} from '../../../src/analytics/forecast/ets.ts';

// Reference: Gardner & McKenzie (1985), "Forecasting trends in time series",
// Management Science 31(10); Hyndman & Athanasopoulos, "Forecasting: Principles
// and Practice", 3rd ed., §8.2 (damped trend, component form):
//   ℓ_t = αy_t + (1 − α)(ℓ_{t−1} + φb_{t−1}); b_t = β*(ℓ_t − ℓ_{t−1}) + (1 − β*)φb_{t−1};
//   ŷ_{t+h|t} = ℓ_t + (φ + φ² + … + φʰ)b_t.
// Written out literally below, independent of the error-correction form in the source.
function dampedComponentForm(
  y: readonly number[],
  alpha: number,
  betaStar: number,
  phi: number,
  level0: number,
  trend0: number,
  horizon: number,
) {
  let level = level0;
  let trend = trend0;
  const fitted: number[] = [];
  for (const v of y) {
    fitted.push(level + phi * trend);
    const next = alpha * v + (1 - alpha) * (level + phi * trend);
    trend = betaStar * (next - level) + (1 - betaStar) * phi * trend;
    level = next;
  }
  const forecasts: number[] = [];
  for (let h = 1; h <= horizon; h++) {
    let damping = 0;
    for (let i = 1; i <= h; i++) damping += phi ** i;
    forecasts.push(level + damping * trend);
  }
  return { fitted, forecasts, level, trend };
}

const y = [10, 12, 13, 15, 14, 17, 18, 18, 21, 20, 22, 23];

describe('damped trend (ETS(A,Ad,N))', () => {
  it('follows the Gardner–McKenzie component form at every step and forecast', () => {
    const init = etsInitialState(y, { trend: 'Ad', season: null });
    // Hand-worked start: the line through 10, 12, 13, 15 is 10.1 + 1.6t, so ℓ₋₁ = 8.5, b₋₁ = 1.6.
    expect(init.level).toBeCloseTo(8.5, 12);
    expect(init.trend).toBeCloseTo(1.6, 12);
    // ŷ₀ = 8.5 + 0.9·1.6 = 9.94; e₀ = 0.06; ℓ₀ = 9.94 + 0.5·0.06 = 9.97; b₀ = 1.44 + 0.1·0.06 = 1.446.
    const fitted: number[] = [];
    etsFilter(y, { alpha: 0.5, beta: 0.1, gamma: 0, phi: 0.9 }, init, y.length, fitted);
    expect(fitted[0]).toBeCloseTo(9.94, 12);
    expect(fitted[1]).toBeCloseTo(9.97 + 0.9 * 1.446, 12);
    const params = { alpha: 0.5, beta: 0.1, gamma: 0, phi: 0.9 };
    const reference = dampedComponentForm(y, 0.5, 0.2, 0.9, 8.5, 1.6, 10);
    const fit = etsForecast(y, { trend: 'Ad', season: null }, 10, 0.95, params);
    reference.fitted.forEach((v, t) => expect(fit.fitted[t]).toBeCloseTo(v, 10));
    reference.forecasts.forEach((v, h) => expect(fit.forecast[h]!.value).toBeCloseTo(v, 10));
    expect(fit.model).toBe('damped Holt');
    expect(fit.method).toBe('HOLT');
  });

  it('flattens: the forecast approaches ℓ + φ/(1 − φ)·b instead of growing without bound', () => {
    const params = { alpha: 0.5, beta: 0.1, gamma: 0, phi: 0.9 };
    const fit = etsForecast(y, { trend: 'Ad', season: null }, 400, 0.95, params);
    const { level, trend } = dampedComponentForm(y, 0.5, 0.2, 0.9, 8.5, 1.6, 1);
    expect(fit.forecast.at(-1)!.value).toBeCloseTo(level + (trend * 0.9) / (1 - 0.9), 8);
  });

  it('widens by 1 + Σ_{j<h} (α + β(φ + … + φʲ) + γ[j ≡ 0 mod m])², Hyndman et al. 2008 Table 6.1', () => {
    const [alpha, beta, gamma, phi, m] = [0.4, 0.1, 0.3, 0.9, 4];
    const factors = etsVarianceFactors({ alpha, beta, gamma, phi }, m, 9);
    // h = 2: 1 + (0.4 + 0.1·0.9)² = 1.2401; h = 5 adds the season at j = 4.
    expect(factors[1]).toBeCloseTo(1.2401, 12);
    let direct = 1;
    for (let j = 1; j < 5; j++)
      direct += (alpha + beta * ((phi * (1 - phi ** j)) / (1 - phi)) + (j % m === 0 ? gamma : 0)) ** 2;
    expect(factors[4]).toBeCloseTo(direct, 12);
  });

  it("fits φ inside [0.8, 0.98], as R's ets bounds it", () => {
    const series = Array.from({ length: 80 }, (_, t) => 100 + 20 * (1 - 0.95 ** t) + Math.sin(t * 2.3));
    const { phi } = fitEts(series, { trend: 'Ad', season: 4 });
    expect(phi).toBeGreaterThanOrEqual(PHI_MIN);
    expect(phi).toBeLessThanOrEqual(PHI_MAX);
  });
});
