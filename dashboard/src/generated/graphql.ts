/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Where a rule posts its alerts. */
export type AlertChannelInput = {
  format?: ChannelFormat | null | undefined;
  /** An http(s) URL that receives a POST per alert. */
  webhook: string;
};

/** Which alerts to list or stream: OR within a field, AND across fields; `from`/`to` are half-open [from, to) on firedAt. */
export type AlertFilter = {
  /** true: only acknowledged alerts; false: only unacknowledged ones. */
  acknowledged?: boolean | null | undefined;
  from?: string | null | undefined;
  kind?: Array<AlertKind> | null | undefined;
  /** This severity or a more urgent one. */
  minSeverity?: Severity | null | undefined;
  project?: Array<string> | null | undefined;
  /** true: only resolved alerts; false: only open ones. */
  resolved?: boolean | null | undefined;
  ruleId?: Array<string | number> | null | undefined;
  severity?: Array<Severity> | null | undefined;
  to?: string | null | undefined;
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

/** Time bucket (UTC). NONE: no bucketing. */
export type Granularity =
  | 'DAY'
  | 'HOUR'
  | 'MINUTE'
  | 'MONTH'
  | 'NONE'
  | 'WEEK';

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

export type TrendLineFragment = { direction: TrendDirection, slope: number | null, points: Array<{ t: string, value: number, n: number }>, changePoints: Array<{ t: string, before: number, after: number }> };

export type ForecastBandFragment = { method: ForecastMethod, points: Array<{ t: string, value: number, lower: number, upper: number }> };

export type AlertRowFragment = { id: string, kind: AlertKind, severity: Severity, message: string, firedAt: string, value: number | null, threshold: number | null, acknowledgedAt: string | null, resolvedAt: string | null, rule: { id: string, name: string }, group: { project: string | null, branch: string | null, worker: string | null, hardware: string | null, suite: string | null, test: { id: string, name: string } | null, run: { id: string } | null } };

export type RuleRowFragment = { id: string, name: string, kind: AlertKind, severity: Severity, enabled: boolean, threshold: number | null, operator: ComparisonOperator | null, windowMinutes: number, cooldownMinutes: number, groupBy: Array<Dimension>, filter: unknown, series: { measure: SeriesMeasure | null, metric: string | null, stat: Stat } | null };

export type DashFacetsQueryVariables = Exact<{
  from?: string | null | undefined;
}>;


export type DashFacetsQuery = { projects: Array<{ executions: number | null, group: { project: string | null } }>, branches: Array<{ executions: number | null, group: { project: string | null, branch: string | null } }> };

export type DashTotalsQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type DashTotalsQuery = { metrics: Array<{ executions: number | null, passRate: number | null, flakyRate: number | null, failRate: number | null, p50: number | null, p95: number | null }> };

export type DashTrendsQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
  bucket?: Granularity | null | undefined;
}>;


export type DashTrendsQuery = { passRate: Array<{ direction: TrendDirection, slope: number | null, points: Array<{ t: string, value: number, n: number }>, changePoints: Array<{ t: string, before: number, after: number }> }>, executions: Array<{ direction: TrendDirection, slope: number | null, points: Array<{ t: string, value: number, n: number }>, changePoints: Array<{ t: string, before: number, after: number }> }>, flakyRate: Array<{ direction: TrendDirection, slope: number | null, points: Array<{ t: string, value: number, n: number }>, changePoints: Array<{ t: string, before: number, after: number }> }> };

export type DashForecastQueryVariables = Exact<{
  series: SeriesInput;
  filter?: ResultFilter | null | undefined;
  bucket?: Granularity | null | undefined;
  horizon: number;
}>;


export type DashForecastQuery = { forecast: Array<{ method: ForecastMethod, points: Array<{ t: string, value: number, lower: number, upper: number }> }> };

export type DashDurationsQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
  bucket?: Granularity | null | undefined;
}>;


export type DashDurationsQuery = { metrics: Array<{ bucket: string | null, executions: number | null, p50: number | null, p95: number | null }> };

export type DashFailingTestsQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type DashFailingTestsQuery = { tests: { edges: Array<{ node: { id: string, name: string, suite: string, project: string, stats: { executions: number, passRate: number | null, failed: number, lastStatus: Status | null, lastRunAt: string | null } } }> } };

