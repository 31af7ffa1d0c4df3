/** Forecasts of a series, with the models AUTO weighed. */
import type { MetricsGroup } from './types.ts';

export const FORECAST_METHODS = [
  'AUTO',
  'LINEAR',
  'HOLT',
  'HOLT_WINTERS',
  'SEASONAL_NAIVE',
  'MSTL',
  'COMBINATION',
] as const;
export type ForecastMethod = (typeof FORECAST_METHODS)[number];

export interface ForecastPoint {
  readonly t: Date;
  readonly value: number;
  /** Prediction interval at the requested confidence. */
  readonly lower: number;
  readonly upper: number;
}

export interface FittedPoint {
  readonly t: Date;
  readonly value: number;
}

/** A model AUTO considered, with its out-of-sample error. */
export interface ForecastCandidate {
  readonly name: string;
  /** RMSE of its forecasts from the rolling origins; null when the history was too short to test it. */
  readonly cvRmse: number | null;
  /** Why it was passed over despite its error, or null. */
  readonly rejected: string | null;
}

export interface Forecast {
  readonly group: MetricsGroup;
  /** The method used (never AUTO). */
  readonly method: ForecastMethod;
  readonly seasonLength: number | null;
  /** The exact model, e.g. "damped Holt-Winters (168)". */
  readonly model: string;
  readonly seasonLengths: readonly number[];
  /** For AUTO, every model considered; [] for an explicit method. */
  readonly candidates: readonly ForecastCandidate[];
  readonly points: readonly ForecastPoint[];
  readonly fitted: readonly FittedPoint[];
  /** Root-mean-square one-step-ahead error over the history, in value units. */
  readonly rmse: number | null;
}
