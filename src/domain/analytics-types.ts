/**
 * Result models of the analytics (issue 3), alert (issue 4), quality-gate and
 * report (issue 5) and operations-analytics (issue 6) features. The schema
 * types are typed by these; the features implement them.
 */
import type { TestId } from './ids.ts';
import type {
  BreakerState,
  Dimension,
  Granularity,
  MetricsGroup,
  ResultFilter,
  Run,
  Stat,
  Status,
} from './types.ts';

// ---------------------------------------------------------------- shared

export const SEVERITIES = ['INFO', 'WARNING', 'CRITICAL'] as const;
/** How urgent an anomaly or alert is, least to most. */
export type Severity = (typeof SEVERITIES)[number];

export type SeriesMeasure = 'PASS_RATE' | 'FAIL_RATE' | 'FLAKY_RATE' | 'EXECUTIONS' | 'DURATION';

/** What an analysis runs over: an execution measure or a named metric (exactly one), with a statistic. */
export interface SeriesSpec {
  readonly measure?: SeriesMeasure | null | undefined;
  readonly metric?: string | null | undefined;
  readonly stat?: Stat | null | undefined;
}

/** A look-back window ending now. */
export interface TimeWindow {
  readonly days?: number | null | undefined;
  readonly hours?: number | null | undefined;
}

// ---------------------------------------------------------------- trends

export const TREND_DIRECTIONS = ['IMPROVING', 'DEGRADING', 'STABLE'] as const;
export type TrendDirection = (typeof TREND_DIRECTIONS)[number];

export interface SeriesPoint {
  /** Bucket start (or the execution's start time without bucketing). */
  readonly t: Date;
  readonly value: number;
  /** Observations aggregated into the point. */
  readonly n: number;
}

export interface MannKendall {
  /** Kendall's tau of value against time, −1 … 1. */
  readonly tau: number;
  /** Two-sided p-value of "no monotonic trend". */
  readonly pValue: number;
  /** Theil–Sen slope: median pairwise slope, in value units per day. */
  readonly senSlope: number;
}

export interface ChangePoint {
  /** First point of the new level. */
  readonly t: Date;
  /** Mean value before the change. */
  readonly before: number;
  /** Mean value from the change on. */
  readonly after: number;
}

/** One group's series with an ordinary-least-squares fit over x = days since its first point. */
export interface TrendSeries {
  readonly group: MetricsGroup;
  readonly points: readonly SeriesPoint[];
  /** Value units per day; null with fewer than 2 points. */
  readonly slope: number | null;
  readonly slopeStdErr: number | null;
  /** Fitted value at the first point. */
  readonly intercept: number | null;
  readonly interceptStdErr: number | null;
  readonly rSquared: number | null;
  readonly residualStdErr: number | null;
  /** Two-sided p-value of slope = 0 (t-test). */
  readonly pValue: number | null;
  /** Null with fewer than 3 points. */
  readonly mannKendall: MannKendall | null;
  /** Whether the change is good or bad for this measure (a falling pass rate degrades, a falling duration improves). */
  readonly direction: TrendDirection;
  readonly changePoints: readonly ChangePoint[];
}

// ---------------------------------------------------------------- anomalies

export const ANOMALY_METHODS = ['AUTO', 'ROBUST', 'SEASONAL', 'MULTIVARIATE'] as const;
export type AnomalyMethod = (typeof ANOMALY_METHODS)[number];

export const ANOMALY_DIRECTIONS = ['UP', 'DOWN'] as const;
export type AnomalyDirection = (typeof ANOMALY_DIRECTIONS)[number];

export interface Anomaly {
  readonly group: MetricsGroup;
  readonly t: Date;
  readonly value: number;
  readonly expected: number;
  readonly lower: number;
  readonly upper: number;
  /** Distance from `expected` in robust SDs of the expectation's past one-step errors; flagged when above the sensitivity. */
  readonly score: number;
  readonly severity: Severity;
  readonly direction: AnomalyDirection;
  /** The method that flagged the point (never AUTO). */
  readonly method: AnomalyMethod;
  /** True only for the first flagged point of an event: the moment a live alert would fire. */
  readonly onset: boolean;
}

