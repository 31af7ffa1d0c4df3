import type { DuckDBValue } from '@duckdb/node-api';
import { rowCount, type WriteTx } from './write-tx.ts';

/** The part of a write transaction these functions use (migrations pass a bare connection's). */
type Tx = Pick<WriteTx, 'query'>;

/**
 * Each test's executions in order, kept at ingest so flakiness needs no
 * window function over the fact table (goal: full history in under
 * 200 ms). For every non-skipped execution, by (started_at, run_seq):
 * - test_seq: its position among the test's non-skipped executions (1, 2, …);
 * - flipped: whether it failed while the previous one passed, or the reverse;
 * - fail_run: consecutive failed executions ending here (0 when it passed);
 * - ended_fail_run: for a passed execution, the length of the failure run it ended.
 * `test_sequence` holds each test's last position, so executions that come
 * after everything stored of their tests extend the sequences with two UPDATEs.
 */

const FAILED = "status IN ('FAILED', 'ERROR')";
/**
 * The executions that take a place in their test's sequence: not skipped, and not of an
 * infrastructure failure (infra-judge.ts), whose failures say nothing about the test.
 */
const SEQUENCED = "status <> 'SKIPPED' AND NOT infra";

/**
 * Window SQL computing the sequence columns for the tests `scope` selects, over the executions
 * `sequenced` admits (flakiness-sequences.ts puts the infrastructure failures back in). Two sorts:
 * positions in time order, then, by position, the last passed position before each execution
 * (`last_pass`), from which both failure runs follow.
 */
export function sequenceSql(scope: string, sequenced = SEQUENCED): string {
  return `
    WITH o AS (
      SELECT run_seq, test_id, ${FAILED} AS failed,
             row_number() OVER w AS seq, lag(${FAILED}) OVER w AS prev_failed
      FROM executions WHERE ${sequenced} AND ${scope}
      WINDOW w AS (PARTITION BY test_id ORDER BY started_at, run_seq)
    ), r AS (
      SELECT *, coalesce(max(CASE WHEN NOT failed THEN seq END) OVER (
                  PARTITION BY test_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS last_pass
      FROM o
    )
    SELECT run_seq, test_id, seq, coalesce(prev_failed <> failed, false) AS flipped,
           CASE WHEN failed THEN seq - last_pass ELSE 0 END AS fail_run,
           CASE WHEN failed THEN 0 ELSE seq - 1 - last_pass END AS ended_fail_run
    FROM r`;
}

/**
 * Recomputes the sequence columns and `test_sequence` for every test `scope`
 * selects (a condition on executions.test_id), from scratch.
 */
export async function recomputeSequences(
  tx: Tx,
  scope: string,
  params: readonly DuckDBValue[] = [],
): Promise<void> {
  // An execution that left the sequence (its run was marked as an infrastructure failure) loses its place.
  await tx.query(
    `UPDATE executions SET test_seq = NULL, flipped = NULL, fail_run = NULL, ended_fail_run = NULL
     WHERE test_seq IS NOT NULL AND NOT (${SEQUENCED}) AND ${scope}`,
    params,
  );
  await tx.query(
    `UPDATE executions SET test_seq = r.seq, flipped = r.flipped, fail_run = r.fail_run, ended_fail_run = r.ended_fail_run
     FROM (${sequenceSql(scope)}) r
     WHERE executions.run_seq = r.run_seq AND executions.test_id = r.test_id`,
    params,
  );
  await tx.query(
    `DELETE FROM test_sequence WHERE test_id IN (SELECT test_id FROM executions WHERE ${scope})`,
    params,
  );
  await tx.query(
    `INSERT INTO test_sequence
     SELECT test_id, max(test_seq), arg_max(started_at, test_seq), arg_max(run_seq, test_seq),
            arg_max(${FAILED}, test_seq), arg_max(fail_run, test_seq)
     FROM executions WHERE test_seq IS NOT NULL AND ${scope} GROUP BY test_id`,
    params,
  );
}

