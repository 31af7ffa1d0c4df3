/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date-time such as 2026-11-01T10:00:00Z. Input without an offset is read as UTC; output is always UTC. */
  DateTime: { input: string; output: string; }
  /** Arbitrary JSON. Tags are objects of string keys to string values. */
  JSON: { input: unknown; output: unknown; }
};

/** One firing of an alert rule for one group. */
export type Alert = {
  __typename?: 'Alert';
  acknowledgedAt: Maybe<Scalars['DateTime']['output']>;
  firedAt: Scalars['DateTime']['output'];
  /** The group that fired; fields the rule does not group by are null. */
  group: MetricGroup;
  id: Scalars['ID']['output'];
  kind: AlertKind;
  /** A sentence saying what crossed which limit, e.g. "web/main pass rate 0.91 < 0.95 over 60 min". */
  message: Scalars['String']['output'];
  /** When the condition cleared or someone resolved it; null while open. */
  resolvedAt: Maybe<Scalars['DateTime']['output']>;
  /** The rule as it was when the alert fired. */
  rule: AlertRule;
  severity: Severity;
  /** The rule's threshold when it fired. */
  threshold: Maybe<Scalars['Float']['output']>;
  /** The observed value, in the rule's threshold unit; null for NEW_FAILURE. */
  value: Maybe<Scalars['Float']['output']>;
};

/** A webhook a rule posts its alerts to. */
export type AlertChannel = {
  __typename?: 'AlertChannel';
  format: ChannelFormat;
  webhook: Scalars['String']['output'];
};

/** Where a rule posts its alerts. */
export type AlertChannelInput = {
  format?: InputMaybe<ChannelFormat>;
  /** An http(s) URL that receives a POST per alert. */
  webhook: Scalars['String']['input'];
};

export type AlertConnection = {
  __typename?: 'AlertConnection';
  edges: Array<AlertEdge>;
  pageInfo: PageInfo;
  /** Rows in the whole slice, not just this page. */
  totalCount: Scalars['Int']['output'];
};

export type AlertEdge = {
  __typename?: 'AlertEdge';
  cursor: Scalars['String']['output'];
  node: Alert;
};

