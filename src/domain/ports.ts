import type {
  Alert,
  AlertDelivery,
  AlertFilter,
  AlertRule,
  AlertState,
  AttemptOutcomes,
  AttemptWindow,
  EvidenceOptions,
  ExecutionVector,
  FailurePatternSlice,
  FlakinessAggregates,
  FlakinessByValue,
  FlakinessExecution,
  GateFigures,
  GroupSeries,
  NewAlert,
  NewFailure,
  RunPairRow,
  SampleQuery,
  SeriesQuery,
  StoredBreakerEvent,
  WorkerHardwareLoad,
} from './analytics-types.ts';
import type { ValidBatch } from './ingest-batch.ts';
import type { RunId, TestId } from './ids.ts';
import type {
  Direction,
  IngestedEvent,
  MetricsGroup,
  MetricsQuery,
  StoredBatch,
  MetricsRow,
  Page,
  Result,
  ResultFilter,
  Run,
  RunFilter,
  Test,
  TestStats,
} from './types.ts';

export type TableFormat = 'csv' | 'parquet';

/** What a bulk load of one CSV or Parquet file stored; counts are of the file's own rows. */
export interface TableLoadSummary {
  readonly runs: number;
  /** Executions of the file (a test in a run, attempts folded): tests = passed + failed + skipped; passed includes flaky. */
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
  readonly flaky: number;
  readonly skipped: number;
  /** Rows of the file (= accepted + duplicates). */
  readonly attempts: number;
  readonly accepted: number;
  /** Rows already stored, or repeated in the file (run + test + attempt). */
  readonly duplicates: number;
  readonly dataVersion: number;
}

/** What a retention pass removed (or, dry, would remove). */
export interface RetentionOutcome {
  readonly runs: number;
  readonly results: number;
  /** Tests left without results, removed with them. */
  readonly tests: number;
}

export type ResultOrderField = 'STARTED_AT' | 'DURATION';
export type TestOrderField =
  | 'PASS_RATE'
  | 'FAIL_RATE'
  | 'FLAKY_RATE'
  | 'EXECUTIONS'
  | 'DURATION_AVG'
  | 'DURATION_P95'
  | 'LAST_RUN_AT'
  | 'NAME';

export interface TestWithStats {
  readonly test: Test;
  readonly stats: TestStats;
}

