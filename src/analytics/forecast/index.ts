/** Forecasting of equally spaced series (the `forecast` query): pure functions, numbers in, numbers out. */
export type { CandidateScore, FitMethod, ForecastFit, ForecastPoint } from './common.ts';
export { MAX_HORIZON } from './common.ts';
export { InsufficientDataError, SeasonNotFoundError } from './errors.ts';
export { combineFits } from './combine.ts';
export { etsForecast, type EtsParams, type EtsSpec, type EtsTrend } from './ets.ts';
export { forecast, seasonsToTry, type ForecastMethodChoice, type ForecastOptions } from './forecast.ts';
export { HOLT_MINIMUM, holt, holtFilter, holtInitialState, type HoltParams } from './holt.ts';
export {
  holtWinters,
  holtWintersFilter,
  holtWintersMinimum,
  type HoltWintersParams,
} from './holt-winters.ts';
export { LINEAR_MINIMUM, linearForecast } from './linear.ts';
export { decomposeSeasons, mstlForecast } from './mstl.ts';
export { seasonalNaive } from './naive.ts';
export { autocorrelation, detectSeasonLength } from './season.ts';
export { rangeExcess, rollingOrigins, selectForecast } from './select.ts';
export { seasonalInitialState, type SeasonalState } from './seasonal-init.ts';
export { holtVarianceFactor, holtWintersVarianceFactor } from './variance.ts';