/**
 * An anomaly episode: from the first point outside the band (the onset) to the
 * last one before the series settled back, judged causally point by point.
 */
export interface AnomalyEvent {
  readonly group: MetricsGroup;
  readonly start: Date;
  readonly peak: Date;
  readonly end: Date;
  /** The peak's score: distance from the expectation in robust SDs of past errors. */
  readonly score: number;
  readonly severity: Severity;
  readonly direction: AnomalyDirection;
  /** Value, expectation and band at the onset. */
  readonly value: number;
  readonly expected: number;
  readonly lower: number;
  readonly upper: number;
  /** Points of the event outside the band. */
  readonly points: number;
  /** True while the series has not yet settled back (the event may go on). */
  readonly open: boolean;
  /** The method that judged the onset (never AUTO). */
  readonly method: AnomalyMethod;
}

// ---------------------------------------------------------------- flakiness

export const FLAKINESS_CLASSES = ['STABLE', 'FLAKY', 'FAILING', 'INSUFFICIENT_DATA'] as const;
export type FlakinessClass = (typeof FLAKINESS_CLASSES)[number];

export interface FlakinessEntry {
  readonly testId: TestId;
  /** Recency-weighted share of executions that showed flaky behaviour, 0 … 1. */
  readonly score: number;
  /** Wilson interval of `score` at 95 % with Kish's effective sample size. */
  readonly lower: number;
  readonly upper: number;
  /** Exponentially decayed share of consecutive executions whose status differs, 0 … 1. */
  readonly flipRate: number;
  readonly executions: number;
  /** Executions whose final status is failed (FAILED or ERROR). */
  readonly failures: number;
  /** Executions that are flaky evidence (unweighted count). */
  readonly flakyExecutions: number;
  /** Commits on which the test both passed and failed. */
  readonly inconsistentCommits: number;
  readonly classification: FlakinessClass;
  readonly lastFlakeAt: Date | null;
  /**
   * The worker or hardware its flaky evidence concentrates on far beyond its
   * share of the executions; null when the test itself is the cause. When
   * set, score, interval and class leave out the executions on that value.
   */
  readonly cause: FlakinessCause | null;
}

/** Infrastructure that a test's flaky evidence is attributed to (src/analytics/flaky-cause.ts). */
export interface FlakinessCause {
  readonly dimension: 'WORKER' | 'HARDWARE';
  readonly value: string;
  /** Share of the test's flaky evidence on that value, 0 … 1. */
  readonly share: number;
}

/**
 * One test's executions on one worker or hardware value within a slice
 * (src/db/flakiness-cause.ts), weighted as FlakinessAggregates are (the
 * test's latest execution in the slice weighs 1). `value` null: executions
 * that name none.
 */
export interface FlakinessValueSums {
  readonly testId: string;
  readonly dimension: 'WORKER' | 'HARDWARE';
  readonly value: string | null;
  /** The test's executions and flaky evidence in the slice, on every value. */
  readonly testExecutions: number;
  readonly testEvidence: number;
  readonly executions: number;
  /** Executions that are flaky evidence. */
  readonly evidence: number;
  readonly sumV: number;
  readonly sumV2: number;
  readonly sumWF: number;
  /** Executions back from the test's latest to its latest retry or same-commit evidence on the value; null when none. */
  readonly strongAge: number | null;
  /** Start positions of the recent transient failure runs with a failure on the value. */
  readonly transientRuns: readonly number[];
}

/**
 * One worker or hardware value over the tests given: their evidence on it,
 * what their exposures predict (Σ over the tests that ran there of the
 * test's evidence × the value's share of its executions), and the trials
 * (Σ of those tests' evidence).
 */