/** Which alerts to list or stream: OR within a field, AND across fields; `from`/`to` are half-open [from, to) on firedAt. */
export type AlertFilter = {
  /** true: only acknowledged alerts; false: only unacknowledged ones. */
  acknowledged?: InputMaybe<Scalars['Boolean']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  kind?: InputMaybe<Array<AlertKind>>;
  /** This severity or a more urgent one. */
  minSeverity?: InputMaybe<Severity>;
  project?: InputMaybe<Array<Scalars['String']['input']>>;
  /** true: only resolved alerts; false: only open ones. */
  resolved?: InputMaybe<Scalars['Boolean']['input']>;
  ruleId?: InputMaybe<Array<Scalars['ID']['input']>>;
  severity?: InputMaybe<Array<Severity>>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

/** THRESHOLD: the series crosses `threshold`. PASS_RATE_DROP: pass rate below `threshold`. NEW_FAILURE: a test that passed starts failing. FLAKY_TEST: a flakiness score above `threshold`. DURATION_REGRESSION: duration up by more than `threshold` percent. ANOMALY: an anomaly of the series. */
export type AlertKind =
  | 'ANOMALY'
  | 'DURATION_REGRESSION'
  | 'FLAKY_TEST'
  | 'NEW_FAILURE'
  | 'PASS_RATE_DROP'
  | 'THRESHOLD';

/** A stored alert rule (see AlertRuleInput for what each field means). */
export type AlertRule = {
  __typename?: 'AlertRule';
  channels: Array<AlertChannel>;
  /** Quiet time after firing, minutes. */
  cooldownMinutes: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  enabled: Scalars['Boolean']['output'];
  /** The ResultFilter the rule watches, as given. */
  filter: Scalars['JSON']['output'];
  groupBy: Array<Dimension>;
  id: Scalars['ID']['output'];
  kind: AlertKind;
  name: Scalars['String']['output'];
  operator: Maybe<ComparisonOperator>;
  series: Maybe<SeriesSpec>;
  severity: Severity;
  threshold: Maybe<Scalars['Float']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  /** Look-back window, minutes. */
  windowMinutes: Scalars['Int']['output'];
};

/** An alert rule: what to watch (filter, series, groupBy), when to fire (operator, threshold, windowMinutes) and whom to tell (channels). */
export type AlertRuleInput = {
  channels?: InputMaybe<Array<AlertChannelInput>>;
  /** Minutes after firing before the same rule and group may fire again. */
  cooldownMinutes?: InputMaybe<Scalars['Int']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** The slice watched; everything when omitted. */
  filter?: InputMaybe<ResultFilter>;
  /** Evaluate per group (e.g. per TEST); one alert per group that fires. */
  groupBy?: InputMaybe<Array<Dimension>>;
  kind: AlertKind;
  name: Scalars['String']['input'];
  /** For THRESHOLD rules; other kinds imply theirs (PASS_RATE_DROP: LT, the rest: GT). */
  operator?: InputMaybe<ComparisonOperator>;
  /** The series THRESHOLD and ANOMALY rules watch; other kinds imply theirs. */
  series?: InputMaybe<SeriesInput>;
  severity?: InputMaybe<Severity>;
  /** The limit, in the series' unit (rates 0 … 1, durations ms; percent for DURATION_REGRESSION; sensitivity for ANOMALY). */
  threshold?: InputMaybe<Scalars['Float']['input']>;
  /** The look-back window the value is computed over, in minutes. */
  windowMinutes?: InputMaybe<Scalars['Int']['input']>;
};

/** A point of a series outside its expected band. */
export type Anomaly = {
  __typename?: 'Anomaly';
  direction: AnomalyDirection;
  /** The value the method expected at t. */
  expected: Scalars['Float']['output'];
  group: MetricGroup;
  /** Lower edge of the expected band at the requested sensitivity. */
  lower: Scalars['Float']['output'];
  /** The method that flagged the point (never AUTO). */
  method: AnomalyMethod;
  /** Distance from `expected` in robust standard deviations (always ≥ sensitivity). */
  score: Scalars['Float']['output'];
  /** From the score: WARNING from 1× sensitivity, CRITICAL from 2×; INFO for MULTIVARIATE hints. */
  severity: Severity;
  /** Bucket start (UTC) of the anomalous point. */
  t: Scalars['DateTime']['output'];
  /** Upper edge of the expected band. */
  upper: Scalars['Float']['output'];
  /** The observed value, in the series unit. */
  value: Scalars['Float']['output'];
};

/** UP: the value is above the expected band; DOWN: below it. */
export type AnomalyDirection =
  | 'DOWN'
  | 'UP';

/** AUTO: SEASONAL when the series has a detectable season, else ROBUST. ROBUST: rolling median/MAD. SEASONAL: STL residuals. MULTIVARIATE: jointly over all groups. */
export type AnomalyMethod =
  | 'AUTO'
  | 'MULTIVARIATE'
  | 'ROBUST'
  | 'SEASONAL';

/** CLOSED: traffic flows. OPEN: traffic is refused. HALF_OPEN: trial traffic decides whether to close again. */
export type BreakerState =
  | 'CLOSED'
  | 'HALF_OPEN'
  | 'OPEN';

/** One state change of a circuit breaker, as ingested. */
export type BreakerTransition = {
  __typename?: 'BreakerTransition';
  at: Scalars['DateTime']['output'];
  from: BreakerState;
  reason: Maybe<Scalars['String']['output']>;
  to: BreakerState;
};

/** The cross-request LRU in front of analytic queries (keyed by arguments and dataVersion). */
export type CacheInfo = {
  __typename?: 'CacheInfo';
  /** Approximate size of the cached answers. */
  bytes: Scalars['Int']['output'];
  entries: Scalars['Int']['output'];
  /** hits / (hits + misses); null before the first lookup. */
  hitRatio: Maybe<Scalars['Float']['output']>;
  /** Lookups answered from the cache, or joined to a computation already under way. */
  hits: Scalars['Int']['output'];
  misses: Scalars['Int']['output'];
};

/** A shift in the level of a series. */
export type ChangePoint = {
  __typename?: 'ChangePoint';
  /** Mean value of the segment from the change on. */
  after: Scalars['Float']['output'];
  /** Mean value of the segment before the change. */
  before: Scalars['Float']['output'];
  /** The first point at the new level. */
  t: Scalars['DateTime']['output'];
};

/** Webhook body: JSON (the Alert as JSON) or SLACK (a Slack incoming-webhook message). */
export type ChannelFormat =
  | 'JSON'
  | 'SLACK';

export type CircuitBreakerEventInput = {
  /** ISO-8601. */
  at: Scalars['String']['input'];
  /** CLOSED, OPEN or HALF_OPEN. */
  from: Scalars['String']['input'];
  /** The breaker, e.g. "worker:gpu-3". */
  name: Scalars['String']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
  to: Scalars['String']['input'];
};

/** One circuit breaker's behaviour over the slice's time range. */
export type CircuitBreakerReport = {
  __typename?: 'CircuitBreakerReport';
  /** Fail rate (0 … 1) of the attempts started after a recovery to CLOSED. */
  failureRateAfterRecovery: Maybe<Scalars['Float']['output']>;
  /** Fail rate (0 … 1) of the attempts started while the breaker was CLOSED. */
  failureRateClosed: Maybe<Scalars['Float']['output']>;
  /** Mean time from OPEN back to CLOSED, ms; null when it never recovered. */
  meanRecoveryMs: Maybe<Scalars['Float']['output']>;
  /** The breaker, e.g. "worker:gpu-3". */
  name: Scalars['String']['output'];
  /** State after the last transition. */
  state: BreakerState;
  /** Total time spent HALF_OPEN, ms. */
  timeHalfOpenMs: Scalars['Float']['output'];
  /** Total time spent OPEN, ms. */
  timeOpenMs: Scalars['Float']['output'];
  /** Oldest first. */
  transitions: Array<BreakerTransition>;
  /** Transitions into OPEN. */
  trips: Scalars['Int']['output'];
};

/** MANN_WHITNEY: rank test, delta is the Hodges–Lehmann shift. WELCH_T: unequal-variance t-test, delta is the difference of means. */
export type CompareMethod =
  | 'MANN_WHITNEY'
  | 'WELCH_T';

/** A two-sample test of candidate against baseline. */
export type Comparison = {
  __typename?: 'Comparison';
  baseline: SampleSummary;
  candidate: SampleSummary;
  /** Candidate − baseline, in the series unit (see CompareMethod for which location). */
  delta: Scalars['Float']['output'];
  /** delta as a percentage of the baseline location; null when that is 0. */
  deltaPct: Maybe<Scalars['Float']['output']>;
  /** Lower bound of the confidence interval of delta. */
  lower: Maybe<Scalars['Float']['output']>;
  method: CompareMethod;
  /** Two-sided p-value of "no difference". */
  pValue: Scalars['Float']['output'];
  /** pValue < 1 − confidence. */
  significant: Scalars['Boolean']['output'];
  /** Upper bound of the confidence interval of delta. */
  upper: Maybe<Scalars['Float']['output']>;
};

/** How the observed value is compared with the threshold: value > threshold (GT), ≥ (GTE), < (LT), ≤ (LTE). */
export type ComparisonOperator =
  | 'GT'
  | 'GTE'
  | 'LT'
  | 'LTE';

export type DbInfo = {
  __typename?: 'DbInfo';
  /** SQL statements run against DuckDB since the gateway started. */
  statements: Scalars['Int']['output'];
};

/** A column to slice by. Tags are grouped with `groupByTags`. */
export type Dimension =
  | 'BRANCH'
  | 'COMMIT'
  | 'HARDWARE'
  | 'PROJECT'
  | 'RUN'
  | 'STATUS'
  | 'SUITE'
  | 'TEST'
  | 'WORKER';

/** A test that got slower from the base run to the head run. */
export type DurationRegression = {
  __typename?: 'DurationRegression';
  /** Duration in the base run (last attempt), ms. */
  baseMs: Scalars['Float']['output'];
  /** Duration in the head run (last attempt), ms. */
  headMs: Scalars['Float']['output'];
  /** headMs / baseMs. */
  ratio: Scalars['Float']['output'];
  test: Test;
};

/** A dimension value over-represented among the occurrences of a failure pattern. */
export type FailureCorrelation = {
  __typename?: 'FailureCorrelation';
  dimension: Dimension;
  /** share / the value's share of all failures in the slice; above 1 means over-represented. */
  lift: Scalars['Float']['output'];
  /** Share of the pattern's occurrences with this value, 0 … 1. */
  share: Scalars['Float']['output'];
  value: Scalars['String']['output'];
};

/** Failure messages that are the same once numbers, ids, paths and addresses are masked. */
export type FailurePattern = {
  __typename?: 'FailurePattern';
  /** The tests that failed with the pattern, most occurrences first. */
  affectedTests: Array<Test>;
  /** Highest lift first. */
  correlations: Array<FailureCorrelation>;
  /** Stable hash of the pattern. */
  fingerprint: Scalars['String']['output'];
  firstSeen: Scalars['DateTime']['output'];
  lastSeen: Scalars['DateTime']['output'];
  /** Failed or errored attempts with the pattern. */
  occurrences: Scalars['Int']['output'];
  /** The normalised message, variable parts replaced by placeholders such as <num>. */
  pattern: Scalars['String']['output'];
  /** One original message of the pattern. */
  sample: Scalars['String']['output'];
  /** Distinct tests that failed with the pattern. */
  tests: Scalars['Int']['output'];
};


/** Failure messages that are the same once numbers, ids, paths and addresses are masked. */
export type FailurePatternAffectedTestsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** The model's in-sample (one-step-ahead) value at a history point. */
export type FittedPoint = {
  __typename?: 'FittedPoint';
  t: Scalars['DateTime']['output'];
  value: Scalars['Float']['output'];
};

/** STABLE: passes consistently. FLAKY: outcomes flip without code changes. FAILING: fails consistently. INSUFFICIENT_DATA: fewer executions than minExecutions. */
export type FlakinessClass =
  | 'FAILING'
  | 'FLAKY'
  | 'INSUFFICIENT_DATA'
  | 'STABLE';

/** A test's flakiness over the window. */
export type FlakinessEntry = {
  __typename?: 'FlakinessEntry';
  classification: FlakinessClass;
  /** Executions in the window (attempts folded, skipped excluded). */
  executions: Scalars['Int']['output'];
  /** Executions that ended FAILED or ERROR. */
  failures: Scalars['Int']['output'];
  /** Executions where an earlier attempt failed and a later one passed. */
  flakyExecutions: Scalars['Int']['output'];
  /** Share of consecutive executions whose outcome differs, 0 … 1. */
  flipRate: Scalars['Float']['output'];
  /** Commits on which the test both passed and failed. */
  inconsistentCommits: Scalars['Int']['output'];
  /** Start of the most recent flaky execution; null when none. */
  lastFlakeAt: Maybe<Scalars['DateTime']['output']>;
  /** Lower bound of the 95 % Wilson interval of the score. */
  lower: Scalars['Float']['output'];
  /** Share of executions that were flaky (failed, then passed on retry) or flipped on the same commit, 0 … 1. */
  score: Scalars['Float']['output'];
  test: Test;
  /** Upper bound of the 95 % Wilson interval of the score. */
  upper: Scalars['Float']['output'];
};

/** One group's forecast `horizon` buckets past its last point. */
export type Forecast = {
  __typename?: 'Forecast';
  /** The fit over the history, oldest first. */
  fitted: Array<FittedPoint>;
  group: MetricGroup;
  /** The method used (never AUTO). */
  method: ForecastMethod;
  /** The forecast, one point per bucket, oldest first. */
  points: Array<ForecastPoint>;
  /** Root-mean-square one-step-ahead error over the history, in the series unit. */
  rmse: Maybe<Scalars['Float']['output']>;
  /** Buckets per season HOLT_WINTERS used; null for other methods. */
  seasonLength: Maybe<Scalars['Int']['output']>;
};

/** AUTO: the method with the lowest one-step-ahead error. LINEAR: least-squares line. HOLT: level and trend. HOLT_WINTERS: level, trend and season. */
export type ForecastMethod =
  | 'AUTO'
  | 'HOLT'
  | 'HOLT_WINTERS'
  | 'LINEAR';

/** A predicted point. */
export type ForecastPoint = {
  __typename?: 'ForecastPoint';
  /** Lower bound of the prediction interval at the requested confidence. */
  lower: Scalars['Float']['output'];
  /** Bucket start (UTC). */
  t: Scalars['DateTime']['output'];
  /** Upper bound of the prediction interval. */
  upper: Scalars['Float']['output'];
  /** The point forecast, in the series unit. */
  value: Scalars['Float']['output'];
};

export type Gateway = {
  __typename?: 'Gateway';
  cache: CacheInfo;
  /** Rises with every committed ingest. */
  dataVersion: Scalars['Int']['output'];
  db: DbInfo;
  results: Scalars['Int']['output'];
  runs: Scalars['Int']['output'];
  tests: Scalars['Int']['output'];
  version: Scalars['String']['output'];
};

/** Time bucket (UTC). NONE: no bucketing. */
export type Granularity =
  | 'DAY'
  | 'HOUR'
  | 'MINUTE'
  | 'MONTH'
  | 'NONE'
  | 'WEEK';

export type IngestError = {
  __typename?: 'IngestError';
  field: Scalars['String']['output'];
  /** Position of the row in `results` (or in `circuitBreakerEvents`, as `field` says). */
  index: Scalars['Int']['output'];
  message: Scalars['String']['output'];
};

/** A committed ingest. */
export type IngestEvent = {
  __typename?: 'IngestEvent';
  accepted: Scalars['Int']['output'];
  at: Scalars['DateTime']['output'];
  dataVersion: Scalars['Int']['output'];
  duplicates: Scalars['Int']['output'];
  /** Executions of this batch's results that failed or errored. */
  failed: Scalars['Int']['output'];
  /** Executions of this batch's results that passed. */
  passed: Scalars['Int']['output'];
  run: Run;
};

/** One run's batch: stored atomically, idempotent on run id + test + attempt; at most 50000 results per call. */
export type IngestInput = {
  circuitBreakerEvents?: InputMaybe<Array<CircuitBreakerEventInput>>;
  results?: InputMaybe<Array<IngestResultInput>>;
  run: IngestRunInput;
};

export type IngestPayload = {
  __typename?: 'IngestPayload';
  /** Results stored by this call. */
  accepted: Scalars['Int']['output'];
  dataVersion: Scalars['Int']['output'];
  /** Results already stored (same run, test and attempt), not stored again. */
  duplicates: Scalars['Int']['output'];
  errors: Array<IngestError>;
  /** Results refused; see `errors`. */
  rejected: Scalars['Int']['output'];
  run: Run;
};

/** One attempt. Fields are checked row by row: a bad row is reported in `errors` by index and field, and the others are stored. */
export type IngestResultInput = {
  /** 1 (default) for the first try, 2 for the first retry, … */
  attempt?: InputMaybe<Scalars['Int']['input']>;
  className?: InputMaybe<Scalars['String']['input']>;
  durationMs: Scalars['Float']['input'];
  hardware?: InputMaybe<Scalars['String']['input']>;
  message?: InputMaybe<Scalars['String']['input']>;
  metrics?: InputMaybe<Array<MetricInput>>;
  name: Scalars['String']['input'];
  stackTrace?: InputMaybe<Scalars['String']['input']>;
  /** ISO-8601; defaults to the run's startedAt. */
  startedAt?: InputMaybe<Scalars['String']['input']>;
  /** PASSED, FAILED, ERROR or SKIPPED (any case). A string, so a bad value rejects only its row. */
  status: Scalars['String']['input'];
  suite: Scalars['String']['input'];
  /** String → string; overlays the run's tags. */
  tags?: InputMaybe<Scalars['JSON']['input']>;
  worker?: InputMaybe<Scalars['String']['input']>;
};

export type IngestRunInput = {
  branch?: InputMaybe<Scalars['String']['input']>;
  commit?: InputMaybe<Scalars['String']['input']>;
  finishedAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Your CI build id; re-sending it adds to the same run. */
  id: Scalars['ID']['input'];
  project: Scalars['String']['input'];
  startedAt: Scalars['DateTime']['input'];
  /** String → string, e.g. {"ci": "github", "os": "linux"}; every result inherits them. */
  tags?: InputMaybe<Scalars['JSON']['input']>;
};

export type IngestedFilter = {
  branch?: InputMaybe<Array<Scalars['String']['input']>>;
  project?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** Mann–Kendall test for a monotonic trend, robust to outliers and non-linearity. */
export type MannKendall = {
  __typename?: 'MannKendall';
  /** Two-sided p-value of "no monotonic trend". */
  pValue: Scalars['Float']['output'];
  /** Theil–Sen slope (median pairwise slope), in value units per day. */
  senSlope: Scalars['Float']['output'];
  /** Kendall's tau of value against time, −1 … 1. */
  tau: Scalars['Float']['output'];
};

/** The dimension values of a metrics row; fields not grouped by are null. */
export type MetricGroup = {
  __typename?: 'MetricGroup';
  branch: Maybe<Scalars['String']['output']>;
  commit: Maybe<Scalars['String']['output']>;
  hardware: Maybe<Scalars['String']['output']>;
  project: Maybe<Scalars['String']['output']>;
  run: Maybe<Run>;
  status: Maybe<Status>;
  suite: Maybe<Scalars['String']['output']>;
  /** The grouped tags: name → value (null where a row lacks the tag). */
  tags: Scalars['JSON']['output'];
  test: Maybe<Test>;
  worker: Maybe<Scalars['String']['output']>;
};

export type MetricInput = {
  name: Scalars['String']['input'];
  unit?: InputMaybe<Scalars['String']['input']>;
  value: Scalars['Float']['input'];
};

/** One group of a metrics slice. Counts are executions (attempts folded); only selected measures are computed. */
export type MetricRow = {
  __typename?: 'MetricRow';
  /** Start of the time bucket (UTC); null without bucketing. */
  bucket: Maybe<Scalars['DateTime']['output']>;
  /** A statistic of execution duration in ms (last attempt; skipped executions excluded). */
  duration: Maybe<Scalars['Float']['output']>;
  errored: Maybe<Scalars['Int']['output']>;
  executions: Maybe<Scalars['Int']['output']>;
  /** (failed + errored) / (executions − skipped). */
  failRate: Maybe<Scalars['Float']['output']>;
  failed: Maybe<Scalars['Int']['output']>;
  /** Executions where an earlier attempt failed or errored and a later one passed. */
  flaky: Maybe<Scalars['Int']['output']>;
  /** flaky / (executions − skipped). */
  flakyRate: Maybe<Scalars['Float']['output']>;
  group: MetricGroup;
  /** A statistic of a named metric over the results that carry it. */
  metric: Maybe<Scalars['Float']['output']>;
  /** passed / (executions − skipped). */
  passRate: Maybe<Scalars['Float']['output']>;
  /** Executions whose last attempt passed (flaky included). */
  passed: Maybe<Scalars['Int']['output']>;
  skipped: Maybe<Scalars['Int']['output']>;
};


/** One group of a metrics slice. Counts are executions (attempts folded); only selected measures are computed. */
export type MetricRowDurationArgs = {
  stat?: InputMaybe<Stat>;
};


/** One group of a metrics slice. Counts are executions (attempts folded); only selected measures are computed. */
export type MetricRowMetricArgs = {
  name: Scalars['String']['input'];
  stat?: InputMaybe<Stat>;
};

export type MetricValue = {
  __typename?: 'MetricValue';
  name: Scalars['String']['output'];
  unit: Maybe<Scalars['String']['output']>;
  value: Scalars['Float']['output'];
};

export type MetricsOrder = {
  direction?: InputMaybe<SortDirection>;
  field: MetricsOrderField;
};

/** A measure to order metrics rows by; it is computed even when not selected. */
export type MetricsOrderField =
  | 'BUCKET'
  | 'DURATION_AVG'
  | 'DURATION_P95'
  | 'EXECUTIONS'
  | 'FAILED'
  | 'FAIL_RATE'
  | 'FLAKY'
  | 'FLAKY_RATE'
  | 'PASSED'
  | 'PASS_RATE'
  | 'SKIPPED';

export type Mutation = {
  __typename?: 'Mutation';
  /** Marks an alert as seen; it stays open until resolved. */
  acknowledgeAlert: Alert;
  createAlertRule: AlertRule;
  /** Deletes a rule; its past alerts stay. False when no rule had the id. */
  deleteAlertRule: Scalars['Boolean']['output'];
  ingest: IngestPayload;
  /** Closes an alert. */
  resolveAlert: Alert;
  /** Replaces a rule's definition (omitted fields take their defaults). */
  updateAlertRule: AlertRule;
};


export type MutationAcknowledgeAlertArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreateAlertRuleArgs = {
  input: AlertRuleInput;
};


export type MutationDeleteAlertRuleArgs = {
  id: Scalars['ID']['input'];
};


export type MutationIngestArgs = {
  input: IngestInput;
};


export type MutationResolveAlertArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUpdateAlertRuleArgs = {
  id: Scalars['ID']['input'];
  input: AlertRuleInput;
};

/** Relay page info. Cursors are keyset positions: rows added later never shift pages already read. */
export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor: Maybe<Scalars['String']['output']>;
};

/** One threshold of a quality gate. */
export type QualityCheck = {
  __typename?: 'QualityCheck';
  /** The slice's value, in the threshold's unit; null when the slice has no data for it. */
  actual: Maybe<Scalars['Float']['output']>;
  /** A sentence saying what was measured and how it compares. */
  message: Scalars['String']['output'];
  /** The input field checked, e.g. "minPassRate". */
  name: Scalars['String']['output'];
  passed: Scalars['Boolean']['output'];
  threshold: Scalars['Float']['output'];
};

/** Thresholds the slice must meet; only the ones given are checked. */
export type QualityGateInput = {
  /** The branch new failures and duration regressions are measured against, e.g. "main". */
  baseBranch?: InputMaybe<Scalars['String']['input']>;
  /** Largest acceptable rise of total duration over baseBranch, in percent (10 = 10 %). */
  maxDurationRegressionPct?: InputMaybe<Scalars['Float']['input']>;
  /** Highest acceptable flaky rate, 0 … 1. */
  maxFlakyRate?: InputMaybe<Scalars['Float']['input']>;
  /** Most tests allowed to fail in the slice that passed on baseBranch. */
  maxNewFailures?: InputMaybe<Scalars['Int']['input']>;
  /** Lowest acceptable pass rate, 0 … 1. */
  minPassRate?: InputMaybe<Scalars['Float']['input']>;
};

/** A verdict for CI: passed only when every check passed. */
export type QualityGateResult = {
  __typename?: 'QualityGateResult';
  checks: Array<QualityCheck>;
  passed: Scalars['Boolean']['output'];
};

export type Query = {
  __typename?: 'Query';
  alertRule: AlertRule;
  /** All alert rules, by name. */
  alertRules: Array<AlertRule>;
  /** Fired alerts, newest first. */
  alerts: AlertConnection;
  /** Points of a series (per group) outside their expected band, newest first. */
  anomalies: Array<Anomaly>;
  /** Circuit breakers ingested with the slice's runs, most trips first. */
  circuitBreakers: Array<CircuitBreakerReport>;
  /** Whether the series differs between two values of a dimension (e.g. HARDWARE "cpu" vs "cuda"). */
  compare: Comparison;
  /** Test-by-test changes from one run to another (e.g. main against a pull request). */
  compareRuns: RunComparison;
  /** Failure messages of the slice clustered into patterns, most occurrences first. */
  failurePatterns: Array<FailurePattern>;
  /** Tests ranked by flakiness score, highest first. */
  flakiness: Array<FlakinessEntry>;
  /** A forecast per group, with prediction intervals. */
  forecast: Array<Forecast>;
  /** What the gateway holds and how its cache and database are doing. */
  gateway: Gateway;
  /** Any slice grouped by any dimensions, tags and time bucket, with only the selected measures computed. */
  metrics: Array<MetricRow>;
  /** Checks a slice (e.g. one commit on a branch) against thresholds, for CI. */
  qualityGate: QualityGateResult;
  /** A summary report of a slice. */
  report: Report;
  /** Attempts in a slice, newest first by default. */
  results: ResultConnection;
  run: Run;
  /** Runs, newest first. */
  runs: RunConnection;
  test: Test;
  /** Tests seen in a slice, each with its stats over that slice. */
  tests: TestConnection;
  /** A series per group with its regression line, Mann–Kendall test and change points. */
  trends: Array<TrendSeries>;
  /** How the slice's work is spread over workers. */
  workload: WorkloadReport;
};


export type QueryAlertRuleArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAlertsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AlertFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryAnomaliesArgs = {
  bucket?: InputMaybe<Granularity>;
  filter?: InputMaybe<ResultFilter>;
  groupBy?: InputMaybe<Array<Dimension>>;
  groupByTags?: InputMaybe<Array<Scalars['String']['input']>>;
  method?: InputMaybe<AnomalyMethod>;
  sensitivity?: InputMaybe<Scalars['Float']['input']>;
  series: SeriesInput;
};


export type QueryCircuitBreakersArgs = {
  filter?: InputMaybe<ResultFilter>;
};


export type QueryCompareArgs = {
  baseline: Scalars['String']['input'];
  candidate: Scalars['String']['input'];
  confidence?: InputMaybe<Scalars['Float']['input']>;
  dimension: Dimension;
  filter?: InputMaybe<ResultFilter>;
  method?: InputMaybe<CompareMethod>;
  series: SeriesInput;
};


export type QueryCompareRunsArgs = {
  base: Scalars['ID']['input'];
  head: Scalars['ID']['input'];
  minDurationRatio?: InputMaybe<Scalars['Float']['input']>;
};


export type QueryFailurePatternsArgs = {
  filter?: InputMaybe<ResultFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryFlakinessArgs = {
  filter?: InputMaybe<ResultFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  minExecutions?: InputMaybe<Scalars['Int']['input']>;
  window?: InputMaybe<TimeWindowInput>;
};


export type QueryForecastArgs = {
  bucket?: InputMaybe<Granularity>;
  confidence?: InputMaybe<Scalars['Float']['input']>;
  filter?: InputMaybe<ResultFilter>;
  groupBy?: InputMaybe<Array<Dimension>>;
  groupByTags?: InputMaybe<Array<Scalars['String']['input']>>;
  horizon: Scalars['Int']['input'];
  method?: InputMaybe<ForecastMethod>;
  seasonLength?: InputMaybe<Scalars['Int']['input']>;
  series: SeriesInput;
};


export type QueryMetricsArgs = {
  bucket?: InputMaybe<Granularity>;
  filter?: InputMaybe<ResultFilter>;
  groupBy?: InputMaybe<Array<Dimension>>;
  groupByTags?: InputMaybe<Array<Scalars['String']['input']>>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<MetricsOrder>;
};


export type QueryQualityGateArgs = {
  filter?: InputMaybe<ResultFilter>;
  gate: QualityGateInput;
};


export type QueryReportArgs = {
  filter?: InputMaybe<ResultFilter>;
  format: ReportFormat;
};


export type QueryResultsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ResultFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ResultOrder>;
};


export type QueryRunArgs = {
  id: Scalars['ID']['input'];
};


export type QueryRunsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<RunFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryTestArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTestsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ResultFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<TestOrder>;
};


