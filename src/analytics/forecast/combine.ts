/**
 * The equal-weight mean of two models' forecasts, which AUTO scores like any
 * other candidate: combining forecasts tends to beat either model alone when
 * their errors differ (Bates & Granger 1969; Makridakis et al. 2020, the M4
 * competition, where combinations of simple models did well).
 */
import { aicOf, type ForecastFit } from './common.ts';
import type { Prepared } from './candidates.ts';

export const combinationName = (a: string, b: string): string => `mean of ${a} and ${b}`;

/**
 * The mean of two fits: point forecasts and fitted values averaged; each bound
 * the mean of the two bounds, which is the exact interval of the mean when the
 * two forecast errors are perfectly correlated and a conservative one
 * otherwise. seasonLength is the longest season of either; AIC counts no
 * parameters (a combination is chosen by its out-of-sample error, not by AIC).
 */
export function combineFits(y: readonly number[], a: ForecastFit, b: ForecastFit): ForecastFit {
  const fitted = a.fitted.map((v, t) => (v + b.fitted[t]!) / 2);
  let sse = 0;
  y.forEach((v, t) => (sse += (v - fitted[t]!) ** 2));
  const seasonLengths = [...new Set([...a.seasonLengths, ...b.seasonLengths])].sort((x, z) => x - z);
  return {
    method: 'COMBINATION',
    seasonLength: seasonLengths.at(-1) ?? null,
    model: combinationName(a.model, b.model),
    seasonLengths,
    candidates: [],
    fitted,
    forecast: a.forecast.map((p, i) => {
      const q = b.forecast[i]!;
      return {
        value: (p.value + q.value) / 2,
        lower: (p.lower + q.lower) / 2,
        upper: (p.upper + q.upper) / 2,
      };
    }),
    rmse: Math.sqrt(sse / y.length),
    aic: aicOf(sse, y.length, 0),
    params: {},
  };
}

/** Two prepared candidates as one whose forecasts are their mean. */
export function combinePrepared(y: readonly number[], a: Prepared, b: Prepared): Prepared {
  return {
    pointsFrom: (count, horizon) => {
      const q = b.pointsFrom(count, horizon);
      return a.pointsFrom(count, horizon).map((v, i) => (v + q[i]!) / 2);
    },
    final: (horizon, confidence) =>
      combineFits(y, a.final(horizon, confidence), b.final(horizon, confidence)),
  };
}
