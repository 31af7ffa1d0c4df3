/** Forecasting of equally spaced series (issue #3): pure functions, numbers in, numbers out. */
export { InsufficientDataError, SeasonNotFoundError } from './errors.ts';
export { forecast } from './forecast.ts';
