import { studentTQuantile } from '../distributions.ts';
import {
  aicOf,
  checkConfidence,
  checkHorizon,
  checkSeries,
  leastSquaresLine,
  withIntervals,
  type ForecastFit,
} from './common.ts';

/** LINEAR needs 3 points: two for the line, one degree of freedom for its residual variance. */
export const LINEAR_MINIMUM = 3;

/**
 * Least-squares line through (t, y[t]), t = 0..n−1, extrapolated `horizon`
 * steps, with the classical prediction interval for a new observation:
 * ŷ(x₀) ± t_{1−α/2, n−2} · s · √(1 + 1/n + (x₀ − x̄)²/Sxx),
 * s² = SSE/(n − 2) (e.g. Montgomery, Peck & Vining, "Introduction to Linear
 * Regression Analysis", §2.5). `fitted` is the line itself and `rmse` is
 * √(SSE/n); AIC counts k = 2 (intercept and slope). A perfect line has s = 0,
 * so its intervals collapse onto the forecast.
 *
 * @param y equally spaced observations, oldest first
 * @param horizon steps to forecast, an integer in 1..1000
 * @param confidence coverage of the prediction intervals, in (0, 1)
 * @throws InsufficientDataError with fewer than 3 points
 * @throws RangeError on a bad horizon or confidence, or a non-finite value
 * @example linearForecast([1, 2, 4, 3, 5], 1, 0.95).forecast[0] // { value: 5.7, lower: ≈ 2.03, upper: ≈ 9.37 }
 * @complexity O(n + horizon)
 */
export function linearForecast(y: readonly number[], horizon: number, confidence: number): ForecastFit {
  checkHorizon(horizon);
  checkConfidence(confidence);
  checkSeries(y, 'LINEAR', LINEAR_MINIMUM);
  const n = y.length;
  const { intercept, slope } = leastSquaresLine(y);
  const fitted = y.map((_, t) => intercept + slope * t);
  let sse = 0;
  for (let t = 0; t < n; t++) sse += (y[t]! - fitted[t]!) ** 2;
  const s = Math.sqrt(sse / (n - 2));
  const xBar = (n - 1) / 2;
  const sxx = (n * (n * n - 1)) / 12;
  const values: number[] = [];
  const sds: number[] = [];
  for (let h = 1; h <= horizon; h++) {
    const x0 = n - 1 + h;
    values.push(intercept + slope * x0);
    sds.push(s * Math.sqrt(1 + 1 / n + (x0 - xBar) ** 2 / sxx));
  }
  return {
    method: 'LINEAR',
    seasonLength: null,
    model: 'linear trend',
    seasonLengths: [],
    candidates: [],
    fitted,
    forecast: withIntervals(values, sds, studentTQuantile((1 + confidence) / 2, n - 2)),
    rmse: Math.sqrt(sse / n),
    aic: aicOf(sse, n, 2),
    params: { intercept, slope, sigma: s },
  };
}
