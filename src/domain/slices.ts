/** Slices of the stored data: pages of results, runs and tests, metrics, and look-ups by id. */
import type { ResultId, RunId, TestId } from './ids.ts';
import type {
  Direction,
  MetricsQuery,
  MetricsRow,
  Page,
  PageBounds,
  TotalFor,
  Result,
  ResultFilter,
  Run,
  RunFilter,
  Test,
  TestStats,
} from './types.ts';

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

/** What the slice queries and the per-request loaders read. */
export interface SliceStore {
  resultsPage<B extends PageBounds>(
    filter: ResultFilter | null | undefined,
    size: number,
    bounds: B,
    order: { field: ResultOrderField; direction: Direction },
  ): Promise<Page<Result, TotalFor<B>>>;
  runsPage<B extends PageBounds>(
    filter: RunFilter | null | undefined,
    size: number,
    bounds: B,
  ): Promise<Page<Run, TotalFor<B>>>;
  testsPage<B extends PageBounds>(
    filter: ResultFilter | null | undefined,
    size: number,
    bounds: B,
    order: { field: TestOrderField; direction: Direction },
    /** Whether each test's last status and run are read (null in its stats when not). */
    stats?: { readonly lastRun: boolean },
  ): Promise<Page<TestWithStats, TotalFor<B>>>;
  metrics(q: MetricsQuery): Promise<MetricsRow[]>;
  testsByIds(ids: readonly TestId[]): Promise<Map<string, Test>>;
  runsByIds(ids: readonly RunId[]): Promise<Map<string, Run>>;
  resultsByIds(ids: readonly ResultId[]): Promise<Map<string, Result>>;
  statsByTestIds(ids: readonly TestId[]): Promise<Map<string, TestStats>>;
  historyByTestIds(ids: readonly TestId[], last: number): Promise<Map<string, Result[]>>;
  counts(): Promise<{ runs: number; tests: number; results: number }>;
}
