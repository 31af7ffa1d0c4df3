import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { INGEST, data, testApp } from '../support/app.ts';

// The marks through the public API: runs say they were marked, the infrastructureFailures
// query lists them, and an alert a marked run fires names it.
let app: App;
afterEach(async () => app?.close());

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 1, 0);

async function ingest(
  id: string,
  hour: number,
  statuses: string,
  worker: (i: number) => string = () => 'w1',
) {
  const at = T0 + hour * HOUR;
  await data(app, INGEST, {
    input: {
      run: { id, project: 'web', branch: 'main', commit: id, startedAt: new Date(at).toISOString() },
      results: [...statuses].map((c, i) => ({
        suite: 'auth',
        name: `t${i}`,
        status: c === 'P' ? 'PASSED' : 'ERROR',
        durationMs: 10,
        // a minute apart: no burst, so the shared pattern decides
        startedAt: new Date(at + i * 60_000).toISOString(),
        worker: worker(i),
        message: c === 'P' ? null : `connect ECONNREFUSED 10.1.2.${i}:5432`,
      })),
    },
  });
  await app.alerts.idle();
}

describe('infrastructure failures in the API', () => {
  it('shows marked runs and workers in runs and infrastructureFailures, and lists them in reports and names the run in the alert it fires', async () => {
    app = await testApp();
    await data(app, 'mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }', {
      input: {
        name: 'pass rate',
        kind: 'PASS_RATE_DROP',
        threshold: 0.5,
        windowMinutes: 30,
        severity: 'CRITICAL',
      },
    });
    await ingest('ok', 0, 'PPPPPPPPPP');
    // 5 passes on w1, 5 refused connections on w2: only w2 is marked (the run is 50 % failed).
    await ingest('half', 1, 'PPPPPEEEEE', (i) => (i < 5 ? 'w1' : 'w2'));
    // 10 of 10 refused: the whole run is marked, and its pass rate 0 fires the rule.
    await ingest('down', 2, 'EEEEEEEEEE');

    const runs = await data<{ runs: { edges: { node: Record<string, unknown> }[] } }>(
      app,
      `{ runs { edges { node { id infrastructureFailure { wholeRun { reason pattern failShare patternShare executions failures }
           workers { worker failures } } } } } }`,
    );
    expect(runs.runs.edges.map((e) => e.node)).toEqual([
      {
        id: 'down',
        infrastructureFailure: {
          wholeRun: {
            reason: 'SHARED_PATTERN',
            pattern: 'connect ECONNREFUSED <num>.<num>:<num>',
            failShare: 1,
            patternShare: 1,
            executions: 10,
            failures: 10,
          },
          workers: [{ worker: 'w1', failures: 10 }],
        },
      },
      { id: 'half', infrastructureFailure: { wholeRun: null, workers: [{ worker: 'w2', failures: 5 }] } },
      { id: 'ok', infrastructureFailure: null },
    ]);

    const listed = await data<{ infrastructureFailures: Record<string, unknown>[] }>(
      app,
      '{ infrastructureFailures(filter: { project: ["web"] }, first: 2) { runId worker reason } }',
    );
    expect(listed.infrastructureFailures).toEqual([
      { runId: 'down', worker: null, reason: 'SHARED_PATTERN' },
      { runId: 'down', worker: 'w1', reason: 'SHARED_PATTERN' },
    ]);

    // Pass rate: without the marked executions 10 + 5 passes of 15 ran (w2 and run down left out) = 1;
    // with them 15 of 30.
    const rates = await data<{ without: { passRate: number }[]; with: { passRate: number }[] }>(
      app,
      `{ without: metrics(filter: { project: ["web"] }) { passRate }
         with: metrics(filter: { project: ["web"], includeInfrastructureFailures: true }) { passRate } }`,
    );
    expect(rates.without[0]!.passRate).toBe(1);
    expect(rates.with[0]!.passRate).toBeCloseTo(15 / 30, 12);

    // The report lists the marks; its summary's pass rate is the one without them.
    const md = await data<{ report: { content: string } }>(
      app,
      '{ report(filter: { project: ["web"], from: "2026-11-01T00:00:00Z" }, format: MARKDOWN) { content } }',
    );
    expect(md.report.content).toContain('**100.00 %**');
    expect(md.report.content).toContain(
      [
        '### Infrastructure failures (3, left out of the pass rate, trend and flakiness)',
        '',
        '| Run | Worker | Started | Failed | Reason | Pattern |',
        '|---|---|---|---|---|---|',
        '| down | whole run | 2026-11-01 02:00 UTC | 10 of 10 (100.00 %) | one pattern | `connect ECONNREFUSED <num>.<num>:<num>` |',
        '| down | w1 | 2026-11-01 02:00 UTC | 10 of 10 (100.00 %) | one pattern | `connect ECONNREFUSED <num>.<num>:<num>` |',
        '| half | w2 | 2026-11-01 01:00 UTC | 5 of 5 (100.00 %) | one pattern | `connect ECONNREFUSED <num>.<num>:<num>` |',
      ].join('\n'),
    );
    const html = await data<{ report: { content: string } }>(
      app,
      '{ report(filter: { project: ["web"], from: "2026-11-01T00:00:00Z" }, format: HTML) { content } }',
    );
    expect(html.report.content).toMatch(
      /<h2>Infrastructure failures \(3, left out of the pass rate, trend and flakiness\)<\/h2>.*<td>down<\/td><td>whole run<\/td>.*<\/section>\n<\/main>/s,
    );

    const alerts = await data<{ alerts: { edges: { node: { message: string } }[] } }>(
      app,
      '{ alerts { edges { node { message } } } }',
    );
    expect(alerts.alerts.edges).toHaveLength(1);
    expect(alerts.alerts.edges[0]!.node.message).toMatch(
      /; run down was marked as an infrastructure failure \(10 of 10 failed, "connect ECONNREFUSED <num>\.<num>:<num>"\)$/,
    );
  });
});
