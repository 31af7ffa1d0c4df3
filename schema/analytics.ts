import { builder } from './builder.ts';
import { DimensionEnum, GranularityEnum } from './enums.ts';
import { ResultFilter, SeriesInput, TimeWindowInput } from './inputs.ts';
import { MetricGroup } from './metrics.ts';
import { DateTime } from './scalars.ts';
import { Test } from './test.ts';
import * as anomalyResolvers from '../resolvers/anomalies.ts';
import * as compareResolvers from '../resolvers/compare.ts';
import * as flakinessResolvers from '../resolvers/flakiness.ts';
import * as forecastResolvers from '../resolvers/forecast.ts';
import * as slices from '../resolvers/slices.ts';
import * as trendResolvers from '../resolvers/trends.ts';
import {
  ANOMALY_DIRECTIONS,
  ANOMALY_METHODS,
  type Anomaly as AnomalyModel,
  type AnomalyEvent as AnomalyEventModel,
} from '../src/domain/anomalies.ts';
import {
  COMPARE_METHODS,
  type Comparison as ComparisonModel,
  type SampleSummary as SampleSummaryModel,
} from '../src/domain/compare.ts';
import {
  FLAKINESS_CLASSES,
  type FlakinessCause as FlakinessCauseModel,
  type FlakinessEntry as FlakinessEntryModel,
} from '../src/domain/flakiness.ts';
import {
  FORECAST_METHODS,
  type FittedPoint as FittedPointModel,
  type Forecast as ForecastModel,
  type ForecastCandidate as ForecastCandidateModel,
  type ForecastPoint as ForecastPointModel,
} from '../src/domain/forecast.ts';
import type { SeriesPoint as SeriesPointModel } from '../src/domain/series.ts';
import {
  TREND_DIRECTIONS,
  type ChangePoint as ChangePointModel,
  type MannKendallTrend as MannKendallModel,
  type TrendSeries as TrendSeriesModel,
} from '../src/domain/trends.ts';
import { SEVERITIES } from '../src/domain/types.ts';

// ---------------------------------------------------------------- enums

export const SeverityEnum = builder.enumType('Severity', {
  description: 'How urgent an anomaly or alert is, least to most: INFO < WARNING < CRITICAL.',
  values: SEVERITIES,
});

export const TrendDirectionEnum = builder.enumType('TrendDirection', {
  description:
    'Whether a significant trend is good or bad for the measure (a falling pass rate is DEGRADING, a falling duration IMPROVING); STABLE when not significant.',
  values: TREND_DIRECTIONS,
});

export const AnomalyMethodEnum = builder.enumType('AnomalyMethod', {
  description:
    "Each point is judged from the points before it only. AUTO: per point, ROBUST or SEASONAL, whichever has had the smaller past errors. ROBUST: rolling median. SEASONAL: rolling level plus the seasonal offset of recent cycles. MULTIVARIATE: isolation forest over each result's duration and metrics.",
  values: ANOMALY_METHODS,
});

export const AnomalyDirectionEnum = builder.enumType('AnomalyDirection', {
  description: 'UP: the value is above the expected band; DOWN: below it.',
  values: ANOMALY_DIRECTIONS,
});

export const FlakinessClassEnum = builder.enumType('FlakinessClass', {
  description:
    'STABLE: passes consistently. FLAKY: outcomes flip without code changes. FAILING: fails consistently. INSUFFICIENT_DATA: fewer executions than minExecutions.',
  values: FLAKINESS_CLASSES,
});

export const ForecastMethodEnum = builder.enumType('ForecastMethod', {
  description:
    'AUTO: the model with the lowest out-of-sample error over rolling forecast origins (see `model` and `candidates`). LINEAR: least-squares line. HOLT: level and trend (AUTO may also return its no-trend and damped-trend variants under HOLT). HOLT_WINTERS: level, trend and season (likewise). SEASONAL_NAIVE: the last season repeated. MSTL: every season removed by decomposition, the rest forecast by exponential smoothing. COMBINATION (answered by AUTO only): the mean of its two best models.',
  values: FORECAST_METHODS,
});

