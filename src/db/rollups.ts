import type { DuckDBValue } from '@duckdb/node-api';
import type { WriteTx } from './write-tx.ts';
import { RUN_COLUMNS, toRun } from './slices.ts';
import type { Run } from '../domain/types.ts';

type Tx = Pick<WriteTx, 'query'>;

/**
 * Rebuilds the execution rollup and the run counters for the runs whose seq
 * lies in [fromSeq, toSeq]. An execution's status is its last attempt's; it
 * is flaky when an earlier attempt failed or errored and a later one passed;
 * its duration is the last attempt's, and total_duration_ms sums them all.
 * `fresh` runs have no executions yet, which spares the DELETE's scan; `several`: see refoldRunSet.
 */
export const refoldRuns = (
  tx: Tx,
  fromSeq: number,
  toSeq: number,
  {
    fresh = false,
    several,
    returnRuns = false,
  }: { fresh?: boolean; several?: SeveralTable | undefined; returnRuns?: boolean } = {},
): Promise<Run[]> =>
  refoldRunSet(tx, 'run_seq BETWEEN $1 AND $2', [BigInt(fromSeq), BigInt(toSeq)], {
    fresh,
    several,
    returnRuns,
  });

/** The fold below of executions with one attempt, which is that attempt's columns: no grouping. */
const singleAttemptSql = (where: string, several: SeveralTable) => `
  SELECT run_seq, test_id, project, suite, branch, commit_sha, started_at, status, false, 1::INTEGER,
         duration_ms, duration_ms, worker, hardware, CASE WHEN status IN ('FAILED', 'ERROR') THEN message END, tags
  FROM results ANTI JOIN ${several} s ON s.run_seq = results.run_seq AND s.test_id = results.test_id
  WHERE ${where}`;

/** Tables of (run_seq, test_id) naming the executions that may have several attempts (refoldRunSet). */
type SeveralTable = 'bulk_several';

/**
 * refoldRuns for the runs `scope` selects (a condition on run_seq, valid on results and executions);
 * with `tests` (a condition on test_id) only those tests' executions are refolded, the counters still whole.
 * With `several` (a table of (run_seq, test_id) naming every execution that may have more than one
 * attempt, e.g. a bulk load's), the others are copied row by row: grouping a million results with
 * their texts and tags cost most of a bulk load's fold, when all but a few executions have one attempt.
 * With `returnRuns`, answers the rows of the runs whose counters it set, as they now are (a run with no
 * execution has none); else nothing.
 */
export async function refoldRunSet(
  tx: Tx,
  scope: string,
  range: readonly DuckDBValue[],
  {
    fresh = false,
    tests = 'true',
    several,
    returnRuns = false,
  }: { fresh?: boolean; tests?: string; several?: SeveralTable | undefined; returnRuns?: boolean } = {},
): Promise<Run[]> {
  if (!fresh) await tx.query(`DELETE FROM executions WHERE ${scope} AND ${tests}`, range);
  await tx.query(
    `INSERT INTO executions (run_seq, test_id, project, suite, branch, commit_sha, started_at, status, flaky, attempts,
                             duration_ms, total_duration_ms, worker, hardware, message, tags)
     ${several ? `${singleAttemptSql(`${scope} AND ${tests}`, several)} UNION ALL` : ''}
     SELECT run_seq, test_id,
            any_value(project), any_value(suite), any_value(branch), any_value(commit_sha),
            min(started_at),
            arg_max(status, attempt),
            coalesce(min(attempt) FILTER (WHERE status IN ('FAILED', 'ERROR'))
                     < max(attempt) FILTER (WHERE status = 'PASSED'), false),
            count(*)::INTEGER,
            arg_max(duration_ms, attempt),
            sum(duration_ms),
            arg_max(worker, attempt),
            arg_max(hardware, attempt),
            arg_max(message, attempt) FILTER (WHERE status IN ('FAILED', 'ERROR')),
            arg_max(tags, attempt)
     FROM results ${several ? `SEMI JOIN ${several} s ON s.run_seq = results.run_seq AND s.test_id = results.test_id` : ''}
     WHERE ${scope} AND ${tests}
     GROUP BY run_seq, test_id`,
    range,
  );
  const runs = await tx.query(
    `UPDATE runs SET
       executions = c.executions, passed = c.passed, failed = c.failed, errored = c.errored,
       flaky = c.flaky, skipped = c.skipped,
       duration_ms = coalesce(epoch_ms(runs.finished_at) - epoch_ms(runs.started_at), c.last_end - epoch_ms(runs.started_at))
     FROM (
       SELECT e.run_seq,
              count(*)::INTEGER AS executions,
              count(*) FILTER (WHERE e.status = 'PASSED')::INTEGER AS passed,
              count(*) FILTER (WHERE e.status = 'FAILED')::INTEGER AS failed,
              count(*) FILTER (WHERE e.status = 'ERROR')::INTEGER AS errored,
              count(*) FILTER (WHERE e.flaky)::INTEGER AS flaky,
              count(*) FILTER (WHERE e.status = 'SKIPPED')::INTEGER AS skipped,
              max(epoch_ms(e.started_at) + e.total_duration_ms) AS last_end
       FROM executions e WHERE ${scope} GROUP BY e.run_seq
     ) c
     WHERE runs.seq = c.run_seq ${returnRuns ? `RETURNING ${RUN_COLUMNS}` : ''}`,
    range,
  );
  return returnRuns ? runs.map(toRun) : [];
}
