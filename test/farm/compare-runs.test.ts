import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { data, gql, INGEST, testApp } from '../support/app.ts';

// Three history runs (h1–h3), then the base run and the head run, with every kind of difference:
//   "breaks"   PASSED → FAILED "expected 3 items, got 2"   (new failure)
//   "mends"    FAILED → PASSED                              (fixed)
//   "broken"   ERROR → FAILED "still down"                  (still failing)
//   "wobbles"  PASSED → FAILED then PASSED on retry (flaky, so passed: no change)
//   "skipped"  SKIPPED → FAILED                             (did not pass in base: not a new failure)
//   "arrives"  only in head; "leaves" only in base
// Durations (ms) of the tests that pass throughout:
//   "slows"   h: 100, 100·e^0.1, 100·e^−0.1; base 100; head 200. Ratio 2. History (base included) on the
//             log scale: ln 100 + (0, 0.1, −0.1, 0), s = √(0.02/3) ≈ 0.0816; t = ln 2 / (s·√1.25) ≈ 7.6 → listed.
//   "noisy"   h: 50, 400, 100; base 100; head 150. Ratio 1.5, but ln: 3.912, 5.991, 4.605, 4.605 (mean 4.778,
//             s ≈ 0.872), t = (5.011 − 4.778) / (0.872·√1.25) ≈ 0.24, p ≈ 0.41: within its noise → not listed.
//   "young"   base 100, head 130: ratio 1.3 with one earlier duration → listed on the ratio alone.
//   "steady"  base 100, head 110: ratio 1.1 < 1.2 → not listed.
type Row = Record<string, unknown>;
const r = (day: number, name: string, status: string, durationMs = 10, extra: Row = {}): Row => ({
  suite: 'cmp',
  name,
  status,
  durationMs,
  startedAt: `2026-11-0${day}T10:00:00Z`,
  worker: 'w1',
  ...extra,
});
const run = (id: string, day: number, results: Row[]) => ({
  run: { id, project: 'cmp', branch: 'main', startedAt: `2026-11-0${day}T09:59:00Z` },
  results,
});
const H = [100, 100 * Math.exp(0.1), 100 * Math.exp(-0.1)];
const N = [50, 400, 100];
const HISTORY = [1, 2, 3].map((d) =>
  run(`h${d}`, d, [r(d, 'slows', 'PASSED', H[d - 1]), r(d, 'noisy', 'PASSED', N[d - 1])]),
);
const BASE = run('base', 4, [
  r(4, 'breaks', 'PASSED'),
  r(4, 'mends', 'FAILED', 10, { message: 'off by one' }),
  r(4, 'broken', 'ERROR', 10, { message: 'down' }),
  r(4, 'wobbles', 'PASSED'),
  r(4, 'skipped', 'SKIPPED'),
  r(4, 'leaves', 'PASSED'),
  r(4, 'slows', 'PASSED', 100),
  r(4, 'noisy', 'PASSED', 100),
  r(4, 'young', 'PASSED', 100),
  r(4, 'steady', 'PASSED', 100),
]);
const HEAD = run('head', 5, [
  r(5, 'breaks', 'FAILED', 10, { message: 'expected 3 items, got 2' }),
  r(5, 'mends', 'PASSED'),
  r(5, 'broken', 'FAILED', 10, { message: 'still down' }),
  r(5, 'wobbles', 'FAILED', 10, { message: 'flake' }),
  r(5, 'wobbles', 'PASSED', 10, { attempt: 2 }),
  r(5, 'skipped', 'FAILED', 10, { message: 'now runs' }),
  r(5, 'arrives', 'PASSED'),
  r(5, 'slows', 'PASSED', 200),
  r(5, 'noisy', 'PASSED', 150),
  r(5, 'young', 'PASSED', 130),
  r(5, 'steady', 'PASSED', 110),
]);

