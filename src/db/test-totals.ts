import type { DuckDBValue } from '@duckdb/node-api';
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

/** Counts of the executions `scope` selects per test, added (sign 1) or taken away (−1), in test_totals' column order. */
function countsSql(scope: string, sign: 1 | -1): string {
  const n = (cond: string) => `${sign} * count(*) FILTER (WHERE ${cond})`;
  return `
    SELECT test_id, any_value(project) AS project, any_value(suite) AS suite, ${sign} * count(*) AS executions,
           ${n("status = 'PASSED'")} AS passed, ${n("status = 'FAILED'")} AS failed, ${n("status = 'ERROR'")} AS errored,
           ${n("status = 'SKIPPED'")} AS skipped, ${n('flaky')} AS flaky
    FROM executions WHERE ${scope} GROUP BY test_id`;
}

const UPSERT = `ON CONFLICT (test_id) DO UPDATE SET
  executions = test_totals.executions + EXCLUDED.executions, passed = test_totals.passed + EXCLUDED.passed,
  failed = test_totals.failed + EXCLUDED.failed, errored = test_totals.errored + EXCLUDED.errored,
  skipped = test_totals.skipped + EXCLUDED.skipped, flaky = test_totals.flaky + EXCLUDED.flaky`;

/** Upserts the staged counts (staged first for the reason daily.ts gives: an upsert reading this transaction's executions is slow). */
async function upsert(tx: Tx, scope: string, params: readonly DuckDBValue[], sign: 1 | -1): Promise<void> {
  await tx.query(`CREATE OR REPLACE TEMP TABLE test_totals_delta AS ${countsSql(scope, sign)}`, params);
  await tx.query(`INSERT INTO test_totals SELECT * FROM test_totals_delta ${UPSERT}`);
}

/** Adds the executions `scope` selects to their tests' totals (after they are folded). */
export const addToTestTotals = (tx: Tx, scope: string, params: readonly DuckDBValue[] = []) =>
  upsert(tx, scope, params, 1);

/**
 * Takes the executions `scope` selects out of their tests' totals (before they are deleted or
 * refolded) and drops the tests left with none.
 */
export async function removeFromTestTotals(
  tx: Tx,
  scope: string,
  params: readonly DuckDBValue[],
): Promise<void> {
  await upsert(tx, scope, params, -1);
  await tx.query('DELETE FROM test_totals WHERE executions = 0');
}

/**
 * Adds to the totals what the daily counts just staged (`daily_delta`, daily.ts) adds to or takes
 * from the daily counts, summed over days, branches and infra: the same executions' counts without
 * reading them again. A taking away drops the tests left with none.
 */
export async function addDailyDeltaToTestTotals(tx: Tx, sign: 1 | -1 = 1): Promise<void> {
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
  await tx.query(`INSERT INTO test_totals ${countsSql('true', 1)}`);
}
