import { listValue, type DuckDBValue } from '@duckdb/node-api';
import type { WriteTx } from './write-tx.ts';
import { recomputeSequences } from './sequences.ts';
import { DEFAULT_EVIDENCE_OPTIONS } from '../domain/flakiness.ts';

/**
 * Per-test flakiness evidence over the whole history, kept at ingest
 * (goal: per-test flakiness over the full history in under 200 ms), so
 * the full-history ranking reads one row per test instead of every execution.
 * The rules are src/analytics/flakiness.ts's, with DEFAULT_EVIDENCE_OPTIONS.
 *
 * - `executions.evidence`: each execution's flaky evidence (RETRY,
 *   SAME_COMMIT, TRANSIENT or NULL), what later runs consult to count a
 *   failure once when it turns into evidence.
 * - `flakiness_rollup`, one row per test with a non-skipped execution:
 *   counts, and weighted sums Σ 2^((seq − anchor)/h) of every execution
 *   (sum_w, sum_w2), of the free executions (sum_v, sum_v2: every one but the
 *   failures that are not evidence), of the evidence (sum_wf) and of the flips (flip_w). The
 *   anchor is a stored position; when the latest position gets more than
 *   ANCHOR_SPAN past it, the sums are rescaled by 2^((old − new)/h) and the
 *   anchor moves, so nothing overflows however long the history. Also the
 *   latest strong (retry, same-commit) and flaky evidence positions, the
 *   failure run the test is on (`tail`, while it is short enough to turn
 *   transient), and the recent transient failures (`transient`).
 *
 * A batch's tests whose executions come after everything stored of them
 * (sequenceBatch appended them) have their rows updated in place
 * (flakiness-append.ts); tests that arrived out of order have their rows
 * recomputed from their executions (rollupTestsWhere), as bulk loads and
 * migrations do for all tests. Wherever rows are recomputed, so are the
 * test's rows per worker and hardware value (`flakiness_value_rollup`,
 * flakiness-values.ts, which also updates them in place for appended tests).
 */
type Tx = Pick<WriteTx, 'query'>;

export const { halfLife: H, maxTransientRun: MAX_RUN, recent: RECENT } = DEFAULT_EVIDENCE_OPTIONS;
/** Positions the latest execution may get ahead of the anchor before the sums are rescaled: weights stay below 2^50. */
export const ANCHOR_SPAN = 1000;
const FAILED = "status IN ('FAILED', 'ERROR')";
/** The type of flakiness_rollup.tail; the table and its column order are migration 5's (migrations.ts). */
export const TAIL_TYPE =
  'STRUCT(seq BIGINT, run_seq BIGINT, started_at TIMESTAMP, commit_sha VARCHAR, same_commit BOOLEAN)[]';

/** A condition on `test_id` (valid on executions and on flakiness_rollup) with its parameters. */
export interface Scope {
  readonly sql: string;
  readonly params: readonly DuckDBValue[];
}

const ALL: Scope = { sql: 'true', params: [] };

/** Each execution's evidence kind, for the tests `scope` selects (rules a–c, each execution once). */
function evidenceSql(scope: string): string {
  return `
    WITH e AS (
      SELECT run_seq, test_id, test_seq, commit_sha, ${FAILED} AS failed, flaky, ended_fail_run
      FROM executions WHERE test_seq IS NOT NULL AND ${scope}
    ),
    cand AS (SELECT DISTINCT test_id, commit_sha FROM e WHERE failed AND commit_sha IS NOT NULL),
    sc AS (SELECT DISTINCT c.test_id, c.commit_sha FROM cand c JOIN e ON e.test_id = c.test_id AND e.commit_sha = c.commit_sha AND NOT e.failed),
    tr AS (SELECT test_id, unnest(range(test_seq - ended_fail_run, test_seq)) AS seq FROM e WHERE ended_fail_run BETWEEN 1 AND ${MAX_RUN})
    SELECT run_seq, test_id, 'RETRY' AS kind FROM e WHERE flaky
    UNION ALL
    SELECT f.run_seq, f.test_id, CASE WHEN sc.test_id IS NOT NULL THEN 'SAME_COMMIT' ELSE 'TRANSIENT' END
    FROM e f
    LEFT JOIN sc ON sc.test_id = f.test_id AND sc.commit_sha = f.commit_sha
    LEFT JOIN tr ON tr.test_id = f.test_id AND tr.seq = f.test_seq
    WHERE f.failed AND (sc.test_id IS NOT NULL OR tr.seq IS NOT NULL)`;
}

