/**
 * Expected outcomes of forecasting that are not bugs: the caller (a resolver)
 * turns them into a typed result or a user-facing message.
 */

/** The series is too short for the requested method; `minimum` says how many points it needs. */
export class InsufficientDataError extends Error {
  override readonly name = 'InsufficientDataError';
  readonly minimum: number;
  readonly got: number;
  readonly method: string;

  constructor(method: string, minimum: number, got: number, detail = '') {
    super(`forecast needs at least ${minimum} points for ${method}${detail} (got ${got})`);
    this.method = method;
    this.minimum = minimum;
    this.got = got;
  }
}

/** A seasonal method was requested without a season length and none could be detected in the data. */
export class SeasonNotFoundError extends Error {
  override readonly name = 'SeasonNotFoundError';

  constructor(method = 'HOLT_WINTERS') {
    super(`${method} needs a season length: none was detected in the data, so pass seasonLength`);
  }
}
