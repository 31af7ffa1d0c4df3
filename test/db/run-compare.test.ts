import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDurationHistory } from '../../src/db/run-compare.ts';
import { openStore } from '../../src/db/store.ts';
import { asRunId, asTestId } from '../../src/domain/ids.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import type { IngestResultInput } from '../../src/domain/types.ts';

// A duration history is first read from the newest runs; it must be the whole history's answer
// even when a run ingested long ago (a low seq) started after the newest runs' executions.
type S = Awaited<ReturnType<typeof openStore>>;
let store: S;
const hour = (h: number) => new Date(Date.UTC(2026, 9, 1) + h * 3_600_000).toISOString();
const ids = { a: '', b: '', c: '' };

beforeAll(async () => {
  store = await openStore();
  const send = (id: string, startedAt: string, results: IngestResultInput[]) =>
    store.ingest(validateIngest({ run: { id, project: 'p', startedAt }, results }));
  // Ingested first, so its seq is the lowest, but it started between r38 and r39.
  await send('late', hour(38.5), [{ suite: 's', name: 'c', status: 'PASSED', durationMs: 999 }]);
  for (let i = 0; i < 40; i++) {
    await send(`r${i}`, hour(i), [
      { suite: 's', name: 'a', status: 'PASSED', durationMs: 10 + i },
      { suite: 's', name: 'b', status: i < 3 ? 'PASSED' : 'FAILED', durationMs: 100 + i },
      { suite: 's', name: 'c', status: 'PASSED', durationMs: 200 + i },
    ]);
  }
  for (const t of await store.db.query<{ id: string; name: 'a' | 'b' | 'c' }>('SELECT id, name FROM tests'))
    ids[t.name] = t.id;
});
afterAll(async () => store.close());

const history = (names: ('a' | 'b' | 'c')[]) =>
  queryDurationHistory(
    store.db,
    names.map((n) => asTestId(ids[n])),
    new Date(hour(39)),
    asRunId('r39'),
    2,
  );

describe('a duration history read from the newest runs first', () => {
  it('takes the last passing durations before the head run, oldest first', async () => {
    expect(Object.fromEntries(await history(['a']))).toEqual({ [ids.a]: [47, 48] });
  });

  it('reaches back to a run that started later than its seq says', async () => {
    expect(Object.fromEntries(await history(['c']))).toEqual({ [ids.c]: [238, 999] });
  });

  it('reaches back to a test’s old passes, for every test asked about', async () => {
    expect(Object.fromEntries(await history(['a', 'b', 'c']))).toEqual({
      [ids.a]: [47, 48],
      [ids.b]: [101, 102],
      [ids.c]: [238, 999],
    });
  });
});
