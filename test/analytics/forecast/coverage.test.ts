import { describe, expect, it } from 'vitest';
import type { ForecastFit } from '../../../src/analytics/forecast/common.ts';
import { forecast } from '../../../src/analytics/forecast/forecast.ts';
import { holtWinters } from '../../../src/analytics/forecast/holt-winters.ts';
import { holt } from '../../../src/analytics/forecast/holt.ts';
import { linearForecast } from '../../../src/analytics/forecast/linear.ts';
import { lcg, simulateHolt, simulateHoltWinters, simulateLine, type Rng } from './simulate.ts';

// Reference: a prediction interval at level c should contain a fresh
// observation from the model with probability c (Hyndman & Athanasopoulos,
// "Forecasting: Principles and Practice", 3rd ed., §5.5). We simulate 200 series
// from each model with known parameters, hold out the last h points, and count
// how many fall inside the intervals of a fit to the rest. The intervals ignore
// the uncertainty of the fitted smoothing parameters (as the book's do), so they
// run a little narrow — about 0.92 at 95 % and 0.76 at 80 % on 60–100 points
// with h = 8–12, about 0.935 and 0.78 on the 150 points used here; the bounds
// allow for that and for simulation noise (200 series share their parameter
// error across the h held-out points, so coverage moves by ±0.01–0.02 with the seed).
const SERIES = 200;

function coverage(
  seed: number,
  simulate: (rng: Rng) => number[],
  h: number,
  fit: (y: number[], c: number) => ForecastFit,
) {
  const rng = lcg(seed);
  let in95 = 0;
  let in80 = 0;
  for (let i = 0; i < SERIES; i++) {
    const y = simulate(rng);
    const train = y.slice(0, -h);
    const held = y.slice(-h);
    const f95 = fit(train, 0.95).forecast;
    const f80 = fit(train, 0.8).forecast;
    held.forEach((v, j) => {
      if (v >= f95[j]!.lower && v <= f95[j]!.upper) in95 += 1;
      if (v >= f80[j]!.lower && v <= f80[j]!.upper) in80 += 1;
    });
  }
  return { c95: in95 / (SERIES * h), c80: in80 / (SERIES * h) };
}

const season12 = [5, -3, 2, -4, 0, 6, -2, -4, 1, 3, -1, -3];

describe('prediction interval coverage on simulated series', () => {
  it('LINEAR: a line plus Gaussian noise', () => {
    const { c95, c80 } = coverage(
      101,
      (rng) => simulateLine(rng, 50, 5, 0.3, 2),
      10,
      (y, c) => linearForecast(y, 10, c),
    );
    expect(c95).toBeGreaterThanOrEqual(0.93);
    expect(c95).toBeLessThanOrEqual(0.97);
    expect(c80).toBeGreaterThanOrEqual(0.77);
    expect(c80).toBeLessThanOrEqual(0.83);
  });

  it('HOLT: ETS(A,A,N) with α = 0.5, β = 0.1', () => {
    const { c95, c80 } = coverage(
      202,
      (rng) => simulateHolt(rng, 158, 0.5, 0.1, 1),
      8,
      (y, c) => holt(y, 8, c),
    );
    expect(c95).toBeGreaterThanOrEqual(0.9);
    expect(c95).toBeLessThanOrEqual(0.99);
    expect(c80).toBeGreaterThanOrEqual(0.74);
    expect(c80).toBeLessThanOrEqual(0.86);
  });

  it('HOLT_WINTERS: ETS(A,A,A) with m = 12, α = 0.3, β = 0.05, γ = 0.2', () => {
    const { c95, c80 } = coverage(
      303,
      (rng) => simulateHoltWinters(rng, 156, 0.3, 0.05, 0.2, 1, season12),
      12,
      (y, c) => holtWinters(y, 12, c, 12),
    );
    expect(c95).toBeGreaterThanOrEqual(0.9);
    expect(c95).toBeLessThanOrEqual(0.99);
    expect(c80).toBeGreaterThanOrEqual(0.74);
    expect(c80).toBeLessThanOrEqual(0.86);
  });

  it('AUTO: the same seasonal process, method and season chosen from the data', () => {
    const { c95, c80 } = coverage(
      404,
      (rng) => simulateHoltWinters(rng, 156, 0.3, 0.05, 0.2, 1, season12),
      12,
      (y, confidence) => forecast(y, { horizon: 12, confidence, seasonCandidates: [12] }),
    );
    expect(c95).toBeGreaterThanOrEqual(0.9);
    expect(c95).toBeLessThanOrEqual(0.99);
    expect(c80).toBeGreaterThanOrEqual(0.74);
    expect(c80).toBeLessThanOrEqual(0.86);
  });
});
