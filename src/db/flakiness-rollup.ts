import { listValue, type DuckDBValue } from '@duckdb/node-api';
import type { WriteTx } from './database.ts';
import { recomputeSequences } from './sequences.ts';
import { DEFAULT_EVIDENCE_OPTIONS } from '../domain/analytics-types.ts';

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
 * A run that comes after everything stored (sequenceRun 'extended') updates
 * its tests' rows in place (addRunToFlakinessRollup); a late or re-sent run
 * recomputes its tests' rows from their executions, as bulk loads and
 * migrations do for all tests.
 */
type Tx = Pick<WriteTx, 'query'>;

const { halfLife: H, maxTransientRun: MAX_RUN, recent: RECENT } = DEFAULT_EVIDENCE_OPTIONS;
/** Positions the latest execution may get ahead of the anchor before the sums are rescaled: weights stay below 2^50. */
const ANCHOR_SPAN = 1000;
const FAILED = "status IN ('FAILED', 'ERROR')";
/** The type of flakiness_rollup.tail; the table and its column order are migration 5's (migrations.ts). */
const TAIL_TYPE =
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

/** Recomputes evidence and rollup rows for the tests `scope` selects, from their executions and sequences. */
async function rollupFromExecutions(tx: Tx, scope: Scope): Promise<void> {
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
}

/** Builds the rollup for every test from the stored executions and sequences (bulk loads, migrations). */
export const buildFlakinessRollup = (tx: Tx): Promise<void> => rollupFromExecutions(tx, ALL);

/** Recomputes the rollup rows of one run's tests (a late or re-sent run), after their sequences. */
export const rollupRunTests = (tx: Tx, runSeq: number): Promise<void> =>
  rollupFromExecutions(tx, {
    sql: 'test_id IN (SELECT test_id FROM executions WHERE run_seq = $1)',
    params: [BigInt(runSeq)],
  });

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

/**
 * Adds one run's executions to the rollup when sequenceRun extended every
 * one of its tests by one execution at the end. Besides the run's own
 * weights and flips, a pass can turn earlier failures into evidence: those
 * on its commit (no pass on that commit before: SAME_COMMIT, also when they
 * were TRANSIENT) and the failure run it ends when that is at most
 * maxTransientRun long (TRANSIENT). Only failures not yet evidence add their
 * weight; kinds are written back to executions.
 */
