import { readFileSync } from 'node:fs';
import { parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoFacts } from '../../src/db/demo.ts';
import type { App } from '../../src/server/app.ts';
import { gql, testApp } from '../support/app.ts';
import { demoFile } from '../support/demo.ts';

// The README's tour, run as a reader would: every GraphQL block of the section,
// against the demo as `npm start` builds it (30 days, seed 42), at an end date
// other than today's, and each claim the prose makes checked against the facts
// the demo planted (never against our own answers).
const END = new Date('2026-08-14T00:00:00Z');
const DAY = 86_400_000;
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const tour = readme.slice(
  readme.indexOf('## A five-minute tour of the demo'),
  readme.indexOf('\n## ', readme.indexOf('## A five-minute tour of the demo') + 3),
);
const blocks = [...tour.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);

let app: App;
let facts: DemoFacts;
let demo: Awaited<ReturnType<typeof demoFile>>;

beforeAll(async () => {
  demo = await demoFile({ days: 30, seed: 42, end: END });
  facts = demo.facts;
  // The gateway runs the day the demo was built, as `npm start` does.
  app = await testApp({ db: demo.path, now: () => new Date(END.getTime() + 9 * 3_600_000) });
});
afterAll(async () => {
  await app.close();
  demo.remove();
});

/** The variables a block declares, as the tour tells the reader to set them: `from` a week before the demo's end, `id` a test's. */
function variablesOf(text: string): Record<string, unknown> {
  const op = parse(text).definitions[0] as OperationDefinitionNode;
  const given: Record<string, unknown> = {
    from: new Date(END.getTime() - 7 * DAY).toISOString(),
    id: facts.brokenTest.id,
  };
  return Object.fromEntries(
    (op.variableDefinitions ?? []).map((v) => [v.variable.name.value, given[v.variable.name.value]]),
  );
}

/** Runs the tour's block that contains `marker`. */
async function block<T>(marker: string): Promise<T> {
  const text = blocks.find((b) => b.includes(marker));
  if (!text) throw new Error(`the README's tour has no GraphQL block with ${marker}`);
  const r = await gql<T>(app, text, variablesOf(text));
  expect(r.errors).toBeUndefined();
  return r.data as T;
}

describe("the README's tour of the demo", () => {
  it('has blocks that all run without errors', async () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    for (const text of blocks) expect((await gql(app, text, variablesOf(text))).errors, text).toBeUndefined();
  });

  it('finds the demo’s end as the newest run', async () => {
    const r = await block<{ runs: { edges: { node: { startedAt: string } }[] } }>('runs(first: 1)');
    const newest = Date.parse(r.runs.edges[0]!.node.startedAt);
    expect(newest).toBeLessThanOrEqual(END.getTime());
    expect(newest).toBeGreaterThan(END.getTime() - DAY);
  });

  it('lists the broken test first among the worst of the last week, at a pass rate of 0, with flaky tests after it', async () => {
    const r = await block<{
      tests: { edges: { node: { name: string; stats: { passRate: number; flakyRate: number } } }[] };
    }>('orderBy: { field: PASS_RATE, direction: ASC }');
    const [first, ...rest] = r.tests.edges.map((e) => e.node);
    expect(first).toMatchObject({ name: facts.brokenTest.name, stats: { passRate: 0 } });
    expect(rest.some((t) => facts.flakyTests.some((f) => f.name === t.name) && t.stats.flakyRate > 0)).toBe(
      true,
    );
  });

  it("tells one test's story: its last ten executions", async () => {
    const r = await block<{ test: { name: string; history: { status: string }[] } }>('history(last: 10)');
    expect(r.test.name).toBe(facts.brokenTest.name);
    expect(r.test.history).toHaveLength(10);
    expect(r.test.history.every((h) => h.status === 'FAILED' || h.status === 'ERROR')).toBe(true);
  });

  it('shows the billing suite’s pass rate dropping on the day the test broke', async () => {
    const r = await block<{ metrics: { bucket: string; passRate: number }[] }>('suite: ["billing"]');
    const since = facts.brokenTest.since.getTime();
    const before = r.metrics.filter((m) => Date.parse(m.bucket) < since - DAY).map((m) => m.passRate);
    const after = r.metrics.filter((m) => Date.parse(m.bucket) >= since).map((m) => m.passRate);
    expect(Math.max(...after)).toBeLessThan(Math.min(...before));
  });

  it("shows the slowed test's median duration roughly doubling", async () => {
    const r = await block<{ metrics: { bucket: string; p50: number }[] }>(
      'bucket executions p50: duration(stat: P50)',
    );
    const since = facts.slowedTest.since.getTime();
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const ratio =
      mean(r.metrics.filter((m) => Date.parse(m.bucket) >= since).map((m) => m.p50)) /
      mean(r.metrics.filter((m) => Date.parse(m.bucket) < since).map((m) => m.p50));
    expect(ratio).toBeGreaterThan(1.7);
    expect(ratio).toBeLessThan(3);
  });

  it('points at the sick GPU worker by an order of magnitude, with CUDA errors in its failures', async () => {
    const r = await block<{
      metrics: { group: { worker: string }; flakyRate: number }[];
      results: { edges: { node: { message: string } }[] };
    }>('groupBy: [WORKER]');
    const [top, second] = r.metrics;
    expect(top!.group.worker).toBe(facts.flakyWorker);
    expect(top!.flakyRate).toBeGreaterThan(10 * second!.flakyRate);
    expect(r.results.edges.some((e) => /cuda/i.test(e.node.message))).toBe(true);
  });

  it('ranks the planted flaky tests first and classes the broken test FAILING', async () => {
    const r = await block<{ flakiness: { test: { name: string }; classification: string }[] }>('flakiness(');
    const top = r.flakiness
      .slice(0, facts.flakyTests.length)
      .map((e) => e.test.name)
      .sort();
    expect(top).toEqual(facts.flakyTests.map((f) => f.name).sort());
    for (const e of r.flakiness)
      if (e.test.name === facts.brokenTest.name) expect(e.classification).toBe('FAILING');
  });

  it('sees the break as a change point of the billing trend, and the slowdown as an anomaly', async () => {
    const r = await block<{
      trends: { group: { suite: string }; changePoints: { t: string }[] }[];
      anomalies: { t: string; direction: string }[];
      forecast: { points: unknown[] }[];
    }>('trends(');
    const billing = r.trends.find((t) => t.group.suite === 'billing')!;
    expect(
      billing.changePoints.some((c) => Math.abs(Date.parse(c.t) - facts.brokenTest.since.getTime()) <= DAY),
    ).toBe(true);
    expect(
      r.anomalies.some(
        (a) => a.direction === 'UP' && Math.abs(Date.parse(a.t) - facts.slowedTest.since.getTime()) <= DAY,
      ),
    ).toBe(true);
    expect(r.forecast[0]!.points).toHaveLength(7);
  });
});
