import { builder } from './builder.ts';
import { DimensionEnum, GranularityEnum } from './enums.ts';
import { ResultFilter, SeriesInput } from './inputs.ts';
import { MetricGroup } from './metrics.ts';
import { DateTime } from './scalars.ts';
import * as forecastResolvers from '../resolvers/forecast.ts';
import {
  FORECAST_METHODS,
  type FittedPoint as FittedPointModel,
  type Forecast as ForecastModel,
  type ForecastCandidate as ForecastCandidateModel,
  type ForecastPoint as ForecastPointModel,
} from '../src/domain/forecast.ts';

const ForecastMethodEnum = builder.enumType('ForecastMethod', {
  description:
    'AUTO: the model with the lowest out-of-sample error over rolling forecast origins (see `model` and `candidates`). LINEAR: least-squares line. HOLT: level and trend (AUTO may also return its no-trend and damped-trend variants under HOLT). HOLT_WINTERS: level, trend and season (likewise). SEASONAL_NAIVE: the last season repeated. MSTL: every season removed by decomposition, the rest forecast by exponential smoothing. COMBINATION (answered by AUTO only): the mean of its two best models.',
  values: FORECAST_METHODS,
});

const ForecastPoint = builder.objectRef<ForecastPointModel>('ForecastPoint').implement({
  description: 'A predicted point.',
  fields: (t) => ({
    t: t.expose('t', { type: DateTime, description: 'Bucket start (UTC).' }),
    value: t.exposeFloat('value', { description: 'The point forecast, in the series unit.' }),
    lower: t.exposeFloat('lower', {
      description: 'Lower bound of the prediction interval at the requested confidence.',
    }),
    upper: t.exposeFloat('upper', { description: 'Upper bound of the prediction interval.' }),
  }),
});

const FittedPoint = builder.objectRef<FittedPointModel>('FittedPoint').implement({
  description: "The model's in-sample (one-step-ahead) value at a history point.",
  fields: (t) => ({
    t: t.expose('t', { type: DateTime }),
    value: t.exposeFloat('value'),
  }),
});

const ForecastCandidate = builder.objectRef<ForecastCandidateModel>('ForecastCandidate').implement({
  description: 'A model AUTO considered.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The model, e.g. "seasonal naive (168)".' }),
    cvRmse: t.exposeFloat('cvRmse', {
      nullable: true,
      description:
        'Root-mean-square error of its forecasts from rolling origins over the end of the history, in the series unit; null when the history was too short to test it.',
    }),
    rejected: t.exposeString('rejected', {
      nullable: true,
      description:
        'Why it was passed over despite its error (e.g. its forecast left the range of the data), or null.',
    }),
  }),
});

const Forecast = builder.objectRef<ForecastModel>('Forecast').implement({
  description: "One group's forecast `horizon` buckets past its last point.",
  fields: (t) => ({
    group: t.field({ type: MetricGroup, resolve: (f) => f.group }),
    method: t.expose('method', { type: ForecastMethodEnum, description: 'The method used (never AUTO).' }),
    seasonLength: t.exposeInt('seasonLength', {
      nullable: true,
      description:
        'Buckets per season of a HOLT_WINTERS or SEASONAL_NAIVE model, the longest season of MSTL; null for other methods.',
    }),
    model: t.exposeString('model', {
      description:
        'The exact model, e.g. "damped Holt-Winters (168)" or "MSTL (24, 168) + simple exponential smoothing".',
    }),
    seasonLengths: t.exposeIntList('seasonLengths', {
      description: 'Every season the model holds, shortest first; empty for none.',
    }),
    candidates: t.field({
      type: [ForecastCandidate],
      description:
        'For AUTO, every model considered with its out-of-sample error, in the order tried; empty for an explicit method.',
      resolve: (f) => f.candidates,
    }),
    points: t.field({
      type: [ForecastPoint],
      description: 'The forecast, one point per bucket, oldest first.',
      resolve: (f) => f.points,
    }),
    fitted: t.field({
      type: [FittedPoint],
      description: 'The fit over the history, oldest first.',
      resolve: (f) => f.fitted,
    }),
    rmse: t.exposeFloat('rmse', {
      nullable: true,
      description: 'Root-mean-square one-step-ahead error over the history, in the series unit.',
    }),
  }),
});

builder.queryFields((t) => ({
  forecast: t.field({
    type: [Forecast],
    nullable: false,
    description: 'A forecast per group, with prediction intervals.',
    args: {
      series: t.arg({ type: SeriesInput, required: true }),
      filter: t.arg({ type: ResultFilter }),
      groupBy: t.arg({ type: [DimensionEnum] }),
      groupByTags: t.arg.stringList(),
      bucket: t.arg({ type: GranularityEnum, defaultValue: 'DAY' }),
      horizon: t.arg.int({ required: true, description: 'Buckets to forecast past the last point.' }),
      confidence: t.arg.float({
        defaultValue: 0.95,
        description: 'Coverage of the prediction intervals, between 0 and 1.',
      }),
      method: t.arg({ type: ForecastMethodEnum, defaultValue: 'AUTO' }),
      seasonLength: t.arg.int({
        description:
          "Buckets per season (e.g. 7 for weekly with DAY); when omitted, detected, and AUTO and MSTL also try the bucket's natural periods (24 and 168 for HOUR).",
      }),
    },
    resolve: (_root, args, ctx) => forecastResolvers.forecast(ctx, args),
  }),
}));
