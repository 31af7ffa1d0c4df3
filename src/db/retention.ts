import { listValue } from '@duckdb/node-api';
import type { WriteTx } from './write-tx.ts';
import type { RetentionOutcome } from '../domain/retention.ts';
import { removeFromDaily } from './daily.ts';
import { rebuildFlakinessRollup } from './flakiness-rollup.ts';
import { addStagedToTestTotals } from './test-totals.ts';
import { toNumber, ts } from './values.ts';

/** What a retention pass removed, with the ids the writer's memory must forget. */
export interface Removed extends RetentionOutcome {
  /** Ids of the runs removed. */
  readonly runIds: readonly string[];
  readonly testIds: readonly string[];
}

const DOOMED = 'run_seq IN (SELECT seq FROM runs WHERE started_at < $1)';

/**
 * Deletes the runs started before `cutoff` with everything derived from them,
 * in the caller's transaction: results, executions, breaker events, failure
 * attempts and attempt values (failure-attempts.ts), their
 * share of the daily counts and test totals, and tests left without results. The execution
 * sequences and flakiness rollup rows of the tests they touched are
 * recomputed from what remains, so flips, failure runs and evidence never
 * refer to a deleted execution. Alerts stay:
 * they are a record of what was said at the time.
 */
export async function deleteRunsBefore(
  tx: Pick<WriteTx, 'query'>,
  cutoff: Date,
  dryRun = false,
): Promise<Removed> {
  const at = ts(cutoff);
  const [counts] = await tx.query<{ results: bigint }>(
    `SELECT count(*) AS results FROM results WHERE ${DOOMED}`,
    [at],
  );
  const runIds = (
    await tx.query<{ id: string }>('SELECT id FROM runs WHERE started_at < $1 ORDER BY started_at, id', [at])
  ).map((r) => r.id);
  const touched = `SELECT DISTINCT test_id FROM results WHERE ${DOOMED}`;
  const orphans = (
    await tx.query<{ test_id: string }>(
      `SELECT test_id FROM (${touched}) t WHERE NOT EXISTS (SELECT 1 FROM results r WHERE r.test_id = t.test_id AND NOT r.${DOOMED}) ORDER BY test_id`,
      [at],
    )
  ).map((r) => r.test_id);
  const removed = {
    runs: runIds.length,
    results: toNumber(counts?.results ?? 0),
    tests: orphans.length,
    runIds,
    testIds: orphans,
  };
  if (dryRun || removed.runs === 0) return removed;

  await tx.query(`CREATE OR REPLACE TEMP TABLE retention_tests AS ${touched}`, [at]);
  await removeFromDaily(tx, DOOMED, [at]);
  await addStagedToTestTotals(tx, -1);
  for (const table of [
    'results',
    'metric_values',
    'failure_attempts',
    'attempt_values',
    'executions',
    'breaker_events',
    'infra_failures',
  ])
    await tx.query(`DELETE FROM ${table} WHERE ${DOOMED}`, [at]);
  await tx.query('DELETE FROM runs WHERE started_at < $1', [at]);
  const touchedIds = (await tx.query<{ test_id: string }>('SELECT test_id FROM retention_tests')).map(
    (r) => r.test_id,
  );
  // The touched tests' sequences and flakiness rollup rows, recomputed from what remains.
  await rebuildFlakinessRollup(tx, touchedIds);
  if (orphans.length)
    await tx.query('DELETE FROM tests WHERE id IN (SELECT unnest($1::VARCHAR[]))', [listValue(orphans)]);
  await tx.query('DROP TABLE retention_tests');
  await tx.query("UPDATE meta SET value = value + 1 WHERE key = 'data_version'");
  return removed;
}
