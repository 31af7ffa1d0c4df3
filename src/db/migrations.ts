import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { WriteTx } from './write-tx.ts';
import { FLAKINESS_VALUES_MIGRATION } from './flakiness-values.ts';
import { INFRA_MIGRATION } from './infra-migration.ts';
import { METRIC_VALUES_MIGRATION } from './metric-values.ts';
import { FAILURE_ATTEMPTS_MIGRATION } from './failure-attempts.ts';
import { QUARANTINE_MIGRATION } from './quarantine-migration.ts';
import { TEST_TOTALS_MIGRATION } from './test-totals.ts';

/**
 * Versioned schema migrations, applied in order and recorded in
 * `schema_migrations`. Never edit a shipped migration: add the next one.
 *
 * No PRIMARY KEY / UNIQUE constraints on the fact tables: DuckDB's ART indexes
 * cost memory and ingest speed at 10M rows, and uniqueness is enforced by the
 * single writer instead (see write-batch.ts).
 */
/** The part of a transaction a backfill uses. */
type Tx = Pick<WriteTx, 'query'>;

/** A schema change; `backfill` derives the new tables or columns from data already stored. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly backfill?: (tx: Tx) => Promise<unknown>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'facts and rollups',
    sql: `
      CREATE TABLE meta (key VARCHAR NOT NULL, value BIGINT NOT NULL);
      INSERT INTO meta VALUES ('data_version', 0), ('next_result_id', 1), ('next_run_seq', 1);

      -- One CI build or test-farm job. seq is internal and rises with every new run,
      -- so a run's results sit together and zone maps prune by run_seq.
      CREATE TABLE runs (
        seq BIGINT NOT NULL,
        id VARCHAR NOT NULL,
        project VARCHAR NOT NULL,
        branch VARCHAR,
        commit_sha VARCHAR,
        started_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP,
        tags MAP(VARCHAR, VARCHAR) NOT NULL,
        executions INTEGER NOT NULL DEFAULT 0,
        passed INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        errored INTEGER NOT NULL DEFAULT 0,
        flaky INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        duration_ms DOUBLE,
        ingested_at TIMESTAMP NOT NULL
      );

      CREATE TABLE tests (
        id VARCHAR NOT NULL,
        project VARCHAR NOT NULL,
        suite VARCHAR NOT NULL,
        class_name VARCHAR,
        name VARCHAR NOT NULL,
        first_seen_at TIMESTAMP NOT NULL
      );

      -- Attempt level: one row per execution attempt. Slice dimensions are
      -- denormalised from the run and the test so filters need no join; tags
      -- hold the run's tags overlaid with the result's own.
      CREATE TABLE results (
        id BIGINT NOT NULL,
        run_seq BIGINT NOT NULL,
        test_id VARCHAR NOT NULL,
        attempt INTEGER NOT NULL,
        status VARCHAR NOT NULL,
        duration_ms DOUBLE NOT NULL,
        started_at TIMESTAMP NOT NULL,
        project VARCHAR NOT NULL,
        suite VARCHAR NOT NULL,
        branch VARCHAR,
        commit_sha VARCHAR,
        worker VARCHAR,
        hardware VARCHAR,
        message VARCHAR,
        stack_trace VARCHAR,
        tags MAP(VARCHAR, VARCHAR) NOT NULL,
        metrics STRUCT(name VARCHAR, value DOUBLE, unit VARCHAR)[] NOT NULL
      );

      -- Execution rollup: a test in a run with its attempts folded.
      -- Rebuilt per run at ingest, so measures never need window functions.
      CREATE TABLE executions (
        run_seq BIGINT NOT NULL,
        test_id VARCHAR NOT NULL,
        project VARCHAR NOT NULL,
        suite VARCHAR NOT NULL,
        branch VARCHAR,
        commit_sha VARCHAR,
        started_at TIMESTAMP NOT NULL,
        status VARCHAR NOT NULL,
        flaky BOOLEAN NOT NULL,
        attempts INTEGER NOT NULL,
        duration_ms DOUBLE NOT NULL,
        total_duration_ms DOUBLE NOT NULL,
        worker VARCHAR,
        hardware VARCHAR,
        message VARCHAR,
        tags MAP(VARCHAR, VARCHAR) NOT NULL
      );

      CREATE TABLE breaker_events (
        run_seq BIGINT NOT NULL,
        name VARCHAR NOT NULL,
        from_state VARCHAR NOT NULL,
        to_state VARCHAR NOT NULL,
        occurred_at TIMESTAMP NOT NULL,
        reason VARCHAR
      );
    `,
  },
  {
    version: 2,
    name: 'execution sequences for flakiness',
    sql: `
      -- Maintained at ingest (sequences.ts): each test's non-skipped executions in order.
      ALTER TABLE executions ADD COLUMN test_seq BIGINT;
      ALTER TABLE executions ADD COLUMN flipped BOOLEAN;
      ALTER TABLE executions ADD COLUMN fail_run INTEGER;
      ALTER TABLE executions ADD COLUMN ended_fail_run INTEGER;
      CREATE TABLE test_sequence (
        test_id VARCHAR NOT NULL,
        last_seq BIGINT NOT NULL,
        last_at TIMESTAMP NOT NULL,
        last_run_seq BIGINT NOT NULL,
        last_failed BOOLEAN,
        fail_run INTEGER NOT NULL
      );
    `,
    // Databases from before this migration get their sequences computed by migration 10's backfill,
    // whose columns today's sequence SQL reads.
  },
  {
    version: 3,
    name: 'alert rules, alerts and alert states',
    sql: `
      -- The whole normalised rule lives in body (JSON); the columns beside it
      -- are what the store lists and filters by. Deleting removes the row:
      -- every alert keeps its own copy of the rule.
      CREATE TABLE alert_rules (
        id VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        enabled BOOLEAN NOT NULL,
        body VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
      );

      -- One firing of a rule for one group. seq rises with every insert and
      -- breaks ties of fired_at in the newest-first keyset order.
      CREATE SEQUENCE alert_seq START 1;
      CREATE TABLE alerts (
        id VARCHAR NOT NULL,
        seq BIGINT NOT NULL,
        rule_id VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        severity VARCHAR NOT NULL,
        message VARCHAR NOT NULL,
        fired_at TIMESTAMP NOT NULL,
        value DOUBLE,
        threshold DOUBLE,
        acknowledged_at TIMESTAMP,
        resolved_at TIMESTAMP,
        group_key VARCHAR NOT NULL,
        group_json VARCHAR NOT NULL,
        rule_json VARCHAR NOT NULL,
        -- The group's project, else the rule filter's only project, else null.
        project VARCHAR,
        deliveries_json VARCHAR NOT NULL
      );

      -- Where each rule stands per group, so an alarm fires once and resolves once.
      CREATE TABLE alert_states (
        rule_id VARCHAR NOT NULL,
        group_key VARCHAR NOT NULL,
        firing BOOLEAN NOT NULL,
        alert_id VARCHAR,
        last_fired_at TIMESTAMP,
        last_value DOUBLE,
        updated_at TIMESTAMP NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'daily execution counts',
    sql: `
      -- Kept at ingest (daily.ts); branch_key stands in for a null branch in the key.
      CREATE TABLE daily_counts (
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
        PRIMARY KEY (started_at, test_id, branch_key)
      );
    `,
    // Filled by migration 10's backfill, whose columns today's daily SQL writes.
  },
  {
    version: 5,
    name: 'flakiness rollup',
    sql: `
      -- Kept at ingest (flakiness-rollup.ts): each execution's flaky evidence, and per test
      -- the weighted evidence sums the full-history flakiness ranking reads.
      ALTER TABLE executions ADD COLUMN evidence VARCHAR;
      -- Sums are relative to anchor; tail is the failure run the test is on while it can
      -- still turn transient; transient holds recent transient failures (run start, position).
      CREATE TABLE flakiness_rollup (
        test_id VARCHAR NOT NULL,
        project VARCHAR NOT NULL,
        suite VARCHAR NOT NULL,
        first_at TIMESTAMP NOT NULL,
        anchor BIGINT NOT NULL,
        executions BIGINT NOT NULL,
        failures BIGINT NOT NULL,
        retries BIGINT NOT NULL,
        evidence_failures BIGINT NOT NULL,
        inconsistent_commits BIGINT NOT NULL,
        sum_w DOUBLE NOT NULL,
        sum_w2 DOUBLE NOT NULL,
        sum_wf DOUBLE NOT NULL,
        flip_w DOUBLE NOT NULL,
        last_strong_seq BIGINT,
        last_flake_seq BIGINT,
        last_flake_at TIMESTAMP,
        tail STRUCT(seq BIGINT, run_seq BIGINT, started_at TIMESTAMP, commit_sha VARCHAR, same_commit BOOLEAN)[] NOT NULL,
        transient STRUCT(run BIGINT, seq BIGINT)[] NOT NULL
      );
    `,
    // Built by migration 6, whose columns the build fills too.
  },
  {
    version: 6,
    name: 'flakiness rollup: free executions, half-life 100',
    sql: `
      -- The flake rate's denominator: weights of the executions free to flake (all but the
      -- failures that are not flaky evidence). The half-life changed too, so every row is rebuilt.
      ALTER TABLE flakiness_rollup ADD COLUMN sum_v DOUBLE DEFAULT 0;
      ALTER TABLE flakiness_rollup ADD COLUMN sum_v2 DOUBLE DEFAULT 0;
    `,
    // Rebuilt by migration 10's backfill, after the sequences it reads.
  },
  {
    version: 7,
    name: 'replica position',
    sql: `
      -- The last entry of the shared ingest log (a Redis stream id) this database has applied,
      -- written in the same transaction as the entry; applied counts the entries so far.
      CREATE TABLE replica_position (position VARCHAR NOT NULL, applied BIGINT NOT NULL);
      INSERT INTO replica_position VALUES ('0-0', 0);
    `,
  },
  {
    version: 8,
    name: 'api keys',
    sql: `
      -- API keys (src/db/keys.ts): the secret is never stored, only its SHA-256 (hex).
      -- projects: a JSON array of names, NULL for every project. A revoked key keeps its row, with revoked_at.
      CREATE TABLE api_keys (
        id VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        scope VARCHAR NOT NULL,
        projects VARCHAR,
        secret_sha256 VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        revoked_at TIMESTAMP
      );
    `,
  },
  QUARANTINE_MIGRATION,
  INFRA_MIGRATION,
  TEST_TOTALS_MIGRATION,
  METRIC_VALUES_MIGRATION,
  FAILURE_ATTEMPTS_MIGRATION,
  FLAKINESS_VALUES_MIGRATION,
];

export async function migrate(c: DuckDBConnection): Promise<void> {
  await c.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
  );
  // Each migration not recorded yet, in order (not only those above the highest recorded).
  const applied = await c.runAndReadAll('SELECT version FROM schema_migrations');
  const done = new Set(applied.getRowObjectsJS().map((r) => Number(r['version'])));
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await c.run('BEGIN TRANSACTION');
    try {
      await c.run(m.sql);
      await m.backfill?.({
        query: async <T>(sql: string, params: readonly DuckDBValue[] = []) =>
          (await c.runAndReadAll(sql, params.length ? [...params] : undefined)).getRowObjectsJS() as T[],
      });
      await c.run('INSERT INTO schema_migrations VALUES ($1, $2, now())', [m.version, m.name]);
      await c.run('COMMIT');
    } catch (err) {
      await c.run('ROLLBACK');
      throw new Error(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
    }
  }
}
