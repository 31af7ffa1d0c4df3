import type { WriteTx } from './write-tx.ts';

/**
 * Execution counts per test over its whole history, kept beside the daily counts (daily.ts) by
 * every write path: what the tests page ranks by (pass, fail and flaky rates, executions) and
 * counts when its filter names only tests (project, suite, test id or name), one row per test
 * instead of one per execution. Infrastructure failures count here, as the tests page counts them.
 */
type Tx = Pick<WriteTx, 'query'>;

/** Migration 11: the table, built from the stored executions. */
export const TEST_TOTALS_MIGRATION = {
  version: 11,
  name: 'test totals',
  sql: `
    -- Kept at ingest (test-totals.ts); a test whose executions are all removed has no row.
    CREATE TABLE test_totals (
      test_id VARCHAR NOT NULL,
      project VARCHAR NOT NULL,
      suite VARCHAR NOT NULL,
      executions BIGINT NOT NULL,
      passed BIGINT NOT NULL,
      failed BIGINT NOT NULL,
      errored BIGINT NOT NULL,
      skipped BIGINT NOT NULL,
      flaky BIGINT NOT NULL,
      PRIMARY KEY (test_id)
    );
  `,
  backfill: (tx: Tx): Promise<void> => rebuildTestTotals(tx),
} as const;

/** Every test's counts over its stored executions, in test_totals' column order. */
const COUNTS_SQL = `
  SELECT test_id, any_value(project) AS project, any_value(suite) AS suite, count(*) AS executions,
         count(*) FILTER (WHERE status = 'PASSED') AS passed, count(*) FILTER (WHERE status = 'FAILED') AS failed,
         count(*) FILTER (WHERE status = 'ERROR') AS errored, count(*) FILTER (WHERE status = 'SKIPPED') AS skipped,
         count(*) FILTER (WHERE flaky) AS flaky
  FROM executions GROUP BY test_id`;

const UPSERT = `ON CONFLICT (test_id) DO UPDATE SET
  executions = test_totals.executions + EXCLUDED.executions, passed = test_totals.passed + EXCLUDED.passed,
  failed = test_totals.failed + EXCLUDED.failed, errored = test_totals.errored + EXCLUDED.errored,
  skipped = test_totals.skipped + EXCLUDED.skipped, flaky = test_totals.flaky + EXCLUDED.flaky`;

/**
 * Adds to the totals what the daily counts just staged (`daily_delta`, daily.ts: every write path
 * changes the daily counts first, with the same executions) adds to or takes from them, summed over
 * days, branches and infra: the executions are not read again, and no upsert reads this
 * transaction's executions (slow, daily.ts says why). A taking away (sign −1) drops the tests left
 * with none.
 */
export async function addStagedToTestTotals(tx: Tx, sign: 1 | -1 = 1): Promise<void> {
  const sum = (c: string) => `sum(${c})`;
  await tx.query(
    `INSERT INTO test_totals
     SELECT test_id, any_value(project), any_value(suite), ${['executions', 'passed', 'failed', 'errored', 'skipped', 'flaky'].map(sum).join(', ')}
     FROM daily_delta GROUP BY test_id ${UPSERT}`,
  );
  if (sign < 0) await tx.query('DELETE FROM test_totals WHERE executions = 0');
}

/** Rebuilds every test's totals from the stored executions (bulk loads, migrations). */
export async function rebuildTestTotals(tx: Tx): Promise<void> {
  await tx.query('DELETE FROM test_totals');
  // Into the emptied table: no key to look up, so no ON CONFLICT (a rebuild's merge cost seconds on 1M).
  await tx.query(`INSERT INTO test_totals ${COUNTS_SQL}`);
}