/** Rollup rows of the tests `scope` selects, from their executions (anchored at each test's latest position). */
function rollupSql(scope: string): string {
  return `
    INSERT INTO flakiness_rollup
    WITH e AS (
      SELECT x.test_id, x.project, x.suite, x.test_seq AS seq, x.run_seq, x.started_at, x.commit_sha,
             x.${FAILED} AS failed, x.flaky, x.flipped, x.fail_run, x.evidence,
             s.last_seq AS top, s.fail_run AS tail_run, pow(2.0, (x.test_seq - s.last_seq) / ${H}) AS w
      FROM (SELECT * FROM executions WHERE test_seq IS NOT NULL AND ${scope}) x JOIN test_sequence s ON s.test_id = x.test_id
    )
    SELECT test_id, any_value(project), any_value(suite), min(started_at), any_value(top),
           count(*), count(*) FILTER (WHERE failed), count(*) FILTER (WHERE flaky),
           count(*) FILTER (WHERE failed AND evidence IS NOT NULL),
           -- a commit the test passed and failed on: the commits of its same-commit evidence
           count(DISTINCT commit_sha) FILTER (WHERE evidence = 'SAME_COMMIT'),
           sum(w), sum(w * w), coalesce(sum(w) FILTER (WHERE evidence IS NOT NULL), 0), coalesce(sum(w) FILTER (WHERE flipped), 0),
           max(seq) FILTER (WHERE evidence IN ('RETRY', 'SAME_COMMIT')), max(seq) FILTER (WHERE evidence IS NOT NULL),
           arg_max(started_at, seq) FILTER (WHERE evidence IS NOT NULL),
           coalesce(list({ 'seq': seq, 'run_seq': run_seq, 'started_at': started_at, 'commit_sha': commit_sha, 'same_commit': evidence IS NOT DISTINCT FROM 'SAME_COMMIT' } ORDER BY seq)
                      FILTER (WHERE tail_run BETWEEN 1 AND ${MAX_RUN} AND seq > top - tail_run), []),
           coalesce(list({ 'run': seq - fail_run + 1, 'seq': seq } ORDER BY seq) FILTER (WHERE evidence = 'TRANSIENT' AND seq >= top - ${RECENT}), []),
           -- the free executions: passes and the failures that are evidence
           coalesce(sum(w) FILTER (WHERE NOT failed OR evidence IS NOT NULL), 0), coalesce(sum(w * w) FILTER (WHERE NOT failed OR evidence IS NOT NULL), 0)
    FROM e GROUP BY test_id`;
}

/** flakiness_value_rollup rows (flakiness-values.ts) of the tests `scope` selects, from their executions (anchored at each test's latest position). */
function valueRollupSql(scope: string): string {
  return `
    INSERT INTO flakiness_value_rollup
    WITH e AS (
      SELECT x.test_id, x.worker, x.hardware, x.test_seq AS seq, x.fail_run, x.evidence,
             NOT x.${FAILED} OR x.evidence IS NOT NULL AS free, s.last_seq AS top,
             pow(2.0, (x.test_seq - s.last_seq) / ${H}) AS w
      FROM (SELECT * FROM executions WHERE test_seq IS NOT NULL AND status <> 'SKIPPED' AND ${scope}) x
      JOIN test_sequence s ON s.test_id = x.test_id
    )
    SELECT test_id, CASE WHEN grouping(worker) = 0 THEN 'WORKER' ELSE 'HARDWARE' END,
           CASE WHEN grouping(worker) = 0 THEN worker ELSE hardware END,
           any_value(top), count(*), count(evidence),
           coalesce(sum(w) FILTER (WHERE free), 0), coalesce(sum(w * w) FILTER (WHERE free), 0),
           coalesce(sum(w) FILTER (WHERE evidence IS NOT NULL), 0),
           max(seq) FILTER (WHERE evidence IN ('RETRY', 'SAME_COMMIT')),
           coalesce(list({ 'run': seq - fail_run + 1, 'seq': seq } ORDER BY seq)
                      FILTER (WHERE evidence = 'TRANSIENT' AND seq >= top - ${RECENT}), [])
    FROM e GROUP BY GROUPING SETS ((test_id, worker), (test_id, hardware))`;
}

