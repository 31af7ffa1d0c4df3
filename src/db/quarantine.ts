import { listValue, type DuckDBValue } from '@duckdb/node-api';
import type { Database } from './database.ts';
import type { WriteTx } from './write-tx.ts';
import { Params, where } from './sql.ts';
import { toNumber, ts } from './values.ts';
import { asTestId } from '../domain/ids.ts';
import type {
  QuarantineAction,
  QuarantineAuditEvent,
  QuarantineAuditQuery,
  QuarantineChange,
  QuarantineEnd,
  QuarantineEntry,
  QuarantineQuery,
  QuarantineRule,
  QuarantineSource,
  QuarantineStatus,
  QuarantineStore,
} from '../domain/quarantine.ts';

type Tx = Pick<WriteTx, 'query'>;

/** Binds equal-length columns as lists and unnests them side by side: one set-based INSERT … SELECT. */
function zipped(
  p: Params,
  columns: readonly (readonly [values: readonly DuckDBValue[], type: string])[],
): string {
  return columns.map(([values, type]) => `unnest(${p.bind(listValue([...values]))}::${type}[])`).join(', ');
}

async function insertAudit(tx: Tx, events: QuarantineChange['audit']): Promise<void> {
  if (!events.length) return;
  const p = new Params();
  const cols = zipped(p, [
    [events.map((_, i) => BigInt(i + 1)), 'BIGINT'],
    [events.map((e) => ts(e.at)), 'TIMESTAMP'],
    [events.map((e) => e.action), 'VARCHAR'],
    [events.map((e) => e.entryId), 'VARCHAR'],
    [events.map((e) => e.testId), 'VARCHAR'],
    [events.map((e) => e.actor), 'VARCHAR'],
    [events.map((e) => e.ruleId), 'VARCHAR'],
    [events.map((e) => e.reason), 'VARCHAR'],
  ]);
  await tx.query(
    `INSERT INTO quarantine_audit (seq, event_at, action, entry_id, test_id, actor, rule_id, reason)
     SELECT n + (SELECT coalesce(max(seq), 0) FROM quarantine_audit), event_at, action, entry_id, test_id, actor, rule_id, reason
     FROM (SELECT ${cols}) AS u(n, event_at, action, entry_id, test_id, actor, rule_id, reason)`,
    p.values,
  );
}

async function changeQuarantine(db: Database, change: QuarantineChange): Promise<void> {
  await db.write(async (tx) => {
    if (change.end.length) {
      const p = new Params();
      const cols = zipped(p, [
        [change.end.map((e) => e.id), 'VARCHAR'],
        [change.end.map((e) => ts(e.at)), 'TIMESTAMP'],
        [change.end.map((e) => e.reason), 'VARCHAR'],
      ]);
      await tx.query(
        `UPDATE quarantine_entries SET ended_at = u.ended_at, end_reason = u.reason
         FROM (SELECT ${cols}) AS u(id, ended_at, reason)
         WHERE quarantine_entries.id = u.id AND quarantine_entries.ended_at IS NULL`,
        p.values,
      );
    }
    const s = change.start;
    if (s.length) {
      const p = new Params();
      const cols = zipped(p, [
        [s.map((e) => e.id), 'VARCHAR'],
        [s.map((e) => e.testId), 'VARCHAR'],
        [s.map((e) => e.project), 'VARCHAR'],
        [s.map((e) => e.source), 'VARCHAR'],
        [s.map((e) => e.ruleId), 'VARCHAR'],
        [s.map((e) => e.reason), 'VARCHAR'],
        [s.map((e) => e.owner), 'VARCHAR'],
        [s.map((e) => ts(e.since)), 'TIMESTAMP'],
        [s.map((e) => ts(e.expiresAt)), 'TIMESTAMP'],
        [s.map((e) => e.releaseAfterPasses), 'INTEGER'],
      ]);
      await tx.query(
        `INSERT INTO quarantine_entries
           (id, test_id, project, source, rule_id, reason, owner, since, expires_at, release_after_passes, ended_at, end_reason)
         SELECT *, NULL, NULL FROM (SELECT ${cols})`,
        p.values,
      );
    }
    await insertAudit(tx, change.audit);
  });
}

/**
 * Entries with, per entry, its executions since it began (up to its end or
 * `now`, skipped left out), failures among them, and its pass streak: the
 * executions that passed on their first attempt after its last other one.
 * One statement whatever the number of entries.
 */