export type QueryTrendsArgs = {
  bucket?: InputMaybe<Granularity>;
  filter?: InputMaybe<ResultFilter>;
  groupBy?: InputMaybe<Array<Dimension>>;
  groupByTags?: InputMaybe<Array<Scalars['String']['input']>>;
  series: SeriesInput;
};


export type QueryWorkloadArgs = {
  filter?: InputMaybe<ResultFilter>;
};

/** A summary of a slice: pass rates, new failures, flaky tests and slow tests. */
export type Report = {
  __typename?: 'Report';
  /** The report document in `format`. */
  content: Scalars['String']['output'];
  format: ReportFormat;
  generatedAt: Scalars['DateTime']['output'];
};

/** MARKDOWN for pull-request comments, HTML for a standalone page, JSON for machines. */
export type ReportFormat =
  | 'HTML'
  | 'JSON'
  | 'MARKDOWN';

/** One execution attempt of a test in a run. */
export type Result = {
  __typename?: 'Result';
  /** 1 for the first try, 2 for the first retry, … */
  attempt: Scalars['Int']['output'];
  durationMs: Scalars['Float']['output'];
  hardware: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  message: Maybe<Scalars['String']['output']>;
  metrics: Array<MetricValue>;
  run: Run;
  stackTrace: Maybe<Scalars['String']['output']>;
  startedAt: Scalars['DateTime']['output'];
  status: Status;
  /** The run's tags overlaid with the result's own. */
  tags: Scalars['JSON']['output'];
  test: Test;
  worker: Maybe<Scalars['String']['output']>;
};

