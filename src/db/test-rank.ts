import { COUNT_SQL, statSql } from './metrics.ts';
import { DAILY_COUNT_SQL } from './daily.ts';
import type { TestOrderField } from '../domain/slices.ts';
import type { ResultFilter } from '../domain/types.ts';

/**
 * Where the tests page ranks its tests and counts them: the smallest table that gives the
 * same answer for the filter and order. The whole-history totals (test-totals.ts, one row per
 * test) when the filter names only tests; the daily counts (daily.ts) when it also names
 * branches or whole days; else the executions. Counts only: the duration and last-run orders
 * always rank the executions.
 */
export interface TestRankSource {
  readonly table: 'test_totals' | 'daily_counts' | 'executions';
  /** The ranked stat with its column name, an aggregate per test_id. */
  readonly rank: string;
  /** Keeps tests with at least one execution in the slice (a rollup's emptied rows hold none). */
  readonly having: string;
}

/** The one stat each order ranks by, over the executions. */
const EXECUTION_RANK: Readonly<Record<TestOrderField, string>> = {
  PASS_RATE: `${COUNT_SQL.passRate} AS pass_rate`,
  FAIL_RATE: `${COUNT_SQL.failRate} AS fail_rate`,
  FLAKY_RATE: `${COUNT_SQL.flakyRate} AS flaky_rate`,
  EXECUTIONS: 'count(*) AS executions',
  DURATION_AVG: `${statSql('AVG', 'duration_ms', "status <> 'SKIPPED'")} AS duration_avg`,
  DURATION_P95: `${statSql('P95', 'duration_ms', "status <> 'SKIPPED'")} AS duration_p95`,
  LAST_RUN_AT: 'max(started_at) AS last_run_at',
  NAME: 'count(*) AS executions',
};

/** The same stats summed from rows of counts (the same integers, so the same doubles); null: counts cannot say. */
const COUNTS_RANK: Readonly<Record<TestOrderField, string | null>> = {
  PASS_RATE: `${DAILY_COUNT_SQL.passRate} AS pass_rate`,
  FAIL_RATE: `${DAILY_COUNT_SQL.failRate} AS fail_rate`,
  FLAKY_RATE: `${DAILY_COUNT_SQL.flakyRate} AS flaky_rate`,
  EXECUTIONS: 'sum(executions)::BIGINT AS executions',
  DURATION_AVG: null,
  DURATION_P95: null,
  LAST_RUN_AT: null,
  NAME: 'sum(executions)::BIGINT AS executions',
};

/** Filters that name tests only; the tests page counts infrastructure failures either way. */
const TEST_FILTERS = new Set(['project', 'suite', 'testId', 'testName', 'includeInfrastructureFailures']);
const DAILY_FILTERS = new Set([...TEST_FILTERS, 'branch', 'from', 'to']);
const midnight = (d: Date | null | undefined) => !d || d.getTime() % 86_400_000 === 0;

export function testRankSource(
  filter: ResultFilter | null | undefined,
  field: TestOrderField,
): TestRankSource {
  const used = Object.entries(filter ?? {})
    .filter(([, v]) => v !== null && v !== undefined && (!Array.isArray(v) || v.length > 0))
    .map(([k]) => k);
  const counts = COUNTS_RANK[field];
  const daily = used.every((k) => DAILY_FILTERS.has(k)) && midnight(filter?.from) && midnight(filter?.to);
  if (counts === null || !daily) return { table: 'executions', rank: EXECUTION_RANK[field], having: '' };
  return {
    table: used.every((k) => TEST_FILTERS.has(k)) ? 'test_totals' : 'daily_counts',
    rank: counts,
    having: 'HAVING sum(executions) > 0',
  };
}