/** Recomputes evidence and rollup rows for the tests `scope` selects, from their executions and sequences. */
async function rollupFromExecutions(tx: Tx, scope: Scope, byValue = true): Promise<void> {
  await tx.query(
    `UPDATE executions SET evidence = NULL WHERE evidence IS NOT NULL AND ${scope.sql}`,
    scope.params,
  );
  await tx.query(
    `UPDATE executions SET evidence = v.kind FROM (${evidenceSql(scope.sql)}) v
     WHERE executions.run_seq = v.run_seq AND executions.test_id = v.test_id`,
    scope.params,
  );
  await tx.query(`DELETE FROM flakiness_rollup WHERE ${scope.sql}`, scope.params);
  await tx.query(rollupSql(scope.sql), scope.params);
  if (byValue) await valueRollupWhere(tx, scope);
}

/** Recomputes the flakiness_value_rollup rows of the tests `scope` selects (after their evidence). */
async function valueRollupWhere(tx: Tx, scope: Scope): Promise<void> {
  await tx.query(`DELETE FROM flakiness_value_rollup WHERE ${scope.sql}`, scope.params);
  await tx.query(valueRollupSql(scope.sql), scope.params);
}

/**
 * Builds the rollup for every test from the stored executions and sequences (bulk loads, migrations).
 * byValue false leaves flakiness_value_rollup alone, for migrations older than the one that adds it.
 */
export const buildFlakinessRollup = (tx: Tx, { byValue = true } = {}): Promise<void> =>
  rollupFromExecutions(tx, ALL, byValue);

/** Builds flakiness_value_rollup for every test from the stored evidence and sequences (migration 14). */
export const buildValueRollup = (tx: Tx): Promise<void> => valueRollupWhere(tx, ALL);

/** Recomputes evidence and rollup rows of the tests `scope` selects, after their sequences (tests that arrived out of order). */
export const rollupTestsWhere = (tx: Tx, scope: Scope): Promise<void> => rollupFromExecutions(tx, scope);

/**
 * Recomputes the execution sequences and the flakiness rollup of the given
 * tests (every test when `testIds` is omitted) from the executions stored
 * now. For whatever deletes or rewrites executions outside ingest, such as
 * `assay cleanup` removing old runs: positions, weights and evidence all
 * depend on the executions before and after. A listed test left without
 * executions loses its row. Call inside the write transaction that changed
 * the executions.
 */
export async function rebuildFlakinessRollup(tx: Tx, testIds?: readonly string[]): Promise<void> {
  if (testIds && !testIds.length) return;
  await rebuildTestsWhere(
    tx,
    testIds ? { sql: 'test_id IN (SELECT unnest($1::VARCHAR[]))', params: [listValue([...testIds])] } : ALL,
  );
}

/** rebuildFlakinessRollup for the tests `scope` selects (a condition on test_id, e.g. a subquery on a staging table). */
export async function rebuildTestsWhere(tx: Tx, scope: Scope): Promise<void> {
  // recomputeSequences replaces the rows of tests that still have executions; a test left with
  // none must not keep its old last position, or its next execution would continue from it.
  await tx.query(`DELETE FROM test_sequence WHERE ${scope.sql}`, scope.params);
  await recomputeSequences(tx, scope.sql, scope.params);
  await rollupFromExecutions(tx, scope);
}