export type ResultConnection = {
  __typename?: 'ResultConnection';
  edges: Array<ResultEdge>;
  pageInfo: PageInfo;
  /** Rows in the whole slice, not just this page. */
  totalCount: Scalars['Int']['output'];
};

export type ResultEdge = {
  __typename?: 'ResultEdge';
  cursor: Scalars['String']['output'];
  node: Result;
};

/** One slice definition, used by every query: each field a list (OR within a field, AND across fields); `from`/`to` are half-open [from, to) on the start time. */
export type ResultFilter = {
  branch?: InputMaybe<Array<Scalars['String']['input']>>;
  commit?: InputMaybe<Array<Scalars['String']['input']>>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  hardware?: InputMaybe<Array<Scalars['String']['input']>>;
  project?: InputMaybe<Array<Scalars['String']['input']>>;
  runId?: InputMaybe<Array<Scalars['ID']['input']>>;
  status?: InputMaybe<Array<Status>>;
  suite?: InputMaybe<Array<Scalars['String']['input']>>;
  tags?: InputMaybe<Array<TagFilter>>;
  testId?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Case-insensitive substrings of the test name. */
  testName?: InputMaybe<Array<Scalars['String']['input']>>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
  worker?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type ResultOrder = {
  direction?: InputMaybe<SortDirection>;
  field: ResultOrderField;
};

export type ResultOrderField =
  | 'DURATION'
  | 'STARTED_AT';

/** One CI build or test-farm job. Counts are executions (attempts folded). */
export type Run = {
  __typename?: 'Run';
  branch: Maybe<Scalars['String']['output']>;
  commit: Maybe<Scalars['String']['output']>;
  /** finishedAt − startedAt, or until the last attempt ended when the run sent no finish time. */
  durationMs: Maybe<Scalars['Float']['output']>;
  errored: Scalars['Int']['output'];
  executions: Scalars['Int']['output'];
  failed: Scalars['Int']['output'];
  finishedAt: Maybe<Scalars['DateTime']['output']>;
  flaky: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  /** passed / (executions − skipped); null when nothing ran. */
  passRate: Maybe<Scalars['Float']['output']>;
  /** Executions whose last attempt passed (flaky ones included). */
  passed: Scalars['Int']['output'];
  project: Scalars['String']['output'];
  skipped: Scalars['Int']['output'];
  startedAt: Scalars['DateTime']['output'];
  tags: Scalars['JSON']['output'];
};

/** What changed between two runs, test by test. */
export type RunComparison = {
  __typename?: 'RunComparison';
  base: Run;
  /** Largest ratio first. */
  durationRegressions: Array<DurationRegression>;
  /** Failed or errored in base, passed in head. */
  fixed: Array<TestChange>;
  head: Run;
  /** Passed in base, failed or errored in head. */
  newFailures: Array<TestChange>;
  /** Ran in head but not in base. */
  newTests: Array<Test>;
  /** Ran in base but not in head. */
  removedTests: Array<Test>;
  /** Failed or errored in both. */
  stillFailing: Array<TestChange>;
};

export type RunConnection = {
  __typename?: 'RunConnection';
  edges: Array<RunEdge>;
  pageInfo: PageInfo;
  /** Rows in the whole slice, not just this page. */
  totalCount: Scalars['Int']['output'];
};

export type RunEdge = {
  __typename?: 'RunEdge';
  cursor: Scalars['String']['output'];
  node: Run;
};

export type RunFilter = {
  branch?: InputMaybe<Array<Scalars['String']['input']>>;
  commit?: InputMaybe<Array<Scalars['String']['input']>>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  project?: InputMaybe<Array<Scalars['String']['input']>>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

/** One side of a comparison: the series observations for one dimension value. */
export type SampleSummary = {
  __typename?: 'SampleSummary';
  mean: Maybe<Scalars['Float']['output']>;
  median: Maybe<Scalars['Float']['output']>;
  /** Observations in the sample. */
  n: Scalars['Int']['output'];
  /** Sample standard deviation (n − 1); null with fewer than 2 observations. */
  stdDev: Maybe<Scalars['Float']['output']>;
  /** The dimension value, e.g. "cuda". */
  value: Scalars['String']['output'];
};

/** What an analysis runs over: an execution `measure`, or a named `metric`; exactly one of them, with a `stat` (default AVG). */
export type SeriesInput = {
  measure?: InputMaybe<SeriesMeasure>;
  metric?: InputMaybe<Scalars['String']['input']>;
  stat?: InputMaybe<Stat>;
};

/** An execution measure an analysis runs over. */
export type SeriesMeasure =
  | 'DURATION'
  | 'EXECUTIONS'
  | 'FAIL_RATE'
  | 'FLAKY_RATE'
  | 'PASS_RATE';

/** One point of an analysed series. */
export type SeriesPoint = {
  __typename?: 'SeriesPoint';
  /** Observations aggregated into the point. */
  n: Scalars['Int']['output'];
  /** Bucket start (UTC), or the start time of the execution / result with bucket NONE. */
  t: Scalars['DateTime']['output'];
  /** The series' statistic over the point, in the measure's unit (rates 0 … 1, durations ms). */
  value: Scalars['Float']['output'];
};

/** The series a rule watches: an execution measure or a named metric, with a statistic. */
export type SeriesSpec = {
  __typename?: 'SeriesSpec';
  measure: Maybe<SeriesMeasure>;
  metric: Maybe<Scalars['String']['output']>;
  stat: Stat;
};

/** How urgent an anomaly or alert is, least to most: INFO < WARNING < CRITICAL. */
export type Severity =
  | 'CRITICAL'
  | 'INFO'
  | 'WARNING';

export type SortDirection =
  | 'ASC'
  | 'DESC';

/** Aggregate of a numeric series. Percentiles are exact (continuous interpolation, as quantile_cont). */
export type Stat =
  | 'AVG'
  | 'COUNT'
  | 'MAX'
  | 'MIN'
  | 'P50'
  | 'P90'
  | 'P95'
  | 'P99'
  | 'SUM';

/** An attempt's outcome. An execution's status is its last attempt's. */
export type Status =
  | 'ERROR'
  | 'FAILED'
  | 'PASSED'
  | 'SKIPPED';

export type Subscription = {
  __typename?: 'Subscription';
  /** Every alert matching the filter, as it fires. */
  alerts: Alert;
  /** Every committed ingest matching the filter, as it happens. */
  ingested: IngestEvent;
};


export type SubscriptionAlertsArgs = {
  filter?: InputMaybe<AlertFilter>;
};


export type SubscriptionIngestedArgs = {
  filter?: InputMaybe<IngestedFilter>;
};

/** Results whose tag `key` has one of `values` (any value when the list is empty). */
export type TagFilter = {
  key: Scalars['String']['input'];
  values: Array<Scalars['String']['input']>;
};

/** A test, identified by (project, suite, className, name); its id is a stable hash of those. */
export type Test = {
  __typename?: 'Test';
  className: Maybe<Scalars['String']['output']>;
  firstSeenAt: Scalars['DateTime']['output'];
  /** The last `last` attempts, oldest first. */
  history: Array<Result>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  project: Scalars['String']['output'];
  /** Over the slice when the test came from `tests(filter)`, otherwise over its whole history. */
  stats: TestStats;
  suite: Scalars['String']['output'];
};


/** A test, identified by (project, suite, className, name); its id is a stable hash of those. */
export type TestHistoryArgs = {
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** A test's outcome in the base run against the head run. */
export type TestChange = {
  __typename?: 'TestChange';
  /** Status of the last execution in the base run. */
  baseStatus: Maybe<Status>;
  /** Status of the last execution in the head run. */
  headStatus: Maybe<Status>;
  /** The head run's failure message, if it failed. */
  message: Maybe<Scalars['String']['output']>;
  test: Test;
};

export type TestConnection = {
  __typename?: 'TestConnection';
  edges: Array<TestEdge>;
  pageInfo: PageInfo;
  /** Rows in the whole slice, not just this page. */
  totalCount: Scalars['Int']['output'];
};

export type TestEdge = {
  __typename?: 'TestEdge';
  cursor: Scalars['String']['output'];
  node: Test;
};

export type TestOrder = {
  direction?: InputMaybe<SortDirection>;
  field: TestOrderField;
};

export type TestOrderField =
  | 'DURATION_AVG'
  | 'DURATION_P95'
  | 'EXECUTIONS'
  | 'FAIL_RATE'
  | 'FLAKY_RATE'
  | 'LAST_RUN_AT'
  | 'NAME'
  | 'PASS_RATE';

/** Execution stats (attempts folded). Rates are over executions that ran (skipped excluded); durations are of the last attempt of executions that ran. */
export type TestStats = {
  __typename?: 'TestStats';
  durationAvg: Maybe<Scalars['Float']['output']>;
  durationP95: Maybe<Scalars['Float']['output']>;
  executions: Scalars['Int']['output'];
  failRate: Maybe<Scalars['Float']['output']>;
  /** Executions that ended FAILED or ERROR. */
  failed: Scalars['Int']['output'];
  flaky: Scalars['Int']['output'];
  flakyRate: Maybe<Scalars['Float']['output']>;
  lastRunAt: Maybe<Scalars['DateTime']['output']>;
  lastStatus: Maybe<Status>;
  passRate: Maybe<Scalars['Float']['output']>;
  passed: Scalars['Int']['output'];
  skipped: Scalars['Int']['output'];
};

/** A look-back window ending now. */
export type TimeWindowInput = {
  days?: InputMaybe<Scalars['Int']['input']>;
  hours?: InputMaybe<Scalars['Int']['input']>;
};

/** Whether a significant trend is good or bad for the measure (a falling pass rate is DEGRADING, a falling duration IMPROVING); STABLE when not significant. */
export type TrendDirection =
  | 'DEGRADING'
  | 'IMPROVING'
  | 'STABLE';

/** One group's series with a least-squares line over x = days since the series' first point. */
export type TrendSeries = {
  __typename?: 'TrendSeries';
  /** Level shifts, oldest first. */
  changePoints: Array<ChangePoint>;
  direction: TrendDirection;
  /** The dimension values of the series; fields not grouped by are null. */
  group: MetricGroup;
  /** Fitted value at the first point. */
  intercept: Maybe<Scalars['Float']['output']>;
  /** Standard error of the intercept. */
  interceptStdErr: Maybe<Scalars['Float']['output']>;
  /** Null with fewer than 3 points. */
  mannKendall: Maybe<MannKendall>;
  /** Two-sided p-value of slope = 0 (t-test with n − 2 degrees of freedom). */
  pValue: Maybe<Scalars['Float']['output']>;
  /** Oldest first. */
  points: Array<SeriesPoint>;
  /** Share of variance the line explains, 0 … 1. */
  rSquared: Maybe<Scalars['Float']['output']>;
  /** Standard deviation of the residuals, in value units. */
  residualStdErr: Maybe<Scalars['Float']['output']>;
  /** Change in value per day; null with fewer than 2 points. */
  slope: Maybe<Scalars['Float']['output']>;
  /** Standard error of the slope, per day. */
  slopeStdErr: Maybe<Scalars['Float']['output']>;
};

/** One worker's share of the slice's work. */
export type WorkerLoad = {
  __typename?: 'WorkerLoad';
  /** Sum of attempt durations on the worker, ms. */
  busyMs: Scalars['Float']['output'];
  /** Attempts run on the worker. */
  executions: Scalars['Int']['output'];
  /** Failed or errored attempts / attempts that ran, 0 … 1. */
  failRate: Maybe<Scalars['Float']['output']>;
  /** busyMs / all workers' busyMs, 0 … 1. */
  share: Scalars['Float']['output'];
  worker: Scalars['String']['output'];
};

/** How evenly busy time is spread over workers. Fairness figures are null without workers. */
export type WorkloadReport = {
  __typename?: 'WorkloadReport';
  /** Standard deviation / mean of busyMs. */
  coefficientOfVariation: Maybe<Scalars['Float']['output']>;
  /** Gini coefficient of busyMs: 0 (even) … 1 (one worker does all). */
  gini: Maybe<Scalars['Float']['output']>;
  /** Jain's fairness index of busyMs: 1/n (one worker does all) … 1 (perfectly even). */
  jainIndex: Maybe<Scalars['Float']['output']>;
  /** Busiest worker busyMs / mean busyMs; 1 is even. */
  maxToMeanRatio: Maybe<Scalars['Float']['output']>;
  /** Busiest first. */
  workers: Array<WorkerLoad>;
};

/** Where a rule posts its alerts. */
export type AlertChannelInput = {
  format?: ChannelFormat | null | undefined;
  /** An http(s) URL that receives a POST per alert. */
  webhook: string;
};

/** THRESHOLD: the series crosses `threshold`. PASS_RATE_DROP: pass rate below `threshold`. NEW_FAILURE: a test that passed starts failing. FLAKY_TEST: a flakiness score above `threshold`. DURATION_REGRESSION: duration up by more than `threshold` percent. ANOMALY: an anomaly of the series. */
export type AlertKind =
  | 'ANOMALY'
  | 'DURATION_REGRESSION'
  | 'FLAKY_TEST'
  | 'NEW_FAILURE'
  | 'PASS_RATE_DROP'
  | 'THRESHOLD';

/** An alert rule: what to watch (filter, series, groupBy), when to fire (operator, threshold, windowMinutes) and whom to tell (channels). */
export type AlertRuleInput = {
  channels?: Array<AlertChannelInput> | null | undefined;
  /** Minutes after firing before the same rule and group may fire again. */
  cooldownMinutes?: number | null | undefined;
  enabled?: boolean | null | undefined;
  /** The slice watched; everything when omitted. */
  filter?: ResultFilter | null | undefined;
  /** Evaluate per group (e.g. per TEST); one alert per group that fires. */
  groupBy?: Array<Dimension> | null | undefined;
  kind: AlertKind;
  name: string;
  /** For THRESHOLD rules; other kinds imply theirs (PASS_RATE_DROP: LT, the rest: GT). */
  operator?: ComparisonOperator | null | undefined;
  /** The series THRESHOLD and ANOMALY rules watch; other kinds imply theirs. */
  series?: SeriesInput | null | undefined;
  severity?: Severity | null | undefined;
  /** The limit, in the series' unit (rates 0 … 1, durations ms; percent for DURATION_REGRESSION; sensitivity for ANOMALY). */
  threshold?: number | null | undefined;
  /** The look-back window the value is computed over, in minutes. */
  windowMinutes?: number | null | undefined;
};

/** UP: the value is above the expected band; DOWN: below it. */
export type AnomalyDirection =
  | 'DOWN'
  | 'UP';

/** AUTO: SEASONAL when the series has a detectable season, else ROBUST. ROBUST: rolling median/MAD. SEASONAL: STL residuals. MULTIVARIATE: jointly over all groups. */
export type AnomalyMethod =
  | 'AUTO'
  | 'MULTIVARIATE'
  | 'ROBUST'
  | 'SEASONAL';

/** CLOSED: traffic flows. OPEN: traffic is refused. HALF_OPEN: trial traffic decides whether to close again. */
export type BreakerState =
  | 'CLOSED'
  | 'HALF_OPEN'
  | 'OPEN';

/** Webhook body: JSON (the Alert as JSON) or SLACK (a Slack incoming-webhook message). */
export type ChannelFormat =
  | 'JSON'
  | 'SLACK';

export type CircuitBreakerEventInput = {
  /** ISO-8601. */
  at: string;
  /** CLOSED, OPEN or HALF_OPEN. */
  from: string;
  /** The breaker, e.g. "worker:gpu-3". */
  name: string;
  reason?: string | null | undefined;
  to: string;
};

/** MANN_WHITNEY: rank test, delta is the Hodges–Lehmann shift. WELCH_T: unequal-variance t-test, delta is the difference of means. */
export type CompareMethod =
  | 'MANN_WHITNEY'
  | 'WELCH_T';

/** How the observed value is compared with the threshold: value > threshold (GT), ≥ (GTE), < (LT), ≤ (LTE). */
export type ComparisonOperator =
  | 'GT'
  | 'GTE'
  | 'LT'
  | 'LTE';

/** A column to slice by. Tags are grouped with `groupByTags`. */
export type Dimension =
  | 'BRANCH'
  | 'COMMIT'
  | 'HARDWARE'
  | 'PROJECT'
  | 'RUN'
  | 'STATUS'
  | 'SUITE'
  | 'TEST'
  | 'WORKER';

/** STABLE: passes consistently. FLAKY: outcomes flip without code changes. FAILING: fails consistently. INSUFFICIENT_DATA: fewer executions than minExecutions. */
export type FlakinessClass =
  | 'FAILING'
  | 'FLAKY'
  | 'INSUFFICIENT_DATA'
  | 'STABLE';

/** AUTO: the method with the lowest one-step-ahead error. LINEAR: least-squares line. HOLT: level and trend. HOLT_WINTERS: level, trend and season. */
export type ForecastMethod =
  | 'AUTO'
  | 'HOLT'
  | 'HOLT_WINTERS'
  | 'LINEAR';

/** One run's batch: stored atomically, idempotent on run id + test + attempt; at most 50000 results per call. */
export type IngestInput = {
  circuitBreakerEvents?: Array<CircuitBreakerEventInput> | null | undefined;
  results?: Array<IngestResultInput> | null | undefined;
  run: IngestRunInput;
};

/** One attempt. Fields are checked row by row: a bad row is reported in `errors` by index and field, and the others are stored. */
export type IngestResultInput = {
  /** 1 (default) for the first try, 2 for the first retry, … */
  attempt?: number | null | undefined;
  className?: string | null | undefined;
  durationMs: number;
  hardware?: string | null | undefined;
  message?: string | null | undefined;
  metrics?: Array<MetricInput> | null | undefined;
  name: string;
  stackTrace?: string | null | undefined;
  /** ISO-8601; defaults to the run's startedAt. */
  startedAt?: string | null | undefined;
  /** PASSED, FAILED, ERROR or SKIPPED (any case). A string, so a bad value rejects only its row. */
  status: string;
  suite: string;
  /** String → string; overlays the run's tags. */
  tags?: unknown;
  worker?: string | null | undefined;
};

export type IngestRunInput = {
  branch?: string | null | undefined;
  commit?: string | null | undefined;
  finishedAt?: string | null | undefined;
  /** Your CI build id; re-sending it adds to the same run. */
  id: string | number;
  project: string;
  startedAt: string;
  /** String → string, e.g. {"ci": "github", "os": "linux"}; every result inherits them. */
  tags?: unknown;
};

export type MetricInput = {
  name: string;
  unit?: string | null | undefined;
  value: number;
};

/** MARKDOWN for pull-request comments, HTML for a standalone page, JSON for machines. */
export type ReportFormat =
  | 'HTML'
  | 'JSON'
  | 'MARKDOWN';

/** One slice definition, used by every query: each field a list (OR within a field, AND across fields); `from`/`to` are half-open [from, to) on the start time. */
export type ResultFilter = {
  branch?: Array<string> | null | undefined;
  commit?: Array<string> | null | undefined;
  from?: string | null | undefined;
  hardware?: Array<string> | null | undefined;
  project?: Array<string> | null | undefined;
  runId?: Array<string | number> | null | undefined;
  status?: Array<Status> | null | undefined;
  suite?: Array<string> | null | undefined;
  tags?: Array<TagFilter> | null | undefined;
  testId?: Array<string | number> | null | undefined;
  /** Case-insensitive substrings of the test name. */
  testName?: Array<string> | null | undefined;
  to?: string | null | undefined;
  worker?: Array<string> | null | undefined;
};

export type RunFilter = {
  branch?: Array<string> | null | undefined;
  commit?: Array<string> | null | undefined;
  from?: string | null | undefined;
  project?: Array<string> | null | undefined;
  to?: string | null | undefined;
};

/** What an analysis runs over: an execution `measure`, or a named `metric`; exactly one of them, with a `stat` (default AVG). */
export type SeriesInput = {
  measure?: SeriesMeasure | null | undefined;
  metric?: string | null | undefined;
  stat?: Stat | null | undefined;
};

/** An execution measure an analysis runs over. */
export type SeriesMeasure =
  | 'DURATION'
  | 'EXECUTIONS'
  | 'FAIL_RATE'
  | 'FLAKY_RATE'
  | 'PASS_RATE';

/** How urgent an anomaly or alert is, least to most: INFO < WARNING < CRITICAL. */
export type Severity =
  | 'CRITICAL'
  | 'INFO'
  | 'WARNING';

/** Aggregate of a numeric series. Percentiles are exact (continuous interpolation, as quantile_cont). */
export type Stat =
  | 'AVG'
  | 'COUNT'
  | 'MAX'
  | 'MIN'
  | 'P50'
  | 'P90'
  | 'P95'
  | 'P99'
  | 'SUM';

/** An attempt's outcome. An execution's status is its last attempt's. */
export type Status =
  | 'ERROR'
  | 'FAILED'
  | 'PASSED'
  | 'SKIPPED';

/** Results whose tag `key` has one of `values` (any value when the list is empty). */
export type TagFilter = {
  key: string;
  values: Array<string>;
};

/** Whether a significant trend is good or bad for the measure (a falling pass rate is DEGRADING, a falling duration IMPROVING); STABLE when not significant. */
export type TrendDirection =
  | 'DEGRADING'
  | 'IMPROVING'
  | 'STABLE';

export type IngestMutationVariables = Exact<{
  input: IngestInput;
}>;


export type IngestMutation = { ingest: { accepted: number, duplicates: number, rejected: number, dataVersion: number, run: { id: string, project: string, branch: string | null, commit: string | null, startedAt: string }, errors: Array<{ index: number, field: string, message: string }> } };

export type ResultsSliceQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ResultsSliceQuery = { results: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, status: Status, durationMs: number, attempt: number, startedAt: string, worker: string | null, hardware: string | null, message: string | null, tags: unknown, metrics: Array<{ name: string, value: number, unit: string | null }>, test: { id: string, name: string, suite: string, className: string | null }, run: { id: string, project: string, branch: string | null, commit: string | null } } }> } };