export interface FlakinessValuePool {
  readonly dimension: 'WORKER' | 'HARDWARE';
  readonly value: string;
  readonly evidence: number;
  readonly expected: number;
  readonly trials: number;
}

/** The per-value sums of the tests with evidence there, and every value pooled. */
export interface FlakinessByValue {
  readonly values: readonly FlakinessValueSums[];
  readonly pools: readonly FlakinessValuePool[];
}

// ---------------------------------------------------------------- forecast

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

// ---------------------------------------------------------------- compare

export const COMPARE_METHODS = ['MANN_WHITNEY', 'WELCH_T'] as const;
export type CompareMethod = (typeof COMPARE_METHODS)[number];

export interface SampleSummary {
  /** The dimension value the sample was taken for. */
  readonly value: string;
  readonly n: number;
  readonly mean: number | null;
  readonly median: number | null;
  readonly stdDev: number | null;
}

export interface Comparison {
  readonly baseline: SampleSummary;
  readonly candidate: SampleSummary;
  /** Candidate − baseline (difference of means for WELCH_T, Hodges–Lehmann shift for MANN_WHITNEY). */
  readonly delta: number;
  /** delta / baseline location × 100; null when the baseline is 0. */
  readonly deltaPct: number | null;
  /** Confidence interval of delta. */
  readonly lower: number | null;
  readonly upper: number | null;
  readonly pValue: number;
  readonly significant: boolean;
  readonly method: CompareMethod;
}

// ---------------------------------------------------------------- multi-dimensional performance

/** One combination of dimension and tag values with the series' statistic over it. */
export interface PerformanceCell {
  readonly group: MetricsGroup;
  readonly value: number;
  /** Observations (executions, or results carrying the metric). */
  readonly n: number;
}

/** One value of a dimension or tag against that dimension's reference value (its most observed). */
export interface DimensionEffect {
  /** Null when the value is a tag's (see tag). */
  readonly dimension: Dimension | null;
  readonly tag: string | null;
  readonly value: string;
  readonly n: number;
  /** The dimension's value with the most observations, every other value is compared with. */
  readonly reference: string;
  /** The value against the reference; null for the reference itself or with too few observations. */
  readonly comparison: Comparison | null;
}

export interface PerformanceReport {
  /** Whether a higher value is better for the series (throughput up, duration down). */
  readonly higherIsBetter: boolean;
  /** Best first. */
  readonly combinations: readonly PerformanceCell[];
  readonly effects: readonly DimensionEffect[];
}

// ---------------------------------------------------------------- alerts

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
export type ChannelFormat = (typeof CHANNEL_FORMATS)[number];

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

// ---------------------------------------------------------------- quality gate and report

/** Thresholds a slice must meet; only the ones given are checked. */
export interface QualityGate {
  readonly minPassRate?: number | null | undefined;
  readonly maxNewFailures?: number | null | undefined;
  readonly maxFlakyRate?: number | null | undefined;
  readonly baseBranch?: string | null | undefined;
  readonly maxDurationRegressionPct?: number | null | undefined;
}

export interface QualityCheck {
  readonly name: string;
  readonly passed: boolean;
  /** Null when the slice has no data for the check. */
  readonly actual: number | null;
  readonly threshold: number;
  readonly message: string;
}

export interface QualityGateResult {
  readonly passed: boolean;
  readonly checks: readonly QualityCheck[];
  /** The slice's quarantined tests, left out of every check and counted here instead. */
  readonly quarantine: QuarantineCount;
}

/** What quarantined tests did in a slice: counted apart, never failing a gate. */
export interface QuarantineCount {
  /** Quarantined tests that ran in the slice. */
  readonly tests: number;
  /** Their executions (skipped left out) and failures (FAILED or ERROR). */
  readonly executions: number;
  readonly failures: number;
  /** Each quarantined test that failed, with its failures; most first. */
  readonly failing: readonly { readonly testId: TestId; readonly failures: number }[];
}