/** The table naming a batch's appended tests: `batch_tests` itself when none of them is late. */
export type AppendedTests = 'batch_tests' | 'batch_append';

/**
 * Places one batch's executions in their tests' sequences. `batch_tests`
 * (test_id, had; `tests` rows) names the batch's tests; `had` says the run held an
 * execution of the test before this batch (its attempts arrived in several
 * batches). Whether an execution extends its test's sequence is a question
 * about that test: one that comes after the test's last stored execution
 * is appended (the usual case: runs arrive as they finish, and the shards of
 * a run hold other tests or later executions); one that comes earlier, or
 * replaces the run's own execution, is recomputed with its test's history.
 * Leaves the late test ids in `batch_late`, and names the table of the appended ones.
 */
export async function sequenceBatch(
  tx: Tx,
  runSeq: number,
  tests: number,
): Promise<{ appended: number; late: number; appendedIn: AppendedTests }> {
  const seq = [BigInt(runSeq)];
  const late = rowCount(
    await tx.query(
      `CREATE OR REPLACE TEMP TABLE batch_late AS
       SELECT test_id FROM batch_tests WHERE had
       UNION
       SELECT e.test_id FROM executions e JOIN test_sequence s ON s.test_id = e.test_id
       WHERE e.run_seq = $1 AND e.status <> 'SKIPPED' AND NOT e.infra AND e.test_id IN (SELECT test_id FROM batch_tests WHERE NOT had)
         AND (e.started_at < s.last_at OR (e.started_at = s.last_at AND e.run_seq < s.last_run_seq))`,
      seq,
    ),
  );
  // batch_late is a subset of batch_tests, whose test ids are distinct.
  const appended = tests - late;
  const appendedIn: AppendedTests = late ? 'batch_append' : 'batch_tests';
  if (late) {
    await tx.query(
      `CREATE OR REPLACE TEMP TABLE batch_append AS
       SELECT test_id FROM batch_tests WHERE test_id NOT IN (SELECT test_id FROM batch_late)`,
    );
    await recomputeSequences(tx, 'test_id IN (SELECT test_id FROM batch_late)');
  }
  if (appended) await appendSequences(tx, seq, appendedIn);
  return { appended, late, appendedIn };
}

/** Extends the sequences of the tests in `table` by their execution in run `seq` (two UPDATEs). */
async function appendSequences(tx: Tx, seq: readonly DuckDBValue[], table: AppendedTests): Promise<void> {
  const appended = `test_id IN (SELECT test_id FROM ${table})`;
  await tx.query(
    `INSERT INTO test_sequence
     SELECT test_id, 0, started_at, run_seq, NULL, 0 FROM executions
     WHERE run_seq = $1 AND ${SEQUENCED} AND ${appended} AND test_id NOT IN (SELECT test_id FROM test_sequence)`,
    seq,
  );
  await tx.query(
    `UPDATE executions SET
       test_seq = s.last_seq + 1,
       flipped = coalesce(s.last_failed <> (executions.${FAILED}), false),
       fail_run = CASE WHEN executions.${FAILED} THEN s.fail_run + 1 ELSE 0 END,
       ended_fail_run = CASE WHEN executions.${FAILED} THEN 0 ELSE s.fail_run END
     FROM test_sequence s
     WHERE executions.run_seq = $1 AND executions.test_id = s.test_id AND executions.status <> 'SKIPPED'
       AND NOT executions.infra AND executions.${appended}`,
    seq,
  );
  await tx.query(
    `UPDATE test_sequence SET last_seq = e.test_seq, last_at = e.started_at, last_run_seq = e.run_seq,
       last_failed = e.${FAILED}, fail_run = e.fail_run
     FROM executions e
     WHERE e.run_seq = $1 AND e.test_id = test_sequence.test_id AND e.status <> 'SKIPPED' AND NOT e.infra
       AND e.${appended}`,
    seq,
  );
}
