/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Where a rule posts its alerts. */
export type AlertChannelInput = {
  format?: ChannelFormat | null | undefined;
  /** An http(s) URL that receives a POST per alert. */
  webhook: string;
};

/** THRESHOLD: the series crosses `threshold`. PASS_RATE_DROP: pass rate below `threshold`. NEW_FAILURE: a test that passed starts failing. FLAKY_TEST: a flakiness score above `threshold`. DURATION_REGRESSION: duration up by more than `threshold` percent. ANOMALY: an anomaly of the series. QUARANTINE_RELEASE: a quarantined test passed its last N executions, so releasing it is suggested (raised by quarantine, not by a rule). */
export type AlertKind =
  | 'ANOMALY'
  | 'DURATION_REGRESSION'
  | 'FLAKY_TEST'
  | 'NEW_FAILURE'
  | 'PASS_RATE_DROP'
  | 'QUARANTINE_RELEASE'
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
  /** Required for THRESHOLD; other kinds imply theirs (PASS_RATE_DROP: LT; DURATION_REGRESSION, FLAKY_TEST, ANOMALY: GTE; NEW_FAILURE: none). */
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

/** Each point is judged from the points before it only. AUTO: per point, ROBUST or SEASONAL, whichever has had the smaller past errors. ROBUST: rolling median. SEASONAL: rolling level plus the seasonal offset of recent cycles. MULTIVARIATE: isolation forest over each result's duration and metrics. */
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

/** AUTO: the model with the lowest out-of-sample error over rolling forecast origins (see `model` and `candidates`). LINEAR: least-squares line. HOLT: level and trend (AUTO may also return its no-trend and damped-trend variants under HOLT). HOLT_WINTERS: level, trend and season (likewise). SEASONAL_NAIVE: the last season repeated. MSTL: every season removed by decomposition, the rest forecast by exponential smoothing. COMBINATION (answered by AUTO only): the mean of its two best models. */
export type ForecastMethod =
  | 'AUTO'
  | 'COMBINATION'
  | 'HOLT'
  | 'HOLT_WINTERS'
  | 'LINEAR'
  | 'MSTL'
  | 'SEASONAL_NAIVE';

/** One run's batch: stored atomically, idempotent on run id + test + attempt (an attempt number the run already holds for the test, sent with other content, is a further attempt from another shard and goes after the stored ones); at most 50000 results per call. */
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
  /** Count the executions of runs and workers marked as infrastructure failures (see `infrastructureFailures`) in flakiness and in execution measures (pass rate, counts, trends). Default false: they are left out. Lists of results and runs always show them. */
  includeInfrastructureFailures?: boolean | null | undefined;
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


export type FailurePatternsQuery = { failurePatterns: Array<{ fingerprint: string, pattern: string, sample: string, occurrences: number, tests: number, firstSeen: string, lastSeen: string, correlations: Array<{ dimension: Dimension | null, value: string, share: number, lift: number }> }> };

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