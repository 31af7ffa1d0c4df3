import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { INGEST, data, testApp } from '../support/app.ts';

// Thirteen runs stored in this order (run seq 1 … 13). Run r00, stored first, holds the
// attempts that started last (01:00); r01 … r12 start at 00:01 … 00:12. Test "t" runs in
// every run, "u" in r01 … r12, "v" in r00 and r01. Each attempt's duration names its run
// (r00: 999 ms), so the expected histories below are read straight off this list.
let app: App;
beforeAll(async () => {
  app = await testApp();
  const result = (name: string, minute: number, ms: number) => ({
    suite: 's',
    name,
    status: 'PASSED',
    durationMs: ms,
    startedAt: `2026-11-01T${minute === 60 ? '01:00' : `00:${String(minute).padStart(2, '0')}`}:00Z`,
  });
  for (let i = 0; i <= 12; i++) {
    const minute = i === 0 ? 60 : i;
    const ms = i === 0 ? 999 : i;
    const names = ['t', ...(i >= 1 ? ['u'] : []), ...(i <= 1 ? ['v'] : [])];
    await data(app, INGEST, {
      input: {
        run: { id: `r${String(i).padStart(2, '0')}`, project: 'h', startedAt: '2026-11-01T00:00:00Z' },
        results: names.map((n) => result(n, minute, ms)),
      },
    });
  }
});
afterAll(async () => app.close());

async function history(name: string, last: number): Promise<number[]> {
  const { tests } = await data<{ tests: { edges: { node: { id: string } }[] } }>(
    app,
    'query($n: [String!]) { tests(filter: { testName: $n }) { edges { node { id name } } } }',
    { n: [name] },
  );
  const id = tests.edges.find(() => true)?.node.id;
  const r = await data<{ test: { history: { durationMs: number }[] } }>(
    app,
    'query($id: ID!, $last: Int!) { test(id: $id) { history(last: $last) { durationMs } } }',
    { id, last },
  );
  return r.test.history.map((h) => h.durationMs);
}

describe("a test's latest attempts", () => {
  it('come from the newest runs when nothing older started later', async () => {
    expect(await history('u', 1)).toEqual([12]);
    expect(await history('u', 2)).toEqual([11, 12]);
  });

  it('include an attempt of an older run that started later than the newest runs', async () => {
    expect(await history('t', 1)).toEqual([999]);
    expect(await history('t', 3)).toEqual([11, 12, 999]);
  });

  it('break a tie in start time by result id (retries that share one start)', async () => {
    await data(app, INGEST, {
      input: {
        run: { id: 'r13', project: 'h', startedAt: '2026-11-01T00:00:00Z' },
        results: [1, 2, 3].map((attempt) => ({
          suite: 's',
          name: 'w',
          status: attempt < 3 ? 'FAILED' : 'PASSED',
          attempt,
          durationMs: attempt,
          startedAt: '2026-11-01T00:13:00Z',
        })),
      },
    });
    expect(await history('w', 1)).toEqual([3]);
    expect(await history('w', 2)).toEqual([2, 3]);
    expect(await history('w', 4)).toEqual([1, 2, 3]);
  });

  it('look back past the newest runs when they hold too few', async () => {
    expect(await history('v', 1)).toEqual([999]);
    expect(await history('v', 5)).toEqual([1, 999]);
  });

  it('are the same when several tests are asked at once (one batched read)', async () => {
    const several = async (names: string[], last: number) => {
      const { tests } = await data<{
        tests: { edges: { node: { name: string; history: { durationMs: number }[] } }[] };
      }>(
        app,
        'query($n: [String!], $last: Int!) { tests(filter: { testName: $n }) { edges { node { name history(last: $last) { durationMs } } } } }',
        { n: names, last },
      );
      return Object.fromEntries(
        tests.edges.map((e) => [e.node.name, e.node.history.map((h) => h.durationMs)]),
      );
    };
    // The newest runs hold u's and w's latest attempts: nothing older started later.
    expect(await several(['u', 'w'], 1)).toEqual({ u: [12], w: [3] });
    // r00, the oldest run, holds t's newest attempt: the newest runs hold one of t's, but not its newest.
    expect(await several(['t', 'u'], 1)).toEqual({ t: [999], u: [12] });
    // The newest runs hold none of v's attempts (r00 and r01 hold them).
    expect(await several(['u', 'v'], 1)).toEqual({ u: [12], v: [999] });
    expect(await several(['t', 'u', 'v', 'w'], 1)).toEqual({ t: [999], u: [12], v: [999], w: [3] });
    expect(await several(['t', 'u', 'v', 'w'], 3)).toEqual({
      t: [11, 12, 999],
      u: [10, 11, 12],
      v: [1, 999],
      w: [1, 2, 3],
    });
  });
});