const QUERY = `query($base: ID!, $head: ID!, $ratio: Float) { compareRuns(base: $base, head: $head, minDurationRatio: $ratio) {
  base { id } head { id }
  newFailures { test { name } baseStatus headStatus message }
  fixed { test { name } baseStatus headStatus message }
  stillFailing { test { name } baseStatus headStatus message }
  newTests { name } removedTests { name }
  durationRegressions { test { name } baseMs headMs ratio historyN tScore pValue significant }
} }`;

interface Change {
  test: { name: string };
  baseStatus: string | null;
  headStatus: string | null;
  message: string | null;
}
interface Comparison {
  base: { id: string };
  head: { id: string };
  newFailures: Change[];
  fixed: Change[];
  stillFailing: Change[];
  newTests: { name: string }[];
  removedTests: { name: string }[];
  durationRegressions: {
    test: { name: string };
    baseMs: number;
    headMs: number;
    ratio: number;
    historyN: number;
    tScore: number | null;
    pValue: number | null;
    significant: boolean | null;
  }[];
}

let app: App;
beforeAll(async () => {
  app = await testApp();
  for (const input of [...HISTORY, BASE, HEAD]) await data(app, INGEST, { input });
});
afterAll(async () => app.close());

const compare = async (variables: Row) =>
  (await data<{ compareRuns: Comparison }>(app, QUERY, variables)).compareRuns;

describe('compareRuns', () => {
  it('sorts every test into new failures, fixed, still failing, new and removed', async () => {
    const c = await compare({ base: 'base', head: 'head' });
    expect(c.base.id).toBe('base');
    expect(c.head.id).toBe('head');
    expect(c.newFailures).toEqual([
      {
        test: { name: 'breaks' },
        baseStatus: 'PASSED',
        headStatus: 'FAILED',
        message: 'expected 3 items, got 2',
      },
    ]);
    expect(c.fixed).toEqual([
      { test: { name: 'mends' }, baseStatus: 'FAILED', headStatus: 'PASSED', message: null },
    ]);
    expect(c.stillFailing).toEqual([
      { test: { name: 'broken' }, baseStatus: 'ERROR', headStatus: 'FAILED', message: 'still down' },
    ]);
    expect(c.newTests).toEqual([{ name: 'arrives' }]);
    expect(c.removedTests).toEqual([{ name: 'leaves' }]);
  });

  it("lists duration regressions beyond the ratio and the test's own noise, largest ratio first", async () => {
    const c = await compare({ base: 'base', head: 'head' });
    expect(c.durationRegressions.map((d) => d.test.name)).toEqual(['slows', 'young']);
    const [slows, young] = c.durationRegressions;
    const s = Math.sqrt(0.02 / 3);
    expect(slows).toMatchObject({ baseMs: 100, headMs: 200, ratio: 2, historyN: 4, significant: true });
    expect(slows!.tScore).toBeCloseTo(Math.log(2) / (s * Math.sqrt(1.25)), 9);
    expect(slows!.pValue).toBeLessThan(0.01);
    expect(young).toEqual({
      test: { name: 'young' },
      baseMs: 100,
      headMs: 130,
      ratio: 1.3,
      historyN: 1,
      tScore: null,
      pValue: null,
      significant: null,
    });
  });

  it('takes the ratio threshold from minDurationRatio', async () => {
    const c = await compare({ base: 'base', head: 'head', ratio: 1.05 });
    expect(c.durationRegressions.map((d) => d.test.name)).toEqual(['slows', 'young', 'steady']);
  });

  it('names an unknown run id, and refuses comparing a run with itself', async () => {
    const one = await gql(app, QUERY, { base: 'base', head: 'nope' });
    expect(one.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(one.errors?.[0]?.message).toContain('"nope" (head)');
    const both = await gql(app, QUERY, { base: 'x', head: 'y' });
    expect(both.errors?.[0]?.message).toMatch(/"x" \(base\) or "y" \(head\)/);
    const same = await gql(app, QUERY, { base: 'base', head: 'base' });
    expect(same.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const ratio = await gql(app, QUERY, { base: 'base', head: 'head', ratio: 0 });
    expect(ratio.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
