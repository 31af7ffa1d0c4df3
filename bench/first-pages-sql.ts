/**
 * Plain SQL on DuckDB giving each first page's answer straight from the fact tables (no
 * rollups, no gateway): what the engine needs for the same page, the yardstick of the
 * first-pages bench. Each statement returns what the GraphQL answer carries.
 */
import { withPattern } from '../src/db/failure-masks.ts';

/** What the SQL needs from the reference set: the TestDetail test and the CompareRuns runs. */
export interface PageIds {
  readonly testId: string;
  readonly base: string;
  readonly head: string;
}

export interface PageSql {
  readonly sql: string;
  readonly params: (ids: PageIds) => string[];
}

const RESULT_PAGE = (dir: 'ASC' | 'DESC', limit: number, count: boolean) => `
WITH page AS (SELECT * FROM results ORDER BY started_at ${dir}, id ${dir} LIMIT ${limit})
SELECT ${count ? '(SELECT count(*) FROM results) AS total_count, ' : ''}p.id, p.status, p.duration_ms, p.attempt, p.started_at,
       p.worker, p.hardware, p.message, p.tags, p.metrics, t.id AS test_id, t.name, t.suite, t.class_name,
       ru.id AS run_id, ru.project, ru.branch, ru.commit_sha
FROM page p JOIN runs ru ON ru.seq = p.run_seq JOIN tests t ON t.id = p.test_id
ORDER BY p.started_at ${dir}, p.id ${dir}`;

const STATS = `count(*) AS executions,
  count(*) FILTER (WHERE status = 'PASSED')::DOUBLE / nullif(count(*) FILTER (WHERE status <> 'SKIPPED'), 0) AS pass_rate,
  count(*) FILTER (WHERE flaky)::DOUBLE / nullif(count(*) FILTER (WHERE status <> 'SKIPPED'), 0) AS flaky_rate,
  quantile_cont(duration_ms, 0.95) FILTER (WHERE status <> 'SKIPPED') AS duration_p95`;

const TESTS = (count: boolean) => `
WITH s AS (SELECT test_id, ${STATS} FROM executions GROUP BY test_id)
SELECT ${count ? '(SELECT count(*) FROM s) AS total_count, ' : ''}t.id, t.name, t.suite, s.executions, s.pass_rate, s.flaky_rate, s.duration_p95
FROM s JOIN tests t ON t.id = s.test_id
ORDER BY s.pass_rate ASC NULLS LAST, t.id LIMIT 51`;

/** The same pages as bench/first-pages.ts plans, by operation. */
export const PAGE_SQL: Readonly<Record<string, PageSql>> = {
  ResultsSlice: { sql: RESULT_PAGE('DESC', 101, true), params: () => [] },
  ResultsNoCount: { sql: RESULT_PAGE('DESC', 101, false), params: () => [] },
  ResultsLast: { sql: RESULT_PAGE('ASC', 51, false), params: () => [] },
  Tests: { sql: TESTS(true), params: () => [] },
  TestsNoCount: { sql: TESTS(false), params: () => [] },
  TestDetail: {
    sql: `
WITH s AS (SELECT ${STATS}, avg(duration_ms) FILTER (WHERE status <> 'SKIPPED') AS duration_avg,
                  arg_max(status, started_at) AS last_status, max(started_at) AS last_run_at
           FROM executions WHERE test_id = $1),
     h AS (SELECT r.status, r.attempt, r.duration_ms, r.started_at, r.message, ru.id AS run_id, ru.commit_sha, ru.branch
           FROM (SELECT * FROM results WHERE test_id = $1 ORDER BY started_at DESC, id DESC LIMIT 50) r
           JOIN runs ru ON ru.seq = r.run_seq)
SELECT t.id, t.name, t.suite, t.class_name, t.project, s.*, h.* FROM tests t, s, h WHERE t.id = $1 ORDER BY h.started_at`,
    params: (ids) => [ids.testId],
  },
  // The ten largest patterns of the web project with their counts, tests and days seen (not their breakdowns).
  FailurePatterns: {
    sql: `
WITH f AS (${withPattern(`SELECT test_id, started_at, message FROM results
  WHERE project = $1 AND status IN ('FAILED', 'ERROR') AND coalesce(message, '') <> ''`)})
SELECT pattern, count(*) AS n, count(DISTINCT test_id) AS tests, min(started_at) AS first_seen,
       max(started_at) AS last_seen, arg_min(message, started_at) AS sample
FROM f GROUP BY pattern ORDER BY n DESC, pattern LIMIT 10`,
    params: () => ['web'],
  },
  // Both runs side by side, and the last 30 passing durations of each test at least 1.2× slower.
  CompareRuns: {
    sql: `
WITH b AS (SELECT test_id, status, duration_ms FROM executions WHERE run_seq = (SELECT seq FROM runs WHERE id = $1)),
     h AS (SELECT test_id, status, duration_ms, message FROM executions WHERE run_seq = (SELECT seq FROM runs WHERE id = $2)),
     pair AS (SELECT coalesce(b.test_id, h.test_id) AS test_id, b.status AS bs, h.status AS hs, b.duration_ms AS bms,
                     h.duration_ms AS hms, h.message FROM b FULL OUTER JOIN h ON b.test_id = h.test_id),
     slow AS (SELECT test_id FROM pair WHERE bs <> 'SKIPPED' AND hs <> 'SKIPPED' AND hms >= 1.2 * bms),
     hist AS (SELECT test_id, list(duration_ms ORDER BY started_at) AS d FROM (
                SELECT test_id, started_at, duration_ms,
                       row_number() OVER (PARTITION BY test_id ORDER BY started_at DESC, run_seq DESC) AS k
                FROM executions
                WHERE test_id IN (SELECT test_id FROM slow) AND status = 'PASSED'
                  AND started_at < (SELECT started_at FROM runs WHERE id = $2)
                  AND run_seq <> (SELECT seq FROM runs WHERE id = $2)) WHERE k <= 30 GROUP BY test_id)
SELECT pair.*, hist.d FROM pair LEFT JOIN hist USING (test_id) ORDER BY test_id`,
    params: (ids) => [ids.base, ids.head],
  },
};
