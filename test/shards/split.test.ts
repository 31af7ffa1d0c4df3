import { afterEach, describe, expect, it } from 'vitest';
import { splitIntoShards } from '../../src/analytics/shards.ts';
import type { App } from '../../src/server/app.ts';
import { INGEST, data, gql, testApp } from '../support/app.ts';

const items = (ms: readonly (number | null)[]) => ms.map((v, i) => ({ id: `t${i}`, ms: v }));
const loads = (plan: ReturnType<typeof splitIntoShards>) => plan.shards.map((s) => s.expectedMs);

describe('splitIntoShards', () => {
  it("beats LPT on Graham's example: 3, 3, 2, 2, 2 on two shards is 6 and 6, not 7 and 5", () => {
    const plan = splitIntoShards(items([3, 3, 2, 2, 2]), 2);
    expect(loads(plan).sort()).toEqual([6, 6]);
    expect(plan.makespanMs).toBe(6);
    expect(plan.lowerBoundMs).toBe(6);
  });

  it('reaches the optimum on a hand-solved set: 8, 7, 6, 5, 4 on two shards is 15 and 15', () => {
    // LPT: 8 | 7; 6 joins 7 (13); 5 joins 8 (13); 4 joins the first (17 | 13). Swapping 8 for 6 gives 6+5+4 | 8+7.
    const plan = splitIntoShards(items([8, 7, 6, 5, 4]), 2);
    expect(plan.makespanMs).toBe(15);
    expect(loads(plan).sort()).toEqual([15, 15]);
  });

  it('cannot beat the longest test: one 10 and four 1s on three shards take 10', () => {
    const plan = splitIntoShards(items([10, 1, 1, 1, 1]), 3);
    expect(plan.makespanMs).toBe(10);
    expect(plan.lowerBoundMs).toBe(10);
    expect(plan.shards.find((s) => s.expectedMs === 10)!.items).toHaveLength(1);
  });

  it('spreads tests with no history evenly by count, and places every test exactly once', () => {
    const plan = splitIntoShards(items([5, null, null, null, null, null, 5, 5]), 3);
    expect(plan.shards.map((s) => s.items.filter((i) => i.ms === null).length).sort()).toEqual([1, 2, 2]);
    expect(plan.shards.flatMap((s) => s.items.map((i) => i.id)).sort()).toEqual(
      items(Array(8).fill(0))
        .map((i) => i.id)
        .sort(),
    );
    expect(loads(plan)).toEqual([5, 5, 5]);
  });

  it('gives the same plan whatever order the tests arrive in', () => {
    const a = items([4, 9, 2, 2, 7, 3, 3, 1]);
    const ids = (p: ReturnType<typeof splitIntoShards>) =>
      p.shards.map((s) => s.items.map((i) => i.id).sort());
    expect(ids(splitIntoShards([...a].reverse(), 3))).toEqual(ids(splitIntoShards(a, 3)));
  });

  it('refuses a shard count below one', () => {
    expect(() => splitIntoShards(items([1]), 0)).toThrow(RangeError);
  });
});

describe('testShards over GraphQL', () => {
  let app: App;
  afterEach(async () => app?.close());

  it("splits a slice's tests by their p90 durations, and spreads named tests it has never seen", async () => {
    app = await testApp();
    // Five tests over two runs; p90 of two values is their linear interpolation at 0.9 (DuckDB's quantile_cont).
    const durations: Record<string, [number, number]> = {
      a: [3000, 3000],
      b: [3000, 3000],
      c: [2000, 2000],
      d: [2000, 2000],
      e: [2000, 2000],
    };
    for (const [i, day] of ['2026-11-20', '2026-11-21'].entries()) {
      await data(app, INGEST, {
        input: {
          run: { id: `r${i}`, project: 'web', branch: 'main', startedAt: `${day}T10:00:00Z` },
          results: Object.entries(durations).map(([name, ms]) => ({
            suite: 's',
            name,
            status: 'PASSED',
            durationMs: ms[i],
            startedAt: `${day}T10:00:01Z`,
          })),
        },
      });
    }
    const r = await data<{
      testShards: {
        makespanMs: number;
        lowerBoundMs: number;
        imbalance: number;
        shards: {
          index: number;
          expectedMs: number;
          tests: { testId: string; expectedMs: number | null; test: { name: string } | null }[];
        }[];
      };
    }>(
      app,
      `query($f: ResultFilter) { testShards(filter: $f, shards: 2) { makespanMs lowerBoundMs imbalance shards { index expectedMs tests { testId expectedMs test { name } } } } }`,
      { f: { project: ['web'] } },
    );
    const plan = r.testShards;
    // 3 + 3 | 2 + 2 + 2: both shards 6 s, the optimum (LPT alone would give 7 and 5).
    expect(plan.shards.map((s) => s.expectedMs)).toEqual([6000, 6000]);
    expect(plan).toMatchObject({ makespanMs: 6000, lowerBoundMs: 6000, imbalance: 0 });
    expect(plan.shards.map((s) => s.tests.map((t) => t.test!.name).sort())).toEqual(
      expect.arrayContaining([
        ['a', 'b'],
        ['c', 'd', 'e'],
      ]),
    );

    // A test the CI job is about to run for the first time has no history: it is placed, by count.
    const named = await data<{
      testShards: { shards: { tests: { testId: string; expectedMs: number | null; test: unknown }[] }[] };
    }>(
      app,
      `query($f: ResultFilter) { testShards(filter: $f, shards: 2) { shards { tests { testId expectedMs test { name } } } } }`,
      { f: { testId: ['0000000000000new'] } },
    );
    expect(named.testShards.shards.flatMap((s) => s.tests)).toEqual([
      { testId: '0000000000000new', expectedMs: null, test: null },
    ]);
  });

  it('refuses a shard count out of range, naming the field', async () => {
    app = await testApp();
    const r = await gql(app, '{ testShards(shards: 0) { makespanMs } }');
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'shards' } });
  });
});
