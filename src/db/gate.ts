import type { Database } from './database.ts';
import { Params, infraSql, resultFilterSql, where } from './sql.ts';
import { toNullableNumber, toNumber } from './values.ts';
import type { GateFigures, NewFailure } from '../domain/gate.ts';
import { asTestId } from '../domain/ids.ts';
import type { ResultFilter } from '../domain/types.ts';

/** Days of the base branch's history, up to its latest execution, whose median durations are the baseline. */
const BASELINE_DAYS = 7;

/**
 * The base branch's slice: the head's slice with the branch swapped for the
 * base branch, and without what picks out the head's own builds (commit, run,
 * status, time range).
 */
function baseFilter(filter: ResultFilter, baseBranch: string): ResultFilter {
  const { commit: _c, runId: _r, status: _s, from: _f, to: _t, branch: _b, ...rest } = filter;
  return { ...rest, branch: [baseBranch] };
}

/**
 * What a quality gate measures of a slice, at execution level (attempts
 * folded, skipped left out of the rates, and the executions of runs and
 * workers marked as infrastructure failures left out, on the slice and on the
 * base branch alike, unless the filter includes them):
 * - pass and flaky rates of the slice;
 * - new failures: tests whose latest execution in the slice failed or errored
 *   while their latest execution on the base branch passed;
 * - durations: over the tests run in both, the sum of their mean durations in
 *   the slice against the sum of their median durations on the base branch in
 *   the BASELINE_DAYS up to its latest execution (a median over days, so one
 *   slow base run does not move the baseline).
 */
export async function queryGateFigures(
  db: Database,
  filter: ResultFilter,
  baseBranch: string | null,
): Promise<GateFigures> {
  const figures = await headTotals(db, filter);
  if (!baseBranch || !figures.executions) {
    return { ...figures, baseExecutions: 0, newFailures: [], duration: null };
  }
  return { ...figures, ...againstBase(await headAndBaseByTest(db, filter, baseBranch)) };
}

/**
 * The slice's execution counts and its pass and flaky rates, without the
 * executions of infrastructure failures unless the filter includes them; those
 * left out are counted apart (`infra`), with their failures and runs.
 */
async function headTotals(db: Database, filter: ResultFilter) {
  const p = new Params();
  const head = where([...resultFilterSql(filter, p), "status <> 'SKIPPED'"]);
  const kept = infraSql(filter)[0] ?? 'true';
  const [t] = await db.query<{
    executions: bigint;
    passed: bigint;
    flaky: bigint;
    infra_executions: bigint;
    infra_failures: bigint;
    infra_runs: bigint;
  }>(
    `SELECT count(*) FILTER (WHERE ${kept}) AS executions,
            count(*) FILTER (WHERE ${kept} AND status = 'PASSED') AS passed,
            count(*) FILTER (WHERE ${kept} AND flaky) AS flaky,
            count(*) FILTER (WHERE NOT (${kept})) AS infra_executions,
            count(*) FILTER (WHERE NOT (${kept}) AND status IN ('FAILED', 'ERROR')) AS infra_failures,
            count(DISTINCT run_seq) FILTER (WHERE NOT (${kept})) AS infra_runs
     FROM executions ${head}`,
    p.values,
  );
  const executions = toNumber(t?.executions ?? 0);
  const passed = toNumber(t?.passed ?? 0);
  const flaky = toNumber(t?.flaky ?? 0);
  return {
    executions,
    passed,
    flaky,
    passRate: executions ? passed / executions : null,
    flakyRate: executions ? flaky / executions : null,
    infra: {
      executions: toNumber(t?.infra_executions ?? 0),
      failures: toNumber(t?.infra_failures ?? 0),
      runs: toNumber(t?.infra_runs ?? 0),
    },
  };
}

/**
 * Per test of the slice: its latest status and mean duration there, and its
 * latest status, median duration and execution count on the base branch.
 */
type HeadBaseRow = {
  test_id: string;
  head_status: string;
  head_message: string | null;
  head_at: unknown;
  base_status: string | null;
  head_ms: number;
  base_ms: number | null;
  base_n: bigint;
};

