import { afterEach, describe, expect, it } from 'vitest';
import { compareIds, decode, encode, redactUrl } from '../../src/cluster/codec.ts';
import { openStore } from '../../src/db/store.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';

const batch = (id: string) =>
  validateIngest({
    run: { id, project: 'web', branch: 'main', startedAt: new Date('2026-11-03T10:00:00Z') },
    results: [
      { suite: 's', name: 'a', status: 'PASSED', durationMs: 3 },
      { suite: 's', name: 'b', status: 'FAILED', durationMs: 4 },
    ],
  });

const stores: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

describe('the log position a replica stores', () => {
  it('commits with the write it applies', async () => {
    const store = await openStore({ readers: 1 });
    stores.push(store);
    expect(await store.position()).toEqual({ id: '0-0', applied: 0 });
    await store.atPosition('1700000000000-0', () => store.ingest(batch('r1')));
    expect(await store.position()).toEqual({ id: '1700000000000-0', applied: 1 });
    expect((await store.counts()).results).toBe(2);
  });

  it('stays where it was when the write rolls back (a crash before COMMIT)', async () => {
    let crash = false;
    const store = await openStore({
      readers: 1,
      beforeCommit: () => {
        if (crash) throw new Error('power cut');
      },
    });
    stores.push(store);
    await store.atPosition('1700000000000-0', () => store.ingest(batch('r1')));
    crash = true;
    await expect(store.atPosition('1700000000001-0', () => store.ingest(batch('r2')))).rejects.toThrow(
      'power cut',
    );
    expect(await store.position()).toEqual({ id: '1700000000000-0', applied: 1 });
    expect((await store.counts()).runs).toBe(1);
  });

  it('is recorded on its own for an entry that writes nothing, and refuses a second transaction in one entry', async () => {
    const store = await openStore({ readers: 1 });
    stores.push(store);
    await store.atPosition('5-1', async () => undefined);
    expect(await store.position()).toEqual({ id: '5-1', applied: 1 });
    await expect(
      store.atPosition('5-2', async () => {
        await store.deleteAlertStates('x');
        await store.deleteAlertStates('y');
      }),
    ).rejects.toThrow('one entry is one transaction');
    expect(await store.position()).toEqual({ id: '5-2', applied: 2 });
  });
});

describe('log entry encoding', () => {
  it('brings Dates back as Dates, nested at any depth', () => {
    const value = {
      at: new Date('2026-11-03T10:00:00.123Z'),
      list: [{ when: new Date(0) }],
      name: 'x',
      none: null,
    };
    const back = decode<typeof value>(encode(value));
    expect(back.at).toBeInstanceOf(Date);
    expect(back.at.toISOString()).toBe('2026-11-03T10:00:00.123Z');
    expect(back.list[0]!.when.getTime()).toBe(0);
    expect(back).toEqual(value);
  });

  it('orders stream ids by time, then sequence, as numbers', () => {
    expect(compareIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareIds('10-10', '10-10')).toBe(0);
    expect(compareIds('1700000000001-0', '1700000000000-5')).toBeGreaterThan(0);
  });

  it('hides the password of a Redis URL', () => {
    expect(redactUrl('redis://:secret@cache:6379/0')).toBe('redis://:***@cache:6379/0');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
