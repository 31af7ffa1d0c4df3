import type { ResultId, RunId, TestId } from './ids.ts';

export const STATUSES = ['PASSED', 'FAILED', 'ERROR', 'SKIPPED'] as const;
export type Status = (typeof STATUSES)[number];

export type Tags = Readonly<Record<string, string>>;

export interface Run {
  readonly id: RunId;
  readonly project: string;
  readonly branch: string | null;
  readonly commit: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly tags: Tags;
  /** Execution counts, kept up to date at ingest (attempts folded). */
  readonly executions: number;
  readonly passed: number;
  readonly failed: number;
  readonly errored: number;
  readonly flaky: number;
  readonly skipped: number;
  readonly durationMs: number | null;
}

export interface Test {
  readonly id: TestId;
  readonly project: string;
  readonly suite: string;
  readonly className: string | null;
  readonly name: string;
  readonly firstSeenAt: Date;
}

export interface NamedMetric {
  readonly name: string;
  readonly value: number;
  readonly unit: string | null;
}

/** What an attempt says about itself, as sent and as stored. */
export interface AttemptFields {
  readonly testId: TestId;
  readonly status: Status;
  readonly attempt: number;
  readonly durationMs: number;
  readonly startedAt: Date;
  readonly worker: string | null;
  readonly hardware: string | null;
  readonly message: string | null;
  readonly stackTrace: string | null;
  /** The run's tags overlaid with the result's own. */
  readonly tags: Tags;
  readonly metrics: readonly NamedMetric[];
}

/** One execution attempt of a test in a run. */
export interface Result extends AttemptFields {
  readonly id: ResultId;
  readonly runId: RunId;
}

export interface TestStats {
  readonly executions: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly flaky: number;
  readonly passRate: number | null;
  readonly failRate: number | null;
  readonly flakyRate: number | null;
  readonly durationAvg: number | null;
  readonly durationP95: number | null;
  readonly lastStatus: Status | null;
  readonly lastRunAt: Date | null;
}

export interface TimeRange {
  readonly from?: Date | null | undefined;
  readonly to?: Date | null | undefined;
}

/** One slice definition: OR within a field, AND across fields. */
export interface ResultFilter extends TimeRange {
  readonly project?: readonly string[] | null | undefined;
  readonly suite?: readonly string[] | null | undefined;
  readonly testId?: readonly string[] | null | undefined;
  /** Case-insensitive substrings of the test name. */
  readonly testName?: readonly string[] | null | undefined;
  readonly branch?: readonly string[] | null | undefined;
  readonly commit?: readonly string[] | null | undefined;
  readonly runId?: readonly string[] | null | undefined;
  readonly status?: readonly Status[] | null | undefined;
  readonly worker?: readonly string[] | null | undefined;
  readonly hardware?: readonly string[] | null | undefined;
  readonly tags?: readonly { readonly key: string; readonly values: readonly string[] }[] | null | undefined;
  /** Count executions of infrastructure failures in flakiness and execution measures (default: left out). */
  readonly includeInfrastructureFailures?: boolean | null | undefined;
}

export interface RunFilter extends TimeRange {
  readonly project?: readonly string[] | null | undefined;
  readonly branch?: readonly string[] | null | undefined;
  readonly commit?: readonly string[] | null | undefined;
}