/** A test whose latest execution failed where it passed before (on the base branch, or in its previous execution). */
export interface NewFailure {
  readonly testId: TestId;
  readonly message: string | null;
  /** Start of the first failing execution. */
  readonly at: Date;
  /** Failing executions since then. */
  readonly failures: number;
}

/** What a quality gate measures of a slice (src/db/gate.ts). */
export interface GateFigures {
  /** Executions of the slice, skipped left out, and those that passed and passed only on a retry. */
  readonly executions: number;
  readonly passed: number;
  readonly flaky: number;
  readonly passRate: number | null;
  readonly flakyRate: number | null;
  /** Executions of the same tests on the base branch; 0 without a base branch. */
  readonly baseExecutions: number;
  readonly newFailures: readonly NewFailure[];
  /** Over the tests run in both: the slice's summed mean durations against the base branch's summed medians, ms. */
  readonly duration: { readonly headMs: number; readonly baseMs: number; readonly tests: number } | null;
}

export const REPORT_FORMATS = ['MARKDOWN', 'HTML', 'JSON'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface Report {
  readonly format: ReportFormat;
  readonly generatedAt: Date;
  readonly content: string;
}

// ---------------------------------------------------------------- operations analytics

export interface TestChange {
  readonly testId: TestId;
  readonly baseStatus: Status | null;
  readonly headStatus: Status | null;
  /** The head run's failure message, if any. */
  readonly message: string | null;
}

export interface DurationRegression {
  readonly testId: TestId;
  readonly baseMs: number;
  readonly headMs: number;
  /** headMs / baseMs. */
  readonly ratio: number;
  /** Earlier passing durations of the test the significance was judged on (before the head run). */
  readonly historyN: number;
  /** t statistic of headMs against that history on the log scale; null with too short a history. */
  readonly tScore: number | null;
  /** One-sided p-value that the history explains headMs; null with too short a history. */
  readonly pValue: number | null;
  /** pValue below 1 − confidence; null with too short a history (then the ratio alone decided). */
  readonly significant: boolean | null;
}

/** A test's execution in the base and the head run of a comparison (null where it did not run). */
export interface RunPairRow {
  readonly testId: TestId;
  readonly baseStatus: Status | null;
  readonly headStatus: Status | null;
  /** Duration of the last attempt, ms. */
  readonly baseMs: number | null;
  readonly headMs: number | null;
  /** The head run's failure message (its last failed attempt's). */
  readonly headMessage: string | null;
}

export interface RunComparison {
  readonly base: Run;
  readonly head: Run;
  readonly newFailures: readonly TestChange[];
  readonly fixed: readonly TestChange[];
  readonly stillFailing: readonly TestChange[];
  readonly newTests: readonly TestId[];
  readonly removedTests: readonly TestId[];
  readonly durationRegressions: readonly DurationRegression[];
}

export interface FailureCorrelation {
  /** Null when the value is a tag's (see `tag`). */
  readonly dimension: Dimension | null;
  /** The tag key when the value is a tag's. */
  readonly tag: string | null;
  readonly value: string;
  /** The pattern's occurrences with this value. */
  readonly occurrences: number;
  /** Share of the pattern's occurrences with this value, 0 … 1. */
  readonly share: number;
  /** The value's share of the slice's attempts that ran, 0 … 1. */
  readonly baselineShare: number;
  /** share / baselineShare; above 1 means over-represented. */
  readonly lift: number;
}

export interface FailurePatternDay {
  /** Start of the day (UTC). */
  readonly day: Date;
  readonly occurrences: number;
}

export interface FailurePattern {
  readonly fingerprint: string;
  readonly pattern: string;
  readonly sample: string;
  readonly occurrences: number;
  /** Distinct tests that failed with it. */
  readonly tests: number;
  readonly testIds: readonly TestId[];
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  /** Occurrences per day with any, oldest first. */
  readonly daily: readonly FailurePatternDay[];
  readonly correlations: readonly FailureCorrelation[];
}

/** Attempts of a slice with one dimension or tag value (what a pattern's values are measured against). */
export interface DimensionValueCount {
  readonly dimension: Dimension | null;
  readonly tag: string | null;
  readonly value: string;
  readonly n: number;
}

/** One failure pattern as counted in SQL, before correlations are judged. */
export interface FailurePatternCounts extends Omit<FailurePattern, 'correlations'> {
  /** Occurrences per dimension and tag value. */
  readonly values: readonly DimensionValueCount[];
}

/** The most frequent patterns of a slice, and the slice's attempts per value of the dimensions they touch. */
export interface FailurePatternSlice {
  readonly patterns: readonly FailurePatternCounts[];
  /** Attempts of the slice that ran (not SKIPPED). */
  readonly attempts: number;
  readonly baseline: readonly DimensionValueCount[];
}

export interface WorkerLoad {
  readonly worker: string;
  readonly executions: number;
  /** Sum of attempt durations on the worker, ms. */
  readonly busyMs: number;
  /** busyMs / all workers' busyMs, 0 … 1. */
  readonly share: number;
  readonly failRate: number | null;
}

/** Fairness of busy time over a set of workers; null without workers. */
export interface Fairness {
  readonly jainIndex: number | null;
  readonly gini: number | null;
  readonly coefficientOfVariation: number | null;
  readonly maxToMeanRatio: number | null;
}

export interface WorkloadReport extends Fairness {
  readonly workers: readonly WorkerLoad[];
  /** The same figures within each hardware kind, busiest kind first. */
  readonly hardware: readonly HardwareWorkload[];
}

/** One hardware kind's part of the slice's work, and how evenly its workers share it. */
export interface HardwareWorkload extends Fairness {
  /** Null for attempts that name no hardware. */
  readonly hardware: string | null;
  readonly executions: number;
  readonly busyMs: number;
  /** busyMs / all hardware's busyMs, 0 … 1. */
  readonly share: number;
  readonly failRate: number | null;
  /** The kind's workers, busiest first; `share` is within the kind. */
  readonly workers: readonly WorkerLoad[];
}

/** Attempts of one worker on one hardware kind, summed in SQL (the rows workload starts from). */
export interface WorkerHardwareLoad {
  readonly worker: string;
  readonly hardware: string | null;
  readonly attempts: number;
  /** Attempts that ran (not SKIPPED). */
  readonly ran: number;
  /** Attempts that ended FAILED or ERROR. */
  readonly failed: number;
  readonly busyMs: number;
}

export interface BreakerTransition {
  readonly at: Date;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly reason: string | null;
  /** Not ingested: implied by the next transition's `from` (see src/analytics/breakers.ts). */
  readonly inferred: boolean;
}

export interface CircuitBreakerReport {
  readonly name: string;
  /** The worker a "worker:<name>" breaker guards; null for other breakers. */
  readonly worker: string | null;
  /** State after the last transition. */
  readonly state: BreakerState;
  /** Transitions into OPEN. */
  readonly trips: number;
  readonly recoveries: number;
  readonly timeOpenMs: number;
  readonly timeHalfOpenMs: number;
  /** Mean time from OPEN back to CLOSED, ms; null when it never recovered. */
  readonly meanRecoveryMs: number | null;
  readonly failureRateClosed: number | null;
  readonly failureRateAfterRecovery: number | null;
  /** Transitions that had to be inferred because an ingested one did not follow its predecessor. */
  readonly missingTransitions: number;
  readonly transitions: readonly BreakerTransition[];
}

/** A circuit-breaker transition as stored. */
export interface StoredBreakerEvent {
  readonly name: string;
  readonly at: Date;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly reason: string | null;
}

/** A stretch of time on one worker whose attempts are counted under `key`; null ends are unbounded. */
export interface AttemptWindow {
  readonly key: string;
  readonly worker: string;
  readonly from: Date | null;
  readonly to: Date | null;
}

/** Attempts that ran and attempts that failed or errored. */
export interface AttemptOutcomes {
  readonly ran: number;
  readonly failed: number;
}

// ---------------------------------------------------------------- store queries behind the analytics

/** A validated series: exactly one of measure or metric. */
export type SeriesKind = { readonly measure: SeriesMeasure } | { readonly metric: string };

export interface SeriesQuery {
  readonly filter: ResultFilter;
  readonly groupBy: readonly Dimension[];
  readonly groupByTags: readonly string[];
  readonly bucket: Granularity;
  readonly series: SeriesKind;
  readonly stat: Stat;
  /** Most points read over all groups. */
  readonly limit: number;
}

export interface GroupSeries {
  readonly group: MetricsGroup;
  /** Oldest first. */
  readonly points: readonly SeriesPoint[];
}

/** Raw values of a series for two values of one dimension (the samples `compare` tests). */
export interface SampleQuery {
  readonly filter: ResultFilter;
  readonly series: SeriesKind;
  readonly dimension: Dimension;
  /** When set, the samples are split by this tag's value instead of by `dimension`. */
  readonly tag?: string | undefined;
  readonly baseline: string;
  readonly candidate: string;
  readonly limit: number;
}

/** One execution as the flakiness score reads it. */
export interface FlakinessExecution {
  readonly at: number;
  readonly commit: string | null;
  readonly passed: boolean;
  readonly failed: boolean;
  readonly retryFlaky: boolean;
}

/** An execution's duration and named metrics, for multivariate anomaly detection. */
export interface ExecutionVector {
  readonly t: Date;
  readonly durationMs: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/** Thresholds the flakiness evidence is summed with (a subset of FlakinessOptions in src/analytics/flakiness.ts). */
export interface EvidenceOptions {
  readonly halfLife: number;
  readonly maxTransientRun: number;
  readonly failingStreak: number;
  /** Executions back from the latest that count as recent (one half-life). */
  readonly recent: number;
}

/**
 * The definition's default thresholds. Here rather than in src/analytics so
 * src/db can keep its ingest-time flakiness rollup with them; src/analytics
 * re-exports it and a test checks `recent` against recentSpan(halfLife).
 */
export const DEFAULT_EVIDENCE_OPTIONS = {
  halfLife: 100,
  maxTransientRun: 3,
  failingStreak: 3,
  recent: 100,
} as const satisfies EvidenceOptions;

/**
 * One test's flakiness evidence summed in SQL over its executions in a slice
 * (src/db/flakiness.ts); src/analytics/flakiness.ts turns it into a score.
 * Weights are 2^(−k/h) for the execution k places before the test's latest.
 */
export interface FlakinessAggregates {
  readonly testId: string;
  readonly executions: number;
  readonly failures: number;
  readonly flakyExecutions: number;
  readonly inconsistentCommits: number;
  readonly sumW: number;
  readonly sumW2: number;
  /** Weights (and squared weights) of the free executions: every one but the failures that are not flaky evidence. */
  readonly sumV: number;
  readonly sumV2: number;
  /** Weights of the executions that are flaky evidence. */
  readonly sumWF: number;
  /** Weights of every execution but the first, and of those that flipped. */
  readonly flipW: number;
  readonly flipSum: number;
  /** The latest `failingStreak` executions all failed without flaky evidence. */
  readonly failingNow: boolean;
  /** Retry or same-commit evidence among the recent executions. */
  readonly recentStrongEvidence: number;
  /** Separate transient failure runs among the recent executions. */
  readonly recentTransientRuns: number;
  readonly lastFlakeAt: Date | null;
}
