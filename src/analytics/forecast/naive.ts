import { aicOf, checkSeries, withIntervals, type ForecastFit } from './common.ts';
import { normalQuantile } from '../distributions.ts';

/** Seasonal naive needs one season to repeat and one more to measure its error: 2m points. */
export const seasonalNaiveMinimum = (m: number): number => 2 * m;

/** The seasonal naive point forecasts from the first `count` points: ŷ_{count−1+h} = y_{count−m+((h−1) mod m)}. */
export function seasonalNaivePoints(
  y: readonly number[],
  m: number,
  count: number,
  horizon: number,
): number[] {
  return Array.from({ length: horizon }, (_, i) => y[count - m + (i % m)]!);
}

/**
 * Seasonal naive: each step repeats the value one season earlier (Hyndman &
 * Athanasopoulos, FPP3 §5.2). σ² is the mean squared seasonal difference
 * y_t − y_{t−m}; the h-step variance is σ²(k + 1), k = ⌊(h − 1)/m⌋ (FPP3 §5.5,
 * Table 5.2). The first season has no season before it: its fitted values are
 * its own mean, and it is left out of the RMSE.
 * @throws InsufficientDataError below 2m points
 * @example seasonalNaive([1, 5, 2, 6], 2, 3, 0.95).forecast.map((p) => p.value) // [2, 6, 2]
 * @complexity O(n + horizon)
 */
export function seasonalNaive(
  y: readonly number[],
  m: number,
  horizon: number,
  confidence: number,
): ForecastFit {
  checkSeries(y, 'SEASONAL_NAIVE', seasonalNaiveMinimum(m), ` with seasonLength ${m}`);
  const n = y.length;
  let firstMean = 0;
  for (let t = 0; t < m; t++) firstMean += y[t]! / m;
  const fitted: number[] = [];
  let sse = 0;
  for (let t = 0; t < n; t++) {
    fitted.push(t < m ? firstMean : y[t - m]!);
    if (t >= m) sse += (y[t]! - y[t - m]!) ** 2;
  }
  const sigma = Math.sqrt(sse / (n - m));
  const values = seasonalNaivePoints(y, m, n, horizon);
  const sds = values.map((_, i) => sigma * Math.sqrt(Math.floor(i / m) + 1));
  return {
    method: 'SEASONAL_NAIVE',
    seasonLength: m,
    model: `seasonal naive (${m})`,
    seasonLengths: [m],
    candidates: [],
    fitted,
    forecast: withIntervals(values, sds, normalQuantile((1 + confidence) / 2)),
    rmse: sigma,
    aic: aicOf(sse, n - m, 0),
    params: { sigma },
  };
}
