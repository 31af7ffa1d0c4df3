import { randomUUID } from 'node:crypto';
import type { Database } from './database.ts';
import type { Row, WriteTx } from './write-tx.ts';
import type { Keyset } from './keyset.ts';
import { keysetPage } from './keyset-page.ts';
import { Params, where } from './sql.ts';
import { toNullableNumber, ts } from './values.ts';
import type {
  Alert,
  AlertDelivery,
  AlertFilter,
  AlertKind,
  AlertRule,
  AlertState,
  NewAlert,
} from '../domain/alerts.ts';
import { SEVERITIES, type Severity } from '../domain/types.ts';
import { badInput } from '../domain/errors.ts';
import type { MetricsGroup, Page, PageBounds, TotalFor, ResultFilter } from '../domain/types.ts';

// ------------------------------------------------------------------ JSON columns

/** Dates travel through JSON as ISO strings; these bring them back. */
const date = (v: unknown): Date | null => (typeof v === 'string' ? new Date(v) : null);

function filterFromJson(v: unknown): ResultFilter {
  const f: Record<string, unknown> = { ...(v as Record<string, unknown> | null) };
  for (const k of ['from', 'to'] as const) if (typeof f[k] === 'string') f[k] = new Date(f[k]);
  return f;
}

function ruleFromJson(text: string): AlertRule {
  const r = JSON.parse(text) as Omit<AlertRule, 'createdAt' | 'updatedAt'> & {
    createdAt: string;
    updatedAt: string;
  };
  return {
    ...r,
    filter: filterFromJson(r.filter),
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
  };
}

function deliveriesFromJson(text: string): AlertDelivery[] {
  const list = JSON.parse(text) as (Omit<AlertDelivery, 'lastAttemptAt'> & {
    lastAttemptAt: string | null;
  })[];
  return list.map((d) => ({ ...d, lastAttemptAt: date(d.lastAttemptAt) }));
}

const nullableTs = (d: Date | null) => (d ? ts(d) : null);

// ------------------------------------------------------------------ rules

export async function rules(db: Database): Promise<AlertRule[]> {
  const rows = await db.query<{ body: string }>('SELECT body FROM alert_rules ORDER BY name, id');
  return rows.map((r) => ruleFromJson(r.body));
}

export async function rule(db: Database, id: string): Promise<AlertRule | null> {
  const [row] = await db.query<{ body: string }>('SELECT body FROM alert_rules WHERE id = $1', [id]);
  return row ? ruleFromJson(row.body) : null;
}

/** Inserts the rule, or replaces the one with the same id. */
export async function saveRule(db: Database, r: AlertRule): Promise<void> {
  const values = [r.name, r.enabled, JSON.stringify(r), ts(r.createdAt), ts(r.updatedAt), r.id];
  await db.write(async (tx) => {
    const updated = await tx.query(
      'UPDATE alert_rules SET name = $1, enabled = $2, body = $3, created_at = $4, updated_at = $5 WHERE id = $6 RETURNING id',
      values,
    );
    if (!updated.length)
      await tx.query(
        'INSERT INTO alert_rules (name, enabled, body, created_at, updated_at, id) VALUES ($1, $2, $3, $4, $5, $6)',
        values,
      );
  });
}

/** Deletes a rule (its alerts keep their copy of it); false when no rule had the id. */
export async function deleteRule(db: Database, id: string): Promise<boolean> {
  const deleted = await db.write((tx) =>
    tx.query('DELETE FROM alert_rules WHERE id = $1 RETURNING id', [id]),
  );
  return deleted.length > 0;
}

// ------------------------------------------------------------------ alerts

const ALERT_COLUMNS = `id, seq, kind, severity, message, fired_at, value, threshold, acknowledged_at, resolved_at,
  group_key, group_json, rule_json, deliveries_json`;

function toAlert(row: Row): Alert {
  return {
    id: row['id'] as string,
    kind: row['kind'] as AlertKind,
    severity: row['severity'] as Severity,
    message: row['message'] as string,
    firedAt: row['fired_at'] as Date,
    value: toNullableNumber(row['value']),
    threshold: toNullableNumber(row['threshold']),
    acknowledgedAt: (row['acknowledged_at'] as Date | null) ?? null,
    resolvedAt: (row['resolved_at'] as Date | null) ?? null,
    group: JSON.parse(row['group_json'] as string) as MetricsGroup,
    groupKey: row['group_key'] as string,
    rule: ruleFromJson(row['rule_json'] as string),
    deliveries: deliveriesFromJson(row['deliveries_json'] as string),
  };
}