export type DashFlakiestQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
  days: number;
}>;


export type DashFlakiestQuery = { flakiness: Array<{ score: number, lower: number, upper: number, classification: FlakinessClass, test: { id: string, name: string, suite: string, project: string, history: Array<{ status: Status, attempt: number, startedAt: string }> } }> };

export type DashFlakyQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
  days: number;
}>;


export type DashFlakyQuery = { flakiness: Array<{ score: number, lower: number, upper: number, flipRate: number, executions: number, failures: number, flakyExecutions: number, inconsistentCommits: number, classification: FlakinessClass, lastFlakeAt: string | null, test: { id: string, name: string, suite: string, project: string, history: Array<{ status: Status, attempt: number, startedAt: string }> }, cause: { dimension: Dimension, value: string, share: number } | null }> };

export type DashTestQueryVariables = Exact<{
  id: string | number;
  last: number;
}>;


export type DashTestQuery = { test: { id: string, name: string, suite: string, className: string | null, project: string, firstSeenAt: string, stats: { executions: number, passRate: number | null, flakyRate: number | null, durationAvg: number | null, durationP95: number | null, lastStatus: Status | null, lastRunAt: string | null }, history: Array<{ id: string, status: Status, attempt: number, durationMs: number, startedAt: string, message: string | null, worker: string | null, hardware: string | null, run: { id: string, commit: string | null, branch: string | null } }> } };

export type DashTestDurationQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
  bucket?: Granularity | null | undefined;
}>;


export type DashTestDurationQuery = { trends: Array<{ direction: TrendDirection, slope: number | null, points: Array<{ t: string, value: number, n: number }>, changePoints: Array<{ t: string, before: number, after: number }> }>, anomalies: Array<{ t: string, value: number, expected: number, lower: number, upper: number, score: number, severity: Severity, direction: AnomalyDirection, method: AnomalyMethod }> };

export type DashTestFailuresQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type DashTestFailuresQuery = { failurePatterns: Array<{ fingerprint: string, pattern: string, sample: string, occurrences: number, firstSeen: string, lastSeen: string }> };

export type DashFailurePatternsQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type DashFailurePatternsQuery = { failurePatterns: Array<{ fingerprint: string, pattern: string, sample: string, occurrences: number, tests: number, firstSeen: string, lastSeen: string, correlations: Array<{ dimension: Dimension | null, tag: string | null, value: string, share: number, baselineShare: number, lift: number, occurrences: number }>, daily: Array<{ day: string, occurrences: number }>, affectedTests: Array<{ id: string, name: string }> }> };

export type DashPatternFingerprintsQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type DashPatternFingerprintsQuery = { failurePatterns: Array<{ fingerprint: string }> };

export type DashRecentRunsQueryVariables = Exact<{
  filter?: RunFilter | null | undefined;
}>;


export type DashRecentRunsQuery = { runs: { edges: Array<{ node: { id: string, project: string, branch: string | null, commit: string | null, startedAt: string, executions: number, passed: number, failed: number, flaky: number, passRate: number | null } }> } };

export type DashCompareRunsQueryVariables = Exact<{
  base: string | number;
  head: string | number;
}>;


export type DashCompareRunsQuery = { compareRuns: { base: { id: string, branch: string | null, commit: string | null, startedAt: string, passRate: number | null, executions: number }, head: { id: string, branch: string | null, commit: string | null, startedAt: string, passRate: number | null, executions: number }, newFailures: Array<{ message: string | null, test: { id: string, name: string, suite: string } }>, fixed: Array<{ test: { id: string, name: string, suite: string } }>, stillFailing: Array<{ message: string | null, test: { id: string, name: string, suite: string } }>, newTests: Array<{ id: string, name: string, suite: string }>, removedTests: Array<{ id: string, name: string, suite: string }>, durationRegressions: Array<{ baseMs: number, headMs: number, ratio: number, pValue: number | null, significant: boolean | null, test: { id: string, name: string, suite: string } }> } };

export type DashCompareQueryVariables = Exact<{
  series: SeriesInput;
  filter?: ResultFilter | null | undefined;
  dimension: Dimension;
  baseline: string;
  candidate: string;
}>;