export const CompareMethodEnum = builder.enumType('CompareMethod', {
  description:
    'MANN_WHITNEY: rank test, delta is the Hodges–Lehmann shift. WELCH_T: unequal-variance t-test, delta is the difference of means.',
  values: COMPARE_METHODS,
});

// ---------------------------------------------------------------- trends

export const SeriesPoint = builder.objectRef<SeriesPointModel>('SeriesPoint').implement({
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

export const TrendSeries = builder.objectRef<TrendSeriesModel>('TrendSeries').implement({
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

// ---------------------------------------------------------------- anomalies

const Anomaly = builder.objectRef<AnomalyModel>('Anomaly').implement({
  description:
    'A point of a series outside its expected band, judged from the points before it only. Points after the onset of an event belong to it (onset false).',
  fields: (t) => ({
    group: t.field({ type: MetricGroup, resolve: (a) => a.group }),
    t: t.expose('t', { type: DateTime, description: 'Bucket start (UTC) of the anomalous point.' }),
    value: t.exposeFloat('value', { description: 'The observed value, in the series unit.' }),
    expected: t.exposeFloat('expected', { description: 'The value the method expected at t.' }),
    lower: t.exposeFloat('lower', {
      description: 'Lower edge of the expected band at the requested sensitivity.',
    }),
    upper: t.exposeFloat('upper', { description: 'Upper edge of the expected band.' }),
    score: t.exposeFloat('score', {
      description:
        "Distance from `expected` in robust standard deviations of the expectation's past one-step errors (always ≥ sensitivity).",
    }),
    severity: t.expose('severity', {
      type: SeverityEnum,
      description: 'From the score: WARNING from 1× sensitivity, CRITICAL from 1.5×.',
    }),
    direction: t.expose('direction', { type: AnomalyDirectionEnum }),
    method: t.expose('method', {
      type: AnomalyMethodEnum,
      description: 'The method that flagged the point (never AUTO).',
    }),
    onset: t.exposeBoolean('onset', {
      description:
        'True only for the first point of an event: where a live alert fires. Later points of the event are false.',
    }),
  }),
});

const AnomalyEvent = builder.objectRef<AnomalyEventModel>('AnomalyEvent').implement({
  description:
    'An anomaly episode: from its onset (the first point outside the band) to the last flagged point before the series settled back.',
  fields: (t) => ({
    group: t.field({ type: MetricGroup, resolve: (e) => e.group }),
    start: t.expose('start', { type: DateTime, description: 'Bucket start (UTC) of the onset.' }),
    peak: t.expose('peak', {
      type: DateTime,
      description: 'Bucket start of the point farthest outside the band.',
    }),
    end: t.expose('end', {
      type: DateTime,
      description: 'Bucket start of the last point outside the band so far.',
    }),
    score: t.exposeFloat('score', {
      description: "The peak's score, in robust standard deviations of past one-step errors.",
    }),
    severity: t.expose('severity', {
      type: SeverityEnum,
      description: "From the peak's score: WARNING from 1× sensitivity, CRITICAL from 1.5×.",
    }),
    direction: t.expose('direction', { type: AnomalyDirectionEnum, description: 'At the onset.' }),
    value: t.exposeFloat('value', { description: 'The observed value at the onset.' }),
    expected: t.exposeFloat('expected', { description: 'The value expected at the onset.' }),
    lower: t.exposeFloat('lower', { description: 'Lower edge of the expected band at the onset.' }),
    upper: t.exposeFloat('upper', { description: 'Upper edge of the expected band at the onset.' }),
    points: t.exposeInt('points', { description: 'Points of the event outside the band.' }),
    open: t.exposeBoolean('open', {
      description: 'True while the series has not yet settled back inside the band (the event may go on).',
    }),
    method: t.expose('method', {
      type: AnomalyMethodEnum,
      description: 'The method that judged the onset (never AUTO).',
    }),
  }),
});

// ---------------------------------------------------------------- flakiness

const FlakinessCause = builder.objectRef<FlakinessCauseModel>('FlakinessCause').implement({
  description:
    "The worker or hardware a test's flaky evidence concentrates on, far beyond its share of the test's executions.",
  fields: (t) => ({
    dimension: t.expose('dimension', { type: DimensionEnum, description: 'WORKER or HARDWARE.' }),
    value: t.exposeString('value'),
    share: t.exposeFloat('share', {
      description: "Share of the test's flaky evidence on that value, 0 … 1.",
    }),
  }),
});

const FlakinessEntry = builder.objectRef<FlakinessEntryModel>('FlakinessEntry').implement({
  description: "A test's flakiness over the window.",
  fields: (t) => ({
    test: t.field({ type: Test, resolve: (e, _a, ctx) => slices.test(ctx, e.testId) }),
    score: t.exposeFloat('score', {
      description:
        'Estimated flake rate: the chance that an execution fails when nothing changed, 0 … 1 (flaky evidence per execution free to flake, weighted toward recent ones; see the README).',
    }),
    lower: t.exposeFloat('lower', { description: 'Lower bound of the 95 % Wilson interval of the score.' }),
    upper: t.exposeFloat('upper', { description: 'Upper bound of the 95 % Wilson interval of the score.' }),
    flipRate: t.exposeFloat('flipRate', {
      description: 'Share of consecutive executions whose outcome differs, 0 … 1.',
    }),
    executions: t.exposeInt('executions', {
      description: 'Executions in the window (attempts folded, skipped excluded).',
    }),
    failures: t.exposeInt('failures', { description: 'Executions that ended FAILED or ERROR.' }),
    flakyExecutions: t.exposeInt('flakyExecutions', {
      description:
        'Executions that are flaky evidence: passed on retry, failed on a commit that also passed, or failed in a short failure run a pass ended.',
    }),
    inconsistentCommits: t.exposeInt('inconsistentCommits', {
      description: 'Commits on which the test both passed and failed.',
    }),
    classification: t.expose('classification', { type: FlakinessClassEnum }),
    lastFlakeAt: t.expose('lastFlakeAt', {
      type: DateTime,
      nullable: true,
      description: 'Start of the most recent flaky execution; null when none.',
    }),
    cause: t.expose('cause', {
      type: FlakinessCause,
      nullable: true,
      description:
        'The worker or hardware its flaky evidence is attributed to; null when the test itself is the cause. When set, score, interval and classification leave out the executions on that value.',
    }),
  }),
});

// ---------------------------------------------------------------- forecast

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

// ---------------------------------------------------------------- compare

const SampleSummary = builder.objectRef<SampleSummaryModel>('SampleSummary').implement({
  description: 'One side of a comparison: the series observations for one dimension value.',
  fields: (t) => ({
    value: t.exposeString('value', { description: 'The dimension value, e.g. "cuda".' }),
    n: t.exposeInt('n', { description: 'Observations in the sample.' }),
    mean: t.exposeFloat('mean', { nullable: true }),
    median: t.exposeFloat('median', { nullable: true }),
    stdDev: t.exposeFloat('stdDev', {
      nullable: true,
      description: 'Sample standard deviation (n − 1); null with fewer than 2 observations.',
    }),
  }),
});

export const Comparison = builder.objectRef<ComparisonModel>('Comparison').implement({
  description: 'A two-sample test of candidate against baseline.',
  fields: (t) => ({
    baseline: t.field({ type: SampleSummary, resolve: (c) => c.baseline }),
    candidate: t.field({ type: SampleSummary, resolve: (c) => c.candidate }),
    delta: t.exposeFloat('delta', {
      description: 'Candidate − baseline, in the series unit (see CompareMethod for which location).',
    }),
    deltaPct: t.exposeFloat('deltaPct', {
      nullable: true,
      description: 'delta as a percentage of the baseline location; null when that is 0.',
    }),
    lower: t.exposeFloat('lower', {
      nullable: true,
      description: 'Lower bound of the confidence interval of delta.',
    }),
    upper: t.exposeFloat('upper', {
      nullable: true,
      description: 'Upper bound of the confidence interval of delta.',
    }),
    pValue: t.exposeFloat('pValue', { description: 'Two-sided p-value of "no difference".' }),
    significant: t.exposeBoolean('significant', { description: 'pValue < 1 − confidence.' }),
    method: t.expose('method', { type: CompareMethodEnum }),
  }),
});

// ---------------------------------------------------------------- queries

/** What `anomalies` and `anomalyEvents` take: the same analysis, answered per point or per event. */
const anomalyArgs = builder.args((t) => ({
  series: t.field({ type: SeriesInput, required: true }),
  filter: t.field({ type: ResultFilter }),
  groupBy: t.field({ type: [DimensionEnum] }),
  groupByTags: t.stringList(),
  bucket: t.field({ type: GranularityEnum, defaultValue: 'DAY' }),
  method: t.field({ type: AnomalyMethodEnum, defaultValue: 'AUTO' }),
  sensitivity: t.float({
    defaultValue: 3.0,
    description:
      "Robust standard deviations (of the expectation's past one-step errors) from the expected value a point must be to be flagged; lower flags more.",
  }),
}));

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
  anomalies: t.field({
    type: [Anomaly],
    nullable: false,
    description:
      'Points of a series (per group) outside their expected band, newest first; `onset` marks the first point of each event (see anomalyEvents).',
    args: anomalyArgs,
    resolve: (_root, args, ctx) => anomalyResolvers.anomalies(ctx, args),
  }),
  anomalyEvents: t.field({
    type: [AnomalyEvent],
    nullable: false,
    description:
      'Anomaly events of a series (per group), newest onset first: the same analysis as `anomalies`, one entry per episode instead of per point.',
    args: anomalyArgs,
    resolve: (_root, args, ctx) => anomalyResolvers.anomalyEvents(ctx, args),
  }),
  flakiness: t.field({
    type: [FlakinessEntry],
    nullable: false,
    description: 'Tests ranked by flakiness score, highest first.',
    args: {
      filter: t.arg({ type: ResultFilter }),
      window: t.arg({
        type: TimeWindowInput,
        description: 'Look-back window ending now; ANDed with filter.from/to. Default: 30 days.',
      }),
      minExecutions: t.arg.int({
        defaultValue: 5,
        description: 'Tests with fewer executions are classified INSUFFICIENT_DATA.',
      }),
      first: t.arg.int({ defaultValue: 50, description: 'Most tests returned.' }),
    },
    resolve: (_root, args, ctx) => flakinessResolvers.flakiness(ctx, args),
  }),
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
  compare: t.field({
    type: Comparison,
    nullable: false,
    description:
      'Whether the series differs between two values of a dimension (e.g. HARDWARE "cpu" vs "cuda").',
    args: {
      series: t.arg({ type: SeriesInput, required: true }),
      filter: t.arg({ type: ResultFilter }),
      dimension: t.arg({ type: DimensionEnum, required: true }),
      baseline: t.arg.string({ required: true, description: 'The dimension value to compare against.' }),
      candidate: t.arg.string({ required: true, description: 'The dimension value compared.' }),
      confidence: t.arg.float({
        defaultValue: 0.95,
        description: 'Confidence of the interval and of `significant`, between 0 and 1.',
      }),
      method: t.arg({
        type: CompareMethodEnum,
        description: 'The test to use; chosen from the samples when omitted.',
      }),
    },
    resolve: (_root, args, ctx) => compareResolvers.compare(ctx, args),
  }),
}));
