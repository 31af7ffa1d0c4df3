/** Forecasting of equally spaced series (issue #3): pure functions, numbers in, numbers out. */
export type { FitMethod, ForecastFit, ForecastPoint } from './common.ts';
export { MAX_HORIZON } from './common.ts';
export { InsufficientDataError, SeasonNotFoundError } from './errors.ts';
export { forecast, type ForecastMethodChoice, type ForecastOptions } from './forecast.ts';
export { HOLT_MINIMUM, holt, holtFilter, holtInitialState, type HoltParams } from './holt.ts';
export { holtWinters, holtWintersFilter, holtWintersMinimum, type HoltWintersParams } from './holt-winters.ts';
export { LINEAR_MINIMUM, linearForecast } from './linear.ts';
export { autocorrelation, detectSeasonLength } from './season.ts';
export { seasonalInitialState, type SeasonalState } from './seasonal-init.ts';
export { holtVarianceFactor, holtWintersVarianceFactor } from './variance.ts';
