import { rowCount, type WriteTx } from './write-tx.ts';
import { addRunToDaily, addToDaily, removeFromDaily } from './daily.ts';
import { addBatchToFlakinessRollup } from './flakiness-append.ts';
import { rebuildTestsWhere, rollupTestsWhere } from './flakiness-rollup.ts';
import { judgeRuns } from './infra-judge.ts';
import { addStagedToTestTotals } from './test-totals.ts';
import { refoldRunSet, refoldRuns } from './rollups.ts';
import { sequenceBatch } from './sequences.ts';
import type { InfraThresholds } from '../domain/infra-failures.ts';
import type { Run } from '../domain/types.ts';

type Tx = Pick<WriteTx, 'query'>;

const BATCH = 'test_id IN (SELECT test_id FROM batch_tests)';

/**
 * What ingest keeps per batch, after its results are inserted (ids from
 * `firstResultId` on): the executions of the batch's tests in the run
 * refolded, the run's counters, daily counts, test totals, sequences and flakiness
 * rollup. Per test: one that gets an execution after its last stored one
 * is appended in place, one that arrived out of order (earlier than its
 * last, or a run's execution re-folded by a later batch of the same run)
 * has its sequence and rollup row recomputed from its history. So a run
 * sent in shards, each with its own tests, costs what the same tests cost
 * in a run of their own. The whole run is judged for infrastructure failures
 * before its sequences (infra-judge.ts); tests of earlier batches whose
 * executions a new mark (or a mark lifted) changed get their sequences and
 * rollup rows recomputed. Returns how many tests took each path, and the run's
 * row as the batch leaves it (null when the run has no execution).
 */
export async function rollUpBatch(
  tx: Tx,
  run: { readonly seq: number; readonly project: string; readonly commit: string | null },
  {
    known,
    firstResultId,
    infra,
  }: { readonly known: boolean; readonly firstResultId: number; readonly infra: InfraThresholds },
): Promise<{ paths: { appended: number; late: number }; run: Run | null }> {
  const seq = [BigInt(run.seq)];
  // The batch's tests, and whether the run already held an execution of each (its attempts span batches).
  const tests = rowCount(
    await tx.query(
      known
        ? `CREATE OR REPLACE TEMP TABLE batch_tests AS
         SELECT n.test_id, e.test_id IS NOT NULL AS had
         FROM (SELECT DISTINCT test_id FROM results WHERE run_seq = $1 AND id >= $2) n
         LEFT JOIN (SELECT test_id FROM executions WHERE run_seq = $1) e ON e.test_id = n.test_id`
        : `CREATE OR REPLACE TEMP TABLE batch_tests AS
         SELECT DISTINCT test_id, false AS had FROM results WHERE run_seq = $1 AND id >= $2`,
      [...seq, BigInt(firstResultId)],
    ),
  );
  let runs: readonly Run[];
  if (known) {
    const had = `run_seq = $1 AND test_id IN (SELECT test_id FROM batch_tests WHERE had)`;
    await removeFromDaily(tx, had, seq);
    await addStagedToTestTotals(tx, -1);
    runs = await refoldRunSet(tx, 'run_seq = $1', seq, { tests: BATCH, returnRuns: true });
    await addToDaily(tx, `run_seq = $1 AND ${BATCH}`, seq);
    await addStagedToTestTotals(tx);
  } else {
    runs = await refoldRuns(tx, run.seq, run.seq, { fresh: true, returnRuns: true });
    await addRunToDaily(tx, run.seq);
    await addStagedToTestTotals(tx);
  }
  const changed = await judgeRuns(tx, 'run_seq = $1', seq, infra, { fresh: !known });
  const { appendedIn, ...paths } = await sequenceBatch(tx, run.seq, tests);
  if (paths.appended) await addBatchToFlakinessRollup(tx, run, appendedIn);
  if (paths.late)
    await rollupTestsWhere(tx, { sql: 'test_id IN (SELECT test_id FROM batch_late)', params: [] });
  if (changed && known)
    await rebuildTestsWhere(tx, {
      sql: 'test_id IN (SELECT test_id FROM infra_changed_tests WHERE test_id NOT IN (SELECT test_id FROM batch_tests))',
      params: [],
    });
  return { paths, run: runs[0] ?? null };
}