export type DashCompareQuery = { compare: { delta: number, deltaPct: number | null, lower: number | null, upper: number | null, pValue: number, significant: boolean, method: CompareMethod, baseline: { value: string, n: number, mean: number | null, median: number | null, stdDev: number | null }, candidate: { value: string, n: number, mean: number | null, median: number | null, stdDev: number | null } } };

export type DashFarmQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
}>;


export type DashFarmQuery = { workload: { jainIndex: number | null, gini: number | null, coefficientOfVariation: number | null, maxToMeanRatio: number | null, workers: Array<{ worker: string, executions: number, busyMs: number, share: number, failRate: number | null }>, hardware: Array<{ hardware: string | null, executions: number, busyMs: number, share: number, failRate: number | null, jainIndex: number | null, gini: number | null }> }, circuitBreakers: Array<{ name: string, worker: string | null, state: BreakerState, trips: number, recoveries: number, timeOpenMs: number, timeHalfOpenMs: number, meanRecoveryMs: number | null, failureRateClosed: number | null, failureRateAfterRecovery: number | null, missingTransitions: number, transitions: Array<{ at: string, from: BreakerState, to: BreakerState, inferred: boolean, reason: string | null }> }> };

export type DashPerformanceQueryVariables = Exact<{
  filter?: ResultFilter | null | undefined;
  series: SeriesInput;
}>;


export type DashPerformanceQuery = { performance: { higherIsBetter: boolean, combinations: Array<{ n: number, value: number, group: { hardware: string | null, tags: unknown } }>, effects: Array<{ dimension: Dimension | null, tag: string | null, value: string, reference: string, n: number, comparison: { delta: number, deltaPct: number | null, lower: number | null, upper: number | null, pValue: number, significant: boolean } | null }> } };

export type DashAlertsQueryVariables = Exact<{
  filter?: AlertFilter | null | undefined;
  first?: number | null | undefined;
}>;


export type DashAlertsQuery = { alerts: { totalCount: number, edges: Array<{ node: { id: string, kind: AlertKind, severity: Severity, message: string, firedAt: string, value: number | null, threshold: number | null, acknowledgedAt: string | null, resolvedAt: string | null, rule: { id: string, name: string }, group: { project: string | null, branch: string | null, worker: string | null, hardware: string | null, suite: string | null, test: { id: string, name: string } | null, run: { id: string } | null } } }> } };

export type DashRulesQueryVariables = Exact<{ [key: string]: never; }>;


export type DashRulesQuery = { alertRules: Array<{ id: string, name: string, kind: AlertKind, severity: Severity, enabled: boolean, threshold: number | null, operator: ComparisonOperator | null, windowMinutes: number, cooldownMinutes: number, groupBy: Array<Dimension>, filter: unknown, series: { measure: SeriesMeasure | null, metric: string | null, stat: Stat } | null }> };

export type DashAcknowledgeMutationVariables = Exact<{
  id: string | number;
}>;


export type DashAcknowledgeMutation = { acknowledgeAlert: { id: string, acknowledgedAt: string | null } };

export type DashResolveMutationVariables = Exact<{
  id: string | number;
}>;


export type DashResolveMutation = { resolveAlert: { id: string, resolvedAt: string | null } };

export type DashCreateRuleMutationVariables = Exact<{
  input: AlertRuleInput;
}>;


export type DashCreateRuleMutation = { createAlertRule: { id: string, name: string, kind: AlertKind, severity: Severity, enabled: boolean, threshold: number | null, operator: ComparisonOperator | null, windowMinutes: number, cooldownMinutes: number, groupBy: Array<Dimension>, filter: unknown, series: { measure: SeriesMeasure | null, metric: string | null, stat: Stat } | null } };

export type DashUpdateRuleMutationVariables = Exact<{
  id: string | number;
  input: AlertRuleInput;
}>;


export type DashUpdateRuleMutation = { updateAlertRule: { id: string, name: string, kind: AlertKind, severity: Severity, enabled: boolean, threshold: number | null, operator: ComparisonOperator | null, windowMinutes: number, cooldownMinutes: number, groupBy: Array<Dimension>, filter: unknown, series: { measure: SeriesMeasure | null, metric: string | null, stat: Stat } | null } };

export type DashDeleteRuleMutationVariables = Exact<{
  id: string | number;
}>;


export type DashDeleteRuleMutation = { deleteAlertRule: boolean };