export type RunsQueryVariables = Exact<{
  filter?: RunFilter | null | undefined;
  first?: number | null | undefined;
}>;


export type RunsQuery = { runs: { totalCount: number, edges: Array<{ node: { id: string, project: string, branch: string | null, commit: string | null, startedAt: string, finishedAt: string | null, executions: number, passed: number, failed: number, flaky: number, skipped: number, passRate: number | null, durationMs: number | null } }> } };

export type TestDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type TestDetailQuery = { test: { id: string, name: string, suite: string, className: string | null, project: string, stats: { executions: number, passRate: number | null, flakyRate: number | null, durationAvg: number | null, durationP95: number | null, lastStatus: Status | null, lastRunAt: string | null }, history: Array<{ status: Status, attempt: number, durationMs: number, startedAt: string, message: string | null, run: { id: string, commit: string | null, branch: string | null } }> } };

export type TestsQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
  first?: number | null | undefined;
}>;


export type TestsQuery = { tests: { totalCount: number, edges: Array<{ node: { id: string, name: string, suite: string, stats: { executions: number, passRate: number | null, flakyRate: number | null, durationP95: number | null } } }> } };

export type PassRateByTestAndDayQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type PassRateByTestAndDayQuery = { metrics: Array<{ bucket: string | null, executions: number | null, passed: number | null, failed: number | null, errored: number | null, skipped: number | null, flaky: number | null, passRate: number | null, failRate: number | null, flakyRate: number | null, avg: number | null, p95: number | null, group: { test: { id: string, name: string, suite: string } | null } }> };

export type PerfByHardwareAndModelQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type PerfByHardwareAndModelQuery = { metrics: Array<{ executions: number | null, throughput: number | null, latencyP99: number | null, group: { hardware: string | null, tags: unknown } }> };

export type GatewayQueryVariables = Exact<{ [key: string]: never; }>;


export type GatewayQuery = { gateway: { version: string, dataVersion: number, runs: number, tests: number, results: number, cache: { hits: number, misses: number, hitRatio: number | null, entries: number }, db: { statements: number } } };

export type TrendsQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type TrendsQuery = { trends: Array<{ slope: number | null, slopeStdErr: number | null, intercept: number | null, rSquared: number | null, pValue: number | null, direction: TrendDirection, group: { suite: string | null }, points: Array<{ t: string, value: number, n: number }>, mannKendall: { tau: number, pValue: number, senSlope: number } | null, changePoints: Array<{ t: string, before: number, after: number }> }> };

export type RawMetricTrendQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type RawMetricTrendQuery = { trends: Array<{ slope: number | null, slopeStdErr: number | null, intercept: number | null, interceptStdErr: number | null, rSquared: number | null, residualStdErr: number | null, pValue: number | null, points: Array<{ t: string, value: number, n: number }> }> };

export type AnomaliesQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type AnomaliesQuery = { anomalies: Array<{ t: string, value: number, expected: number, lower: number, upper: number, score: number, severity: Severity, direction: AnomalyDirection, method: AnomalyMethod, group: { hardware: string | null } }> };

export type FlakinessQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type FlakinessQuery = { flakiness: Array<{ score: number, lower: number, upper: number, flipRate: number, executions: number, failures: number, flakyExecutions: number, inconsistentCommits: number, classification: FlakinessClass, lastFlakeAt: string | null, test: { id: string, name: string, suite: string } }> };

export type ForecastQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type ForecastQuery = { forecast: Array<{ method: ForecastMethod, rmse: number | null, group: { suite: string | null }, points: Array<{ t: string, value: number, lower: number, upper: number }>, fitted: Array<{ t: string, value: number }> }> };

export type CompareQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type CompareQuery = { compare: { delta: number, deltaPct: number | null, lower: number | null, upper: number | null, pValue: number, significant: boolean, method: CompareMethod, baseline: { n: number, mean: number | null, median: number | null, stdDev: number | null }, candidate: { n: number, mean: number | null, median: number | null, stdDev: number | null } } };

export type CompareRunsQueryVariables = Exact<{
  base: string | number;
  head: string | number;
}>;


export type CompareRunsQuery = { compareRuns: { newFailures: Array<{ message: string | null, test: { id: string, name: string } }>, fixed: Array<{ test: { id: string, name: string } }>, stillFailing: Array<{ test: { id: string, name: string } }>, newTests: Array<{ id: string, name: string }>, removedTests: Array<{ id: string, name: string }>, durationRegressions: Array<{ baseMs: number, headMs: number, ratio: number, test: { id: string, name: string } }> } };

export type FailurePatternsQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type FailurePatternsQuery = { failurePatterns: Array<{ fingerprint: string, pattern: string, sample: string, occurrences: number, tests: number, firstSeen: string, lastSeen: string, correlations: Array<{ dimension: Dimension, value: string, share: number, lift: number }> }> };

export type WorkloadQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type WorkloadQuery = { workload: { jainIndex: number | null, gini: number | null, coefficientOfVariation: number | null, maxToMeanRatio: number | null, workers: Array<{ worker: string, executions: number, busyMs: number, share: number, failRate: number | null }> } };

export type CircuitBreakersQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type CircuitBreakersQuery = { circuitBreakers: Array<{ name: string, trips: number, timeOpenMs: number, timeHalfOpenMs: number, meanRecoveryMs: number | null, failureRateClosed: number | null, failureRateAfterRecovery: number | null, transitions: Array<{ at: string, from: BreakerState, to: BreakerState }> }> };

export type QualityGateQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type QualityGateQuery = { qualityGate: { passed: boolean, checks: Array<{ name: string, passed: boolean, actual: number | null, threshold: number, message: string }> } };

export type ReportQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type ReportQuery = { report: { format: ReportFormat, generatedAt: string, content: string } };

export type CreateAlertRuleMutationVariables = Exact<{
  input: AlertRuleInput;
}>;


export type CreateAlertRuleMutation = { createAlertRule: { id: string, name: string, kind: AlertKind, severity: Severity, enabled: boolean } };

export type DeleteAlertRuleMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteAlertRuleMutation = { deleteAlertRule: boolean };

export type AlertRulesQueryVariables = Exact<{ [key: string]: never; }>;


export type AlertRulesQuery = { alertRules: Array<{ id: string, name: string, kind: AlertKind, severity: Severity, enabled: boolean, threshold: number | null, cooldownMinutes: number }> };

export type AlertsQueryVariables = Exact<{ [key: string]: never; }>;


