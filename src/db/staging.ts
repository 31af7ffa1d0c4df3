/**
 * SQL shared by the bulk generators (the demo and the bench's reference set):
 * both fill staging tables `<prefix>_runs` and `<prefix>_tests` and a
 * `<prefix>_u` uniform-random macro, insert results, then derive the runs and
 * tests from them here. The prefix comes from this whitelist, never from input.
 */
import type { WriteTx } from './write-tx.ts';
import { rebuildDaily } from './daily.ts';
import { rebuildTestTotals } from './test-totals.ts';
import { indexMetricValues } from './metric-values.ts';
import { indexFailureAttempts } from './failure-attempts.ts';
import { buildFlakinessRollup } from './flakiness-rollup.ts';
import { judgeRuns } from './infra-judge.ts';
import { recomputeSequences } from './sequences.ts';
import { DEFAULT_INFRA_THRESHOLDS, type InfraThresholds } from '../domain/infra-failures.ts';

export type StagingPrefix = 'demo' | 'ref';

/** Runs from staging, finishing after their last result plus a teardown; `$1`/`$2` bound the run seqs when `ranged`. */
export function stagedRunsSql(prefix: StagingPrefix, { ranged = false } = {}): string {
  return `
INSERT INTO runs (seq, id, project, branch, commit_sha, started_at, finished_at, tags, ingested_at)
SELECT r.seq, r.id, r.project, r.branch, r.commit_sha, r.started_at,
       e.last_end + to_milliseconds((5000 + 25000 * ${prefix}_u(r.salt, 'teardown', 0))::BIGINT) AS finished_at,
       r.tags, finished_at + INTERVAL 2 SECOND
FROM ${prefix}_runs r
JOIN (SELECT run_seq, max(started_at + to_milliseconds(duration_ms::BIGINT)) AS last_end
      FROM results ${ranged ? 'WHERE run_seq BETWEEN $1 AND $2' : ''} GROUP BY run_seq) e ON e.run_seq = r.seq
ORDER BY r.seq`;
}

/** Tests from staging, first seen at their earliest result. */
export function stagedTestsSql(prefix: StagingPrefix): string {
  return `
INSERT INTO tests (id, project, suite, class_name, name, first_seen_at)
SELECT t.id, t.project, t.suite, t.class_name, t.name, f.first_seen
FROM ${prefix}_tests t JOIN (SELECT test_id, min(started_at) AS first_seen FROM results GROUP BY test_id) f ON f.test_id = t.id
ORDER BY t.ord`;
}

/**
 * What ingest keeps per run (write-batch.ts), computed once for a whole bulk
 * load: infrastructure-failure marks (by `infra`), execution sequences, the
 * flakiness rollup, daily counts, test totals, failure attempts and the
 * meta counters (data version, next result id, next run seq). Call after runs
 * and executions exist; `metricsIndexed` when the caller indexed the results' metrics itself.
 */
export async function finishBulkLoad(
  tx: Pick<WriteTx, 'query'>,
  infra: InfraThresholds = DEFAULT_INFRA_THRESHOLDS,
  { metricsIndexed = false } = {},
): Promise<void> {
  await judgeRuns(tx, 'true', [], infra);
  await recomputeSequences(tx, 'true');
  await buildFlakinessRollup(tx);
  await rebuildDaily(tx);
  await rebuildTestTotals(tx);
  if (!metricsIndexed) await indexMetricValues(tx);
  await indexFailureAttempts(tx);
  await tx.query(
    `UPDATE meta SET value = CASE key
       WHEN 'data_version' THEN value + 1
       WHEN 'next_result_id' THEN (SELECT coalesce(max(id), 0) + 1 FROM results)
       WHEN 'next_run_seq' THEN (SELECT coalesce(max(seq), 0) + 1 FROM runs)
       ELSE value END`,
  );
}
