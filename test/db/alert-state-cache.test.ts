import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertStore } from '../../src/db/alert-store.ts';
import { alertStates } from '../../src/db/alerts.ts';
import { Database } from '../../src/db/database.ts';
import { normaliseRule } from '../../src/domain/alert-rules.ts';
import type { AlertState, AlertStore, NewAlert } from '../../src/domain/alerts.ts';

// The store keeps each rule's alert states in memory once read; every answer must still be the
// table's, as a fresh read of it gives, after each kind of write and after a restart.
let dir: string;
let db: Database;
let store: AlertStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'assay-alert-states-'));
  db = await Database.open({ path: join(dir, 'a.duckdb'), readers: 1 });
  store = alertStore(db);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const t0 = new Date('2026-11-01T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const rule = normaliseRule(
  { name: 'web pass rate', kind: 'PASS_RATE_DROP', threshold: 0.9, groupBy: ['BRANCH'] },
  { id: 'r1', now: t0 },
);
const fired = (groupKey: string, when: Date): NewAlert => ({
  kind: rule.kind,
  severity: rule.severity,
  message: `${groupKey} fired`,
  firedAt: when,
  value: 0.5,
  threshold: rule.threshold,
  group: { tags: {} },
  groupKey,
  rule,
});
const base = (groupKey: string, when: Date) => ({
  ruleId: rule.id,
  groupKey,
  lastFiredAt: when,
  lastValue: 0.5,
  updatedAt: when,
});

/** The store's answer, checked against the table's. */
async function states(): Promise<Map<string, AlertState>> {
  const kept = await store.alertStates(rule.id);
  expect(kept).toEqual(await alertStates(db, rule.id));
  return kept;
}

describe('alert states kept in memory', () => {
  it('follows a firing, a resolve and a second group, as the table does', async () => {
    expect((await states()).size).toBe(0); // read (and kept) before any write
    const a = await store.fireAlert(fired('["main"]', at(0)), base('["main"]', at(0)));
    expect((await states()).get('["main"]')).toMatchObject({ firing: true, alertId: a.id });
    await store.saveAlertState({
      ...base('["main"]', at(0)),
      firing: false,
      alertId: null,
      updatedAt: at(30),
    });
    await store.fireAlert(fired('["dev"]', at(40)), base('["dev"]', at(40)));
    const now = await states();
    expect(now.get('["main"]')).toMatchObject({ firing: false, alertId: null, updatedAt: at(30) });
    expect(now.get('["dev"]')).toMatchObject({ firing: true, lastFiredAt: at(40) });
  });

  it("forgets a rule's states when they are deleted (its kind changed, or it was deleted)", async () => {
    await store.fireAlert(fired('["main"]', at(0)), base('["main"]', at(0)));
    expect((await states()).size).toBe(1);
    await store.deleteAlertStates(rule.id);
    expect((await states()).size).toBe(0);
    await store.fireAlert(fired('["main"]', at(60)), base('["main"]', at(60)));
    expect((await states()).get('["main"]')).toMatchObject({ firing: true, lastFiredAt: at(60) });
  });

  it('hands out copies: changing an answer changes neither the next answer nor the table', async () => {
    await store.fireAlert(fired('["main"]', at(0)), base('["main"]', at(0)));
    (await store.alertStates(rule.id)).delete('["main"]');
    expect((await states()).size).toBe(1);
  });

  it('keeps nothing of a write that failed: the next answer is the table again', async () => {
    await store.fireAlert(fired('["main"]', at(0)), base('["main"]', at(0)));
    expect((await states()).size).toBe(1);
    // The same alert id twice: the insert fails and the transaction rolls back.
    const again = await store.fireAlert(fired('["dev"]', at(5)), base('["dev"]', at(5)));
    await db.write((tx) => tx.query('CREATE UNIQUE INDEX alerts_id ON alerts (id)'));
    await expect(
      store.fireAlert(fired('["ci"]', at(10)), base('["ci"]', at(10)), again.id),
    ).rejects.toThrow();
    const now = await states();
    expect([...now.keys()].sort()).toEqual(['["dev"]', '["main"]']);
  });

  it('reads the table afresh after a restart', async () => {
    await store.fireAlert(fired('["main"]', at(0)), base('["main"]', at(0)));
    await states();
    await db.close();
    db = await Database.open({ path: join(dir, 'a.duckdb'), readers: 1 });
    store = alertStore(db);
    expect((await states()).get('["main"]')).toMatchObject({ firing: true, lastFiredAt: at(0) });
  });
});
