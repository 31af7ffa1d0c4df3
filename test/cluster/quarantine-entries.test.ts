import { afterAll, describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/cluster/codec.ts';
import { applyEntry, isEntry, type Entry } from '../../src/cluster/entries.ts';
import { openStore } from '../../src/db/store.ts';
import { asTestId } from '../../src/domain/ids.ts';
import type { QuarantineRule } from '../../src/domain/quarantine.ts';

const stores: Awaited<ReturnType<typeof openStore>>[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
});

const AT = new Date('2026-11-21T00:00:00Z');
const NOW = new Date('2026-11-22T00:00:00Z');

describe('quarantine writes through the replicas’ log', () => {
  it('are log entries that apply the same entries, rules and audit trail on every replica', async () => {
    const a = await openStore({ readers: 1 });
    const b = await openStore({ readers: 1 });
    stores.push(a, b);
    const rule: QuarantineRule = {
      id: 'r1',
      name: 'flaky',
      project: ['api'],
      minScore: 0.3,
      windowDays: 30,
      minExecutions: 5,
      expiresAfterDays: 14,
      releaseAfterPasses: 20,
      enabled: true,
      createdAt: AT,
      updatedAt: AT,
    };
    const entries: Entry[] = [
      { op: 'saveQuarantineRule', rule, actor: 'bob' },
      {
        op: 'changeQuarantine',
        change: {
          start: [
            {
              id: 'e1',
              testId: asTestId('0123456789abcdef'),
              project: 'api',
              source: 'MANUAL',
              ruleId: null,
              reason: 'flaps',
              owner: 'alice',
              since: AT,
              expiresAt: new Date('2026-11-28T00:00:00Z'),
              releaseAfterPasses: 5,
            },
          ],
          end: [],
          audit: [
            {
              at: AT,
              action: 'QUARANTINED',
              entryId: 'e1',
              testId: asTestId('0123456789abcdef'),
              actor: 'alice',
              ruleId: null,
              reason: 'flaps',
            },
          ],
        },
      },
      { op: 'deleteQuarantineRule', id: 'r1', actor: 'bob', at: NOW },
    ];
    for (const e of entries) {
      const wire = decode<unknown>(encode(e));
      expect(isEntry(wire)).toBe(true);
      await applyEntry(a, e);
      await applyEntry(b, wire as Entry);
    }
    for (const s of [a, b]) {
      expect(await s.quarantineRules()).toEqual([]);
      expect(
        (await s.quarantineEntries({ now: NOW })).map((e) => [e.id, e.owner, e.since, e.active]),
      ).toEqual([['e1', 'alice', AT, true]]);
    }
    expect(await b.quarantineAudit({ limit: 10 })).toEqual(await a.quarantineAudit({ limit: 10 }));
    expect((await b.quarantineAudit({ limit: 10 })).map((e) => [e.seq, e.action])).toEqual([
      [3, 'RULE_DELETED'],
      [2, 'QUARANTINED'],
      [1, 'RULE_SAVED'],
    ]);
  });
});