async function quarantineEntries(db: Database, q: QuarantineQuery): Promise<QuarantineStatus[]> {
  const p = new Params();
  const now = p.bind(ts(q.now));
  const conds: string[] = [];
  if (q.open) conds.push('ended_at IS NULL');
  else if (!q.all) conds.push('ended_at IS NULL', `expires_at > ${now}`);
  if (q.project?.length) conds.push(`project IN (${p.list(q.project)})`);
  if (q.testId?.length) conds.push(`test_id IN (${p.list(q.testId)})`);
  const rows = await db.query(
    `WITH q AS (SELECT * FROM quarantine_entries ${where(conds)}),
     e AS (
       SELECT q.id, x.status, x.status = 'PASSED' AND NOT x.flaky AS clean, x.started_at
       FROM q JOIN executions x ON x.test_id = q.test_id AND x.started_at >= q.since
         AND x.started_at <= least(coalesce(q.ended_at, ${now}), ${now})
       WHERE x.status <> 'SKIPPED'
     ),
     agg AS (
       SELECT id, count(*) AS n, count(*) FILTER (WHERE status IN ('FAILED', 'ERROR')) AS failures,
              max(started_at) FILTER (WHERE NOT clean) AS last_bad
       FROM e GROUP BY id
     ),
     streak AS (
       SELECT e.id, count(*) AS streak FROM e JOIN agg USING (id)
       WHERE e.clean AND (agg.last_bad IS NULL OR e.started_at > agg.last_bad) GROUP BY e.id
     )
     SELECT q.*, coalesce(agg.n, 0) AS n, coalesce(agg.failures, 0) AS failures, coalesce(streak.streak, 0) AS streak
     FROM q LEFT JOIN agg USING (id) LEFT JOIN streak USING (id)
     ORDER BY q.since DESC, q.id`,
    p.values,
  );
  const out: QuarantineStatus[] = [];
  for (const r of rows) {
    const entry: QuarantineEntry = {
      id: r['id'] as string,
      testId: asTestId(r['test_id'] as string),
      project: r['project'] as string,
      source: r['source'] as QuarantineSource,
      ruleId: (r['rule_id'] as string | null) ?? null,
      reason: r['reason'] as string,
      owner: r['owner'] as string,
      since: r['since'] as Date,
      expiresAt: r['expires_at'] as Date,
      releaseAfterPasses: toNumber(r['release_after_passes']),
      endedAt: (r['ended_at'] as Date | null) ?? null,
      endReason: (r['end_reason'] as QuarantineEnd | null) ?? null,
    };
    const passStreak = toNumber(r['streak']);
    const due: QuarantineEnd | null =
      entry.endedAt !== null
        ? null
        : entry.expiresAt.getTime() <= q.now.getTime()
          ? 'EXPIRED'
          : passStreak >= entry.releaseAfterPasses
            ? 'REVIEWED'
            : null;
    const active = entry.endedAt === null && due === null;
    if (!q.all && !q.open && !active) continue;
    out.push({
      ...entry,
      passStreak,
      executions: toNumber(r['n']),
      failures: toNumber(r['failures']),
      active,
      due,
    });
  }
  return out;
}

// ------------------------------------------------------------------ rules

function ruleFromJson(text: string): QuarantineRule {
  const r = JSON.parse(text) as Omit<QuarantineRule, 'createdAt' | 'updatedAt'> & {
    createdAt: string;
    updatedAt: string;
  };
  return { ...r, createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt) };
}

async function quarantineRules(db: Database): Promise<QuarantineRule[]> {
  const rows = await db.query<{ body: string }>('SELECT body FROM quarantine_rules ORDER BY name, id');
  return rows.map((r) => ruleFromJson(r.body));
}

async function saveQuarantineRule(db: Database, rule: QuarantineRule, actor: string): Promise<void> {
  await db.write(async (tx) => {
    await tx.query('DELETE FROM quarantine_rules WHERE id = $1', [rule.id]);
    await tx.query(
      'INSERT INTO quarantine_rules (id, name, enabled, body, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [rule.id, rule.name, rule.enabled, JSON.stringify(rule), ts(rule.createdAt), ts(rule.updatedAt)],
    );
    await insertAudit(tx, [
      {
        at: rule.updatedAt,
        action: 'RULE_SAVED',
        entryId: null,
        testId: null,
        actor,
        ruleId: rule.id,
        reason: `rule "${rule.name}": FLAKY with score ≥ ${rule.minScore} over ${rule.windowDays} days${rule.project.length ? ` in ${rule.project.join(', ')}` : ''}${rule.enabled ? '' : ' (disabled)'}`,
      },
    ]);
  });
}

async function deleteQuarantineRule(db: Database, id: string, actor: string, at: Date): Promise<boolean> {
  return db.write(async (tx) => {
    const gone = await tx.query<{ name: string }>(
      'DELETE FROM quarantine_rules WHERE id = $1 RETURNING name',
      [id],
    );
    if (!gone.length) return false;
    await insertAudit(tx, [
      {
        at,
        action: 'RULE_DELETED',
        entryId: null,
        testId: null,
        actor,
        ruleId: id,
        reason: `rule "${gone[0]!.name}" deleted; its quarantines run their course`,
      },
    ]);
    return true;
  });
}

async function quarantineAudit(db: Database, q: QuarantineAuditQuery): Promise<QuarantineAuditEvent[]> {
  const p = new Params();
  const conds: string[] = [];
  if (q.testId?.length) conds.push(`test_id IN (${p.list(q.testId)})`);
  if (q.ruleId?.length) conds.push(`rule_id IN (${p.list(q.ruleId)})`);
  if (q.from) conds.push(`event_at >= ${p.bind(ts(q.from))}`);
  if (q.to) conds.push(`event_at < ${p.bind(ts(q.to))}`);
  const rows = await db.query(
    `SELECT * FROM quarantine_audit ${where(conds)} ORDER BY seq DESC LIMIT ${p.bind(Math.max(0, Math.trunc(q.limit)))}`,
    p.values,
  );
  return rows.map((r) => ({
    seq: toNumber(r['seq']),
    at: r['event_at'] as Date,
    action: r['action'] as QuarantineAction,
    entryId: (r['entry_id'] as string | null) ?? null,
    testId: r['test_id'] ? asTestId(r['test_id'] as string) : null,
    actor: r['actor'] as string,
    ruleId: (r['rule_id'] as string | null) ?? null,
    reason: r['reason'] as string,
  }));
}

/** The QuarantineStore port over a database. */
export function quarantineStore(db: Database): QuarantineStore {
  return {
    quarantineEntries: (q) => quarantineEntries(db, q),
    changeQuarantine: (c) => changeQuarantine(db, c),
    quarantineRules: () => quarantineRules(db),
    saveQuarantineRule: (r, actor) => saveQuarantineRule(db, r, actor),
    deleteQuarantineRule: (id, actor, at) => deleteQuarantineRule(db, id, actor, at),
    quarantineAudit: (q) => quarantineAudit(db, q),
  };
}
