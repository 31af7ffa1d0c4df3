import type { Database } from './database.ts';
import type { Keyset } from './keyset.ts';
import { keysetPage } from './keyset-page.ts';
import { COUNT_SQL, statSql } from './metrics.ts';
import { toTest, withCond } from './slices.ts';
import { testRankSource } from './test-rank.ts';
import { Params, resultFilterSql, where } from './sql.ts';
import { toNullableNumber, toNumber } from './values.ts';
import type { Row } from './write-tx.ts';
import type { TestOrderField, TestWithStats } from '../domain/slices.ts';
import type {
  Direction,
  Page,
  PageBounds,
  TotalFor,
  ResultFilter,
  Status,
  TestStats,
} from '../domain/types.ts';

/** Per-test execution stats over a slice (skipped executions carry no duration). */
const STATS_COLUMNS = `count(*) AS executions,
  ${COUNT_SQL.passed} AS passed, ${COUNT_SQL.failed} + ${COUNT_SQL.errored} AS failed,
  ${COUNT_SQL.skipped} AS skipped, ${COUNT_SQL.flaky} AS flaky,
  ${COUNT_SQL.passRate} AS pass_rate, ${COUNT_SQL.failRate} AS fail_rate, ${COUNT_SQL.flakyRate} AS flaky_rate,
  ${statSql('AVG', 'duration_ms', "status <> 'SKIPPED'")} AS duration_avg,
  ${statSql('P95', 'duration_ms', "status <> 'SKIPPED'")} AS duration_p95`;

/** Each test's last status and run: a column more of every execution read (about 10 ms of a page's 60–70 at 10M). */
const LAST_RUN_COLUMNS = 'arg_max(status, started_at) AS last_status, max(started_at) AS last_run_at';

function toStats(row: Row | undefined): TestStats {
  return {
    executions: toNumber(row?.['executions'] ?? 0),
    passed: toNumber(row?.['passed'] ?? 0),
    failed: toNumber(row?.['failed'] ?? 0),
    skipped: toNumber(row?.['skipped'] ?? 0),
    flaky: toNumber(row?.['flaky'] ?? 0),
    passRate: toNullableNumber(row?.['pass_rate']),
    failRate: toNullableNumber(row?.['fail_rate']),
    flakyRate: toNullableNumber(row?.['flaky_rate']),
    durationAvg: toNullableNumber(row?.['duration_avg']),
    durationP95: toNullableNumber(row?.['duration_p95']),
    lastStatus: (row?.['last_status'] as Status | undefined) ?? null,
    lastRunAt: (row?.['last_run_at'] as Date | undefined) ?? null,
  };
}

const TEST_SORT: Readonly<Record<TestOrderField, string>> = {
  PASS_RATE: 's.pass_rate',
  FAIL_RATE: 's.fail_rate',
  FLAKY_RATE: 's.flaky_rate',
  EXECUTIONS: 's.executions',
  DURATION_AVG: 's.duration_avg',
  DURATION_P95: 's.duration_p95',
  LAST_RUN_AT: 'epoch_us(s.last_run_at)',
  NAME: 't.name',
};

/**
 * Tests seen in a slice, each with its stats over that slice. The page is chosen on the
 * order's own stat, read from a rollup of counts where one answers (test-rank.ts), and the
 * full stats (quantiles, last status) are computed for the page's tests only. The outer query orders by the ranked value, `s`,
 * so the page's order and cursors are exactly those of the ranking.
 */
export async function testsPage<B extends PageBounds>(
  db: Database,
  filter: ResultFilter | null | undefined,
  size: number,
  bounds: B,
  order: { field: TestOrderField; direction: Direction },
  { lastRun }: { readonly lastRun: boolean } = { lastRun: true },
): Promise<Page<TestWithStats, TotalFor<B>>> {
  const sort = TEST_SORT[order.field];
  const keyset: Keyset = {
    sort,
    id: 't.id',
    idKind: 'string',
    direction: order.direction,
    toValue: (v) =>
      order.field === 'NAME' ? String(v) : order.field === 'LAST_RUN_AT' ? BigInt(v) : Number(v),
  };
  return keysetPage(db, size, bounds, {
    keyset,
    build: (p) => {
      const conds = resultFilterSql(filter, p);
      const src = testRankSource(filter, order.field);
      const ranked = `FROM ${src.table} ${where(conds)} GROUP BY test_id ${src.having}`;
      const rank = `SELECT test_id, ${src.rank} ${ranked}`;
      const columns = lastRun ? `${STATS_COLUMNS}, ${LAST_RUN_COLUMNS}` : STATS_COLUMNS;
      const pageStats = `SELECT test_id, ${columns} FROM executions
        ${where([...conds, 'test_id IN (SELECT id FROM page)'])} GROUP BY test_id`;
      return {
        count: `SELECT count(*) AS n FROM (SELECT test_id ${ranked})`,
        select: (cond) =>
          `SELECT t.id, s.*, ${sort} AS sort_key FROM (${rank}) s JOIN tests t ON t.id = s.test_id ${withCond([], cond)}`,
        around: (rows) =>
          `WITH page AS MATERIALIZED (${rows})
           SELECT s.sort_key, t.*, st.* FROM page s JOIN tests t ON t.id = s.id JOIN (${pageStats}) st ON st.test_id = s.id`,
      };
    },
    map: (row) => ({ test: toTest(row), stats: toStats(row) }),
    idColumn: 'id',
  });
}

/**
 * Each test's stats over its whole history. The tests' executions are read first into a narrow
 * table of their own: aggregating straight off the scan made DuckDB give every scan thread
 * its own partitioned group table: about a third of the statement's time for one test's 2,000
 * rows (EXPLAIN ANALYZE on the 10M reference set).
 */
export async function statsByTestIds(db: Database, ids: readonly string[]): Promise<Map<string, TestStats>> {
  const p = new Params();
  const rows = await db.query(
    `WITH e AS MATERIALIZED (
       SELECT test_id, status, flaky, duration_ms, started_at FROM executions WHERE test_id IN (${p.list(ids)}))
     SELECT test_id, ${STATS_COLUMNS}, ${LAST_RUN_COLUMNS} FROM e GROUP BY test_id`,
    p.values,
  );
  const byId = new Map(rows.map((r) => [r['test_id'] as string, r]));
  return new Map(ids.map((id) => [id, toStats(byId.get(id))]));
}
