import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { print } from 'graphql';
import { RUN_A, RUN_B } from '../support/fixtures.ts';
import { data, gql, INGEST, testApp } from '../support/app.ts';
import { ReportDocument } from '../generated/contract.ts';
import type { App } from '../../src/server/app.ts';

/**
 * Runs a1 (11-01) and b1 (11-02) of the shared fixtures, then c1 (11-03):
 *   t1 PASSED, t2 PASSED, t3 FAILED "boom: id 1234", t4 PASSED, t5 FAILED "refused".
 * By hand, at execution level (retries folded):
 *   executions 5 + 5 + 5 = 15; skipped 1 (t4 in a1); passed 2 + 5 + 3 = 10 (t2 in a1 flaky);
 *   failed 1 (t3 in a1) + 2 (c1) = 3; errored 1 (t5 in a1); pass rate 10 / (15 − 1) = 0.714285…
 *   daily pass rate: a1 2/4 = 0.5, b1 5/5 = 1, c1 3/5 = 0.6.
 *   New failures: t3 and t5 passed in b1 and fail in c1 (t5 at 10:00:05, t3 at 10:00:03: t5 first).
 */
const RUN_C = {
  run: { id: 'c1', project: 'web', branch: 'main', commit: 'c3', startedAt: '2026-11-03T10:00:00Z' },
  results: [
    {
      suite: 'auth',
      className: 'LoginTest',
      name: 'logs in',
      status: 'PASSED',
      durationMs: 100,
      startedAt: '2026-11-03T10:00:01Z',
    },
    {
      suite: 'auth',
      className: 'LoginTest',
      name: 'logs out',
      status: 'PASSED',
      durationMs: 60,
      startedAt: '2026-11-03T10:00:02Z',
    },
    {
      suite: 'auth',
      className: 'ResetTest',
      name: 'resets password',
      status: 'FAILED',
      durationMs: 80,
      startedAt: '2026-11-03T10:00:03Z',
      message: 'boom: id 1234\n  at reset()',
    },
    {
      suite: 'search',
      name: 'finds a page',
      status: 'PASSED',
      durationMs: 10,
      startedAt: '2026-11-03T10:00:04Z',
    },
    {
      suite: 'search',
      name: 'ranks results',
      status: 'FAILED',
      durationMs: 90,
      startedAt: '2026-11-03T10:00:05Z',
      message: 'refused | <b>x</b>',
    },
  ],
};
const SLICE = { project: ['web'], from: '2026-10-31T00:00:00Z' };
const REPORT = `query R($filter: ResultFilter, $format: ReportFormat!) { report(filter: $filter, format: $format) { format generatedAt content } }`;

