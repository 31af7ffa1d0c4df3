import type { DuckDBValue } from '@duckdb/node-api';
import type { WriteTx } from './write-tx.ts';
import type { CountMeasure, MetricsQuery } from '../domain/types.ts';

/**
 * Daily execution counts per test and branch, kept at ingest: what count
 * measures (executions, passed, …, pass/fail/flaky rates) over days, weeks or
 * months read instead of the executions table (one row per test, branch and
 * day instead of one per execution). Percentiles and metrics cannot be
 * summed, so queries asking for them read the executions as before.
 * Executions of infrastructure failures (infra-judge.ts) are counted in rows
 * of their own (`infra`), which trends leave out unless asked to include them.
 */
type Tx = Pick<WriteTx, 'query'>;

/** Daily counts of the executions `scope` selects, to add (sign 1) or take away (sign −1), in daily_counts' column order. */
function countsSql(scope: string, sign: 1 | -1): string {
  const n = (cond: string) => `${sign} * count(*) FILTER (WHERE ${cond})`;
  return `
    SELECT date_trunc('day', started_at) AS started_at, test_id, coalesce(branch, chr(0)) AS branch_key,
           any_value(project) AS project, any_value(suite) AS suite, branch,
           ${sign} * count(*) AS executions, ${n("status = 'PASSED'")} AS passed, ${n("status = 'FAILED'")} AS failed,
           ${n("status = 'ERROR'")} AS errored, ${n("status = 'SKIPPED'")} AS skipped, ${n('flaky')} AS flaky, infra
    FROM executions WHERE ${scope}
    GROUP BY date_trunc('day', started_at), test_id, branch, infra`;
}

/**
 * Adds (sign 1) or takes away (−1) the executions `scope` selects in the daily counts. The counts
 * are staged first: an upsert whose SELECT reads executions written earlier in the same
 * transaction took DuckDB 0.5–1.6 s a batch of 5,000 on 10M results, staged 0.1 s. The staged
 * counts stay in `daily_delta` until the next upsert: test-totals.ts sums them per test.
 */
async function upsert(tx: Tx, scope: string, params: readonly DuckDBValue[], sign: 1 | -1): Promise<void> {
  await tx.query(`CREATE OR REPLACE TEMP TABLE daily_delta AS ${countsSql(scope, sign)}`, params);
  await tx.query(
    `INSERT INTO daily_counts SELECT * FROM daily_delta
     ON CONFLICT (started_at, test_id, branch_key, infra) DO UPDATE SET
       executions = daily_counts.executions + EXCLUDED.executions, passed = daily_counts.passed + EXCLUDED.passed,
       failed = daily_counts.failed + EXCLUDED.failed, errored = daily_counts.errored + EXCLUDED.errored,
       skipped = daily_counts.skipped + EXCLUDED.skipped, flaky = daily_counts.flaky + EXCLUDED.flaky`,
  );
  // A row whose executions all left (refolded into another day, or moved between the infra and other
  // rows) would read as a group of zero executions, which the executions themselves never give.
  if (sign < 0) await tx.query('DELETE FROM daily_counts WHERE executions = 0');
}

/** Adds one run's executions to the daily counts (after its executions are folded). */
export const addRunToDaily = (tx: Tx, runSeq: number) => upsert(tx, 'run_seq = $1', [BigInt(runSeq)], 1);

/** Adds the executions `scope` selects to the daily counts (bulk loads, a batch's tests, infra marks). */
export const addToDaily = (tx: Tx, scope: string, params: readonly DuckDBValue[] = []) =>
  upsert(tx, scope, params, 1);

/** Takes the executions `scope` selects out of the daily counts, dropping the rows left empty. */
export const removeFromDaily = (tx: Tx, scope: string, params: readonly DuckDBValue[] = []) =>
  upsert(tx, scope, params, -1);

/** Rebuilds the daily counts from every execution (bulk loads, migrations). */
export async function rebuildDaily(tx: Tx): Promise<void> {
  await tx.query('DELETE FROM daily_counts');
  // Into the emptied table: no key to look up, so no ON CONFLICT (a rebuild's merge cost seconds on 1M).
  await tx.query(`INSERT INTO daily_counts ${countsSql('true', 1)}`);
}

/** Sums over daily rows, the count measures' SQL on daily_counts. */
export const DAILY_COUNT_SQL: Readonly<Record<CountMeasure, string>> = {
  executions: 'sum(executions)',
  passed: 'sum(passed)',
  failed: 'sum(failed)',
  errored: 'sum(errored)',
  skipped: 'sum(skipped)',
  flaky: 'sum(flaky)',
  passRate: 'sum(passed)::DOUBLE / nullif(sum(executions) - sum(skipped), 0)',
  failRate: '(sum(failed) + sum(errored))::DOUBLE / nullif(sum(executions) - sum(skipped), 0)',
  flakyRate: 'sum(flaky)::DOUBLE / nullif(sum(executions) - sum(skipped), 0)',
};

const DAILY_FILTERS = new Set([
  'project',
  'suite',
  'testId',
  'testName',
  'branch',
  'from',
  'to',
  'includeInfrastructureFailures',
]);
const DAILY_DIMENSIONS = new Set(['PROJECT', 'SUITE', 'TEST', 'BRANCH']);
const DAILY_BUCKETS = new Set(['NONE', 'DAY', 'WEEK', 'MONTH']);
const midnight = (d: Date | null | undefined) => !d || d.getTime() % 86_400_000 === 0;

/** Whether an execution-measure query can read the daily counts and get the same answer. */
export function dailyAnswers(
  q: Pick<MetricsQuery, 'filter' | 'groupBy' | 'groupByTags' | 'bucket'>,
  measures: readonly { kind: string }[],
): boolean {
  const used = Object.entries(q.filter)
    .filter(([, v]) => v !== null && v !== undefined && (!Array.isArray(v) || v.length > 0))
    .map(([k]) => k);
  return (
    measures.every((m) => m.kind === 'count') &&
    used.every((k) => DAILY_FILTERS.has(k)) &&
    midnight(q.filter.from) &&
    midnight(q.filter.to) &&
    q.groupBy.every((d) => DAILY_DIMENSIONS.has(d)) &&
    q.groupByTags.length === 0 &&
    DAILY_BUCKETS.has(q.bucket)
  );
}
