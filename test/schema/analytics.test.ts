import { print, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAKY, FLAKY_WORKER, catalog } from '../../src/db/demo-catalog.ts';
import type { DemoFacts } from '../../src/db/demo.ts';
import { testId } from '../../src/domain/ids.ts';
import type { App } from '../../src/server/app.ts';
import { data, testApp } from '../support/app.ts';
import { demoFile } from '../support/demo.ts';
import {
  AnomaliesDocument,
  CompareDocument,
  FlakinessDocument,
  ForecastDocument,
  RawMetricTrendDocument,
  TrendsDocument,
} from '../generated/contract.ts';

// End to end on the demo history, whose planted facts (flaky tests and their
// rates, the day a test breaks, the day a test slows down) the analytics must find.
const END = new Date('2026-11-01T00:00:00Z');
const DAY = 86_400_000;
let app: App;
let facts: DemoFacts;
let demo: Awaited<ReturnType<typeof demoFile>>;

beforeAll(async () => {
  demo = await demoFile({ days: 30, seed: 42, end: END });
  facts = demo.facts;
  app = await testApp({ db: demo.path });
});
afterAll(async () => {
  await app.close();
  demo.remove();
});

const run = (doc: DocumentNode, variables: Record<string, unknown> = {}) => data(app, print(doc), variables);
const day = (iso: string) => Math.round(Date.parse(iso) / DAY);

describe('flakiness on the demo', () => {
  it('ranks the planted flaky tests at the top and the broken test as FAILING, not flaky', async () => {
    const r = await data<{
      flakiness: { test: { id: string; name: string }; score: number; classification: string }[];
    }>(
      app,
      'query($to: DateTime!) { flakiness(filter: { to: $to }, window: { days: 10000 }, minExecutions: 5, first: 1000) { test { id name } score classification } }',
      { to: END.toISOString() },
    );
    const planted = [...facts.flakyTests].sort((a, b) => b.flakeRate - a.flakeRate);
    const strong = planted.filter((t) => t.flakeRate >= 0.1).map((t) => t.id);
    expect(
      r.flakiness
        .slice(0, strong.length)
        .map((e) => e.test.id)
        .sort(),
    ).toEqual([...strong].sort());
    for (const t of planted)
      expect(r.flakiness.find((e) => e.test.id === t.id)?.classification).toBe('FLAKY');
    expect(r.flakiness.find((e) => e.test.id === facts.brokenTest.id)?.classification).toBe('FAILING');
    // Scores are roughly calibrated to the planted per-attempt flake rates.
    for (const t of planted) {
      const e = r.flakiness.find((x) => x.test.id === t.id)!;
      expect(e.score).toBeGreaterThan(t.flakeRate / 3);
      expect(e.score).toBeLessThan(t.flakeRate * 3);
    }
  });

  it('puts every planted flaky test in the top six of the default window, and blames the sick GPU worker, not its tests', async () => {
    // The planted tests as the demo catalog names them; the default window is the 30 days before "now" (here END).
    const planted = FLAKY.map((f) => {
      const c = catalog().find((t) => t.project === f.project && t.name === f.name)!;
      return testId({ project: f.project, suite: c.suite, className: c.class_name, name: f.name });
    });
    type Row = {
      test: { id: string; project: string };
      classification: string;
      cause: { dimension: string; value: string; share: number } | null;
    };
    const query = `query($from: DateTime!, $to: DateTime!, $first: Int!) { flakiness(filter: { from: $from, to: $to }, window: { days: 10000 }, first: $first) {
      test { id project } classification cause { dimension value share } } }`;
    const window = { from: new Date(END.getTime() - 30 * DAY).toISOString(), to: END.toISOString() };
    const top = await data<{ flakiness: Row[] }>(app, query, { ...window, first: 6 });
    expect(top.flakiness.map((e) => e.test.id)).toEqual(expect.arrayContaining(planted));

    const all = (await data<{ flakiness: Row[] }>(app, query, { ...window, first: 1000 })).flakiness;
    const blamed = all.filter((e) => e.cause !== null);
    expect(blamed.length).toBeGreaterThanOrEqual(10);
    for (const e of blamed) {
      expect(e.cause).toMatchObject({ dimension: 'WORKER', value: FLAKY_WORKER });
      expect(e.cause!.share).toBeGreaterThanOrEqual(0.5);
    }
    // What the generator says the worker did: its failures are CUDA errors, which nothing else raises. No test
    // whose failed attempts are mostly those is classed FLAKY on its own account.
    const workerMade = await app.store.db.query<{ test_id: string }>(
      `SELECT test_id FROM results WHERE status IN ('FAILED', 'ERROR') AND started_at >= $1::TIMESTAMP AND started_at < $2::TIMESTAMP
       GROUP BY test_id HAVING count(*) FILTER (WHERE message LIKE '%CUDA%') > count(*) / 2`,
      [window.from, window.to],
    );
    expect(workerMade.length).toBeGreaterThanOrEqual(10);
    const flakyOwn = new Set(
      all.filter((e) => e.classification === 'FLAKY' && e.cause === null).map((e) => e.test.id),
    );
    expect(workerMade.filter((r) => flakyOwn.has(r.test_id))).toEqual([]);
  });

  it('answers the contract Flakiness query', async () => {
    const r = await run(FlakinessDocument, { filter: { project: ['web'] } });
    expect(r).toHaveProperty('flakiness');
  });
});