/** What resolvers may ask of the store; src/db implements it over DuckDB. */
export interface Store {
  /** Rises with every committed ingest; caches key on it. */
  readonly dataVersion: number;
  /** SQL statements run since the store opened. */
  readonly statements: number;
  /** Stores one validated batch atomically (idempotent on run + test + attempt). */
  ingest(batch: ValidBatch): Promise<StoredBatch>;
  resultsPage(
    filter: ResultFilter | null | undefined,
    first: number,
    after: string | null | undefined,
    order: { field: ResultOrderField; direction: Direction },
  ): Promise<Page<Result>>;
  runsPage(
    filter: RunFilter | null | undefined,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<Run>>;
  testsPage(
    filter: ResultFilter | null | undefined,
    first: number,
    after: string | null | undefined,
    order: { field: TestOrderField; direction: Direction },
  ): Promise<Page<TestWithStats>>;
  metrics(q: MetricsQuery): Promise<MetricsRow[]>;
  testsByIds(ids: readonly TestId[]): Promise<Map<string, Test>>;
  runsByIds(ids: readonly RunId[]): Promise<Map<string, Run>>;
  statsByTestIds(ids: readonly TestId[]): Promise<Map<string, TestStats>>;
  historyByTestIds(ids: readonly TestId[], last: number): Promise<Map<string, Result[]>>;
  counts(): Promise<{ runs: number; tests: number; results: number }>;
  /** A series per group (bucketed like `metrics`, or raw with bucket NONE), oldest first. */
  series(q: SeriesQuery): Promise<GroupSeries[]>;
  /** Raw values of a series for a baseline and a candidate value of one dimension. */
  samples(q: SampleQuery): Promise<[number[], number[]]>;
  /** Each test's executions in a slice (skipped left out), oldest first. */
  flakinessHistory(filter: ResultFilter, limit: number): Promise<Map<string, FlakinessExecution[]>>;
  /**
   * Each test's flakiness evidence summed over a slice: from the rollup kept at
   * ingest for the default options over whole histories, else from the sequences.
   */
  flakinessAggregates(filter: ResultFilter, options: EvidenceOptions): Promise<FlakinessAggregates[]>;
  /** The given tests' executions in a slice per worker and per hardware value (where they have evidence), weighted like flakinessAggregates, and each value pooled over them. */
  flakinessByValue(
    filter: ResultFilter,
    testIds: readonly string[],
    options: EvidenceOptions,
  ): Promise<FlakinessByValue>;
  /** Per group, every result's duration and metrics, oldest first. */
  executionVectors(
    q: Pick<SeriesQuery, 'filter' | 'groupBy' | 'groupByTags' | 'limit'>,
  ): Promise<{ group: MetricsGroup; rows: ExecutionVector[] }[]>;
  /** Pass and flaky rates, new failures against a base branch and durations against it (quality gates). */
  gateFigures(filter: ResultFilter, baseBranch: string | null): Promise<GateFigures>;
  /** Tests that started failing in the slice (a pass in it, then failures to the latest), latest first. */
  newFailures(filter: ResultFilter, limit: number): Promise<NewFailure[]>;
  // ---- retention, export and bulk load (issue #5)
  /** Deletes runs started before `cutoff` with their results and rollups, then checkpoints; a dry run only counts. */
  deleteRunsBefore(cutoff: Date, options?: { readonly dryRun?: boolean }): Promise<RetentionOutcome>;
  /** Writes the slice's results to a CSV or Parquet file in the table layout (src/db/table-file.ts); returns the rows written. */
  exportResults(filter: ResultFilter, format: TableFormat, file: string): Promise<number>;
  /**
   * Bulk-loads a CSV or Parquet file in the table layout in one transaction, set-based
   * (src/db/bulk-load.ts): a bad row refuses the whole file; re-loading stores nothing new.
   */
  loadTableFile(file: string, format: TableFormat): Promise<TableLoadSummary>;
  // ---- test-farm analytics (issue #6)
  /** Attempts, busy time and failures per worker and hardware kind in a slice (attempts without a worker left out). */
  workerLoads(filter: ResultFilter): Promise<WorkerHardwareLoad[]>;
  /** The `first` most frequent failure patterns of a slice with their counts, and the slice's attempts per value they touch. */
  failurePatterns(filter: ResultFilter, first: number): Promise<FailurePatternSlice>;
  /**
   * Circuit-breaker transitions ingested with the runs a slice touches (a re-sent transition once),
   * by breaker and time, and the end of observation: the latest end of those runs or transition.
   */
  breakerEvents(filter: ResultFilter): Promise<{ events: StoredBreakerEvent[]; horizon: Date | null }>;
  /** Attempts of a slice that ran, and that failed, on each window's worker within it, summed per window key. */
  attemptOutcomes(
    filter: ResultFilter,
    windows: readonly AttemptWindow[],
  ): Promise<Map<string, AttemptOutcomes>>;
  /** Every test that ran in either run, with its status, duration and message in each. */
  runPair(base: RunId, head: RunId): Promise<RunPairRow[]>;
  /** Each test's last `last` passing durations that started before `before`, outside run `exclude`, oldest first. */
  durationHistory(
    ids: readonly TestId[],
    before: Date,
    exclude: RunId,
    last: number,
  ): Promise<Map<string, number[]>>;
  // ---- alerts (issue #4)
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
  alertsPage(
    filter: AlertFilter | null | undefined,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<Alert>>;
  acknowledgeAlert(id: string, at: Date): Promise<Alert | null>;
  resolveAlert(id: string, at: Date): Promise<Alert | null>;
  recordDelivery(alertId: string, delivery: AlertDelivery): Promise<void>;
  alertStates(ruleId: string): Promise<Map<string, AlertState>>;
  saveAlertState(state: AlertState): Promise<void>;
  deleteAlertStates(ruleId: string): Promise<void>;
  close(): Promise<void>;
}

/** Where a database stands in the shared log of writes that replicas apply in order. */
export interface LogPosition {
  /** The last applied entry's id (a Redis stream id), '0-0' before the first. */
  readonly id: string;
  /** Entries applied so far. */
  readonly applied: number;
}

/** A store that records, in the same transaction as a write, the log entry that write applies. */
export interface PositionedStore extends Store {
  position(): Promise<LogPosition>;
  /** Runs `write` (at most one write transaction) so that transaction also records `id` as applied. */
  atPosition<T>(id: string, write: () => Promise<T>): Promise<T>;
}

/** How one replica stands in the cluster (the `gateway` query). */
export interface ReplicaStatus {
  readonly id: string;
  /** The Redis URL, password hidden. */
  readonly redis: string;
  readonly position: string;
  readonly applied: number;
  /** The stream's last entry id; null while Redis cannot be reached. */
  readonly head: string | null;
  /** Entries in the stream this replica has not applied yet; null while Redis cannot be reached. */
  readonly lag: number | null;
  /** Redis cannot be reached: writes are refused, reads answer from the local database. */
  readonly degraded: boolean;
}

/** Typed topics of the pub/sub. */
export interface Topics {
  ingested: [IngestedEvent];
  alert: [Alert];
}

export interface PubSub {
  /** Synchronous; never waits for, nor throws because of, a subscriber. */
  publish<K extends keyof Topics>(topic: K, ...args: Topics[K]): void;
  /**
   * Events of `topic` published from now on. Each subscription buffers at most `bufferSize`
   * events it has not pulled yet; on overflow the oldest is dropped and `onOverflow` gets the
   * subscription's total of dropped events (policy: src/pubsub/index.ts). Returning the
   * iterator unsubscribes.
   */
  subscribe<K extends keyof Topics>(
    topic: K,
    options?: { readonly bufferSize?: number; readonly onOverflow?: (dropped: number) => void },
  ): AsyncIterable<Topics[K][0]>;
}

/** Per-request batched look-ups (DataLoader); one value or null per key, in key order. */
export interface Loader<K, V> {
  load(key: K): Promise<V>;
}

export interface Loaders {
  readonly test: Loader<TestId, Test | null>;
  readonly run: Loader<RunId, Run | null>;
  readonly testStats: Loader<TestId, TestStats>;
  /** Keyed by test; `last` is fixed per loader instance via `history(last)`. */
  history(last: number): Loader<TestId, readonly Result[]>;
}

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly entries: number;
  readonly bytes: number;
}

/** The cross-request cache in front of analytic queries, keyed by arguments and dataVersion. */
export interface QueryCache {
  /** Returns the cached answer for (kind, args) at the current dataVersion, or computes it once for all concurrent callers. */
  get<T>(kind: string, args: unknown, compute: () => Promise<T>): Promise<T>;
  stats(): CacheStats;
  clear(): void;
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

/** How the whole-response cache in front of GraphQL is doing (src/server/response-cache.ts). */
export interface ResponseCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly entries: number;
}

/** What every resolver receives: the long-lived parts, and the request's loaders. */
export interface Deps {
  readonly store: Store;
  readonly cache: QueryCache;
  readonly pubsub: PubSub;
  readonly loaders: Loaders;
  readonly alerts: AlertEvaluator;
  readonly version: string;
  /** The clock: resolvers read the time only through it, so tests pass the time in. */
  readonly now: () => Date;
  /** This replica's place in the cluster, when the gateway runs as one of several replicas. */
  readonly replica?: { status(): Promise<ReplicaStatus> };
  /** The response cache's counters, when the server runs one. */
  readonly responses?: { stats(): ResponseCacheStats };
}
