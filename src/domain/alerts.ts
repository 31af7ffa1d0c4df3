/** Alert rules, the alerts they fire, their deliveries, and the store port behind them. */
import type { FlakinessStore } from './flakiness.ts';
import type { InfraFailureStore } from './infra-failures.ts';
import type { SeriesSpec, SeriesStore } from './series.ts';
import type { SliceStore } from './slices.ts';
import type { Dimension, MetricsGroup, Page, PageBounds, ResultFilter, Severity, TotalFor } from './types.ts';

export const ALERT_KINDS = [
  'THRESHOLD',
  'PASS_RATE_DROP',
  'NEW_FAILURE',
  'FLAKY_TEST',
  'DURATION_REGRESSION',
  'ANOMALY',
  // Raised by quarantine, never by an alert rule: a quarantined test passed its last N executions (resolvers/quarantine.ts).
  'QUARANTINE_RELEASE',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const COMPARISON_OPERATORS = ['GT', 'GTE', 'LT', 'LTE'] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export const CHANNEL_FORMATS = ['JSON', 'SLACK'] as const;
type ChannelFormat = (typeof CHANNEL_FORMATS)[number];

export interface AlertChannel {
  readonly webhook: string;
  readonly format: ChannelFormat;
}

export interface AlertChannelInput {
  readonly webhook: string;
  readonly format?: ChannelFormat | null | undefined;
}

/** A rule as sent to createAlertRule / updateAlertRule. */
export interface AlertRuleInput {
  readonly name: string;
  readonly kind: AlertKind;
  readonly filter?: ResultFilter | null | undefined;
  readonly series?: SeriesSpec | null | undefined;
  readonly groupBy?: readonly Dimension[] | null | undefined;
  readonly operator?: ComparisonOperator | null | undefined;
  readonly threshold?: number | null | undefined;
  readonly windowMinutes?: number | null | undefined;
  readonly severity?: Severity | null | undefined;
  readonly cooldownMinutes?: number | null | undefined;
  readonly channels?: readonly AlertChannelInput[] | null | undefined;
  readonly enabled?: boolean | null | undefined;
}

export interface AlertRule {
  readonly id: string;
  readonly name: string;
  readonly kind: AlertKind;
  readonly filter: ResultFilter;
  readonly series: SeriesSpec | null;
  readonly groupBy: readonly Dimension[];
  readonly operator: ComparisonOperator | null;
  readonly threshold: number | null;
  readonly windowMinutes: number;
  readonly severity: Severity;
  readonly cooldownMinutes: number;
  readonly channels: readonly AlertChannel[];
  readonly enabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface Alert {
  readonly id: string;
  readonly kind: AlertKind;
  readonly severity: Severity;
  readonly message: string;
  readonly firedAt: Date;
  /** The observed value that crossed the threshold. */
  readonly value: number | null;
  readonly threshold: number | null;
  readonly acknowledgedAt: Date | null;
  readonly resolvedAt: Date | null;
  readonly group: MetricsGroup;
  /** Stable key of the group within the rule (JSON of its dimension values). */
  readonly groupKey: string;
  /** The rule as it was when the alert fired. */
  readonly rule: AlertRule;
  /** One entry per channel of the rule: how delivery went. */
  readonly deliveries: readonly AlertDelivery[];
}

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The outcome of posting one alert to one webhook channel. */
export interface AlertDelivery {
  readonly channel: AlertChannel;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  /** HTTP status or network error of the last failed attempt. */
  readonly lastError: string | null;
  readonly lastAttemptAt: Date | null;
}

/** An alert about to be stored (the store assigns the id). */
export type NewAlert = Omit<Alert, 'id' | 'acknowledgedAt' | 'resolvedAt' | 'deliveries'>;

/** Where a rule stands for one group: what makes alarms fire once and resolve once. */
export interface AlertState {
  readonly ruleId: string;
  readonly groupKey: string;
  readonly firing: boolean;
  /** The open alert while firing. */
  readonly alertId: string | null;
  readonly lastFiredAt: Date | null;
  readonly lastValue: number | null;
  readonly updatedAt: Date;
}

export interface AlertFilter {
  readonly severity?: readonly Severity[] | null | undefined;
  readonly minSeverity?: Severity | null | undefined;
  readonly kind?: readonly AlertKind[] | null | undefined;
  readonly ruleId?: readonly string[] | null | undefined;
  readonly project?: readonly string[] | null | undefined;
  readonly acknowledged?: boolean | null | undefined;
  readonly resolved?: boolean | null | undefined;
  readonly from?: Date | null | undefined;
  readonly to?: Date | null | undefined;
}

/** What the alert rules, alerts and the alert engine read and write. */
export interface AlertStore {
  rules(): Promise<AlertRule[]>;
  rule(id: string): Promise<AlertRule | null>;
  /** Stores a new rule (the id is the caller's) or replaces one with the same id. */
  saveRule(rule: AlertRule): Promise<void>;
  deleteRule(id: string): Promise<boolean>;
  /** Stores a fired alert under `id` (a fresh one when absent). */
  insertAlert(alert: NewAlert, id?: string): Promise<Alert>;
  /** Stores a fired alert and its group's firing state (pointing at it) in one transaction. */
  fireAlert(alert: NewAlert, state: Omit<AlertState, 'firing' | 'alertId'>, id?: string): Promise<Alert>;
  alert(id: string): Promise<Alert | null>;
  alertsPage<B extends PageBounds>(
    filter: AlertFilter | null | undefined,
    size: number,
    bounds: B,
  ): Promise<Page<Alert, TotalFor<B>>>;
  acknowledgeAlert(id: string, at: Date): Promise<Alert | null>;
  resolveAlert(id: string, at: Date): Promise<Alert | null>;
  recordDelivery(alertId: string, delivery: AlertDelivery): Promise<void>;
  alertStates(ruleId: string): Promise<Map<string, AlertState>>;
  saveAlertState(state: AlertState): Promise<void>;
  deleteAlertStates(ruleId: string): Promise<void>;
}

/** What the alert engine learns of a committed ingest. */
export interface IngestNotice {
  readonly runId: string;
  readonly project: string;
  readonly branch: string | null;
  /** The latest start time in the batch: rules are evaluated as of this instant. */
  readonly at: Date;
}

/** Evaluates alert rules after ingests, off the ingest's path. */
export interface AlertEvaluator {
  /** Queues the evaluation of every enabled rule against the groups this ingest touched; returns at once. */
  onIngest(notice: IngestNotice): void;
  /** Resolves when every queued evaluation has finished (tests, shutdown). */
  idle(): Promise<void>;
}

/** What the alert engine reads and writes: the rules and their states, and the figures rules are judged on. */
export type AlertEngineStore = AlertStore &
  Pick<SliceStore, 'metrics' | 'testsByIds'> &
  Pick<SeriesStore, 'series'> &
  Pick<FlakinessStore, 'flakinessAggregates' | 'flakinessByValue'> &
  Pick<InfraFailureStore, 'runInfraFailures'>;
