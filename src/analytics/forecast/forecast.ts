import { checkConfidence, checkHorizon, checkSeries, type FitMethod, type ForecastFit } from './common.ts';
import { InsufficientDataError, SeasonNotFoundError } from './errors.ts';
import { HOLT_MINIMUM, holt } from './holt.ts';
import { holtWinters, holtWintersMinimum } from './holt-winters.ts';
import { LINEAR_MINIMUM, linearForecast } from './linear.ts';
import { detectSeasonLength } from './season.ts';

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
  /** Steps per season for HOLT_WINTERS; detected from the data when omitted or null. */
  readonly seasonLength?: number | null;
  /** Season lengths the detection prefers, e.g. [24, 168] for hourly buckets, [7] for daily. */
  readonly seasonCandidates?: readonly number[];
}

/** Differences of AIC below this are ties, and the simpler method (earlier in LINEAR, HOLT, HOLT_WINTERS) wins. */
const AIC_TIE = 1e-9;

/**
 * Forecasts an equally spaced series `horizon` steps ahead with prediction
 * intervals at `confidence`.
 *
 * AUTO fits every applicable method — LINEAR (≥ 3 points), HOLT (≥ 4) and,
 * when a season length is given or detected, HOLT_WINTERS (≥ 2m + 2) — and
 * returns the one with the lowest AIC = n·ln(SSE/n) + 2k, where SSE sums the
 * squared one-step errors (residuals for LINEAR) over all n points and k counts
 * the estimated parameters including initial states: LINEAR 2 (intercept,
 * slope), HOLT 4 (α, β, ℓ₀, b₀), HOLT_WINTERS m + 4 (α, β, γ, ℓ₀, b₀, m − 1
 * seasonal states). The AICs are comparable because each is, up to one shared
 * constant, −2·log-likelihood + 2k of the same n observations under Gaussian
 * one-step errors, and the models are nested: LINEAR is ETS(A,A,N) with
 * α = β = 0, HOLT is ETS(A,A,A) without the season (Hyndman & Athanasopoulos,
 * FPP3 §8.6, which selects ETS models this way). AIC rather than a holdout:
 * it uses every point, which short series need, and costs one fit per method.
 *
 * @throws InsufficientDataError when the series is shorter than the method's
 *   minimum (AUTO: 3; HOLT_WINTERS: 2m + 2)
 * @throws SeasonNotFoundError for HOLT_WINTERS without seasonLength when none is detected
 * @throws RangeError on a bad horizon, confidence or season length, or a non-finite value
 * @example forecast(dailyFailures, { horizon: 14, seasonCandidates: [7] }).method // 'HOLT_WINTERS'
 * @complexity O(n²) for season detection plus O(n) per objective evaluation of each fit
 */
export function forecast(y: readonly number[], options: ForecastOptions): ForecastFit {
  const { horizon, confidence = 0.95, method = 'AUTO', seasonLength = null, seasonCandidates } = options;
  checkHorizon(horizon);
  checkConfidence(confidence);
  checkSeries(y, method, 0); // values must be finite, whatever the method
  if (seasonLength !== null && (!Number.isInteger(seasonLength) || seasonLength < 2)) {
    throw new RangeError(`seasonLength must be an integer ≥ 2 (got ${seasonLength})`);
  }
  const season = (): number | null => seasonLength ?? detectSeasonLength(y, seasonCandidates);

  switch (method) {
    case 'LINEAR':
      return linearForecast(y, horizon, confidence);
    case 'HOLT':
      return holt(y, horizon, confidence);
    case 'HOLT_WINTERS': {
      const m = season();
      if (m === null) throw new SeasonNotFoundError();
      return holtWinters(y, horizon, confidence, m);
    }
    case 'AUTO': {
      if (y.length < LINEAR_MINIMUM) throw new InsufficientDataError('AUTO', LINEAR_MINIMUM, y.length);
      const fits = [linearForecast(y, horizon, confidence)];
      if (y.length >= HOLT_MINIMUM) fits.push(holt(y, horizon, confidence));
      const m = y.length >= holtWintersMinimum(2) ? season() : null;
      if (m !== null && y.length >= holtWintersMinimum(m)) fits.push(holtWinters(y, horizon, confidence, m));
      return fits.reduce((best, fit) => (fit.aic < best.aic - AIC_TIE ? fit : best));
    }
  }
}
