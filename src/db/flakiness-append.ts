import { rowCount, type WriteTx } from './write-tx.ts';
import type { AppendedTests } from './sequences.ts';
import { ANCHOR_SPAN, H, MAX_RUN, RECENT, TAIL_TYPE } from './flakiness-rollup.ts';
import { addBatchToValueRollup } from './flakiness-values.ts';

/**
 * The flakiness rollup's in-place update (see flakiness-rollup.ts) for the
 * tests of one batch that sequenceBatch appended (`batch_append`, or
 * `batch_tests` when none was late): each got
 * one execution at the end of its sequence. Besides the run's own weights
 * and flips, a pass can turn earlier failures into evidence: those on its
 * commit (no pass on that commit before: SAME_COMMIT, also when they were
 * TRANSIENT) and the failure run it ends when that is at most
 * maxTransientRun long (TRANSIENT). Only failures not yet evidence add their
 * weight; kinds are written back to executions. Executions of infrastructure
 * failures (infra-judge.ts) have no place in the sequences and are no evidence.
 */
type Tx = Pick<WriteTx, 'query'>;

const FAILED = "status IN ('FAILED', 'ERROR')";

interface RunRef {
  readonly seq: number;
  readonly project: string;
  readonly commit: string | null;
}

/** `flakiness_run`: the appended executions, and per test whether it already passed or failed on this commit; new rollup rows. */
async function stageRun(tx: Tx, run: RunRef, appended: AppendedTests): Promise<bigint[]> {
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
            e.${FAILED} AS failed, e.flaky, e.flipped, e.fail_run, e.ended_fail_run, e.worker, e.hardware,
            coalesce(p.passed, false) AS passed_before, coalesce(p.failed, false) AS failed_before
     FROM executions e
     LEFT JOIN (${
       others.length
         ? `SELECT test_id, bool_or(status = 'PASSED') AS passed, bool_or(${FAILED}) AS failed FROM executions
          WHERE run_seq IN (${placeholders(2)}) AND NOT infra GROUP BY test_id`
         : 'SELECT NULL::VARCHAR AS test_id, NULL::BOOLEAN AS passed, NULL::BOOLEAN AS failed WHERE false'
     }) p ON p.test_id = e.test_id
     WHERE e.run_seq = $1 AND e.status <> 'SKIPPED' AND NOT e.infra AND e.test_id IN (SELECT test_id FROM ${appended})`,
    [runSeq, ...others],
  );
  await tx.query(
    `INSERT INTO flakiness_rollup
     SELECT test_id, project, suite, started_at, seq, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, [], [], 0, 0
     FROM flakiness_run WHERE test_id NOT IN (SELECT test_id FROM flakiness_rollup)`,
  );
  return others;
}

/**
 * `flakiness_changes` (executions whose evidence changes) and `flakiness_delta` (per test: anchor, rescale,
 * weights); returns how many changes.
 */
async function stageChanges(tx: Tx, others: readonly bigint[]): Promise<number> {
  const placeholders = (first: number) => others.map((_, i) => `$${i + first}`).join(', ');
  // Executions whose evidence changes: the run's own (retry; a failure on a commit the test passed on),
  // earlier failures on this commit when the test first passes on it, and the short failure run a pass ends.
  // was: the kind before (a TRANSIENT failure turning SAME_COMMIT is already counted).
  const changes = rowCount(
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
     WHERE f.run_seq IN (${placeholders(1)}) AND f.${FAILED} AND NOT f.infra AND NOT x.failed AND NOT x.passed_before`
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
    ),
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
  return changes;
}

/** Applies flakiness_delta to the rollup rows, then writes the `changes` evidence kinds back to executions; returns their runs. */
async function applyChanges(tx: Tx, changes: number): Promise<bigint[]> {
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
  if (!changes) return [];
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
  return changedRuns;
}

/** Adds the appended executions of run `run` (tests in `appended`) to the flakiness rollup and its per-value rows (flakiness-values.ts). */
export async function addBatchToFlakinessRollup(tx: Tx, run: RunRef, appended: AppendedTests): Promise<void> {
  const others = await stageRun(tx, run, appended);
  const changes = await stageChanges(tx, others);
  const changedRuns = await applyChanges(tx, changes);
  await addBatchToValueRollup(tx, BigInt(run.seq), changedRuns);
}