/** The project an alert is filed under: its group's, else the one project its rule watches. */
function projectOf(a: NewAlert): string | null {
  if (a.group.project) return a.group.project;
  const projects = a.rule.filter.project;
  return projects?.length === 1 ? (projects[0] ?? null) : null;
}

/** Stores a fired alert with one PENDING delivery per channel of its rule; replicas pass the id they agreed on. */
export async function insertAlert(db: Database, a: NewAlert, id: string = randomUUID()): Promise<Alert> {
  return db.write((tx) => insertAlertIn(tx, a, id));
}

/** Stores a fired alert and its group's firing state in one transaction. */
export function fireAlert(
  db: Database,
  a: NewAlert,
  state: Omit<AlertState, 'firing' | 'alertId'>,
  id: string = randomUUID(),
): Promise<Alert> {
  // Ahead of ingests still waiting for the writer: the alert's subscribers wait on this write.
  return db.write(
    async (tx) => {
      const stored = await insertAlertIn(tx, a, id);
      await saveAlertStateIn(tx, { ...state, firing: true, alertId: stored.id });
      return stored;
    },
    { ahead: true },
  );
}

async function insertAlertIn(tx: Pick<WriteTx, 'query'>, a: NewAlert, id: string): Promise<Alert> {
  const stored: Alert = {
    ...a,
    id,
    acknowledgedAt: null,
    resolvedAt: null,
    deliveries: a.rule.channels.map((channel) => ({
      channel,
      status: 'PENDING',
      attempts: 0,
      lastError: null,
      lastAttemptAt: null,
    })),
  };
  await tx.query(
    `INSERT INTO alerts (id, seq, rule_id, kind, severity, message, fired_at, value, threshold, acknowledged_at, resolved_at,
       group_key, group_json, rule_json, project, deliveries_json)
     VALUES ($1, nextval('alert_seq'), $2, $3, $4, $5, $6, $7, $8, NULL, NULL, $9, $10, $11, $12, $13)`,
    [
      stored.id,
      a.rule.id,
      a.kind,
      a.severity,
      a.message,
      ts(a.firedAt),
      a.value,
      a.threshold,
      a.groupKey,
      JSON.stringify(a.group),
      JSON.stringify(a.rule),
      projectOf(a),
      JSON.stringify(stored.deliveries),
    ],
  );
  return stored;
}

