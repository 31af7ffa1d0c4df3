import { builder } from './builder.ts';
import { SeverityEnum } from './enums.ts';
import { connectionArgs, connectionOf } from './connection.ts';
import { DimensionEnum, SeriesMeasureEnum, StatEnum } from './enums.ts';
import { ResultFilter, SeriesInput } from './inputs.ts';
import { MetricGroup } from './metrics.ts';
import { Node } from './node.ts';
import { DateTime, JSONScalar } from './scalars.ts';
import { selectsField } from './selection.ts';
import * as alertResolvers from '../resolvers/alerts.ts';
import {
  ALERT_KINDS,
  CHANNEL_FORMATS,
  COMPARISON_OPERATORS,
  DELIVERY_STATUSES,
  type Alert as AlertModel,
  type AlertDelivery as AlertDeliveryModel,
  type AlertChannel as AlertChannelModel,
  type AlertRule as AlertRuleModel,
} from '../src/domain/alerts.ts';
import type { SeriesSpec } from '../src/domain/series.ts';

// ---------------------------------------------------------------- enums

const AlertKindEnum = builder.enumType('AlertKind', {
  description:
    'THRESHOLD: the series crosses `threshold`. PASS_RATE_DROP: pass rate below `threshold`. NEW_FAILURE: a test that passed starts failing. ' +
    'FLAKY_TEST: a flakiness score above `threshold`. DURATION_REGRESSION: duration up by more than `threshold` percent. ANOMALY: an anomaly of the series. ' +
    'QUARANTINE_RELEASE: a quarantined test passed its last N executions, so releasing it is suggested (raised by quarantine, not by a rule).',
  values: ALERT_KINDS,
});

const ComparisonOperatorEnum = builder.enumType('ComparisonOperator', {
  description:
    'How the observed value is compared with the threshold: value > threshold (GT), ≥ (GTE), < (LT), ≤ (LTE).',
  values: COMPARISON_OPERATORS,
});

const ChannelFormatEnum = builder.enumType('ChannelFormat', {
  description: 'Webhook body: JSON (the Alert as JSON) or SLACK (a Slack incoming-webhook message).',
  values: CHANNEL_FORMATS,
});

// ---------------------------------------------------------------- inputs

const AlertChannelInput = builder.inputType('AlertChannelInput', {
  description: 'Where a rule posts its alerts.',
  fields: (t) => ({
    webhook: t.string({ required: true, description: 'An http(s) URL that receives a POST per alert.' }),
    format: t.field({ type: ChannelFormatEnum, defaultValue: 'JSON' }),
  }),
});

const AlertRuleInput = builder.inputType('AlertRuleInput', {
  description:
    'An alert rule: what to watch (filter, series, groupBy), when to fire (operator, threshold, windowMinutes) and whom to tell (channels).',
  fields: (t) => ({
    name: t.string({ required: true }),
    kind: t.field({ type: AlertKindEnum, required: true }),
    filter: t.field({ type: ResultFilter, description: 'The slice watched; everything when omitted.' }),
    series: t.field({
      type: SeriesInput,
      description: 'The series THRESHOLD and ANOMALY rules watch; other kinds imply theirs.',
    }),
    groupBy: t.field({
      type: [DimensionEnum],
      description: 'Evaluate per group (e.g. per TEST); one alert per group that fires.',
    }),
    operator: t.field({
      type: ComparisonOperatorEnum,
      description:
        'Required for THRESHOLD; other kinds imply theirs (PASS_RATE_DROP: LT; DURATION_REGRESSION, FLAKY_TEST, ANOMALY: GTE; NEW_FAILURE: none).',
    }),
    threshold: t.float({
      description:
        "The limit, in the series' unit (rates 0 … 1, durations ms; percent for DURATION_REGRESSION; sensitivity for ANOMALY).",
    }),
    windowMinutes: t.int({
      defaultValue: 60,
      description: 'The look-back window the value is computed over, in minutes.',
    }),
    severity: t.field({ type: SeverityEnum, defaultValue: 'WARNING' }),
    cooldownMinutes: t.int({
      defaultValue: 30,
      description: 'Minutes after firing before the same rule and group may fire again.',
    }),
    channels: t.field({ type: [AlertChannelInput] }),
    enabled: t.boolean({ defaultValue: true }),
  }),
});

