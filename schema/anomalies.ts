import { builder } from './builder.ts';
import { SeverityEnum } from './enums.ts';
import { DimensionEnum, GranularityEnum } from './enums.ts';
import { ResultFilter, SeriesInput } from './inputs.ts';
import { MetricGroup } from './metrics.ts';
import { DateTime } from './scalars.ts';
import * as anomalyResolvers from '../resolvers/anomalies.ts';
import {
  ANOMALY_DIRECTIONS,
  ANOMALY_METHODS,
  type Anomaly as AnomalyModel,
  type AnomalyEvent as AnomalyEventModel,
} from '../src/domain/anomalies.ts';

const AnomalyMethodEnum = builder.enumType('AnomalyMethod', {
  description:
    "Each point is judged from the points before it only. AUTO: per point, ROBUST or SEASONAL, whichever has had the smaller past errors. ROBUST: rolling median. SEASONAL: rolling level plus the seasonal offset of recent cycles. MULTIVARIATE: isolation forest over each result's duration and metrics.",
  values: ANOMALY_METHODS,
});

const AnomalyDirectionEnum = builder.enumType('AnomalyDirection', {
  description: 'UP: the value is above the expected band; DOWN: below it.',
  values: ANOMALY_DIRECTIONS,
});

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
}));
