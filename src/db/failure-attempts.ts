/**
 * What the failure patterns read instead of every result: `failure_attempts`
 * holds each failed or errored attempt with a message, masked into its
 * pattern once, when it is written (`withPattern`), with the slice
 * dimensions it shares with `results`; `attempt_values` counts the attempts
 * that ran (not SKIPPED) per run, day and value of worker, hardware, suite
 * and tag (`kind` says which; `tag` names the tag key), and per run and day
 * in all (`kind` TOTAL), for the baseline a pattern's values are measured
 * against. Every write of results calls `indexFailureAttempts` in its
 * transaction (ingest, bulk loads through `finishBulkLoad` or `bulk-load.ts`);
 * retention deletes the rows of deleted runs; snapshots and compaction copy
 * both tables. Rows of `attempt_values` are only ever added: a run's values
 * may sit in several rows (one per batch), which sums read as one.
 */
import { withPattern } from './failure-masks.ts';
import type { WriteTx } from './write-tx.ts';

type Tx = Pick<WriteTx, 'query'>;

/** Migration 13: the tables, filled from the results already stored. */
export const FAILURE_ATTEMPTS_MIGRATION = {
  version: 13,
  name: 'failure attempts with their patterns, attempts per value',
  sql: `
    -- One row per failed or errored attempt with a message, with its masked pattern (src/db/failure-attempts.ts).
    CREATE TABLE failure_attempts (
      result_id BIGINT NOT NULL,
      run_seq BIGINT NOT NULL,
      test_id VARCHAR NOT NULL,
      project VARCHAR NOT NULL,
      suite VARCHAR NOT NULL,
      branch VARCHAR,
      commit_sha VARCHAR,
      worker VARCHAR,
      hardware VARCHAR,
      status VARCHAR NOT NULL,
      started_at TIMESTAMP NOT NULL,
      tags MAP(VARCHAR, VARCHAR) NOT NULL,
      message VARCHAR NOT NULL,
      pattern VARCHAR NOT NULL
    );
    -- Attempts that ran per run, day and value (src/db/failure-attempts.ts); only ever added to.
    CREATE TABLE attempt_values (
      run_seq BIGINT NOT NULL,
      project VARCHAR NOT NULL,
      branch VARCHAR,
      commit_sha VARCHAR,
      day TIMESTAMP NOT NULL,
      kind VARCHAR NOT NULL,
      tag VARCHAR,
      value VARCHAR,
      n BIGINT NOT NULL
    );
  `,
  backfill: (tx: Tx) => indexFailureAttempts(tx),
};

/** The results with `id >= from` (a SQL expression) that `cond` keeps. */
const fresh = (from: string, cond: string): string =>
  `SELECT id, run_seq, test_id, project, suite, branch, commit_sha, worker, hardware, status, started_at, tags, message
   FROM results WHERE id >= ${from} AND ${cond}`;

/** Each attempt's row per value it counts for, as `SELECT run_seq, project, branch, commit_sha, day, kind, tag, value FROM a`. */
const valueRows = (cols: string): string =>
  [
    `SELECT ${cols}, 'TOTAL' AS kind, NULL AS tag, NULL AS value FROM a`,
    `SELECT ${cols}, 'WORKER', NULL, worker FROM a WHERE worker IS NOT NULL`,
    `SELECT ${cols}, 'HARDWARE', NULL, hardware FROM a WHERE hardware IS NOT NULL`,
    `SELECT ${cols}, 'SUITE', NULL, suite FROM a`,
    `SELECT ${cols}, 'TAG', e.key, e.value FROM (SELECT *, unnest(map_entries(tags)) AS e FROM a) WHERE e.value IS NOT NULL`,
  ].join(' UNION ALL ');

/**
 * Adds the results with `id >= fromId` to both tables, set-based: the failed
 * ones with a message, masked, to `failure_attempts`; every one that ran,
 * counted per run, day and value, to `attempt_values`. Without `fromId`,
 * rebuilds both from every result (migration 13, `finishBulkLoad`). A caller that
 * knows the new results may say there is no failure with a message (`failures`) or
 * no attempt that ran (`ran`) among them, which spares that table's statement.
 */
export async function indexFailureAttempts(
  tx: Tx,
  fromId?: number,
  { failures = true, ran = true }: { readonly failures?: boolean; readonly ran?: boolean } = {},
): Promise<void> {
  if (fromId === undefined) {
    await tx.query('DELETE FROM failure_attempts');
    await tx.query('DELETE FROM attempt_values');
  }
  const params = [BigInt(fromId ?? 0)];
  if (failures)
    await tx.query(
      `INSERT INTO failure_attempts
     SELECT id, run_seq, test_id, project, suite, branch, commit_sha, worker, hardware, status, started_at, tags,
            message, pattern
     FROM (${withPattern(fresh('$1', "status IN ('FAILED', 'ERROR') AND coalesce(message, '') <> ''"))})
     ORDER BY id`,
      params,
    );
  const cols = 'run_seq, project, branch, commit_sha, day';
  if (ran)
    await tx.query(
      `INSERT INTO attempt_values
     WITH a AS (SELECT *, date_trunc('day', started_at) AS day FROM (${fresh('$1', "status <> 'SKIPPED'")}))
     SELECT ${cols}, kind, tag, value, count(*) FROM (${valueRows(cols)})
     GROUP BY ALL ORDER BY run_seq, day, kind, tag, value`,
      params,
    );
}
