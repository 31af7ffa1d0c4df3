import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../bench/lib.ts';
import { PASS_RATE_BY_TEST_AND_DAY, PERF_BY_HARDWARE_AND_MODEL, type PlainQuery } from '../../bench/sql.ts';
import type { App } from '../../src/server/app.ts';
import { testApp, type GqlResponse } from '../support/app.ts';
import { demoFile } from '../support/demo.ts';

// The bench divides the gateway's time by DuckDB's time for hand-written SQL "with the same
// answer": the ratio measures the gateway's overhead only if the answers are the same. Checked
// on the demo history, whose lost worker's executions are infrastructure failures.

const END = new Date('2026-11-20T00:00:00Z');
let demo: Awaited<ReturnType<typeof demoFile>>;
let app: App;
let url: string;
const contract = loadContract();

beforeAll(async () => {
  demo = await demoFile({ days: 10, end: END });
  app = await testApp({ db: demo.path, readers: 2 });
  url = await app.listen();
}, 120_000);
afterAll(async () => {
  await app?.close();
  demo?.remove();
});

async function gateway<T>(operation: string, project: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: contract.text,
      operationName: operation,
      variables: { filter: { project: [project] } },
    }),
  });
  const body = (await res.json()) as GqlResponse<T>;
  if (body.errors?.length || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const plain = (q: PlainQuery, project: string) =>
  app.store.db.query<Record<string, unknown>>(q.sql, [project, ...q.params.slice(1)]);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
/** Equal to 9 significant digits (DuckDB and the gateway may sum in different orders). */
const close = (v: number | null): number | null => (v === null ? null : Number(v.toPrecision(9)));

describe("the bench's plain SQL", () => {
  it('answers PassRateByTestAndDay as the gateway does, infrastructure failures left out', async () => {
    const [marked] = await app.store.db.query<{ project: string; n: bigint }>(
      'SELECT project, count(*) AS n FROM executions WHERE infra GROUP BY project ORDER BY n DESC LIMIT 1',
    );
    expect(Number(marked?.n ?? 0)).toBeGreaterThan(0);
    const project = marked!.project;
    type Row = {
      group: { test: { id: string; name: string; suite: string } };
      bucket: string;
      executions: number;
      passed: number;
      failed: number;
      errored: number;
      skipped: number;
      flaky: number;
      passRate: number | null;
      avg: number | null;
      p95: number | null;
    };
    const { metrics } = await gateway<{ metrics: Row[] }>('PassRateByTestAndDay', project);
    const rows = await plain(PASS_RATE_BY_TEST_AND_DAY, project);
    expect(rows.length).toBe(metrics.length);
    const key = (test: string, bucket: string) => `${test} ${bucket}`;
    const sql = new Map(
      rows.map((r) => [
        key(String(r['test_id']), new Date(String(r['bucket'])).toISOString()),
        [
          r['name'],
          r['suite'],
          ...['executions', 'passed', 'failed', 'errored', 'skipped', 'flaky'].map((c) => num(r[c])),
          ...['pass_rate', 'duration_avg', 'duration_p95'].map((c) => close(num(r[c]))),
        ],
      ]),
    );
    for (const m of metrics) {
      const ours = [
        m.group.test.name,
        m.group.test.suite,
        m.executions,
        m.passed,
        m.failed,
        m.errored,
        m.skipped,
        m.flaky,
        close(m.passRate),
        close(m.avg),
        close(m.p95),
      ];
      expect([key(m.group.test.id, m.bucket), ours]).toEqual([
        key(m.group.test.id, m.bucket),
        sql.get(key(m.group.test.id, m.bucket)),
      ]);
    }
  });

  it('answers PerfByHardwareAndModel as the gateway does', async () => {
    type Row = {
      group: { hardware: string | null; tags: Record<string, string | null> };
      executions: number;
      throughput: number | null;
      latencyP99: number | null;
    };
    const { metrics } = await gateway<{ metrics: Row[] }>('PerfByHardwareAndModel', 'ml');
    expect(metrics.length).toBeGreaterThan(1);
    const rows = await plain(PERF_BY_HARDWARE_AND_MODEL, 'ml');
    const sql = rows
      .map((r) => [
        r['hardware'],
        r['model'] ?? null,
        num(r['executions']),
        close(num(r['throughput'])),
        close(num(r['latency_p99'])),
      ])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const ours = metrics
      .map((m) => [
        m.group.hardware,
        m.group.tags['model'] ?? null,
        m.executions,
        close(m.throughput),
        close(m.latencyP99),
      ])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(ours).toEqual(sql);
  });
});
