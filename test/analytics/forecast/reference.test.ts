import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ForecastFit } from '../../../src/analytics/forecast/common.ts';
import { forecast } from '../../../src/analytics/forecast/forecast.ts';
import { holtWinters } from '../../../src/analytics/forecast/holt-winters.ts';

// Reference: ../shared/reference/forecast/r_forecast.json (see its SOURCES.md):
// R 4.2 and the forecast package 8.20 fitted on the first `train` points of
// published series, scored on the held-out `horizon` points. Nothing in it was
// computed by Assay.
interface Method {
  readonly rmse: number;
  readonly coverage95?: number;
}
interface Series {
  readonly values: number[];
  readonly train: number;
  readonly horizon: number;
  readonly methods: Record<string, Method>;
}
const reference = JSON.parse(
  readFileSync(new URL('../../../../shared/reference/forecast/r_forecast.json', import.meta.url), 'utf8'),
) as Record<string, Series>;

const monthly = ['AirPassengers', 'nottem', 'co2', 'USAccDeaths'] as const;
const split = (name: string) => {
  const s = reference[name]!;
  return { s, train: s.values.slice(0, s.train), held: s.values.slice(s.train) };
};
const rmse = (fit: ForecastFit, held: readonly number[]) =>
  Math.sqrt(held.reduce((a, v, i) => a + (v - fit.forecast[i]!.value) ** 2, 0) / held.length);
const inside = (fit: ForecastFit, held: readonly number[]) =>
  held.filter((v, i) => v >= fit.forecast[i]!.lower && v <= fit.forecast[i]!.upper).length;

describe('forecasts against R on published series', () => {
  it.each(monthly)("additive Holt-Winters on %s is within 10 %% of R's HoltWinters held-out RMSE", (name) => {
    const { s, train, held } = split(name);
    const fit = holtWinters(train, s.horizon, 0.95, 12);
    expect(rmse(fit, held)).toBeLessThanOrEqual(1.1 * s.methods['HoltWinters additive, season 12']!.rmse);
  });

  it('AUTO is never more than 10 % worse than seasonal naive on the monthly series', () => {
    for (const name of monthly) {
      const { s, train, held } = split(name);
      const fit = forecast(train, { horizon: s.horizon, seasonCandidates: [12] });
      expect(rmse(fit, held), name).toBeLessThanOrEqual(1.1 * s.methods['seasonal naive, season 12']!.rmse);
    }
  });

  it("AUTO is within 5 % of the best of R's HoltWinters, ets and auto.arima on every monthly series", () => {
    for (const name of monthly) {
      const { s, train, held } = split(name);
      const best = Math.min(
        ...['HoltWinters additive, season 12', 'ets (AICc), season 12', 'auto.arima, season 12'].map(
          (m) => s.methods[m]!.rmse,
        ),
      );
      expect(
        rmse(forecast(train, { horizon: s.horizon, seasonCandidates: [12] }), held),
        name,
      ).toBeLessThanOrEqual(1.05 * best);
    }
  });

  it("AUTO's 95 % intervals hold at least 85 % of the held-out monthly points (R's ets: 94 %)", () => {
    let hits = 0;
    let total = 0;
    for (const name of monthly) {
      const { s, train, held } = split(name);
      hits += inside(forecast(train, { horizon: s.horizon, seasonCandidates: [12] }), held);
      total += held.length;
    }
    expect(hits / total).toBeGreaterThanOrEqual(0.85);
  });

  it("AUTO on half-hourly demand (seasons 48 and 336) beats R's mstl + ETS and dshw, and stays within 10 % of seasonal naive", () => {
    const { s, train, held } = split('taylor');
    const fit = forecast(train, { horizon: s.horizon, seasonCandidates: [48, 336] });
    expect(fit.candidates.map((c) => c.name)).toContain('MSTL (48, 336)');
    const error = rmse(fit, held);
    expect(error).toBeLessThanOrEqual(s.methods['mstl + ets, seasons 48+336']!.rmse);
    expect(error).toBeLessThanOrEqual(s.methods['dshw (Taylor 2003), seasons 48+336']!.rmse);
    expect(error).toBeLessThanOrEqual(1.1 * s.methods['seasonal naive, season 336']!.rmse);
    expect(inside(fit, held) / held.length).toBeGreaterThanOrEqual(0.9);
  });
});