describe('trends on the demo', () => {
  it('finds the day the broken test starts failing as a change point down to a pass rate of 0', async () => {
    const r = await data<{
      trends: { direction: string; changePoints: { t: string; before: number; after: number }[] }[];
    }>(
      app,
      'query($id: ID!) { trends(series: { measure: PASS_RATE }, filter: { testId: [$id] }, bucket: DAY) { direction changePoints { t before after } } }',
      { id: facts.brokenTest.id },
    );
    const [series] = r.trends;
    expect(series!.direction).toBe('DEGRADING');
    const cp = series!.changePoints.at(-1)!;
    expect(Math.abs(day(cp.t) - day(facts.brokenTest.since.toISOString()))).toBeLessThanOrEqual(1);
    expect(cp.before).toBeGreaterThan(0.9);
    expect(cp.after).toBe(0);
  });

  it('finds the slowdown day as a change point and calls the rising duration DEGRADING', async () => {
    const r = await data<{
      trends: {
        direction: string;
        slope: number;
        changePoints: { t: string; before: number; after: number }[];
      }[];
    }>(
      app,
      'query($id: ID!) { trends(series: { measure: DURATION, stat: P50 }, filter: { testId: [$id] }, bucket: DAY) { direction slope changePoints { t before after } } }',
      { id: facts.slowedTest.id },
    );
    const [series] = r.trends;
    expect(series!.slope).toBeGreaterThan(0);
    expect(series!.direction).toBe('DEGRADING');
    const cp = series!.changePoints.find((c) => c.after > c.before * 1.5);
    expect(cp).toBeDefined();
    expect(Math.abs(day(cp!.t) - day(facts.slowedTest.since.toISOString()))).toBeLessThanOrEqual(1);
  });

  it('answers the contract Trends and RawMetricTrend queries', async () => {
    const t = (await run(TrendsDocument, { filter: { project: ['api'] } })) as {
      trends: { group: { suite: string }; points: unknown[] }[];
    };
    expect(t.trends.map((s) => s.group.suite).sort()).toEqual(['billing', 'orders', 'users']);
    expect(t.trends.every((s) => s.points.length >= 28)).toBe(true);
    const raw = (await run(RawMetricTrendDocument, {
      filter: { project: ['ml'], from: '2026-10-30T00:00:00Z' },
    })) as { trends: { points: { n: number }[]; slope: number | null }[] };
    expect(raw.trends).toHaveLength(1);
    expect(raw.trends[0]!.points.every((p) => p.n === 1)).toBe(true);
    expect(raw.trends[0]!.slope).not.toBeNull();
  });
});

