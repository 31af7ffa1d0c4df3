import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acknowledgeAlert,
  alert,
  alertStates,
  alertsPage,
  deleteAlertStates,
  deleteRule,
  insertAlert,
  recordDelivery,
  resolveAlert,
  rule,
  rules,
  saveAlertState,
  saveRule,
} from '../../src/db/alerts.ts';
import { Database } from '../../src/db/database.ts';
import { normaliseRule } from '../../src/domain/alert-rules.ts';
import type { Alert, AlertFilter, AlertRule, AlertState, NewAlert } from '../../src/domain/alerts.ts';
import type { Page, Severity } from '../../src/domain/types.ts';
import { asTestId } from '../../src/domain/ids.ts';

let db: Database;
beforeEach(async () => {
  db = await Database.open({ path: ':memory:', readers: 2 });
});
afterEach(async () => db.close());

const t0 = new Date('2026-11-01T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

const webRule = normaliseRule(
  {
    name: 'web main pass rate',
    kind: 'PASS_RATE_DROP',
    threshold: 0.95,
    severity: 'CRITICAL',
    filter: { project: ['web'], branch: ['main'], from: at(-600) },
    channels: [
      { webhook: 'http://127.0.0.1:9911/a', format: 'SLACK' },
      { webhook: 'https://hooks.example.com/b' },
    ],
  },
  { id: 'r-web', now: t0 },
);
const flakyRule = normaliseRule(
  { name: 'flaky tests', kind: 'FLAKY_TEST', threshold: 0.3, groupBy: ['PROJECT'] },
  { id: 'r-flaky', now: t0 },
);

function newAlert(r: AlertRule, firedAt: Date, over: Partial<NewAlert> = {}): NewAlert {
  return {
    kind: r.kind,
    severity: r.severity,
    message: `${r.name} fired`,
    firedAt,
    value: 0.9,
    threshold: r.threshold,
    group: { tags: {} },
    groupKey: '[]',
    rule: r,
    ...over,
  };
}

/** Every alert a filter selects, newest first, read two at a time through the cursors. */
async function all(filter: AlertFilter | null, first = 2): Promise<Alert[]> {
  const out: Alert[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Page<Alert> = await alertsPage(db, filter, first, after);
    out.push(...page.nodes.map((n) => n.node));
    if (!page.hasNextPage) return out;
    after = page.nodes.at(-1)!.cursor;
  }
}

describe('alert rules', () => {
  it('stores a rule and reads it back exactly, dates and filter included', async () => {
    await saveRule(db, webRule);
    expect(await rule(db, 'r-web')).toEqual(webRule);
    expect(await rule(db, 'nope')).toBeNull();
  });

  it('replaces a rule with the same id and lists rules by name', async () => {
    await saveRule(db, webRule);
    await saveRule(db, flakyRule);
    const renamed = { ...webRule, name: 'a web rule', enabled: false, updatedAt: at(5) };
    await saveRule(db, renamed);
    expect(await rules(db)).toEqual([renamed, flakyRule]);
  });

  it('deletes a rule once and says whether one was there', async () => {
    await saveRule(db, webRule);
    expect(await deleteRule(db, 'r-web')).toBe(true);
    expect(await deleteRule(db, 'r-web')).toBe(false);
    expect(await rules(db)).toEqual([]);
  });
});

describe('alerts', () => {
  it('stores an alert with a pending delivery per channel and a copy of its rule', async () => {
    const stored = await insertAlert(
      db,
      newAlert(webRule, t0, {
        group: { project: 'web', testId: asTestId('t1'), tags: { os: 'linux' } },
        groupKey: '["web","t1"]',
      }),
    );
    expect(stored.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored.deliveries).toEqual([
      {
        channel: { webhook: 'http://127.0.0.1:9911/a', format: 'SLACK' },
        status: 'PENDING',
        attempts: 0,
        lastError: null,
        lastAttemptAt: null,
      },
      {
        channel: { webhook: 'https://hooks.example.com/b', format: 'JSON' },
        status: 'PENDING',
        attempts: 0,
        lastError: null,
        lastAttemptAt: null,
      },
    ]);
    await deleteRule(db, 'r-web');
    expect(await alert(db, stored.id)).toEqual(stored);
    expect(await alert(db, 'nope')).toBeNull();
  });

  it('pages newest first, in a stable order on equal fire times, with cursors unmoved by newer alerts', async () => {
    const ids: string[] = [];
    for (const m of [0, 1, 1, 1, 2]) ids.push((await insertAlert(db, newAlert(webRule, at(m)))).id);
    const newestFirst = [ids[4], ids[3], ids[2], ids[1], ids[0]];
    expect((await all(null)).map((a) => a.id)).toEqual(newestFirst);

    const first = await alertsPage(db, null, 2, null);
    expect([first.totalCount, first.hasNextPage]).toEqual([5, true]);
    await insertAlert(db, newAlert(webRule, at(10)));
    const second = await alertsPage(db, null, 2, first.nodes.at(-1)!.cursor);
    expect(second.nodes.map((n) => n.node.id)).toEqual([ids[2], ids[1]]);
    expect(second.totalCount).toBe(6);
  });

  it('pages backwards from the oldest through equal fire times, with both flags', async () => {
    const ids: string[] = [];
    for (const m of [0, 1, 1, 1, 2]) ids.push((await insertAlert(db, newAlert(webRule, at(m)))).id);
    const oldest = await alertsPage(db, null, 2, { fromEnd: true });
    expect(oldest.nodes.map((n) => n.node.id)).toEqual([ids[1], ids[0]]);
    expect([oldest.hasPreviousPage, oldest.hasNextPage]).toEqual([true, false]);
    const middle = await alertsPage(db, null, 2, { fromEnd: true, before: oldest.nodes[0]!.cursor });
    expect(middle.nodes.map((n) => n.node.id)).toEqual([ids[3], ids[2]]);
    expect([middle.hasPreviousPage, middle.hasNextPage]).toEqual([true, true]);
    const newest = await alertsPage(db, null, 2, { fromEnd: true, before: middle.nodes[0]!.cursor });
    expect(newest.nodes.map((n) => n.node.id)).toEqual([ids[4]]);
    expect([newest.hasPreviousPage, newest.hasNextPage]).toEqual([false, true]);
  });

  it('refuses a cursor it did not hand out', async () => {
    await expect(alertsPage(db, null, 2, 'garbage')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('filters by severity, kind, rule, project, acknowledgement, resolution and fire time', async () => {
    const severities: Severity[] = ['INFO', 'WARNING', 'CRITICAL'];
    const made = [];
    for (const [i, severity] of severities.entries())
      made.push(await insertAlert(db, newAlert(webRule, at(i), { severity })));
    // Filed under the group's project, or else the rule filter's only project, or else none.
    made.push(
      await insertAlert(
        db,
        newAlert(flakyRule, at(3), { group: { project: 'api', testId: asTestId('t9'), tags: {} } }),
      ),
    );
    made.push(await insertAlert(db, newAlert(flakyRule, at(4))));
    const [info, warning, critical, api, none] = made.map((a) => a.id);
    await acknowledgeAlert(db, warning!, at(10));
    await resolveAlert(db, critical!, at(11));

    const ids = async (f: AlertFilter) => (await all(f)).map((a) => a.id);
    expect(await ids({ severity: ['INFO', 'CRITICAL'] })).toEqual([critical, info]);
    expect(await ids({ minSeverity: 'WARNING' })).toEqual([none, api, critical, warning]);
    expect(await ids({ minSeverity: 'CRITICAL', severity: ['WARNING'] })).toEqual([]);
    expect(await ids({ kind: ['FLAKY_TEST'] })).toEqual([none, api]);
    expect(await ids({ ruleId: ['r-web'] })).toEqual([critical, warning, info]);
    expect(await ids({ project: ['web'] })).toEqual([critical, warning, info]);
    expect(await ids({ project: ['api'] })).toEqual([api]);
    expect(await ids({ acknowledged: true })).toEqual([warning]);
    expect(await ids({ acknowledged: false, resolved: false })).toEqual([none, api, info]);
    expect(await ids({ resolved: true })).toEqual([critical]);
    expect(await ids({ from: at(1), to: at(3) })).toEqual([critical, warning]);
    expect(await ids({ severity: [], kind: null })).toHaveLength(5);
    expect((await alertsPage(db, { ruleId: ['r-flaky'] }, 1, null)).totalCount).toBe(2);
  });

  it('acknowledges and resolves once: a second call keeps the first time', async () => {
    const { id } = await insertAlert(db, newAlert(webRule, t0));
    expect((await acknowledgeAlert(db, id, at(1)))?.acknowledgedAt).toEqual(at(1));
    expect((await acknowledgeAlert(db, id, at(2)))?.acknowledgedAt).toEqual(at(1));
    expect((await resolveAlert(db, id, at(3)))?.resolvedAt).toEqual(at(3));
    const again = await resolveAlert(db, id, at(4));
    expect([again?.acknowledgedAt, again?.resolvedAt]).toEqual([at(1), at(3)]);
    expect(await acknowledgeAlert(db, 'nope', at(1))).toBeNull();
    expect(await resolveAlert(db, 'nope', at(1))).toBeNull();
  });

  it('stores an acknowledgement and a resolution before the writes already waiting for the writer', async () => {
    const { id } = await insertAlert(db, newAlert(webRule, t0));
    // A write that holds the writer (an ingest under way), and one waiting behind it that reads the alert.
    let release!: () => void;
    let started!: () => void;
    const began = new Promise<void>((r) => (started = r));
    const running = db.write(async () => {
      started();
      await new Promise<void>((r) => (release = r));
    });
    await began;
    const seen = db.write(async (tx) => {
      const [row] = await tx.query<{ acknowledged_at: unknown; resolved_at: unknown }>(
        'SELECT acknowledged_at, resolved_at FROM alerts WHERE id = $1',
        [id],
      );
      return [row?.acknowledged_at !== null, row?.resolved_at !== null];
    });
    const acknowledged = acknowledgeAlert(db, id, at(1));
    const resolved = resolveAlert(db, id, at(2));
    release();
    await running;
    expect(await seen).toEqual([true, true]);
    expect((await resolved)?.acknowledgedAt).toEqual(at(1));
    expect((await acknowledged)?.acknowledgedAt).toEqual(at(1));
  });

  it("records each delivery attempt in place of that channel's entry", async () => {
    const stored = await insertAlert(db, newAlert(webRule, t0));
    const [slack, json] = stored.deliveries.map((d) => d.channel);
    await recordDelivery(db, stored.id, {
      channel: json!,
      status: 'FAILED',
      attempts: 1,
      lastError: 'HTTP 503',
      lastAttemptAt: at(1),
    });
    await recordDelivery(db, stored.id, {
      channel: json!,
      status: 'DELIVERED',
      attempts: 2,
      lastError: 'HTTP 503',
      lastAttemptAt: at(2),
    });
    expect((await alert(db, stored.id))?.deliveries).toEqual([
      { channel: slack, status: 'PENDING', attempts: 0, lastError: null, lastAttemptAt: null },
      { channel: json, status: 'DELIVERED', attempts: 2, lastError: 'HTTP 503', lastAttemptAt: at(2) },
    ]);
    await expect(
      recordDelivery(db, 'nope', {
        channel: json!,
        status: 'FAILED',
        attempts: 1,
        lastError: null,
        lastAttemptAt: null,
      }),
    ).resolves.toBeUndefined();
  });
});

describe('alert states', () => {
  const state = (over: Partial<AlertState>): AlertState => ({
    ruleId: 'r-web',
    groupKey: '["web"]',
    firing: true,
    alertId: 'a1',
    lastFiredAt: t0,
    lastValue: 0.9,
    updatedAt: t0,
    ...over,
  });

  it('upserts one state per rule and group, and deletes a rule’s states', async () => {
    await saveAlertState(db, state({}));
    await saveAlertState(
      db,
      state({ groupKey: '["api"]', firing: false, alertId: null, lastFiredAt: null, lastValue: null }),
    );
    await saveAlertState(db, state({ ruleId: 'r-other' }));
    const cleared = state({ firing: false, alertId: null, lastValue: 0.99, updatedAt: at(5) });
    await saveAlertState(db, cleared);

    const states = await alertStates(db, 'r-web');
    expect([...states.keys()].sort()).toEqual(['["api"]', '["web"]']);
    expect(states.get('["web"]')).toEqual(cleared);
    expect(states.get('["api"]')).toEqual(
      state({ groupKey: '["api"]', firing: false, alertId: null, lastFiredAt: null, lastValue: null }),
    );

    await deleteAlertStates(db, 'r-web');
    expect((await alertStates(db, 'r-web')).size).toBe(0);
    expect((await alertStates(db, 'r-other')).size).toBe(1);
  });
});
