/** Forecasting of equally spaced series (the `forecast` query): pure functions, numbers in, numbers out. */
export { InsufficientDataError, SeasonNotFoundError } from './errors.ts';
export { forecast } from './forecast.ts';
