import type { ExecutionVector, FlakinessAggregates, FlakinessExecution, GroupSeries, SampleQuery, SeriesQuery } from './analytics-types.ts';
import type { ValidBatch } from './ingest-batch.ts';
import type { RunId, TestId } from './ids.ts';
import type {
  Direction, IngestedEvent, MetricsGroup, MetricsQuery, StoredBatch, MetricsRow, Page, Result, ResultFilter, Run, RunFilter, Test, TestStats,
} from './types.ts';

export type ResultOrderField = 'STARTED_AT' | 'DURATION';
export type TestOrderField =
  | 'PASS_RATE' | 'FAIL_RATE' | 'FLAKY_RATE' | 'EXECUTIONS' | 'DURATION_AVG' | 'DURATION_P95' | 'LAST_RUN_AT' | 'NAME';

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
  resultsPage(filter: ResultFilter | null | undefined, first: number, after: string | null | undefined,
    order: { field: ResultOrderField; direction: Direction }): Promise<Page<Result>>;
  runsPage(filter: RunFilter | null | undefined, first: number, after: string | null | undefined): Promise<Page<Run>>;
  testsPage(filter: ResultFilter | null | undefined, first: number, after: string | null | undefined,
    order: { field: TestOrderField; direction: Direction }): Promise<Page<TestWithStats>>;
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
  /** Each test's flakiness evidence summed over a slice, from the sequences kept at ingest. */
  flakinessAggregates(filter: ResultFilter, options: { halfLife: number; maxTransientRun: number; failingStreak: number; recent: number }): Promise<FlakinessAggregates[]>;
  /** Per group, every result's duration and metrics, oldest first. */
  executionVectors(q: Pick<SeriesQuery, 'filter' | 'groupBy' | 'groupByTags' | 'limit'>): Promise<{ group: MetricsGroup; rows: ExecutionVector[] }[]>;
  close(): Promise<void>;
}

/** Typed topics of the pub/sub; alerts join when they land. */
export interface Topics {
  ingested: [IngestedEvent];
}

export interface PubSub {
  publish<K extends keyof Topics>(topic: K, ...args: Topics[K]): void;
  subscribe<K extends keyof Topics>(topic: K): AsyncIterable<Topics[K][0]>;
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

/** What every resolver receives: the long-lived parts, and the request's loaders. */
export interface Deps {
  readonly store: Store;
  readonly cache: QueryCache;
  readonly pubsub: PubSub;
  readonly loaders: Loaders;
  readonly version: string;
}