export type DashLiveAlertsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashLiveAlertsSubscription = { alerts: { id: string, kind: AlertKind, severity: Severity, message: string, firedAt: string, value: number | null, threshold: number | null, acknowledgedAt: string | null, resolvedAt: string | null, rule: { id: string, name: string }, group: { project: string | null, branch: string | null, worker: string | null, hardware: string | null, suite: string | null, test: { id: string, name: string } | null, run: { id: string } | null } } };

export type DashLiveIngestSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashLiveIngestSubscription = { ingested: { accepted: number, passed: number, failed: number, dataVersion: number, at: string, run: { id: string, project: string, branch: string | null, startedAt: string } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const TrendLineFragmentDoc = new TypedDocumentString(`
    fragment TrendLine on TrendSeries {
  points {
    t
    value
    n
  }
  direction
  slope
  changePoints {
    t
    before
    after
  }
}
    `, {"fragmentName":"TrendLine"}) as unknown as TypedDocumentString<TrendLineFragment, unknown>;
export const ForecastBandFragmentDoc = new TypedDocumentString(`
    fragment ForecastBand on Forecast {
  method
  points {
    t
    value
    lower
    upper
  }
}
    `, {"fragmentName":"ForecastBand"}) as unknown as TypedDocumentString<ForecastBandFragment, unknown>;
export const AlertRowFragmentDoc = new TypedDocumentString(`
    fragment AlertRow on Alert {
  id
  kind
  severity
  message
  firedAt
  value
  threshold
  acknowledgedAt
  resolvedAt
  rule {
    id
    name
  }
  group {
    project
    branch
    test {
      id
      name
    }
    run {
      id
    }
    worker
    hardware
    suite
  }
}
    `, {"fragmentName":"AlertRow"}) as unknown as TypedDocumentString<AlertRowFragment, unknown>;
export const RuleRowFragmentDoc = new TypedDocumentString(`
    fragment RuleRow on AlertRule {
  id
  name
  kind
  severity
  enabled
  threshold
  operator
  windowMinutes
  cooldownMinutes
  groupBy
  filter
  series {
    measure
    metric
    stat
  }
}
    `, {"fragmentName":"RuleRow"}) as unknown as TypedDocumentString<RuleRowFragment, unknown>;
export const DashFacetsDocument = new TypedDocumentString(`
    query DashFacets($from: DateTime) {
  projects: metrics(
    filter: {from: $from}
    groupBy: [PROJECT]
    orderBy: {field: EXECUTIONS, direction: DESC}
  ) {
    group {
      project
    }
    executions
  }
  branches: metrics(
    filter: {from: $from}
    groupBy: [PROJECT, BRANCH]
    orderBy: {field: EXECUTIONS, direction: DESC}
    limit: 200
  ) {
    group {
      project
      branch
    }
    executions
  }
}
    `) as unknown as TypedDocumentString<DashFacetsQuery, DashFacetsQueryVariables>;
export const DashTotalsDocument = new TypedDocumentString(`
    query DashTotals($filter: ResultFilter) {
  metrics(filter: $filter) {
    executions
    passRate
    flakyRate
    failRate
    p50: duration(stat: P50)
    p95: duration(stat: P95)
  }
}
    `) as unknown as TypedDocumentString<DashTotalsQuery, DashTotalsQueryVariables>;
export const DashTrendsDocument = new TypedDocumentString(`
    query DashTrends($filter: ResultFilter, $bucket: Granularity) {
  passRate: trends(series: {measure: PASS_RATE}, filter: $filter, bucket: $bucket) {
    ...TrendLine
  }
  executions: trends(
    series: {measure: EXECUTIONS}
    filter: $filter
    bucket: $bucket
  ) {
    ...TrendLine
  }
  flakyRate: trends(
    series: {measure: FLAKY_RATE}
    filter: $filter
    bucket: $bucket
  ) {
    ...TrendLine
  }
}
    fragment TrendLine on TrendSeries {
  points {
    t
    value
    n
  }
  direction
  slope
  changePoints {
    t
    before
    after
  }
}`) as unknown as TypedDocumentString<DashTrendsQuery, DashTrendsQueryVariables>;
export const DashForecastDocument = new TypedDocumentString(`
    query DashForecast($series: SeriesInput!, $filter: ResultFilter, $bucket: Granularity, $horizon: Int!) {
  forecast(
    series: $series
    filter: $filter
    bucket: $bucket
    horizon: $horizon
    confidence: 0.95
    method: AUTO
  ) {
    ...ForecastBand
  }
}
    fragment ForecastBand on Forecast {
  method
  points {
    t
    value
    lower
    upper
  }
}`) as unknown as TypedDocumentString<DashForecastQuery, DashForecastQueryVariables>;
export const DashDurationsDocument = new TypedDocumentString(`
    query DashDurations($filter: ResultFilter, $bucket: Granularity) {
  metrics(
    filter: $filter
    bucket: $bucket
    orderBy: {field: BUCKET, direction: ASC}
    limit: 5000
  ) {
    bucket
    executions
    p50: duration(stat: P50)
    p95: duration(stat: P95)
  }
}
    `) as unknown as TypedDocumentString<DashDurationsQuery, DashDurationsQueryVariables>;
export const DashFailingTestsDocument = new TypedDocumentString(`
    query DashFailingTests($filter: ResultFilter) {
  tests(filter: $filter, first: 40, orderBy: {field: PASS_RATE, direction: ASC}) {
    edges {
      node {
        id
        name
        suite
        project
        stats {
          executions
          passRate
          failed
          lastStatus
          lastRunAt
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashFailingTestsQuery, DashFailingTestsQueryVariables>;
export const DashFlakiestDocument = new TypedDocumentString(`
    query DashFlakiest($filter: ResultFilter, $days: Int!) {
  flakiness(filter: $filter, window: {days: $days}, minExecutions: 5, first: 6) {
    test {
      id
      name
      suite
      project
      history(last: 20) {
        status
        attempt
        startedAt
      }
    }
    score
    lower
    upper
    classification
  }
}
    `) as unknown as TypedDocumentString<DashFlakiestQuery, DashFlakiestQueryVariables>;
export const DashFlakyDocument = new TypedDocumentString(`
    query DashFlaky($filter: ResultFilter, $days: Int!) {
  flakiness(filter: $filter, window: {days: $days}, minExecutions: 5, first: 50) {
    test {
      id
      name
      suite
      project
      history(last: 30) {
        status
        attempt
        startedAt
      }
    }
    score
    lower
    upper
    flipRate
    executions
    failures
    flakyExecutions
    inconsistentCommits
    classification
    lastFlakeAt
    cause {
      dimension
      value
      share
    }
  }
}
    `) as unknown as TypedDocumentString<DashFlakyQuery, DashFlakyQueryVariables>;
export const DashTestDocument = new TypedDocumentString(`
    query DashTest($id: ID!, $last: Int!) {
  test(id: $id) {
    id
    name
    suite
    className
    project
    firstSeenAt
    stats {
      executions
      passRate
      flakyRate
      durationAvg
      durationP95
      lastStatus
      lastRunAt
    }
    history(last: $last) {
      id
      status
      attempt
      durationMs
      startedAt
      message
      worker
      hardware
      run {
        id
        commit
        branch
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashTestQuery, DashTestQueryVariables>;
export const DashTestDurationDocument = new TypedDocumentString(`
    query DashTestDuration($filter: ResultFilter, $bucket: Granularity) {
  trends(series: {measure: DURATION, stat: P50}, filter: $filter, bucket: $bucket) {
    ...TrendLine
  }
  anomalies(
    series: {measure: DURATION, stat: P50}
    filter: $filter
    bucket: $bucket
    method: AUTO
    sensitivity: 3
  ) {
    t
    value
    expected
    lower
    upper
    score
    severity
    direction
    method
  }
}
    fragment TrendLine on TrendSeries {
  points {
    t
    value
    n
  }
  direction
  slope
  changePoints {
    t
    before
    after
  }
}`) as unknown as TypedDocumentString<DashTestDurationQuery, DashTestDurationQueryVariables>;
export const DashTestFailuresDocument = new TypedDocumentString(`
    query DashTestFailures($filter: ResultFilter) {
  failurePatterns(filter: $filter, first: 10) {
    fingerprint
    pattern
    sample
    occurrences
    firstSeen
    lastSeen
  }
}
    `) as unknown as TypedDocumentString<DashTestFailuresQuery, DashTestFailuresQueryVariables>;
export const DashFailurePatternsDocument = new TypedDocumentString(`
    query DashFailurePatterns($filter: ResultFilter) {
  failurePatterns(filter: $filter, first: 30) {
    fingerprint
    pattern
    sample
    occurrences
    tests
    firstSeen
    lastSeen
    correlations {
      dimension
      tag
      value
      share
      baselineShare
      lift
      occurrences
    }
    daily {
      day
      occurrences
    }
    affectedTests(first: 5) {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<DashFailurePatternsQuery, DashFailurePatternsQueryVariables>;
export const DashPatternFingerprintsDocument = new TypedDocumentString(`
    query DashPatternFingerprints($filter: ResultFilter) {
  failurePatterns(filter: $filter, first: 1000) {
    fingerprint
  }
}
    `) as unknown as TypedDocumentString<DashPatternFingerprintsQuery, DashPatternFingerprintsQueryVariables>;
export const DashRecentRunsDocument = new TypedDocumentString(`
    query DashRecentRuns($filter: RunFilter) {
  runs(filter: $filter, first: 60) {
    edges {
      node {
        id
        project
        branch
        commit
        startedAt
        executions
        passed
        failed
        flaky
        passRate
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashRecentRunsQuery, DashRecentRunsQueryVariables>;
export const DashCompareRunsDocument = new TypedDocumentString(`
    query DashCompareRuns($base: ID!, $head: ID!) {
  compareRuns(base: $base, head: $head) {
    base {
      id
      branch
      commit
      startedAt
      passRate
      executions
    }
    head {
      id
      branch
      commit
      startedAt
      passRate
      executions
    }
    newFailures {
      test {
        id
        name
        suite
      }
      message
    }
    fixed {
      test {
        id
        name
        suite
      }
    }
    stillFailing {
      test {
        id
        name
        suite
      }
      message
    }
    newTests {
      id
      name
      suite
    }
    removedTests {
      id
      name
      suite
    }
    durationRegressions {
      test {
        id
        name
        suite
      }
      baseMs
      headMs
      ratio
      pValue
      significant
    }
  }
}
    `) as unknown as TypedDocumentString<DashCompareRunsQuery, DashCompareRunsQueryVariables>;
export const DashCompareDocument = new TypedDocumentString(`
    query DashCompare($series: SeriesInput!, $filter: ResultFilter, $dimension: Dimension!, $baseline: String!, $candidate: String!) {
  compare(
    series: $series
    filter: $filter
    dimension: $dimension
    baseline: $baseline
    candidate: $candidate
    confidence: 0.95
  ) {
    baseline {
      value
      n
      mean
      median
      stdDev
    }
    candidate {
      value
      n
      mean
      median
      stdDev
    }
    delta
    deltaPct
    lower
    upper
    pValue
    significant
    method
  }
}
    `) as unknown as TypedDocumentString<DashCompareQuery, DashCompareQueryVariables>;
export const DashFarmDocument = new TypedDocumentString(`
    query DashFarm($filter: ResultFilter) {
  workload(filter: $filter) {
    workers {
      worker
      executions
      busyMs
      share
      failRate
    }
    hardware {
      hardware
      executions
      busyMs
      share
      failRate
      jainIndex
      gini
    }
    jainIndex
    gini
    coefficientOfVariation
    maxToMeanRatio
  }
  circuitBreakers(filter: $filter) {
    name
    worker
    state
    trips
    recoveries
    timeOpenMs
    timeHalfOpenMs
    meanRecoveryMs
    failureRateClosed
    failureRateAfterRecovery
    missingTransitions
    transitions {
      at
      from
      to
      inferred
      reason
    }
  }
}
    `) as unknown as TypedDocumentString<DashFarmQuery, DashFarmQueryVariables>;
export const DashPerformanceDocument = new TypedDocumentString(`
    query DashPerformance($filter: ResultFilter, $series: SeriesInput!) {
  performance(
    filter: $filter
    series: $series
    dimensions: [HARDWARE]
    tagKeys: ["model"]
    minSamples: 5
  ) {
    higherIsBetter
    combinations(first: 20) {
      group {
        hardware
        tags
      }
      n
      value
    }
    effects {
      dimension
      tag
      value
      reference
      n
      comparison {
        delta
        deltaPct
        lower
        upper
        pValue
        significant
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashPerformanceQuery, DashPerformanceQueryVariables>;
export const DashAlertsDocument = new TypedDocumentString(`
    query DashAlerts($filter: AlertFilter, $first: Int) {
  alerts(filter: $filter, first: $first) {
    totalCount
    edges {
      node {
        ...AlertRow
      }
    }
  }
}
    fragment AlertRow on Alert {
  id
  kind
  severity
  message
  firedAt
  value
  threshold
  acknowledgedAt
  resolvedAt
  rule {
    id
    name
  }
  group {
    project
    branch
    test {
      id
      name
    }
    run {
      id
    }
    worker
    hardware
    suite
  }
}`) as unknown as TypedDocumentString<DashAlertsQuery, DashAlertsQueryVariables>;
export const DashRulesDocument = new TypedDocumentString(`
    query DashRules {
  alertRules {
    ...RuleRow
  }
}
    fragment RuleRow on AlertRule {
  id
  name
  kind
  severity
  enabled
  threshold
  operator
  windowMinutes
  cooldownMinutes
  groupBy
  filter
  series {
    measure
    metric
    stat
  }
}`) as unknown as TypedDocumentString<DashRulesQuery, DashRulesQueryVariables>;
export const DashAcknowledgeDocument = new TypedDocumentString(`
    mutation DashAcknowledge($id: ID!) {
  acknowledgeAlert(id: $id) {
    id
    acknowledgedAt
  }
}
    `) as unknown as TypedDocumentString<DashAcknowledgeMutation, DashAcknowledgeMutationVariables>;
export const DashResolveDocument = new TypedDocumentString(`
    mutation DashResolve($id: ID!) {
  resolveAlert(id: $id) {
    id
    resolvedAt
  }
}
    `) as unknown as TypedDocumentString<DashResolveMutation, DashResolveMutationVariables>;
export const DashCreateRuleDocument = new TypedDocumentString(`
    mutation DashCreateRule($input: AlertRuleInput!) {
  createAlertRule(input: $input) {
    ...RuleRow
  }
}
    fragment RuleRow on AlertRule {
  id
  name
  kind
  severity
  enabled
  threshold
  operator
  windowMinutes
  cooldownMinutes
  groupBy
  filter
  series {
    measure
    metric
    stat
  }
}`) as unknown as TypedDocumentString<DashCreateRuleMutation, DashCreateRuleMutationVariables>;
export const DashUpdateRuleDocument = new TypedDocumentString(`
    mutation DashUpdateRule($id: ID!, $input: AlertRuleInput!) {
  updateAlertRule(id: $id, input: $input) {
    ...RuleRow
  }
}
    fragment RuleRow on AlertRule {
  id
  name
  kind
  severity
  enabled
  threshold
  operator
  windowMinutes
  cooldownMinutes
  groupBy
  filter
  series {
    measure
    metric
    stat
  }
}`) as unknown as TypedDocumentString<DashUpdateRuleMutation, DashUpdateRuleMutationVariables>;
export const DashDeleteRuleDocument = new TypedDocumentString(`
    mutation DashDeleteRule($id: ID!) {
  deleteAlertRule(id: $id)
}
    `) as unknown as TypedDocumentString<DashDeleteRuleMutation, DashDeleteRuleMutationVariables>;
export const DashLiveAlertsDocument = new TypedDocumentString(`
    subscription DashLiveAlerts {
  alerts(filter: {minSeverity: INFO}) {
    ...AlertRow
  }
}
    fragment AlertRow on Alert {
  id
  kind
  severity
  message
  firedAt
  value
  threshold
  acknowledgedAt
  resolvedAt
  rule {
    id
    name
  }
  group {
    project
    branch
    test {
      id
      name
    }
    run {
      id
    }
    worker
    hardware
    suite
  }
}`) as unknown as TypedDocumentString<DashLiveAlertsSubscription, DashLiveAlertsSubscriptionVariables>;
export const DashLiveIngestDocument = new TypedDocumentString(`
    subscription DashLiveIngest {
  ingested {
    run {
      id
      project
      branch
      startedAt
    }
    accepted
    passed
    failed
    dataVersion
    at
  }
}
    `) as unknown as TypedDocumentString<DashLiveIngestSubscription, DashLiveIngestSubscriptionVariables>;