describe('report', () => {
  let app: App;
  beforeAll(async () => {
    app = await testApp();
    for (const input of [RUN_A, RUN_B, RUN_C]) await data(app, INGEST, { input });
  });
  afterAll(() => app.close());

  const content = async (format: string) =>
    (await data<{ report: { format: string; content: string } }>(app, REPORT, { filter: SLICE, format }))
      .report.content;

  it('JSON carries the documented figures of the slice', async () => {
    const r = JSON.parse(await content('JSON'));
    expect(r.schema).toBe('assay.report/v1');
    expect(r.slice).toEqual({
      project: ['web'],
      branch: [],
      commit: [],
      from: '2026-10-31T00:00:00.000Z',
      to: null,
    });
    expect(r.summary).toMatchObject({
      runs: 3,
      tests: 5,
      executions: 15,
      passed: 10,
      failed: 3,
      errored: 1,
      skipped: 1,
      flaky: 1,
    });
    expect(r.summary.passRate).toBeCloseTo(10 / 14, 12);
    expect(r.passRateTrend.points.map((p: { value: number }) => p.value)).toEqual([0.5, 1, 0.6]);
    // What each day's rate stands on: a1 ran 4 (t4 skipped), b1 and c1 ran 5.
    expect(r.passRateTrend.points.map((p: { executions: number }) => p.executions)).toEqual([4, 5, 5]);
    expect(
      r.newFailures.map((f: { name: string; at: string; failures: number; message: string }) => [
        f.name,
        f.at,
        f.failures,
        f.message,
      ]),
    ).toEqual([
      ['ranks results', '2026-11-03T10:00:05.000Z', 1, 'refused | <b>x</b>'],
      ['resets password', '2026-11-03T10:00:03.000Z', 1, 'boom: id 1234\n  at reset()'],
    ]);
    // Five failed attempts with five different messages: five patterns of one occurrence, numbers masked.
    expect(r.failurePatterns).toHaveLength(5);
    expect(r.failurePatterns.map((p: { pattern: string }) => p.pattern)).toContain('timeout after <num> ms');
    expect(r.failurePatterns.every((p: { occurrences: number }) => p.occurrences === 1)).toBe(true);
    // Slowest by p95 over the slice: t1 (100, 200, 100) has the highest p95.
    expect(r.slowestTests[0]).toMatchObject({ name: 'logs in', executions: 3 });
  });

  it('Markdown is a pull-request comment: summary row, new failures, escaped cells', async () => {
    const md = await content('MARKDOWN');
    expect(md).toMatch(/^## Assay report: web\n/);
    expect(md).toContain('| **71.43 %**');
    expect(md).toContain('### New failures (2)');
    expect(md).toContain('`refused \\| <b>x</b>`');
    expect(md).toContain('`boom: id 1234`');
    // New failures show a message's first line only.
    const newFailures = md.slice(md.indexOf('### New failures'), md.indexOf('### Flakiest'));
    expect(newFailures).toContain('`boom: id 1234`');
    expect(newFailures).not.toContain('at reset()');
  });

  it('HTML is one self-contained page with inline SVG and escaped text', async () => {
    const html = await content('HTML');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).toContain('refused | &lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('<b>x</b>');
    expect(html).not.toMatch(/\b(src|href)=|<script|@import|url\(/);
  });

  it("answers the contract's Report operation", async () => {
    const r = await data<{ report: { format: string; generatedAt: string; content: string } }>(
      app,
      print(ReportDocument),
      { filter: SLICE },
    );
    expect(r.report.format).toBe('MARKDOWN');
    expect(r.report.content).toContain('New failures (2)');
  });

  it('reports an empty slice with zeros and empty lists, not an error', async () => {
    const r = JSON.parse(
      (
        await data<{ report: { content: string } }>(app, REPORT, {
          filter: { project: ['nothing-here'] },
          format: 'JSON',
        })
      ).report.content,
    );
    expect(r.summary).toMatchObject({ runs: 0, tests: 0, executions: 0, passRate: null });
    expect([
      r.newFailures,
      r.flakiestTests,
      r.slowestTests,
      r.durationRegressions,
      r.failurePatterns,
      r.alerts,
    ]).toEqual([[], [], [], [], [], []]);
  });

  it('counts the runs of a slice of named runs, and ends its default window at `to`', async () => {
    const one = JSON.parse(
      (
        await data<{ report: { content: string } }>(app, REPORT, {
          filter: { runId: ['a1'] },
          format: 'JSON',
        })
      ).report.content,
    );
    expect(one.summary).toMatchObject({ runs: 1, executions: 5 });
    const upTo = JSON.parse(
      (
        await data<{ report: { content: string } }>(app, REPORT, {
          filter: { project: ['web'], to: '2026-11-02T12:00:00Z' },
          format: 'JSON',
        })
      ).report.content,
    );
    // 30 days up to 11-02 12:00: a1 and b1, not c1.
    expect(upTo.slice.from).toBe('2026-10-03T12:00:00.000Z');
    expect(upTo.summary).toMatchObject({ runs: 2, executions: 10 });
  });

  it('covers named runs and commits whatever their age, and never counts a run whose executions it leaves out', async () => {
    const later = await testApp({ now: () => new Date('2027-06-01T00:00:00Z') });
    try {
      for (const input of [RUN_A, RUN_B, RUN_C]) await data(later, INGEST, { input });
      const summary = async (filter: Record<string, unknown>) =>
        JSON.parse(
          (await data<{ report: { content: string } }>(later, REPORT, { filter, format: 'JSON' })).report
            .content,
        );
      const named = await summary({ runId: ['a1'] });
      expect(named.slice.from).toBe('2026-11-01T00:00:00.000Z');
      expect(named.summary).toMatchObject({ runs: 1, executions: 5 });
      expect((await summary({ commit: ['c3'] })).summary).toMatchObject({ runs: 1, executions: 5 });
      // A slice whose own range leaves the named run out counts neither it nor its executions.
      expect((await summary({ runId: ['a1'], from: '2026-11-02T00:00:00Z' })).summary).toMatchObject({
        runs: 0,
        executions: 0,
      });
      // Without names, the default 30 days before now hold nothing of 2026.
      expect((await summary({ project: ['web'] })).summary).toMatchObject({ runs: 0, executions: 0 });
    } finally {
      await later.close();
    }
  });

  it('refuses a time range that ends before it starts', async () => {
    const r = await gql(app, REPORT, {
      filter: { from: '2026-11-03T00:00:00Z', to: '2026-11-01T00:00:00Z' },
      format: 'JSON',
    });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

/**
 * Flakiness without retries, and with them. Runs r1…r6 on 2026-11-01…06 (commit k1…k6), r7 on 11-07:
 *   cart › wobbly   P F P F P P   (no retries: each failure is a one-failure run a pass ended, transient evidence)
 *   cart › retried  P R P R P P   (R: FAILED on attempt 1, PASSED on attempt 2: passed on retry)
 *   cart › steady   P P P P P P, and alone in r7
 * By hand: executions 3·6 + 1 = 19; passed on retry 2 (retried in r2, r4); wobbly: 2 failures, 2 evidence,
 * 0 retry passes; retried: 0 failures, 2 evidence, 2 retry passes; both FLAKY (6 ≥ 5 executions; two
 * transient runs, or same-commit evidence); steady STABLE. Executions per day: 3 on 11-01…06, 1 on 11-07.
 */
describe('report on flaky tests', () => {
  let app: App;
  beforeAll(async () => {
    app = await testApp();
    for (let i = 1; i <= 7; i++) {
      const at = `2026-11-0${i}T10:00:00Z`;
      const row = (name: string, status = 'PASSED', attempt = 1) => ({
        suite: 'cart',
        name,
        status,
        attempt,
        durationMs: 10,
        startedAt: at,
      });
      const results =
        i === 7
          ? [row('steady')]
          : [
              row('steady'),
              row('wobbly', i === 2 || i === 4 ? 'FAILED' : 'PASSED'),
              ...(i === 2 || i === 4
                ? [row('retried', 'FAILED', 1), row('retried', 'PASSED', 2)]
                : [row('retried')]),
            ];
      await data(app, INGEST, {
        input: {
          run: { id: `r${i}`, project: 'shop', branch: 'main', commit: `k${i}`, startedAt: at },
          results,
        },
      });
    }
  });
  afterAll(() => app.close());

  const content = async (format: string) =>
    (
      await data<{ report: { content: string } }>(app, REPORT, {
        filter: { project: ['shop'], from: '2026-10-31T00:00:00Z', to: '2026-11-08T00:00:00Z' },
        format,
      })
    ).report.content;

  it('JSON says how many executions passed on a retry and how many are flaky evidence, per test and in the summary', async () => {
    const r = JSON.parse(await content('JSON'));
    expect(r.summary).toMatchObject({ executions: 19, flaky: 2, flakyTests: 2 });
    const rows = Object.fromEntries(
      r.flakiestTests.map(
        (f: {
          name: string;
          failures: number;
          flakyExecutions: number;
          retryPasses: number;
          executions: number;
        }) => [f.name, [f.failures, f.flakyExecutions, f.retryPasses, f.executions]],
      ),
    );
    expect(rows).toEqual({ wobbly: [2, 2, 0, 6], retried: [0, 2, 2, 6] });
    expect(
      r.passRateTrend.points.map((p: { t: string; executions: number }) => [p.t.slice(0, 10), p.executions]),
    ).toEqual([
      ['2026-11-01', 3],
      ['2026-11-02', 3],
      ['2026-11-03', 3],
      ['2026-11-04', 3],
      ['2026-11-05', 3],
      ['2026-11-06', 3],
      ['2026-11-07', 1],
    ]);
  });

  it('Markdown labels the columns by what they count, and the summary agrees with the table', async () => {
    const md = await content('MARKDOWN');
    expect(md).toContain(
      '| Pass rate | Runs | Tests | Executions | Failed | Errors | Passed on retry | Flaky tests | Skipped | p95 duration |',
    );
    // 16 of 18 ran days passed plus r7: (19 − 2 wobbly failures) / 19.
    expect(md).toMatch(/\| \*\*89\.47 %\*\*[^|]* \| 7 \| 3 \| 19 \| 2 \| 0 \| 2 \| 2 \| 0 \|/);
    expect(md).toContain(
      '| Test | Flakiness (95 % interval) | Failed | Flaky evidence | Passed on retry | Executions |',
    );
    expect(md).toMatch(/\| cart › wobbly \| [^|]+ \| 2 \| 2 \| 0 \| 6 \|/);
    expect(md).toMatch(/\| cart › retried \| [^|]+ \| 0 \| 2 \| 2 \| 6 \|/);
    expect(md).toContain('| 2026-11-07 | 100.00 % | 1 |');
  });

  it('HTML draws the day of one execution smaller than the full days, its count in the title', async () => {
    const html = await content('HTML');
    expect(html).toContain('<span>passed on retry</span>');
    const circles = [...html.matchAll(/<circle [^>]*r="([\d.]+)"[^>]*><title>([^<]*)<\/title>/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(circles).toHaveLength(7);
    expect(circles[0]).toEqual(['3.50', '2026-11-01: 100.00 % over 3 executions']);
    // 1 of 3: r = 1 + 2.5·√(1/3) = 2.44.
    expect(circles[6]).toEqual(['2.44', '2026-11-07: 100.00 % over 1 execution']);
  });
});