async function headAndBaseByTest(db: Database, filter: ResultFilter, baseBranch: string) {
  const q = new Params();
  const h = where([...resultFilterSql(filter, q), "status <> 'SKIPPED'", ...infraSql(filter)]);
  const base = baseFilter(filter, baseBranch);
  const b = where([...resultFilterSql(base, q), "status <> 'SKIPPED'", ...infraSql(base)]);
  const days = q.bind(BASELINE_DAYS);
  return db.query<HeadBaseRow>(
    `WITH hd AS (
       SELECT test_id, arg_max(status, started_at) AS head_status, arg_max(message, started_at) AS head_message,
              max(started_at) AS head_at, avg(duration_ms) AS head_ms
       FROM executions ${h} GROUP BY test_id
     ),
     bs AS (SELECT * FROM executions ${b}),
     bl AS (SELECT test_id, arg_max(status, started_at) AS base_status, count(*) AS base_n FROM bs GROUP BY test_id),
     bd AS (
       SELECT test_id, median(duration_ms) AS base_ms FROM bs
       WHERE started_at >= (SELECT max(started_at) FROM bs) - to_days(CAST(${days} AS INTEGER))
       GROUP BY test_id
     )
     SELECT hd.*, bl.base_status, bd.base_ms, coalesce(bl.base_n, 0) AS base_n
     FROM hd LEFT JOIN bl USING (test_id) LEFT JOIN bd USING (test_id)
     ORDER BY hd.test_id`,
    q.values,
  );
}

/** New failures (failing in the slice, passing last on the base branch) and durations over the tests run in both. */
function againstBase(rows: readonly HeadBaseRow[]) {
  const newFailures: NewFailure[] = [];
  let headMs = 0;
  let baseMs = 0;
  let common = 0;
  let baseExecutions = 0;
  for (const r of rows) {
    baseExecutions += toNumber(r.base_n);
    if ((r.head_status === 'FAILED' || r.head_status === 'ERROR') && r.base_status === 'PASSED') {
      newFailures.push({
        testId: asTestId(r.test_id),
        message: r.head_message,
        at: r.head_at as Date,
        failures: 1,
      });
    }
    const base = toNullableNumber(r.base_ms);
    if (base !== null) {
      headMs += r.head_ms;
      baseMs += base;
      common++;
    }
  }
  return { baseExecutions, newFailures, duration: common ? { headMs, baseMs, tests: common } : null };
}

/**
 * Tests that started failing in the slice: their latest execution failed or
 * errored, and an execution of theirs in the slice passed before that failing
 * streak began (skipped ones left out). A test failing since before the slice
 * is not new to it. `at` is the streak's first failure, `message` its
 * message; latest first. Executions of infrastructure failures are left out
 * unless the filter includes them: a lost runner starts no streak.
 */
export async function queryNewFailures(
  db: Database,
  filter: ResultFilter,
  limit: number,
): Promise<NewFailure[]> {
  const p = new Params();
  const rows = await db.query<{ test_id: string; since: unknown; message: string | null; failures: bigint }>(
    `WITH e AS NOT MATERIALIZED (
       SELECT test_id, status IN ('FAILED', 'ERROR') AS failed, started_at, message
       FROM executions ${where([...resultFilterSql(filter, p), "status <> 'SKIPPED'", ...infraSql(filter)])}
     ),
     streak AS (
       SELECT test_id, max(started_at) FILTER (WHERE NOT failed) AS last_pass FROM e
       GROUP BY test_id HAVING arg_max(failed, started_at) AND last_pass IS NOT NULL
     )
     SELECT e.test_id, min(e.started_at) AS since, arg_min(e.message, e.started_at) AS message, count(*) AS failures
     FROM e JOIN streak s ON s.test_id = e.test_id AND e.started_at > s.last_pass
     GROUP BY e.test_id ORDER BY since DESC, e.test_id LIMIT ${p.bind(limit)}`,
    p.values,
  );
  return rows.map((r) => ({
    testId: asTestId(r.test_id),
    message: r.message,
    at: r.since as Date,
    failures: toNumber(r.failures),
  }));
}
