import type { WriteTx } from './write-tx.ts';
import { rebuildDaily } from './daily.ts';
import { buildFlakinessRollup } from './flakiness-rollup.ts';
import { judgeRuns } from './infra-judge.ts';
import { recomputeSequences } from './sequences.ts';
import { DEFAULT_INFRA_THRESHOLDS } from '../domain/infra-failures.ts';

/**
 * Migration 10: infrastructure failures (infra-judge.ts). The marks, a flag on
 * each execution, and daily counts keyed by that flag too (so trends can leave
 * infra executions out without reading the executions). Stored runs are judged
 * by the default thresholds, then every derived table is rebuilt from the
 * executions: sequences (which leave infra executions out), the flakiness
 * rollup and the daily counts. Migrations 2, 4 and 6 leave their backfills to
 * this one, since today's SQL for them reads the columns added here.
 */
export const INFRA_MIGRATION = {
  version: 10,
  name: 'infrastructure failures',
  sql: `
    -- A marked run (worker NULL) or worker of a run; pattern_failures: the failures with the pattern,
    -- burst_seconds: from the first failure's start to the last's.
    CREATE TABLE infra_failures (
      run_seq BIGINT NOT NULL,
      worker VARCHAR,
      reason VARCHAR NOT NULL,
      pattern VARCHAR,
      executions BIGINT NOT NULL,
      failures BIGINT NOT NULL,
      pattern_failures BIGINT NOT NULL,
      burst_seconds DOUBLE
    );
    CREATE TABLE daily_counts_infra (
      started_at TIMESTAMP NOT NULL,
      test_id VARCHAR NOT NULL,
      branch_key VARCHAR NOT NULL,
      project VARCHAR NOT NULL,
      suite VARCHAR NOT NULL,
      branch VARCHAR,
      executions BIGINT NOT NULL,
      passed BIGINT NOT NULL,
      failed BIGINT NOT NULL,
      errored BIGINT NOT NULL,
      skipped BIGINT NOT NULL,
      flaky BIGINT NOT NULL,
      infra BOOLEAN NOT NULL,
      PRIMARY KEY (started_at, test_id, branch_key, infra)
    );
    DROP TABLE daily_counts;
    ALTER TABLE daily_counts_infra RENAME TO daily_counts;
    -- Every insert takes the default (rollups.ts); SET NOT NULL cannot run in the migration's transaction.
    ALTER TABLE executions ADD COLUMN infra BOOLEAN DEFAULT false;
  `,
  backfill: async (tx: Pick<WriteTx, 'query'>): Promise<void> => {
    await judgeRuns(tx, 'true', [], DEFAULT_INFRA_THRESHOLDS);
    await tx.query('DELETE FROM test_sequence');
    await recomputeSequences(tx, 'true');
    // flakiness_value_rollup comes with migration 14, which builds it.
    await buildFlakinessRollup(tx, { byValue: false });
    await rebuildDaily(tx);
  },
} as const;