export type AlertsQuery = { alerts: { totalCount: number, edges: Array<{ node: { id: string, kind: AlertKind, severity: Severity, message: string, firedAt: string, value: number | null, threshold: number | null, acknowledgedAt: string | null, group: { project: string | null, test: { id: string, name: string } | null }, rule: { id: string, name: string } } }> } };

export type AcknowledgeAlertMutationVariables = Exact<{
  id: string | number;
}>;


export type AcknowledgeAlertMutation = { acknowledgeAlert: { id: string, acknowledgedAt: string | null } };

export type LiveAlertsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type LiveAlertsSubscription = { alerts: { id: string, kind: AlertKind, severity: Severity, message: string, firedAt: string, value: number | null, threshold: number | null, rule: { id: string, name: string }, group: { project: string | null, test: { id: string, name: string } | null } } };

export type LiveIngestSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type LiveIngestSubscription = { ingested: { accepted: number, passed: number, failed: number, dataVersion: number, run: { id: string, project: string, branch: string | null } } };


export const IngestDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Ingest"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"IngestInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ingest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"run"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"project"}},{"kind":"Field","name":{"kind":"Name","value":"branch"}},{"kind":"Field","name":{"kind":"Name","value":"commit"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"accepted"}},{"kind":"Field","name":{"kind":"Name","value":"duplicates"}},{"kind":"Field","name":{"kind":"Name","value":"rejected"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dataVersion"}}]}}]}}]} as unknown as DocumentNode<IngestMutation, IngestMutationVariables>;
export const ResultsSliceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ResultsSlice"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ResultFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"results"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"STARTED_AT"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"DESC"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"attempt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"worker"}},{"kind":"Field","name":{"kind":"Name","value":"hardware"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"metrics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"unit"}}]}},{"kind":"Field","name":{"kind":"Name","value":"test"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"suite"}},{"kind":"Field","name":{"kind":"Name","value":"className"}}]}},{"kind":"Field","name":{"kind":"Name","value":"run"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"project"}},{"kind":"Field","name":{"kind":"Name","value":"branch"}},{"kind":"Field","name":{"kind":"Name","value":"commit"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ResultsSliceQuery, ResultsSliceQueryVariables>;
export const RunsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Runs"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"RunFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"project"}},{"kind":"Field","name":{"kind":"Name","value":"branch"}},{"kind":"Field","name":{"kind":"Name","value":"commit"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"executions"}},{"kind":"Field","name":{"kind":"Name","value":"passed"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"flaky"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"passRate"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}}]}}]}}]}}]}}]} as unknown as DocumentNode<RunsQuery, RunsQueryVariables>;
export const TestDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TestDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"test"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"suite"}},{"kind":"Field","name":{"kind":"Name","value":"className"}},{"kind":"Field","name":{"kind":"Name","value":"project"}},{"kind":"Field","name":{"kind":"Name","value":"stats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"executions"}},{"kind":"Field","name":{"kind":"Name","value":"passRate"}},{"kind":"Field","name":{"kind":"Name","value":"flakyRate"}},{"kind":"Field","name":{"kind":"Name","value":"durationAvg"}},{"kind":"Field","name":{"kind":"Name","value":"durationP95"}},{"kind":"Field","name":{"kind":"Name","value":"lastStatus"}},{"kind":"Field","name":{"kind":"Name","value":"lastRunAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"history"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"run"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"commit"}},{"kind":"Field","name":{"kind":"Name","value":"branch"}}]}}]}}]}}]}}]} as unknown as DocumentNode<TestDetailQuery, TestDetailQueryVariables>;
export const TestsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Tests"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ResultFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tests"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"PASS_RATE"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"ASC"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"suite"}},{"kind":"Field","name":{"kind":"Name","value":"stats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"executions"}},{"kind":"Field","name":{"kind":"Name","value":"passRate"}},{"kind":"Field","name":{"kind":"Name","value":"flakyRate"}},{"kind":"Field","name":{"kind":"Name","value":"durationP95"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<TestsQuery, TestsQueryVariables>;
export const PassRateByTestAndDayDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PassRateByTestAndDay"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ResultFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"TEST"}]}},{"kind":"Argument","name":{"kind":"Name","value":"bucket"},"value":{"kind":"EnumValue","value":"DAY"}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"PASS_RATE"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"ASC"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"IntValue","value":"500"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"test"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"suite"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"bucket"}},{"kind":"Field","name":{"kind":"Name","value":"executions"}},{"kind":"Field","name":{"kind":"Name","value":"passed"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"errored"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"flaky"}},{"kind":"Field","name":{"kind":"Name","value":"passRate"}},{"kind":"Field","name":{"kind":"Name","value":"failRate"}},{"kind":"Field","name":{"kind":"Name","value":"flakyRate"}},{"kind":"Field","alias":{"kind":"Name","value":"avg"},"name":{"kind":"Name","value":"duration"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"stat"},"value":{"kind":"EnumValue","value":"AVG"}}]},{"kind":"Field","alias":{"kind":"Name","value":"p95"},"name":{"kind":"Name","value":"duration"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"stat"},"value":{"kind":"EnumValue","value":"P95"}}]}]}}]}}]} as unknown as DocumentNode<PassRateByTestAndDayQuery, PassRateByTestAndDayQueryVariables>;
export const PerfByHardwareAndModelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PerfByHardwareAndModel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ResultFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"HARDWARE"}]}},{"kind":"Argument","name":{"kind":"Name","value":"groupByTags"},"value":{"kind":"ListValue","values":[{"kind":"StringValue","value":"model","block":false}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hardware"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}}]}},{"kind":"Field","name":{"kind":"Name","value":"executions"}},{"kind":"Field","alias":{"kind":"Name","value":"throughput"},"name":{"kind":"Name","value":"metric"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"StringValue","value":"throughput","block":false}},{"kind":"Argument","name":{"kind":"Name","value":"stat"},"value":{"kind":"EnumValue","value":"AVG"}}]},{"kind":"Field","alias":{"kind":"Name","value":"latencyP99"},"name":{"kind":"Name","value":"metric"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"StringValue","value":"latency_ms","block":false}},{"kind":"Argument","name":{"kind":"Name","value":"stat"},"value":{"kind":"EnumValue","value":"P99"}}]}]}}]}}]} as unknown as DocumentNode<PerfByHardwareAndModelQuery, PerfByHardwareAndModelQueryVariables>;
export const GatewayDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Gateway"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gateway"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"dataVersion"}},{"kind":"Field","name":{"kind":"Name","value":"runs"}},{"kind":"Field","name":{"kind":"Name","value":"tests"}},{"kind":"Field","name":{"kind":"Name","value":"results"}},{"kind":"Field","name":{"kind":"Name","value":"cache"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hits"}},{"kind":"Field","name":{"kind":"Name","value":"misses"}},{"kind":"Field","name":{"kind":"Name","value":"hitRatio"}},{"kind":"Field","name":{"kind":"Name","value":"entries"}}]}},{"kind":"Field","name":{"kind":"Name","value":"db"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"statements"}}]}}]}}]}}]} as unknown as DocumentNode<GatewayQuery, GatewayQueryVariables>;
export const TrendsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Trends"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ResultFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trends"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"series"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"measure"},"value":{"kind":"EnumValue","value":"PASS_RATE"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"SUITE"}]}},{"kind":"Argument","name":{"kind":"Name","value":"bucket"},"value":{"kind":"EnumValue","value":"DAY"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"suite"}}]}},{"kind":"Field","name":{"kind":"Name","value":"points"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"t"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"n"}}]}},{"kind":"Field","name":{"kind":"Name","value":"slope"}},{"kind":"Field","name":{"kind":"Name","value":"slopeStdErr"}},{"kind":"Field","name":{"kind":"Name","value":"intercept"}},{"kind":"Field","name":{"kind":"Name","value":"rSquared"}},{"kind":"Field","name":{"kind":"Name","value":"pValue"}},{"kind":"Field","name":{"kind":"Name","value":"mannKendall"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tau"}},{"kind":"Field","name":{"kind":"Name","value":"pValue"}},{"kind":"Field","name":{"kind":"Name","value":"senSlope"}}]}},{"kind":"Field","name":{"kind":"Name","value":"direction"}},{"kind":"Field","name":{"kind":"Name","value":"changePoints"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"t"}},{"kind":"Field","name":{"kind":"Name","value":"before"}},{"kind":"Field","name":{"kind":"Name","value":"after"}}]}}]}}]}}]} as unknown as DocumentNode<TrendsQuery, TrendsQueryVariables>;
export const RawMetricTrendDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RawMetricTrend"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ResultFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trends"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"series"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"metric"},"value":{"kind":"StringValue","value":"latency_ms","block":false}},{"kind":"ObjectField","name":{"kind":"Name","value":"stat"},"value":{"kind":"EnumValue","value":"AVG"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"bucket"},"value":{"kind":"EnumValue","value":"NONE"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"points"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"t"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"n"}}]}},{"kind":"Field","name":{"kind":"Name","value":"slope"}},{"kind":"Field","name":{"kind":"Name","value":"slopeStdErr"}},{"kind":"Field","name":{"kind":"Name","value":"intercept"}},{"kind":"Field","name":{"kind":"Name","value":"interceptStdErr"}},{"kind":"Field","name":{"kind":"Name","value":"rSquared"}},{"kind":"Field","name":{"kind":"Name","value":"residualStdErr"}},{"kind":"Field","name":{"kind":"Name","value":"pValue"}}]}}]}}]} as unknown as DocumentNode<RawMetricTrendQuery, RawMetricTrendQueryVariables>;
export const AnomaliesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Anomalies"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ResultFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"anomalies"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"series"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"metric"},"value":{"kind":"StringValue","value":"latency_ms","block":false}},{"kind":"ObjectField","name":{"kind":"Name","value":"stat"},"value":{"kind":"EnumValue","value":"AVG"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"HARDWARE"}]}},{"kind":"Argument","name":{"kind":"Name","value":"bucket"},"value":{"kind":"EnumValue","value":"HOUR"}},{"kind":"Argument","name":{"kind":"Name","value":"method"},"value":{"kind":"EnumValue","value":"AUTO"}},{"kind":"Argument","name":{"kind":"Name","value":"sensitivity"},"value":{"kind":"FloatValue","value":"3.0"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hardware"}}]}},{"kind":"Field","name":{"kind":"Name","value":"t"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"expected"}},{"kind":"Field","name":{"kind":"Name","value":"lower"}},{"kind":"Field","name":{"kind":"Name","value":"upper"}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"direction"}},{"kind":"Field","name":{"kind":"Name","value":"method"}}]}}]}}]} as unknown as DocumentNode<AnomaliesQuery, AnomaliesQueryVariables>;
export const FlakinessDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Flakiness"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ResultFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"flakiness"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"window"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"days"},"value":{"kind":"IntValue","value":"14"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"minExecutions"},"value":{"kind":"IntValue","value":"5"}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"test"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"suite"}}]}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"lower"}},{"kind":"Field","name":{"kind":"Name","value":"upper"}},{"kind":"Field","name":{"kind":"Name","value":"flipRate"}},{"kind":"Field","name":{"kind":"Name","value":"executions"}},{"kind":"Field","name":{"kind":"Name","value":"failures"}},{"kind":"Field","name":{"kind":"Name","value":"flakyExecutions"}},{"kind":"Field","name":{"kind":"Name","value":"inconsistentCommits"}},{"kind":"Field","name":{"kind":"Name","value":"classification"}},{"kind":"Field","name":{"kind":"Name","value":"lastFlakeAt"}}]}}]}}]} as unknown as DocumentNode<FlakinessQuery, FlakinessQueryVariables>;
export const ForecastDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Forecast"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ResultFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"forecast"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"series"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"measure"},"value":{"kind":"EnumValue","value":"DURATION"}},{"kind":"ObjectField","name":{"kind":"Name","value":"stat"},"value":{"kind":"EnumValue","value":"P95"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"SUITE"}]}},{"kind":"Argument","name":{"kind":"Name","value":"bucket"},"value":{"kind":"EnumValue","value":"DAY"}},{"kind":"Argument","name":{"kind":"Name","value":"horizon"},"value":{"kind":"IntValue","value":"14"}},{"kind":"Argument","name":{"kind":"Name","value":"confidence"},"value":{"kind":"FloatValue","value":"0.95"}},{"kind":"Argument","name":{"kind":"Name","value":"method"},"value":{"kind":"EnumValue","value":"AUTO"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"suite"}}]}},{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"points"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"t"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"lower"}},{"kind":"Field","name":{"kind":"Name","value":"upper"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fitted"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"t"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rmse"}}]}}]}}]} as unknown as DocumentNode<ForecastQuery, ForecastQueryVariables>;
export const CompareDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Compare"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ResultFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"compare"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"series"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"metric"},"value":{"kind":"StringValue","value":"throughput","block":false}},{"kind":"ObjectField","name":{"kind":"Name","value":"stat"},"value":{"kind":"EnumValue","value":"AVG"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"dimension"},"value":{"kind":"EnumValue","value":"HARDWARE"}},{"kind":"Argument","name":{"kind":"Name","value":"baseline"},"value":{"kind":"StringValue","value":"cpu","block":false}},{"kind":"Argument","name":{"kind":"Name","value":"candidate"},"value":{"kind":"StringValue","value":"cuda","block":false}},{"kind":"Argument","name":{"kind":"Name","value":"confidence"},"value":{"kind":"FloatValue","value":"0.95"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"baseline"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"n"}},{"kind":"Field","name":{"kind":"Name","value":"mean"}},{"kind":"Field","name":{"kind":"Name","value":"median"}},{"kind":"Field","name":{"kind":"Name","value":"stdDev"}}]}},{"kind":"Field","name":{"kind":"Name","value":"candidate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"n"}},{"kind":"Field","name":{"kind":"Name","value":"mean"}},{"kind":"Field","name":{"kind":"Name","value":"median"}},{"kind":"Field","name":{"kind":"Name","value":"stdDev"}}]}},{"kind":"Field","name":{"kind":"Name","value":"delta"}},{"kind":"Field","name":{"kind":"Name","value":"deltaPct"}},{"kind":"Field","name":{"kind":"Name","value":"lower"}},{"kind":"Field","name":{"kind":"Name","value":"upper"}},{"kind":"Field","name":{"kind":"Name","value":"pValue"}},{"kind":"Field","name":{"kind":"Name","value":"significant"}},{"kind":"Field","name":{"kind":"Name","value":"method"}}]}}]}}]} as unknown as DocumentNode<CompareQuery, CompareQueryVariables>;
export const CompareRunsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CompareRuns"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"base"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"head"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"compareRuns"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"base"},"value":{"kind":"Variable","name":{"kind":"Name","value":"base"}}},{"kind":"Argument","name":{"kind":"Name","value":"head"},"value":{"kind":"Variable","name":{"kind":"Name","value":"head"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"newFailures"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"test"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fixed"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"test"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"stillFailing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"test"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"newTests"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"removedTests"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"durationRegressions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"test"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"baseMs"}},{"kind":"Field","name":{"kind":"Name","value":"headMs"}},{"kind":"Field","name":{"kind":"Name","value":"ratio"}}]}}]}}]}}]} as unknown as DocumentNode<CompareRunsQuery, CompareRunsQueryVariables>;
export const FailurePatternsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FailurePatterns"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ResultFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"failurePatterns"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"pattern"}},{"kind":"Field","name":{"kind":"Name","value":"sample"}},{"kind":"Field","name":{"kind":"Name","value":"occurrences"}},{"kind":"Field","name":{"kind":"Name","value":"tests"}},{"kind":"Field","name":{"kind":"Name","value":"firstSeen"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeen"}},{"kind":"Field","name":{"kind":"Name","value":"correlations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dimension"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"share"}},{"kind":"Field","name":{"kind":"Name","value":"lift"}}]}}]}}]}}]} as unknown as DocumentNode<FailurePatternsQuery, FailurePatternsQueryVariables>;
export const WorkloadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Workload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ResultFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workload"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"worker"}},{"kind":"Field","name":{"kind":"Name","value":"executions"}},{"kind":"Field","name":{"kind":"Name","value":"busyMs"}},{"kind":"Field","name":{"kind":"Name","value":"share"}},{"kind":"Field","name":{"kind":"Name","value":"failRate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"jainIndex"}},{"kind":"Field","name":{"kind":"Name","value":"gini"}},{"kind":"Field","name":{"kind":"Name","value":"coefficientOfVariation"}},{"kind":"Field","name":{"kind":"Name","value":"maxToMeanRatio"}}]}}]}}]} as unknown as DocumentNode<WorkloadQuery, WorkloadQueryVariables>;
export const CircuitBreakersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CircuitBreakers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ResultFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"circuitBreakers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"trips"}},{"kind":"Field","name":{"kind":"Name","value":"timeOpenMs"}},{"kind":"Field","name":{"kind":"Name","value":"timeHalfOpenMs"}},{"kind":"Field","name":{"kind":"Name","value":"meanRecoveryMs"}},{"kind":"Field","name":{"kind":"Name","value":"failureRateClosed"}},{"kind":"Field","name":{"kind":"Name","value":"failureRateAfterRecovery"}},{"kind":"Field","name":{"kind":"Name","value":"transitions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}}]}}]}}]}}]} as unknown as DocumentNode<CircuitBreakersQuery, CircuitBreakersQueryVariables>;
export const QualityGateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"QualityGate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ResultFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"qualityGate"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"gate"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"minPassRate"},"value":{"kind":"FloatValue","value":"0.98"}},{"kind":"ObjectField","name":{"kind":"Name","value":"maxNewFailures"},"value":{"kind":"IntValue","value":"0"}},{"kind":"ObjectField","name":{"kind":"Name","value":"maxFlakyRate"},"value":{"kind":"FloatValue","value":"0.02"}},{"kind":"ObjectField","name":{"kind":"Name","value":"baseBranch"},"value":{"kind":"StringValue","value":"main","block":false}},{"kind":"ObjectField","name":{"kind":"Name","value":"maxDurationRegressionPct"},"value":{"kind":"IntValue","value":"10"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"passed"}},{"kind":"Field","name":{"kind":"Name","value":"checks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"passed"}},{"kind":"Field","name":{"kind":"Name","value":"actual"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<QualityGateQuery, QualityGateQueryVariables>;
export const ReportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Report"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ResultFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"report"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"format"},"value":{"kind":"EnumValue","value":"MARKDOWN"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"generatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"content"}}]}}]}}]} as unknown as DocumentNode<ReportQuery, ReportQueryVariables>;
export const CreateAlertRuleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateAlertRule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AlertRuleInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createAlertRule"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}}]}}]}}]} as unknown as DocumentNode<CreateAlertRuleMutation, CreateAlertRuleMutationVariables>;
export const DeleteAlertRuleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteAlertRule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteAlertRule"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteAlertRuleMutation, DeleteAlertRuleMutationVariables>;
export const AlertRulesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AlertRules"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"alertRules"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"cooldownMinutes"}}]}}]}}]} as unknown as DocumentNode<AlertRulesQuery, AlertRulesQueryVariables>;
export const AlertsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Alerts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"alerts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"severity"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"CRITICAL"},{"kind":"EnumValue","value":"WARNING"}]}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"firedAt"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedAt"}},{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"project"}},{"kind":"Field","name":{"kind":"Name","value":"test"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"rule"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<AlertsQuery, AlertsQueryVariables>;
export const AcknowledgeAlertDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AcknowledgeAlert"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"acknowledgeAlert"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedAt"}}]}}]}}]} as unknown as DocumentNode<AcknowledgeAlertMutation, AcknowledgeAlertMutationVariables>;
export const LiveAlertsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"LiveAlerts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"alerts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"minSeverity"},"value":{"kind":"EnumValue","value":"WARNING"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"firedAt"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"rule"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"project"}},{"kind":"Field","name":{"kind":"Name","value":"test"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<LiveAlertsSubscription, LiveAlertsSubscriptionVariables>;
export const LiveIngestDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"LiveIngest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ingested"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"project"},"value":{"kind":"ListValue","values":[{"kind":"StringValue","value":"web","block":false}]}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"run"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"project"}},{"kind":"Field","name":{"kind":"Name","value":"branch"}}]}},{"kind":"Field","name":{"kind":"Name","value":"accepted"}},{"kind":"Field","name":{"kind":"Name","value":"passed"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"dataVersion"}}]}}]}}]} as unknown as DocumentNode<LiveIngestSubscription, LiveIngestSubscriptionVariables>;