describe('anomalies on the demo', () => {
  it('flags the first day of the slowdown as an upward, critical anomaly', async () => {
    const r = await data<{
      anomalies: { t: string; direction: string; severity: string; expected: number; value: number }[];
    }>(
      app,
      'query($id: ID!) { anomalies(series: { measure: DURATION, stat: P50 }, filter: { testId: [$id] }, bucket: DAY) { t direction severity expected value } }',
      { id: facts.slowedTest.id },
    );
    const since = day(facts.slowedTest.since.toISOString());
    const first = r.anomalies.find((a) => Math.abs(day(a.t) - since) <= 1);
    expect(first).toMatchObject({ direction: 'UP', severity: 'CRITICAL' });
    expect(first!.value).toBeGreaterThan(first!.expected * 1.5);
    // Nothing is flagged as slower before the slowdown.
    expect(r.anomalies.filter((a) => a.direction === 'UP' && day(a.t) < since - 1)).toEqual([]);
  });

  it('reports the slowdown as one event whose onset is the first slow day, and marks only onsets on the points', async () => {
    const r = await data<{
      anomalies: { t: string; onset: boolean }[];
      anomalyEvents: {
        start: string;
        peak: string;
        end: string;
        direction: string;
        points: number;
        value: number;
        expected: number;
        lower: number;
        upper: number;
      }[];
    }>(
      app,
      `query($id: ID!) {
        anomalies(series: { measure: DURATION, stat: P50 }, filter: { testId: [$id] }, bucket: DAY) { t onset }
        anomalyEvents(series: { measure: DURATION, stat: P50 }, filter: { testId: [$id] }, bucket: DAY) { start peak end direction points value expected lower upper }
      }`,
      { id: facts.slowedTest.id },
    );
    const since = day(facts.slowedTest.since.toISOString());
    const slow = r.anomalyEvents.filter((e) => e.direction === 'UP' && Math.abs(day(e.start) - since) <= 1);
    expect(slow).toHaveLength(1);
    const [e] = slow;
    expect(e!.value).toBeGreaterThan(e!.upper);
    expect(e!.lower).toBeLessThanOrEqual(e!.expected);
    expect(day(e!.end)).toBeGreaterThanOrEqual(day(e!.start));
    // Each event has exactly one onset point, at its start; the rest of its points are not new anomalies.
    expect(
      r.anomalies
        .filter((a) => a.onset)
        .map((a) => a.t)
        .sort(),
    ).toEqual(r.anomalyEvents.map((x) => x.start).sort());
    expect(r.anomalies).toHaveLength(r.anomalyEvents.reduce((n, x) => n + x.points, 0));
  });

  it('answers the contract Anomalies query with bands around the expected value, and finds multivariate outliers', async () => {
    const r = (await run(AnomaliesDocument, {
      filter: { project: ['ml'], from: '2026-10-25T00:00:00Z' },
    })) as { anomalies: { method: string; lower: number; upper: number; expected: number }[] };
    for (const a of r.anomalies) {
      expect(['ROBUST', 'SEASONAL']).toContain(a.method);
      expect(a.lower).toBeLessThanOrEqual(a.expected);
      expect(a.upper).toBeGreaterThanOrEqual(a.expected);
    }
    const m = await data<{ anomalies: { method: string }[] }>(
      app,
      '{ anomalies(series: { measure: DURATION }, filter: { project: ["ml"], suite: ["inference"] }, groupBy: [HARDWARE], method: MULTIVARIATE) { method } }',
    );
    expect(m.anomalies.length).toBeGreaterThan(0);
    expect(m.anomalies.every((a) => a.method === 'MULTIVARIATE')).toBe(true);
  });

  it('explains that SEASONAL needs time buckets', async () => {
    const r = await import('../support/app.ts').then((mod) =>
      mod.gql(app, '{ anomalies(series: { measure: DURATION }, bucket: NONE, method: SEASONAL) { t } }'),
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'method' });
  });
});

