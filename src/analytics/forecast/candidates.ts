/**
 * The models AUTO chooses among, each able to forecast from any earlier origin
 * (for cross-validation) and to give its full forecast with intervals.
 */
import { leastSquaresLine, type ForecastFit } from './common.ts';
import {
  etsFilter,
  etsForecast,
  etsInitialState,
  etsMinimum,
  etsModelName,
  etsPoints,
  fitEts,
  type EtsParams,
  type EtsSpec,
} from './ets.ts';
import { fitHolt } from './holt.ts';
import { fitHoltWinters } from './holt-winters.ts';
import { LINEAR_MINIMUM, linearForecast } from './linear.ts';
import { fitMstl, mstlForecast, mstlMinimum, mstlPointsFrom } from './mstl.ts';
import { seasonalNaive, seasonalNaiveMinimum, seasonalNaivePoints } from './naive.ts';

/** A candidate fitted to a series. */
export interface Prepared {
  /** Point forecasts 1..horizon from the state after the first `count` points (parameters held fixed). */
  pointsFrom(count: number, horizon: number): number[];
  /** The forecast from the whole series, with intervals. */
  final(horizon: number, confidence: number): ForecastFit;
}

export interface Candidate {
  readonly name: string;
  /** Points the model needs, both to fit and as the earliest forecast origin. */
  readonly minimum: number;
  prepare(y: readonly number[]): Prepared;
}

const linear: Candidate = {
  name: 'linear trend',
  minimum: LINEAR_MINIMUM,
  prepare: (y) => ({
    pointsFrom: (count, horizon) => {
      const { intercept, slope } = leastSquaresLine(y, count);
      return Array.from({ length: horizon }, (_, i) => intercept + slope * (count + i));
    },
    final: (horizon, confidence) => linearForecast(y, horizon, confidence),
  }),
};

/**
 * Undamped Holt and Holt-Winters keep their own fitting, so AUTO's choice of
 * them is the forecast the HOLT and HOLT_WINTERS methods give (the recursion
 * with φ = 1, the same initial states and variance).
 */
function paramsFor(y: readonly number[], spec: EtsSpec): EtsParams {
  if (spec.trend !== 'A') return fitEts(y, spec);
  if (spec.season === null) return { ...fitHolt(y), gamma: 0, phi: 1 };
  return { ...fitHoltWinters(y, spec.season), phi: 1 };
}

function ets(spec: EtsSpec): Candidate {
  return {
    name: etsModelName(spec),
    minimum: etsMinimum(spec),
    prepare: (y) => {
      const params = paramsFor(y, spec);
      const init = etsInitialState(y, spec);
      return {
        // The initial states of a forecast from `count` come from the points before it only.
        pointsFrom: (count, horizon) => {
          const start = count === y.length ? init : etsInitialState(y.slice(0, count), spec);
          return etsPoints(etsFilter(y, params, start, count).state, count, params.phi, horizon);
        },
        final: (horizon, confidence) => etsForecast(y, spec, horizon, confidence, params, true),
      };
    },
  };
}

function snaive(m: number): Candidate {
  return {
    name: `seasonal naive (${m})`,
    minimum: seasonalNaiveMinimum(m),
    prepare: (y) => ({
      pointsFrom: (count, horizon) => seasonalNaivePoints(y, m, count, horizon),
      final: (horizon, confidence) => seasonalNaive(y, m, horizon, confidence),
    }),
  };
}

function mstl(periods: readonly number[]): Candidate {
  return {
    name: `MSTL (${periods.join(', ')})`,
    minimum: mstlMinimum(periods),
    prepare: (y) => {
      const model = fitMstl(y, periods);
      return {
        pointsFrom: (count, horizon) => mstlPointsFrom(y, periods, model, count, horizon),
        final: (horizon, confidence) => mstlForecast(y, periods, horizon, confidence),
      };
    },
  };
}

/**
 * The candidate set, simplest first (ties go to the earlier one): the line,
 * exponential smoothing without a season (no, linear and damped trend), then
 * per season seasonal naive and exponential smoothing with that season (no,
 * linear and damped trend), then, with two or more seasons, MSTL over all of
 * them. Only those the series is long enough for.
 */
export function candidateSet(n: number, seasons: readonly number[]): Candidate[] {
  const out: Candidate[] = [linear];
  for (const trend of ['N', 'A', 'Ad'] as const) out.push(ets({ trend, season: null }));
  const sorted = [...new Set(seasons)].sort((a, b) => a - b);
  for (const m of sorted) {
    out.push(snaive(m));
    for (const trend of ['N', 'A', 'Ad'] as const) out.push(ets({ trend, season: m }));
  }
  if (sorted.length >= 2) out.push(mstl(sorted));
  return out.filter((c) => c.minimum <= n);
}
