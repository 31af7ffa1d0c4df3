import type { DuckDBValue } from '@duckdb/node-api';
import { rowCount, type WriteTx } from './write-tx.ts';
import { addToDaily, removeFromDaily } from './daily.ts';
import { withPattern } from './failure-masks.ts';
import type { InfraThresholds } from '../domain/infra-failures.ts';

type Tx = Pick<WriteTx, 'query'>;

/**
 * Judges the runs `scope` selects (a condition on run_seq, valid on executions
 * and infra_failures) and each (run, worker) by the thresholds
 * (src/domain/infra-failures.ts), set-based: their marks in `infra_failures`
 * are replaced, and `executions.infra` follows (an execution is infra when its
 * run or its worker in the run is marked). Executions whose flag changed move
 * between the daily counts' infra and other rows. Returns how many executions
 * changed and, when any did, leaves their tests in the temp table
 * `infra_changed_tests`. Call after the runs' executions are folded, before
 * their sequences; `fresh` when the runs had no executions before (no mark to replace).
 */
export async function judgeRuns(
  tx: Tx,
  scope: string,
  params: readonly DuckDBValue[],
  t: InfraThresholds,
  { fresh = false }: { readonly fresh?: boolean } = {},
): Promise<number> {
  const n = params.length;
  const th = [t.minExecutions, t.failShare, t.patternShare, t.burstSeconds];
  const [min, fail, pattern, burst] = th.map((_, i) => `$${n + i + 1}`);
  const removed = fresh ? 0 : rowCount(await tx.query(`DELETE FROM infra_failures WHERE ${scope}`, params));
  const marked = rowCount(
    await tx.query(
      `INSERT INTO infra_failures
     WITH e AS (
       SELECT run_seq, worker, status IN ('FAILED', 'ERROR') AS failed, coalesce(message, '') AS message, started_at
       FROM executions WHERE status <> 'SKIPPED' AND ${scope}
     ),
     g AS (
       SELECT run_seq, grouping(worker) = 1 AS whole, worker, count(*) AS executions,
              count(*) FILTER (WHERE failed) AS failures,
              epoch(max(started_at) FILTER (WHERE failed) - min(started_at) FILTER (WHERE failed)) AS burst
       FROM e GROUP BY GROUPING SETS ((run_seq), (run_seq, worker))
       HAVING count(*) >= ${min} AND count(*) FILTER (WHERE failed) >= ${fail} * count(*)
     ),
     p AS (${withPattern(
       `SELECT run_seq, worker, message FROM e WHERE failed AND run_seq IN (SELECT run_seq FROM g)`,
     )}),
     pc AS (
       SELECT run_seq, grouping(worker) = 1 AS whole, worker, pattern, count(*) AS n
       FROM p GROUP BY GROUPING SETS ((run_seq, pattern), (run_seq, worker, pattern))
     ),
     -- the most common pattern (ties: the greatest, so the answer does not depend on the plan)
     top AS (
       SELECT run_seq, whole, worker, max({ 'n': n, 'pattern': pattern }) AS t FROM pc GROUP BY run_seq, whole, worker
     )
     SELECT g.run_seq, CASE WHEN g.whole THEN NULL ELSE g.worker END,
            CASE WHEN top.t.n >= ${pattern} * g.failures THEN 'SHARED_PATTERN' ELSE 'BURST' END,
            nullif(top.t.pattern, ''), g.executions, g.failures, top.t.n, g.burst
     FROM g JOIN top ON top.run_seq = g.run_seq AND top.whole = g.whole AND top.worker IS NOT DISTINCT FROM g.worker
     WHERE (g.whole OR g.worker IS NOT NULL) AND (top.t.n >= ${pattern} * g.failures OR g.burst <= ${burst})`,
      [...params, ...th],
    ),
  );
  // No mark before and none now: every execution in scope is, and stays, not infra.
  if (!removed && !marked) return 0;
  const changed = rowCount(
    await tx.query(
      `CREATE OR REPLACE TEMP TABLE infra_changed AS
       SELECT run_seq, test_id, NOT infra AS infra FROM executions
       WHERE ${scope} AND infra <> EXISTS (
         SELECT 1 FROM infra_failures m
         WHERE m.run_seq = executions.run_seq AND (m.worker IS NULL OR m.worker = executions.worker))`,
      params,
    ),
  );
  if (!changed) return 0;
  await tx.query(
    'CREATE OR REPLACE TEMP TABLE infra_changed_tests AS SELECT DISTINCT test_id FROM infra_changed',
  );
  const rows =
    'EXISTS (SELECT 1 FROM infra_changed c WHERE c.run_seq = executions.run_seq AND c.test_id = executions.test_id)';
  await removeFromDaily(tx, rows);
  await tx.query(
    `UPDATE executions SET infra = c.infra FROM infra_changed c
     WHERE executions.run_seq = c.run_seq AND executions.test_id = c.test_id`,
  );
  await addToDaily(tx, rows, []);
  return changed;
}