describe('forecast on the demo', () => {
  it('finds the weekly rhythm of daily executions and forecasts it with intervals that widen', async () => {
    const r = await data<{
      forecast: {
        method: string;
        seasonLength: number | null;
        points: { t: string; value: number; lower: number; upper: number }[];
        fitted: unknown[];
        rmse: number;
      }[];
    }>(
      app,
      '{ forecast(series: { measure: EXECUTIONS }, filter: { project: ["web"] }, bucket: DAY, horizon: 14, method: HOLT_WINTERS) { method seasonLength points { t value lower upper } fitted { t value } rmse } }',
    );
    const [f] = r.forecast;
    expect(f).toMatchObject({ method: 'HOLT_WINTERS', seasonLength: 7 });
    expect(f!.points).toHaveLength(14);
    expect(f!.points[0]!.t).toBe('2026-11-01T00:00:00.000Z');
    for (const p of f!.points) expect(p.lower <= p.value && p.value <= p.upper).toBe(true);
    const width = (i: number) => f!.points[i]!.upper - f!.points[i]!.lower;
    expect(width(13)).toBeGreaterThanOrEqual(width(0));
    expect(f!.fitted.length).toBeGreaterThan(20);
    expect(f!.rmse).toBeGreaterThan(0);
  });

  it("says which model AUTO chose, with its seasons and every candidate's out-of-sample error", async () => {
    type Answer = {
      forecast: {
        method: string;
        model: string;
        seasonLengths: number[];
        candidates: { name: string; cvRmse: number | null; rejected: string | null }[];
      }[];
    };
    const r = await data<Answer>(
      app,
      '{ forecast(series: { measure: EXECUTIONS }, filter: { project: ["web"] }, bucket: DAY, horizon: 7) { method model seasonLengths candidates { name cvRmse rejected } } }',
    );
    const [f] = r.forecast;
    // Thirty days of a weekly rhythm: the day bucket's natural period 7 is tried, with its seasonal naive.
    expect(f!.candidates.map((c) => c.name)).toEqual(
      expect.arrayContaining(['linear trend', 'seasonal naive (7)', 'damped Holt-Winters (7)']),
    );
    const chosen = f!.candidates.filter((c) => c.rejected === null && c.cvRmse !== null);
    const best = chosen.reduce((a, c) => (c.cvRmse! < a.cvRmse! ? c : a));
    expect(f!.model.startsWith(best.name)).toBe(true); // MSTL's model also names the smoothing of its rest
    expect(f!.method).not.toBe('AUTO');
    const refused = await import('../support/app.ts').then((m) =>
      m.gql(
        app,
        '{ forecast(series: { measure: EXECUTIONS }, bucket: DAY, horizon: 3, method: COMBINATION) { method } }',
      ),
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'method' });
  });

  it('answers the contract Forecast query and names the minimum when history is too short', async () => {
    const ok = (await run(ForecastDocument, { filter: { project: ['api'] } })) as {
      forecast: { method: string; points: unknown[] }[];
    };
    expect(ok.forecast.length).toBe(3);
    expect(ok.forecast.every((f) => f.points.length === 14 && f.method !== 'AUTO')).toBe(true);
    const short = await import('../support/app.ts').then((m) =>
      m.gql(
        app,
        '{ forecast(series: { measure: EXECUTIONS }, filter: { from: "2026-10-30T00:00:00Z" }, bucket: DAY, horizon: 3, method: HOLT) { method } }',
      ),
    );
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'INSUFFICIENT_DATA', minimum: 4 });
    expect(short.errors?.[0]?.message).toContain('at least 4');
  });
});

describe('compare on the demo', () => {
  it('finds cuda significantly faster than cpu (contract Compare query)', async () => {
    const r = (await run(CompareDocument, { filter: { project: ['ml'] } })) as {
      compare: {
        baseline: { n: number; median: number };
        candidate: { n: number; median: number };
        delta: number;
        lower: number;
        upper: number;
        significant: boolean;
        method: string;
      };
    };
    expect(r.compare.method).toBe('MANN_WHITNEY');
    expect(r.compare.significant).toBe(true);
    expect(r.compare.delta).toBeGreaterThan(0);
    expect(r.compare.lower).toBeLessThanOrEqual(r.compare.delta);
    expect(r.compare.upper).toBeGreaterThanOrEqual(r.compare.delta);
    expect(r.compare.candidate.median).toBeGreaterThan(r.compare.baseline.median * 3);
  });

  it('says which side has too little data', async () => {
    const r = await import('../support/app.ts').then((m) =>
      m.gql(
        app,
        '{ compare(series: { measure: DURATION }, dimension: HARDWARE, baseline: "cpu", candidate: "tpu") { delta } }',
      ),
    );
    expect(r.errors?.[0]?.extensions?.code).toBe('INSUFFICIENT_DATA');
    expect(r.errors?.[0]?.message).toContain('"tpu"');
  });
});