const AlertFilter = builder.inputType('AlertFilter', {
  description:
    'Which alerts to list or stream: OR within a field, AND across fields; `from`/`to` are half-open [from, to) on firedAt.',
  fields: (t) => ({
    severity: t.field({ type: [SeverityEnum] }),
    minSeverity: t.field({ type: SeverityEnum, description: 'This severity or a more urgent one.' }),
    kind: t.field({ type: [AlertKindEnum] }),
    ruleId: t.idList(),
    project: t.stringList(),
    acknowledged: t.boolean({
      description: 'true: only acknowledged alerts; false: only unacknowledged ones.',
    }),
    resolved: t.boolean({ description: 'true: only resolved alerts; false: only open ones.' }),
    from: t.field({ type: DateTime }),
    to: t.field({ type: DateTime }),
  }),
});

// ---------------------------------------------------------------- objects

const SeriesSpecRef = builder.objectRef<SeriesSpec>('SeriesSpec').implement({
  description: 'The series a rule watches: an execution measure or a named metric, with a statistic.',
  fields: (t) => ({
    measure: t.field({ type: SeriesMeasureEnum, nullable: true, resolve: (s) => s.measure ?? null }),
    metric: t.string({ nullable: true, resolve: (s) => s.metric ?? null }),
    stat: t.field({ type: StatEnum, resolve: (s) => s.stat ?? 'AVG' }),
  }),
});

const AlertChannel = builder.objectRef<AlertChannelModel>('AlertChannel').implement({
  description: 'A webhook a rule posts its alerts to.',
  fields: (t) => ({
    webhook: t.exposeString('webhook'),
    format: t.expose('format', { type: ChannelFormatEnum }),
  }),
});

const AlertRule = builder.objectRef<AlertRuleModel>('AlertRule').implement({
  description: 'A stored alert rule (see AlertRuleInput for what each field means).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: AlertKindEnum }),
    filter: t.field({
      type: JSONScalar,
      description: 'The ResultFilter the rule watches, as given.',
      resolve: (r) => r.filter,
    }),
    series: t.field({ type: SeriesSpecRef, nullable: true, resolve: (r) => r.series }),
    groupBy: t.field({ type: [DimensionEnum], resolve: (r) => r.groupBy }),
    operator: t.expose('operator', { type: ComparisonOperatorEnum, nullable: true }),
    threshold: t.exposeFloat('threshold', { nullable: true }),
    windowMinutes: t.exposeInt('windowMinutes', { description: 'Look-back window, minutes.' }),
    severity: t.expose('severity', { type: SeverityEnum }),
    cooldownMinutes: t.exposeInt('cooldownMinutes', { description: 'Quiet time after firing, minutes.' }),
    channels: t.field({ type: [AlertChannel], resolve: (r) => r.channels }),
    enabled: t.exposeBoolean('enabled'),
    createdAt: t.expose('createdAt', { type: DateTime }),
    updatedAt: t.expose('updatedAt', { type: DateTime }),
  }),
});

const DeliveryStatusEnum = builder.enumType('DeliveryStatus', {
  description: 'PENDING while attempts go on (with retries and backoff), then DELIVERED or FAILED.',
  values: DELIVERY_STATUSES,
});

const AlertDelivery = builder.objectRef<AlertDeliveryModel>('AlertDelivery').implement({
  description: 'The outcome of posting one alert to one webhook.',
  fields: (t) => ({
    channel: t.field({ type: AlertChannel, resolve: (d) => d.channel }),
    status: t.expose('status', { type: DeliveryStatusEnum }),
    attempts: t.exposeInt('attempts'),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description: 'HTTP status or network error of the last failed attempt.',
    }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: DateTime, nullable: true }),
  }),
});

