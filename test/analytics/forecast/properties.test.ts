import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ForecastFit } from '../../../src/analytics/forecast/common.ts';
import { forecast, type ForecastMethodChoice } from '../../../src/analytics/forecast/forecast.ts';

// Reference: the additive models here are equivariant under affine maps of the
// data — y → a + c·y (c > 0) maps level and forecasts the same way and scales
// errors, σ and interval half-widths by c (Hyndman et al., "Forecasting with
// Exponential Smoothing", 2008, ch. 3: the states enter the observation
// equation linearly) — so the forecasts must move with the data.
const value = fc.integer({ min: -100_000, max: 100_000 }).map((v) => v / 100);
const series = fc.array(value, { minLength: 10, maxLength: 40 });
const horizon = fc.integer({ min: 1, max: 6 });
const methods: readonly { method: ForecastMethodChoice; seasonLength?: number }[] = [
  { method: 'AUTO' },
  { method: 'LINEAR' },
  { method: 'HOLT' },
  { method: 'HOLT_WINTERS', seasonLength: 4 },
];

const magnitude = (...xs: readonly (readonly number[])[]) => Math.max(0, ...xs.flat().map(Math.abs));
const numbers = (fit: ForecastFit) => fit.forecast.flatMap((p) => [p.value, p.lower, p.upper]);

function expectClose(actual: readonly number[], expected: readonly number[], scale: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1e-6 * scale));
}

describe.each(methods)('forecast properties ($method)', (options) => {
  const run = (y: readonly number[], h: number) => forecast(y, { horizon: h, ...options });

  it('shifts forecasts and bounds by a constant added to the series', () => {
    fc.assert(
      fc.property(series, horizon, value, (y, h, c) => {
        const base = run(y, h);
        const shifted = run(
          y.map((v) => v + c),
          h,
        );
        expect(shifted.method).toBe(base.method);
        const scale = magnitude(y, numbers(base)) + Math.abs(c);
        expectClose(
          numbers(shifted),
          numbers(base).map((v) => v + c),
          scale,
        );
        expectClose([shifted.rmse], [base.rmse], scale);
      }),
      { numRuns: 150 },
    );
  });

  it('scales a short, irregular series exactly (a case fast-check found once: 11 points, c = 0.001)', () => {
    const y = [628.97, -168.14, 49.3, -348.12, 568.76, 903.44, -841.2, 743.3, 366.62, 690.32, -454.62];
    const base = run(y, 1);
    const scaled = run(
      y.map((v) => v * 0.001),
      1,
    );
    expectClose(
      numbers(scaled),
      numbers(base).map((v) => v * 0.001),
      0.001 * magnitude(y, numbers(base)),
    );
  });

  it('scales forecasts and bounds with the series', () => {
    fc.assert(
      fc.property(series, horizon, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (y, h, c) => {
        const base = run(y, h);
        const scaled = run(
          y.map((v) => v * c),
          h,
        );
        expect(scaled.method).toBe(base.method);
        expectClose(
          numbers(scaled),
          numbers(base).map((v) => v * c),
          c * magnitude(y, numbers(base)),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('keeps lower ≤ value ≤ upper and never returns NaN', () => {
    fc.assert(
      fc.property(series, horizon, fc.double({ min: 0.01, max: 0.999, noNaN: true }), (y, h, confidence) => {
        const fit = forecast(y, { horizon: h, confidence, ...options });
        for (const p of fit.forecast) {
          expect(Number.isFinite(p.value) && Number.isFinite(p.lower) && Number.isFinite(p.upper)).toBe(true);
          expect(p.lower).toBeLessThanOrEqual(p.value);
          expect(p.value).toBeLessThanOrEqual(p.upper);
        }
        expect(fit.fitted.every(Number.isFinite)).toBe(true);
        expect(Number.isFinite(fit.rmse) && Number.isFinite(fit.aic)).toBe(true);
        expect(Object.values(fit.params).every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
