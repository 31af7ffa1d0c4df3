import { checkConfidence, checkHorizon, checkSeries, type FitMethod, type ForecastFit } from './common.ts';
import { InsufficientDataError, SeasonNotFoundError } from './errors.ts';
import { holt } from './holt.ts';
import { holtWinters, holtWintersMinimum } from './holt-winters.ts';
import { LINEAR_MINIMUM, linearForecast } from './linear.ts';
import { mstlForecast } from './mstl.ts';
import { seasonalNaive } from './naive.ts';
import { detectSeasonLength } from './season.ts';
import { selectForecast } from './select.ts';

export type ForecastMethodChoice = 'AUTO' | FitMethod;

export interface ForecastOptions {
  /** Steps to forecast past the last point, an integer in 1..1000. */
  readonly horizon: number;
  /**
   * Coverage of the prediction intervals, in (0, 1).
   * @default 0.95
   */
  readonly confidence?: number;
  /** @default 'AUTO' */
  readonly method?: ForecastMethodChoice;
  /** Steps per season; detected from the data (and, for AUTO and MSTL, taken from seasonCandidates) when omitted or null. */
  readonly seasonLength?: number | null;
  /**
   * The bucket's natural periods, e.g. [24, 168] for hourly buckets, [7] for
   * daily: preferred by the detection, and each tried by AUTO (and used by
   * MSTL) when the series holds two whole cycles of it.
   */
  readonly seasonCandidates?: readonly number[];
}

/**
 * Season lengths AUTO and MSTL try: the given one alone; otherwise each
 * natural period the series holds two whole cycles of (plus two points), and
 * the detected season.
 */
function seasonsToTry(
  y: readonly number[],
  seasonLength: number | null,
  candidates?: readonly number[],
): number[] {
  if (seasonLength !== null) return [seasonLength];
  const n = y.length;
  const natural = (candidates ?? []).filter(
    (m) => Number.isInteger(m) && m >= 2 && n >= holtWintersMinimum(m),
  );
  const detected = n >= holtWintersMinimum(2) ? detectSeasonLength(y, candidates) : null;
  const all = detected !== null && n >= holtWintersMinimum(detected) ? [...natural, detected] : natural;
  return [...new Set(all)].sort((a, b) => a - b);
}

/**
 * Forecasts an equally spaced series `horizon` steps ahead with prediction
 * intervals at `confidence`.
 *
 * AUTO considers the line, exponential smoothing with no, linear and damped
 * trend, and for every season of {@link seasonsToTry} seasonal naive and
 * exponential smoothing with that season (no, linear and damped trend), plus
 * MSTL over all seasons when there are two or more, and the mean of the two
 * best of these; it keeps the one with the lowest rolling-origin forecast
 * error whose forecast stays near the data's range (see selectForecast). `candidates` lists them all with their errors.
 * HOLT and HOLT_WINTERS are the undamped models; SEASONAL_NAIVE repeats the
 * last season; MSTL removes every season by decomposition first.
 *
 * @throws InsufficientDataError when the series is shorter than the method's
 *   minimum (AUTO: 3; HOLT_WINTERS: 2m + 2; SEASONAL_NAIVE: 2m)
 * @throws SeasonNotFoundError for a seasonal method without seasonLength when none is detected
 * @throws RangeError on a bad horizon, confidence or season length, a non-finite value, or method COMBINATION
 * @example forecast(dailyFailures, { horizon: 14, seasonCandidates: [7] }).model // e.g. 'damped Holt-Winters (7)'
 * @complexity O(n²) for season detection plus, per candidate, one fit (O(n) per objective evaluation) and O(origins · n)
 */
export function forecast(y: readonly number[], options: ForecastOptions): ForecastFit {
  const { horizon, confidence = 0.95, method = 'AUTO', seasonLength = null, seasonCandidates } = options;
  checkHorizon(horizon);
  checkConfidence(confidence);
  checkSeries(y, method, 0); // values must be finite, whatever the method
  if (seasonLength !== null && (!Number.isInteger(seasonLength) || seasonLength < 2)) {
    throw new RangeError(`seasonLength must be an integer ≥ 2 (got ${seasonLength})`);
  }
  const season = (): number => {
    const m = seasonLength ?? detectSeasonLength(y, seasonCandidates);
    if (m === null) throw new SeasonNotFoundError(method);
    return m;
  };

  switch (method) {
    case 'LINEAR':
      return linearForecast(y, horizon, confidence);
    case 'HOLT':
      return holt(y, horizon, confidence);
    case 'HOLT_WINTERS':
      return holtWinters(y, horizon, confidence, season());
    case 'SEASONAL_NAIVE':
      return seasonalNaive(y, season(), horizon, confidence);
    case 'MSTL': {
      const seasons = seasonsToTry(y, seasonLength, seasonCandidates);
      return mstlForecast(y, seasons.length > 0 ? seasons : [season()], horizon, confidence);
    }
    case 'COMBINATION':
      throw new RangeError(
        'COMBINATION is chosen by AUTO only (the mean of its two best candidates); request AUTO',
      );
    case 'AUTO': {
      if (y.length < LINEAR_MINIMUM) throw new InsufficientDataError('AUTO', LINEAR_MINIMUM, y.length);
      return selectForecast(y, horizon, confidence, seasonsToTry(y, seasonLength, seasonCandidates));
    }
  }
}
