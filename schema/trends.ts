import { builder } from './builder.ts';
import { DimensionEnum, GranularityEnum } from './enums.ts';
import { ResultFilter, SeriesInput } from './inputs.ts';
import { MetricGroup } from './metrics.ts';
import { DateTime } from './scalars.ts';
import * as trendResolvers from '../resolvers/trends.ts';
import type { SeriesPoint as SeriesPointModel } from '../src/domain/series.ts';
import {
  TREND_DIRECTIONS,
  type ChangePoint as ChangePointModel,
  type MannKendallTrend as MannKendallModel,
  type TrendSeries as TrendSeriesModel,
} from '../src/domain/trends.ts';

const TrendDirectionEnum = builder.enumType('TrendDirection', {
  description:
    'Whether a significant trend is good or bad for the measure (a falling pass rate is DEGRADING, a falling duration IMPROVING); STABLE when not significant.',
  values: TREND_DIRECTIONS,
});

const SeriesPoint = builder.objectRef<SeriesPointModel>('SeriesPoint').implement({
  description: 'One point of an analysed series.',
  fields: (t) => ({
    t: t.expose('t', {
      type: DateTime,
      description: 'Bucket start (UTC), or the start time of the execution / result with bucket NONE.',
    }),
    value: t.exposeFloat('value', {
      description: "The series' statistic over the point, in the measure's unit (rates 0 … 1, durations ms).",
    }),
    n: t.exposeInt('n', { description: 'Observations aggregated into the point.' }),
  }),
});

const MannKendall = builder.objectRef<MannKendallModel>('MannKendall').implement({
  description: 'Mann–Kendall test for a monotonic trend, robust to outliers and non-linearity.',
  fields: (t) => ({
    tau: t.exposeFloat('tau', { description: "Kendall's tau of value against time, −1 … 1." }),
    pValue: t.exposeFloat('pValue', { description: 'Two-sided p-value of "no monotonic trend".' }),
    senSlope: t.exposeFloat('senSlope', {
      description: 'Theil–Sen slope (median pairwise slope), in value units per day.',
    }),
  }),
});

const ChangePoint = builder.objectRef<ChangePointModel>('ChangePoint').implement({
  description: 'A shift in the level of a series.',
  fields: (t) => ({
    t: t.expose('t', { type: DateTime, description: 'The first point at the new level.' }),
    before: t.exposeFloat('before', { description: 'Mean value of the segment before the change.' }),
    after: t.exposeFloat('after', { description: 'Mean value of the segment from the change on.' }),
  }),
});

const TrendSeries = builder.objectRef<TrendSeriesModel>('TrendSeries').implement({
  description: "One group's series with a least-squares line over x = days since the series' first point.",
  fields: (t) => ({
    group: t.field({
      type: MetricGroup,
      description: 'The dimension values of the series; fields not grouped by are null.',
      resolve: (s) => s.group,
    }),
    points: t.field({ type: [SeriesPoint], description: 'Oldest first.', resolve: (s) => s.points }),
    slope: t.exposeFloat('slope', {
      nullable: true,
      description: 'Change in value per day; null with fewer than 2 points.',
    }),
    slopeStdErr: t.exposeFloat('slopeStdErr', {
      nullable: true,
      description: 'Standard error of the slope, per day.',
    }),
    intercept: t.exposeFloat('intercept', {
      nullable: true,
      description: 'Fitted value at the first point.',
    }),
    interceptStdErr: t.exposeFloat('interceptStdErr', {
      nullable: true,
      description: 'Standard error of the intercept.',
    }),
    rSquared: t.exposeFloat('rSquared', {
      nullable: true,
      description: 'Share of variance the line explains, 0 … 1.',
    }),
    residualStdErr: t.exposeFloat('residualStdErr', {
      nullable: true,
      description: 'Standard deviation of the residuals, in value units.',
    }),
    pValue: t.exposeFloat('pValue', {
      nullable: true,
      description: 'Two-sided p-value of slope = 0 (t-test with n − 2 degrees of freedom).',
    }),
    mannKendall: t.field({
      type: MannKendall,
      nullable: true,
      description: 'Null with fewer than 3 points.',
      resolve: (s) => s.mannKendall,
    }),
    direction: t.expose('direction', { type: TrendDirectionEnum }),
    changePoints: t.field({
      type: [ChangePoint],
      description: 'Level shifts, oldest first.',
      resolve: (s) => s.changePoints,
    }),
  }),
});

builder.queryFields((t) => ({
  trends: t.field({
    type: [TrendSeries],
    nullable: false,
    description: 'A series per group with its regression line, Mann–Kendall test and change points.',
    args: {
      series: t.arg({ type: SeriesInput, required: true }),
      filter: t.arg({ type: ResultFilter }),
      groupBy: t.arg({ type: [DimensionEnum] }),
      groupByTags: t.arg.stringList(),
      bucket: t.arg({ type: GranularityEnum, defaultValue: 'DAY' }),
    },
    resolve: (_root, args, ctx) => trendResolvers.trends(ctx, args),
  }),
}));
