/** Migration 9: quarantine entries, rules and the audit trail. */
export const QUARANTINE_MIGRATION = {
  version: 9,
  name: 'quarantine',
  sql: `
    -- A test put in quarantine, by hand or by a rule. ended_at and end_reason are set once it stops
    -- counting (RELEASED, EXPIRED, REVIEWED, REPLACED); whether it counts is judged at read time too.
    CREATE TABLE quarantine_entries (
      id VARCHAR NOT NULL,
      test_id VARCHAR NOT NULL,
      project VARCHAR NOT NULL,
      source VARCHAR NOT NULL,
      rule_id VARCHAR,
      reason VARCHAR NOT NULL,
      owner VARCHAR NOT NULL,
      since TIMESTAMP NOT NULL,
      expires_at TIMESTAMP NOT NULL,
      release_after_passes INTEGER NOT NULL,
      ended_at TIMESTAMP,
      end_reason VARCHAR
    );
    CREATE TABLE quarantine_rules (
      id VARCHAR NOT NULL,
      name VARCHAR NOT NULL,
      enabled BOOLEAN NOT NULL,
      body VARCHAR NOT NULL,
      created_at TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL
    );
    -- Every change: who (a person, or the rule, or 'assay' for expiry and review), when and why.
    CREATE TABLE quarantine_audit (
      seq BIGINT NOT NULL,
      event_at TIMESTAMP NOT NULL,
      action VARCHAR NOT NULL,
      entry_id VARCHAR,
      test_id VARCHAR,
      actor VARCHAR NOT NULL,
      rule_id VARCHAR,
      reason VARCHAR NOT NULL
    );
  `,
} as const;