export async function alert(db: Database, id: string): Promise<Alert | null> {
  const [row] = await db.query(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1`, [id]);
  return row ? toAlert(row) : null;
}

/** WHERE conditions of an AlertFilter: OR within a field, AND across fields, [from, to) on fired_at. */
function alertFilterSql(f: AlertFilter | null | undefined, p: Params): string[] {
  const out: string[] = [];
  if (!f) return out;
  if (f.severity?.length) out.push(`severity IN (${p.list(f.severity)})`);
  if (f.minSeverity) {
    const i = SEVERITIES.indexOf(f.minSeverity);
    if (i < 0)
      throw badInput(`filter.minSeverity must be one of ${SEVERITIES.join(', ')}`, {
        field: 'filter.minSeverity',
      });
    out.push(`severity IN (${p.list(SEVERITIES.slice(i))})`);
  }
  if (f.kind?.length) out.push(`kind IN (${p.list(f.kind)})`);
  if (f.ruleId?.length) out.push(`rule_id IN (${p.list(f.ruleId)})`);
  if (f.project?.length) out.push(`project IN (${p.list(f.project)})`);
  if (f.acknowledged != null)
    out.push(f.acknowledged ? 'acknowledged_at IS NOT NULL' : 'acknowledged_at IS NULL');
  if (f.resolved != null) out.push(f.resolved ? 'resolved_at IS NOT NULL' : 'resolved_at IS NULL');
  if (f.from) out.push(`fired_at >= ${p.bind(ts(f.from))}`);
  if (f.to) out.push(`fired_at < ${p.bind(ts(f.to))}`);
  return out;
}

/** Newest first; ties on fired_at fall back to insertion order (seq), so cursors stay put as alerts arrive. */
const ALERT_KEYSET: Keyset = {
  sort: 'epoch_us(fired_at)',
  id: 'seq',
  idKind: 'integer',
  direction: 'DESC',
  toValue: (v) => BigInt(v),
};

export function alertsPage<B extends PageBounds>(
  db: Database,
  filter: AlertFilter | null | undefined,
  size: number,
  bounds: B,
): Promise<Page<Alert, TotalFor<B>>> {
  return keysetPage(db, Math.max(0, Math.trunc(size)), bounds, {
    keyset: ALERT_KEYSET,
    build: (p) => {
      const conds = alertFilterSql(filter, p);
      return {
        count: `SELECT count(*) AS n FROM alerts ${where(conds)}`,
        select: (cond) =>
          `SELECT ${ALERT_COLUMNS}, ${ALERT_KEYSET.sort} AS sort_key FROM alerts ${where(cond ? [...conds, cond] : conds)}`,
      };
    },
    map: toAlert,
    idColumn: 'seq',
  });
}

/**
 * Sets a timestamp column once: a second call keeps the first time. Null when no alert has the id.
 * A person waits on it (the dashboard's acknowledge and resolve), and no ingest reads the column,
 * so it goes ahead of the ingests waiting for the writer.
 */
function stampOnce(column: 'acknowledged_at' | 'resolved_at') {
  return (db: Database, id: string, at: Date): Promise<Alert | null> =>
    db.write(
      async (tx) => {
        const [row] = await tx.query(
          `UPDATE alerts SET ${column} = coalesce(${column}, $2) WHERE id = $1 RETURNING ${ALERT_COLUMNS}`,
          [id, ts(at)],
        );
        return row ? toAlert(row) : null;
      },
      { ahead: true },
    );
}

export const acknowledgeAlert = stampOnce('acknowledged_at');
export const resolveAlert = stampOnce('resolved_at');

/** Replaces the delivery of the channel with the same webhook (or adds it); nothing when the alert is gone. */
export async function recordDelivery(db: Database, alertId: string, delivery: AlertDelivery): Promise<void> {
  await db.write(async (tx) => {
    const [row] = await tx.query<{ deliveries_json: string }>(
      'SELECT deliveries_json FROM alerts WHERE id = $1',
      [alertId],
    );
    if (!row) return;
    const list = deliveriesFromJson(row.deliveries_json);
    const i = list.findIndex((d) => d.channel.webhook === delivery.channel.webhook);
    if (i < 0) list.push(delivery);
    else list[i] = delivery;
    await tx.query('UPDATE alerts SET deliveries_json = $2 WHERE id = $1', [alertId, JSON.stringify(list)]);
  });
}

// ------------------------------------------------------------------ states

export async function alertStates(db: Database, ruleId: string): Promise<Map<string, AlertState>> {
  const rows = await db.query(
    'SELECT rule_id, group_key, firing, alert_id, last_fired_at, last_value, updated_at FROM alert_states WHERE rule_id = $1',
    [ruleId],
  );
  return new Map(
    rows.map((r) => [
      r['group_key'] as string,
      {
        ruleId: r['rule_id'] as string,
        groupKey: r['group_key'] as string,
        firing: r['firing'] as boolean,
        alertId: (r['alert_id'] as string | null) ?? null,
        lastFiredAt: (r['last_fired_at'] as Date | null) ?? null,
        lastValue: toNullableNumber(r['last_value']),
        updatedAt: r['updated_at'] as Date,
      },
    ]),
  );
}

/** Inserts or replaces the state of (ruleId, groupKey). */
export async function saveAlertState(db: Database, s: AlertState): Promise<void> {
  await db.write((tx) => saveAlertStateIn(tx, s));
}

async function saveAlertStateIn(tx: Pick<WriteTx, 'query'>, s: AlertState): Promise<void> {
  const values = [
    s.firing,
    s.alertId,
    nullableTs(s.lastFiredAt),
    s.lastValue,
    ts(s.updatedAt),
    s.ruleId,
    s.groupKey,
  ];
  // One statement whether the group has a state yet or not (it is on the path of every fired alert).
  await tx.query(
    `MERGE INTO alert_states s
     USING (SELECT $1::BOOLEAN AS firing, $2::VARCHAR AS alert_id, $3::TIMESTAMP AS last_fired_at,
                   $4::DOUBLE AS last_value, $5::TIMESTAMP AS updated_at, $6::VARCHAR AS rule_id, $7::VARCHAR AS group_key) n
     ON s.rule_id = n.rule_id AND s.group_key = n.group_key
     WHEN MATCHED THEN UPDATE SET firing = n.firing, alert_id = n.alert_id, last_fired_at = n.last_fired_at,
       last_value = n.last_value, updated_at = n.updated_at
     WHEN NOT MATCHED THEN INSERT (firing, alert_id, last_fired_at, last_value, updated_at, rule_id, group_key)
       VALUES (n.firing, n.alert_id, n.last_fired_at, n.last_value, n.updated_at, n.rule_id, n.group_key)`,
    values,
  );
}

export async function deleteAlertStates(db: Database, ruleId: string): Promise<void> {
  await db.write((tx) => tx.query('DELETE FROM alert_states WHERE rule_id = $1', [ruleId]));
}