export const DIMENSIONS = [
  'PROJECT',
  'SUITE',
  'TEST',
  'BRANCH',
  'COMMIT',
  'RUN',
  'WORKER',
  'HARDWARE',
  'STATUS',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const GRANULARITIES = ['NONE', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const STATS = ['AVG', 'MIN', 'MAX', 'SUM', 'COUNT', 'P50', 'P90', 'P95', 'P99'] as const;
export type Stat = (typeof STATS)[number];

/** Execution-level counts and rates a metrics row can carry. */
export const COUNT_MEASURES = [
  'executions',
  'passed',
  'failed',
  'errored',
  'skipped',
  'flaky',
  'passRate',
  'failRate',
  'flakyRate',
] as const;
export type CountMeasure = (typeof COUNT_MEASURES)[number];

/** A measure a metrics query asks for; the resolver collects only the selected ones. */
export type Measure =
  | { readonly kind: 'count'; readonly name: CountMeasure }
  | { readonly kind: 'duration'; readonly stat: Stat }
  | { readonly kind: 'metric'; readonly name: string; readonly stat: Stat };

export const MEASURE_ORDER_FIELDS = [
  'EXECUTIONS',
  'PASSED',
  'FAILED',
  'FLAKY',
  'SKIPPED',
  'PASS_RATE',
  'FAIL_RATE',
  'FLAKY_RATE',
  'DURATION_AVG',
  'DURATION_P95',
  'BUCKET',
] as const;
export type MetricsOrderField = (typeof MEASURE_ORDER_FIELDS)[number];
export type Direction = 'ASC' | 'DESC';

export interface MetricsQuery {
  readonly filter: ResultFilter;
  readonly groupBy: readonly Dimension[];
  readonly groupByTags: readonly string[];
  readonly bucket: Granularity;
  readonly measures: readonly Measure[];
  readonly orderBy: { readonly field: MetricsOrderField; readonly direction: Direction } | null;
  readonly limit: number;
}

export interface MetricsGroup {
  readonly project?: string | null;
  readonly suite?: string | null;
  readonly testId?: TestId | null;
  readonly branch?: string | null;
  readonly commit?: string | null;
  readonly runId?: RunId | null;
  readonly worker?: string | null;
  readonly hardware?: string | null;
  readonly status?: Status | null;
  readonly tags: Tags;
}

export interface MetricsRow {
  readonly group: MetricsGroup;
  readonly bucket: Date | null;
  /** Values keyed by `measureKey(measure)`. */
  readonly values: Readonly<Record<string, number | null>>;
}

export const measureKey = (m: Measure): string =>
  m.kind === 'count' ? m.name : m.kind === 'duration' ? `duration:${m.stat}` : `metric:${m.name}:${m.stat}`;

/** A page of a slice; `Total` is null when the caller asked not to count the slice. */
export interface Page<T, Total extends number | null = number> {
  readonly nodes: readonly { readonly cursor: string; readonly node: T }[];
  readonly totalCount: Total;
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
}

/**
 * Where a keyset page sits (Relay's cursor arguments): between the `after` and `before`
 * cursors, taking the first rows of that window, or the last ones when `fromEnd` (`last`).
 * A bare string is an `after` cursor.
 */
export type PageBounds =
  | {
      readonly after?: string | null | undefined;
      readonly before?: string | null | undefined;
      readonly fromEnd?: boolean | undefined;
      /** False skips counting the slice (`totalCount` is then null); counted by default. */
      readonly count?: boolean | undefined;
    }
  | string
  | null
  | undefined;

/** A page's total for its bounds: a number unless the bounds may ask not to count. */
export type TotalFor<B extends PageBounds> = B extends { readonly count: boolean }
  ? true extends B['count']
    ? false extends B['count']
      ? number | null
      : number
    : null
  : number;

export interface IngestRunInput {
  readonly id: string;
  readonly project: string;
  readonly branch?: string | null | undefined;
  readonly commit?: string | null | undefined;
  readonly startedAt: string | Date;
  readonly finishedAt?: string | Date | null | undefined;
  readonly tags?: unknown;
}

export interface IngestResultInput {
  readonly suite: string;
  readonly className?: string | null | undefined;
  readonly name: string;
  readonly status: string;
  readonly durationMs: number;
  readonly attempt?: number | null | undefined;
  readonly startedAt?: string | null | undefined;
  readonly worker?: string | null | undefined;
  readonly hardware?: string | null | undefined;
  readonly message?: string | null | undefined;
  readonly stackTrace?: string | null | undefined;
  readonly tags?: unknown;
  readonly metrics?:
    | readonly { readonly name: string; readonly value: number; readonly unit?: string | null | undefined }[]
    | null
    | undefined;
}

export const BREAKER_STATES = ['CLOSED', 'OPEN', 'HALF_OPEN'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

interface IngestBreakerEventInput {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly at: string;
  readonly reason?: string | null | undefined;
}

export interface IngestInput {
  readonly run: IngestRunInput;
  readonly results?: readonly IngestResultInput[] | null | undefined;
  readonly circuitBreakerEvents?: readonly IngestBreakerEventInput[] | null | undefined;
}

export interface IngestError {
  readonly index: number;
  readonly field: string;
  readonly message: string;
}

export interface IngestOutcome {
  readonly run: Run;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly errors: readonly IngestError[];
  readonly dataVersion: number;
  /** Execution counts of the accepted results (attempts folded). */
  readonly passed: number;
  readonly failed: number;
}

/** What one committed ingest stored. */
export interface StoredBatch {
  readonly run: Run;
  readonly accepted: number;
  readonly duplicates: number;
  /** Executions of this batch's results that passed / failed or errored. */
  readonly passed: number;
  readonly failed: number;
  readonly dataVersion: number;
}

/** Published on every committed ingest. */
export interface IngestedEvent extends StoredBatch {
  readonly at: Date;
}

export const SEVERITIES = ['INFO', 'WARNING', 'CRITICAL'] as const;
/** How urgent an anomaly or alert is, least to most. */
export type Severity = (typeof SEVERITIES)[number];