export async function addRunToFlakinessRollup(
  tx: Tx,
  run: { readonly seq: number; readonly project: string; readonly commit: string | null },
): Promise<void> {
  const runSeq = BigInt(run.seq);
  // Other runs on this commit (runs is small; the list lets zone maps prune the executions scans below).
  const others =
    run.commit === null
      ? []
      : (
          await tx.query<{ seq: bigint }>(
            'SELECT seq FROM runs WHERE commit_sha = $1 AND project = $2 AND seq <> $3',
            [run.commit, run.project, runSeq],
          )
        ).map((r) => r.seq);
  const placeholders = (first: number) => others.map((_, i) => `$${i + first}`).join(', ');

  // The run's executions, and per test whether it already passed or failed on this commit.
  await tx.query(
    `CREATE OR REPLACE TEMP TABLE flakiness_run AS
     SELECT e.test_id, e.project, e.suite, e.test_seq AS seq, e.run_seq, e.started_at, e.commit_sha,
            e.${FAILED} AS failed, e.flaky, e.flipped, e.fail_run, e.ended_fail_run,
            coalesce(p.passed, false) AS passed_before, coalesce(p.failed, false) AS failed_before
     FROM executions e
     LEFT JOIN (${
       others.length
         ? `SELECT test_id, bool_or(status = 'PASSED') AS passed, bool_or(${FAILED}) AS failed FROM executions
          WHERE run_seq IN (${placeholders(2)}) GROUP BY test_id`
         : 'SELECT NULL::VARCHAR AS test_id, NULL::BOOLEAN AS passed, NULL::BOOLEAN AS failed WHERE false'
     }) p ON p.test_id = e.test_id
     WHERE e.run_seq = $1 AND e.status <> 'SKIPPED'`,
    [runSeq, ...others],
  );
  await tx.query(
    `INSERT INTO flakiness_rollup
     SELECT test_id, project, suite, started_at, seq, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, [], [], 0, 0
     FROM flakiness_run WHERE test_id NOT IN (SELECT test_id FROM flakiness_rollup)`,
  );
  // Executions whose evidence changes: the run's own (retry; a failure on a commit the test passed on),
  // earlier failures on this commit when the test first passes on it, and the short failure run a pass ends.
  // was: the kind before (a TRANSIENT failure turning SAME_COMMIT is already counted).
  await tx.query(
    `CREATE OR REPLACE TEMP TABLE flakiness_changes AS
     SELECT test_id, seq, run_seq, started_at, CASE WHEN flaky THEN 'RETRY' ELSE 'SAME_COMMIT' END AS kind,
            NULL::VARCHAR AS was, NULL::BIGINT AS run_start
     FROM flakiness_run WHERE flaky OR (failed AND passed_before)
     ${
       others.length
         ? `UNION ALL
     SELECT f.test_id, f.test_seq, f.run_seq, f.started_at, 'SAME_COMMIT', f.evidence, NULL
     FROM executions f JOIN flakiness_run x ON x.test_id = f.test_id
     WHERE f.run_seq IN (${placeholders(1)}) AND f.${FAILED} AND NOT x.failed AND NOT x.passed_before`
         : ''
     }
     UNION ALL
     SELECT x.test_id, u.t.seq, u.t.run_seq, u.t.started_at, 'TRANSIENT', NULL, x.seq - x.ended_fail_run
     FROM flakiness_run x JOIN (
       SELECT test_id, unnest(tail) AS t FROM flakiness_rollup
       WHERE test_id IN (SELECT test_id FROM flakiness_run WHERE NOT failed AND ended_fail_run BETWEEN 1 AND ${MAX_RUN})
     ) u ON u.test_id = x.test_id
     WHERE NOT x.failed AND x.ended_fail_run BETWEEN 1 AND ${MAX_RUN}
       AND NOT u.t.same_commit AND NOT coalesce(u.t.commit_sha = x.commit_sha, false)`,
    others,
  );
  // Per test: the new anchor, the rescale factor f and the run's weight w, and what its changes add.
  await tx.query(
    `CREATE OR REPLACE TEMP TABLE flakiness_delta AS
     SELECT x.*, CASE WHEN x.seq - r.anchor > ${ANCHOR_SPAN} THEN x.seq ELSE r.anchor END AS new_anchor,
            pow(2.0, (r.anchor - new_anchor) / ${H}) AS f, pow(2.0, (x.seq - new_anchor) / ${H}) AS w,
            -- the tail grows (or is dropped, past MAX_RUN) with a failure, and is cleared by a pass that ends it
            CASE WHEN x.failed THEN x.fail_run <= ${MAX_RUN} + 1 ELSE x.ended_fail_run BETWEEN 1 AND ${MAX_RUN} END
              OR c.resolved IS NOT NULL AS lists_change,
            c.* EXCLUDE (changed_test)
     FROM flakiness_run x JOIN flakiness_rollup r ON r.test_id = x.test_id
     LEFT JOIN (
       SELECT test_id AS changed_test,
              count(*) FILTER (WHERE was IS NULL AND kind <> 'RETRY') AS gained_failures,
              list(seq) FILTER (WHERE was IS NULL) AS gained,
              list(seq) FILTER (WHERE was IS NULL AND kind <> 'RETRY') AS gained_failed,
              max(seq) FILTER (WHERE kind <> 'TRANSIENT') AS strong_seq,
              max(seq) FILTER (WHERE was IS NULL) AS flake_seq,
              arg_max(started_at, seq) FILTER (WHERE was IS NULL) AS flake_at,
              list(seq) FILTER (WHERE was = 'TRANSIENT') AS resolved,
              list({ 'run': run_start, 'seq': seq }) FILTER (WHERE kind = 'TRANSIENT') AS new_transient
       FROM flakiness_changes GROUP BY test_id
     ) c ON c.changed_test = x.test_id`,
  );
  await tx.query(
    `UPDATE flakiness_rollup SET
       anchor = d.new_anchor,
       executions = executions + 1,
       failures = failures + d.failed::INTEGER,
       retries = retries + d.flaky::INTEGER,
       evidence_failures = evidence_failures + coalesce(d.gained_failures, 0),
       inconsistent_commits = inconsistent_commits
         + (CASE WHEN d.failed THEN d.passed_before AND NOT d.failed_before ELSE d.failed_before AND NOT d.passed_before END)::INTEGER,
       sum_w = sum_w * d.f + d.w,
       sum_w2 = sum_w2 * d.f * d.f + d.w * d.w,
       sum_wf = sum_wf * d.f + coalesce(list_sum(list_transform(d.gained, lambda s: pow(2.0, (s - d.new_anchor) / ${H}))), 0),
       flip_w = flip_w * d.f + CASE WHEN d.flipped THEN d.w ELSE 0 END,
       -- free: the run's pass, and failures that just turned evidence
       sum_v = sum_v * d.f + CASE WHEN d.failed THEN 0 ELSE d.w END
         + coalesce(list_sum(list_transform(d.gained_failed, lambda s: pow(2.0, (s - d.new_anchor) / ${H}))), 0),
       sum_v2 = sum_v2 * d.f * d.f + CASE WHEN d.failed THEN 0 ELSE d.w * d.w END
         + coalesce(list_sum(list_transform(d.gained_failed, lambda s: pow(2.0, 2 * (s - d.new_anchor) / ${H}))), 0),
       last_strong_seq = greatest(last_strong_seq, d.strong_seq),
       last_flake_at = CASE WHEN d.flake_seq > coalesce(last_flake_seq, 0) THEN d.flake_at ELSE last_flake_at END,
       last_flake_seq = greatest(last_flake_seq, d.flake_seq)
     FROM flakiness_delta d WHERE flakiness_rollup.test_id = d.test_id`,
  );
  // The lists change for few tests per run (a failure run going on or ended, transient evidence gained or lost);
  // entries older than the recent window are dropped when a list is touched, and filtered out when read.
  await tx.query(
    `UPDATE flakiness_rollup SET
       tail = CASE WHEN d.failed AND d.fail_run <= ${MAX_RUN}
                   THEN list_append(tail, { 'seq': d.seq, 'run_seq': d.run_seq, 'started_at': d.started_at, 'commit_sha': d.commit_sha, 'same_commit': d.passed_before })
                   ELSE []::${TAIL_TYPE} END,
       transient = list_filter(
         list_concat(list_filter(transient, lambda t: NOT list_contains(coalesce(d.resolved, []), t.seq)), coalesce(d.new_transient, [])),
         lambda t: t.seq >= d.seq - ${RECENT})
     FROM flakiness_delta d WHERE flakiness_rollup.test_id = d.test_id AND d.lists_change`,
  );
  const changedRuns = (
    await tx.query<{ run_seq: bigint }>('SELECT DISTINCT run_seq FROM flakiness_changes')
  ).map((r) => r.run_seq);
  if (changedRuns.length) {
    await tx.query(
      `UPDATE executions SET evidence = c.kind FROM flakiness_changes c
       WHERE executions.run_seq IN (${changedRuns.map((_, i) => `$${i + 1}`).join(', ')})
         AND executions.run_seq = c.run_seq AND executions.test_id = c.test_id`,
      changedRuns,
    );
  }
}