export const Alert = builder.objectRef<AlertModel>('Alert').implement({
  description: 'One firing of an alert rule for one group.',
  interfaces: [Node],
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: AlertKindEnum }),
    severity: t.expose('severity', { type: SeverityEnum }),
    message: t.exposeString('message', {
      description:
        'A sentence saying what crossed which limit, e.g. "web/main pass rate 0.91 < 0.95 over 60 min".',
    }),
    firedAt: t.expose('firedAt', { type: DateTime }),
    value: t.exposeFloat('value', {
      nullable: true,
      description: "The observed value, in the rule's threshold unit; null for NEW_FAILURE.",
    }),
    threshold: t.exposeFloat('threshold', {
      nullable: true,
      description: "The rule's threshold when it fired.",
    }),
    acknowledgedAt: t.expose('acknowledgedAt', { type: DateTime, nullable: true }),
    resolvedAt: t.expose('resolvedAt', {
      type: DateTime,
      nullable: true,
      description: 'When the condition cleared or someone resolved it; null while open.',
    }),
    group: t.field({
      type: MetricGroup,
      description: 'The group that fired; fields the rule does not group by are null.',
      resolve: (a) => a.group,
    }),
    rule: t.field({
      type: AlertRule,
      description: 'The rule as it was when the alert fired.',
      resolve: (a) => a.rule,
    }),
    deliveries: t.field({
      type: [AlertDelivery],
      description: "How posting the alert to each of the rule's webhooks went.",
      resolve: (a) => a.deliveries,
    }),
  }),
});

const AlertConnection = connectionOf('Alert', Alert, (a: AlertModel) => a);

// ---------------------------------------------------------------- operations

builder.queryFields((t) => ({
  alertRules: t.field({
    type: [AlertRule],
    nullable: false,
    description: 'All alert rules, by name.',
    resolve: (_r, _a, ctx) => alertResolvers.alertRules(ctx),
  }),
  alertRule: t.field({
    type: AlertRule,
    nullable: false,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => alertResolvers.alertRule(ctx, id),
  }),
  alerts: t.field({
    type: AlertConnection,
    nullable: false,
    description: 'Fired alerts, newest first.',
    args: { filter: t.arg({ type: AlertFilter }), ...connectionArgs },
    resolve: (_r, args, ctx, info) => alertResolvers.alerts(ctx, args, selectsField(info, 'totalCount')),
  }),
}));

builder.mutationFields((t) => ({
  createAlertRule: t.field({
    type: AlertRule,
    nullable: false,
    args: { input: t.arg({ type: AlertRuleInput, required: true }) },
    resolve: (_r, { input }, ctx) => alertResolvers.createAlertRule(ctx, input),
  }),
  updateAlertRule: t.field({
    type: AlertRule,
    nullable: false,
    description: "Replaces a rule's definition (omitted fields take their defaults).",
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: AlertRuleInput, required: true }) },
    resolve: (_r, { id, input }, ctx) => alertResolvers.updateAlertRule(ctx, id, input),
  }),
  deleteAlertRule: t.boolean({
    nullable: false,
    description: 'Deletes a rule; its past alerts stay. False when no rule had the id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => alertResolvers.deleteAlertRule(ctx, id),
  }),
  acknowledgeAlert: t.field({
    type: Alert,
    nullable: false,
    description: 'Marks an alert as seen; it stays open until resolved.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => alertResolvers.acknowledgeAlert(ctx, id),
  }),
  resolveAlert: t.field({
    type: Alert,
    nullable: false,
    description: 'Closes an alert.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => alertResolvers.resolveAlert(ctx, id),
  }),
}));

builder.subscriptionField('alerts', (t) =>
  t.field({
    type: Alert,
    nullable: false,
    description: 'Every alert matching the filter, as it fires.',
    args: { filter: t.arg({ type: AlertFilter }) },
    subscribe: (_r, { filter }, ctx) => alertResolvers.alertEvents(ctx, filter ?? {}),
    resolve: (a) => a,
  }),
);
