import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import { INGEST, data, gql, testApp } from '../support/app.ts';
import { RUN_A, RUN_B } from '../support/fixtures.ts';

// Every expected figure below is worked out by hand from test/support/fixtures.ts.
let app: App;
const statements: string[] = [];
beforeAll(async () => {
  app = await testApp({ onStatement: (sql) => statements.push(sql) });
  await data(app, INGEST, { input: RUN_A });
  await data(app, INGEST, { input: RUN_B });
});
afterAll(async () => app.close());

type Row = Record<string, unknown> & { group: Record<string, unknown> };
const metrics = async (args: string, fields: string) =>
  (await data<{ metrics: Row[] }>(app, `{ metrics${args ? `(${args})` : ''} { ${fields} } }`)).metrics;

describe('metrics', () => {
  it('counts executions, not attempts, with the defined rates over the whole slice', async () => {
    const [row] = await metrics(
      '',
      'executions passed failed errored skipped flaky passRate failRate flakyRate',
    );
    // 10 executions: a1 has t1 pass, t2 flaky pass, t3 fail, t4 skip, t5 error; b1 has five passes.
    expect(row).toMatchObject({ executions: 10, passed: 7, failed: 1, errored: 1, skipped: 1, flaky: 1 });
    expect(row!['passRate']).toBeCloseTo(7 / 9, 12);
    expect(row!['failRate']).toBeCloseTo(2 / 9, 12);
    expect(row!['flakyRate']).toBeCloseTo(1 / 9, 12);
  });

  it('computes exact duration statistics over executions that ran (last attempt)', async () => {
    const [row] = await metrics(
      '',
      `avg: duration(stat: AVG) min: duration(stat: MIN) max: duration(stat: MAX) sum: duration(stat: SUM)
      n: duration(stat: COUNT) p50: duration(stat: P50) p90: duration(stat: P90) p95: duration(stat: P95) p99: duration(stat: P99)`,
    );
    // Sorted: 10 40 50 60 70 80 90 100 200 (t2's 30 ms failed attempt is not its execution's duration; t4 skipped).
    // quantile_cont at q: position (n−1)q = 8q, linear between neighbours.
    expect(row).toMatchObject({ min: 10, max: 200, sum: 700, n: 9, p50: 70 });
    expect(row!['avg']).toBeCloseTo(700 / 9, 12);
    expect(row!['p90']).toBeCloseTo(100 + 0.2 * 100, 12); // position 7.2
    expect(row!['p95']).toBeCloseTo(100 + 0.6 * 100, 12); // position 7.6
    expect(row!['p99']).toBeCloseTo(100 + 0.92 * 100, 12); // position 7.92
  });

  it('groups by test and day, ordered by pass rate', async () => {
    const rows = await metrics(
      'groupBy: [TEST], bucket: DAY, orderBy: { field: PASS_RATE, direction: ASC }, limit: 500',
      'group { test { name } } bucket executions passRate flaky',
    );
    expect(rows).toHaveLength(10);
    // Failing on 11-01: resets password (0) and ranks results (0, errored); logs out passes via retry.
    expect(
      rows.slice(0, 2).map((r) => [(r.group['test'] as { name: string }).name, r['bucket'], r['passRate']]),
    ).toEqual([
      ['ranks results', '2026-11-01T00:00:00.000Z', 0],
      ['resets password', '2026-11-01T00:00:00.000Z', 0],
    ]);
    const skipped = rows.find(
      (r) =>
        (r.group['test'] as { name: string }).name === 'finds a page' &&
        r['bucket'] === '2026-11-01T00:00:00.000Z',
    );
    expect(skipped).toMatchObject({ executions: 1, passRate: null }); // only skipped: no rate, and sorted last
    expect(rows.at(-1)).toBe(skipped);
  });

  it('groups by hardware and a tag with named-metric statistics', async () => {
    const rows = await metrics(
      'groupBy: [HARDWARE], groupByTags: ["model"]',
      'group { hardware tags } executions throughput: metric(name: "throughput", stat: AVG) top: metric(name: "throughput", stat: MAX)',
    );
    expect(rows).toEqual([
      { group: { hardware: 'cpu', tags: { model: 'bert' } }, executions: 1, throughput: 10, top: 10 },
      { group: { hardware: 'cpu', tags: { model: 'resnet' } }, executions: 1, throughput: 50, top: 50 },
      { group: { hardware: 'cpu', tags: { model: null } }, executions: 7, throughput: null, top: null },
      { group: { hardware: 'cuda', tags: { model: 'bert' } }, executions: 1, throughput: 30, top: 30 },
    ]);
  });

  it('gives each of several percentiles of a named metric asked together its own value', async () => {
    const [row] = await metrics(
      '',
      `p99: metric(name: "throughput", stat: P99) p50: metric(name: "throughput", stat: P50)
      p90: metric(name: "throughput", stat: P90) avg: metric(name: "throughput", stat: AVG)
      d95: duration(stat: P95) d50: duration(stat: P50)`,
    );
    // throughput 10, 30, 50: position 2q. Durations as in the test above (9 values, position 8q).
    expect(row!['p50']).toBe(30);
    expect(row!['p90']).toBeCloseTo(30 + 0.8 * 20, 12); // position 1.8
    expect(row!['p99']).toBeCloseTo(30 + 0.98 * 20, 12); // position 1.98
    expect(row!['avg']).toBe(30);
    expect(row!['d50']).toBe(70);
    expect(row!['d95']).toBeCloseTo(100 + 0.6 * 100, 12);
  });

  it('filters by every field, OR within a field and AND across fields', async () => {
    const n = async (filter: string) =>
      (await metrics(`filter: ${filter}`, 'executions'))[0]?.['executions'] ?? 0;
    expect(await n('{ tags: [{ key: "ci", values: ["github"] }] }')).toBe(5);
    expect(await n('{ worker: ["w1", "gpu-1"] }')).toBe(4);
    expect(await n('{ worker: ["w2"], status: [PASSED] }')).toBe(4);
    expect(await n('{ testName: ["LOGS"] }')).toBe(4);
    expect(await n('{ suite: ["search"], commit: ["c1"] }')).toBe(2);
    expect(await n('{ runId: ["b1"] }')).toBe(5);
    expect(await n('{ from: "2026-11-02T00:00:00Z", to: "2026-11-02T10:00:02Z" }')).toBe(1); // half-open
    expect(await n('{ project: ["api"] }')).toBe(0);
  });

  it('binds a long filter list as one list parameter and matches as the short form does', async () => {
    const others = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => `"${prefix}-${i}"`).join(', ');
    statements.length = 0;
    const n = async (filter: string) =>
      (await metrics(`filter: ${filter}`, 'executions'))[0]?.['executions'] ?? 0;
    expect(await n(`{ worker: ["w1", ${others('nobody', 40)}, "gpu-1"] }`)).toBe(4);
    expect(
      await n(
        `{ testName: [${others('no such test', 40)}, "LOGS"], runId: [${others('no-run', 40)}, "b1"] }`,
      ),
    ).toBe(2);
    const placeholders = statements.flatMap((sql) => [...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    expect(placeholders.length).toBeGreaterThan(0);
    expect(Math.max(...placeholders)).toBeLessThan(10);
  });

  it('answers every duration aggregate when stored values overflow a sum: an overflowing statistic is null', async () => {
    // Stored before ingest bounded durations: the store itself takes what it is given.
    const own = await testApp();
    try {
      const valid = validateIngest({
        run: { id: 'x', project: 'huge', startedAt: '2026-11-01T00:00:00Z' },
        results: [
          { suite: 's', name: 'a', status: 'PASSED', durationMs: 1 },
          { suite: 's', name: 'b', status: 'PASSED', durationMs: 1, worker: 'w' },
        ],
      });
      await own.store.ingest({
        ...valid,
        results: valid.results.map((r) => ({ ...r, durationMs: 1.7e308 })),
      });
      const r = await gql<{ metrics: Row[] }>(
        own,
        `{ metrics(filter: { project: ["huge"] }) {
        avg: duration(stat: AVG) sum: duration(stat: SUM) max: duration(stat: MAX) p50: duration(stat: P50) n: duration(stat: COUNT) } }`,
      );
      expect(r).toEqual({ data: { metrics: [{ avg: null, sum: null, max: 1.7e308, p50: 1.7e308, n: 2 }] } });
      const t = await gql(
        own,
        '{ tests { edges { node { stats { durationAvg durationP95 } } } } workload { workers { worker busyMs } } }',
      );
      expect(t.errors).toBeUndefined();
      // Raw analyses leave out values beyond every ingest bound: cpu keeps 5 and 6, gpu 7, 8 and 9.
      const sides = validateIngest({
        run: { id: 'y', project: 'huge', startedAt: '2026-11-02T00:00:00Z' },
        results: [5, 6, 0, 7, 8, 9].map((d, i) => ({
          suite: 's',
          name: `t${i}`,
          status: 'PASSED',
          durationMs: d,
          hardware: i < 3 ? 'cpu' : 'gpu',
        })),
      });
      await own.store.ingest({
        ...sides,
        results: sides.results.map((r) => (r.durationMs === 0 ? { ...r, durationMs: 1.7e308 } : r)),
      });
      const c = await gql<{ compare: { delta: number; baseline: { n: number } } }>(
        own,
        '{ compare(series: { measure: DURATION }, filter: { runId: ["y"] }, dimension: HARDWARE, baseline: "cpu", candidate: "gpu", method: WELCH_T) { delta baseline { n } } }',
      );
      expect(c.errors).toBeUndefined();
      expect(c.data?.compare.baseline.n).toBe(2);
      expect(c.data?.compare.delta).toBeCloseTo(8 - 5.5, 12);
    } finally {
      await own.close();
    }
  });

  it('computes only the selected measures in SQL', async () => {
    statements.length = 0;
    await metrics('filter: { project: ["web"], suite: ["auth"] }', 'passRate');
    const sql = statements.join('\n');
    // Count measures over whole days come from the daily rollup.
    expect(sql).toContain('FROM daily_counts');
    expect(sql).not.toMatch(/quantile_cont|FROM results|FROM executions/);
    statements.length = 0;
    await metrics('filter: { project: ["web"], suite: ["search"] }', 'p95: duration(stat: P95)');
    expect(statements.join('\n')).toContain('quantile_cont(duration_ms, 0.95)');
    expect(statements.join('\n')).not.toContain('FILTER (WHERE flaky)');
  });

  it('reads measure arguments from variables and fragments', async () => {
    const r = await data<{ metrics: { d: number; e: number }[] }>(
      app,
      'query($s: Stat!) { metrics(filter: { runId: ["b1"] }) { d: duration(stat: $s) ...F } } fragment F on MetricRow { e: executions }',
      { s: 'MAX' },
    );
    expect(r.metrics).toEqual([{ d: 200, e: 5 }]);
  });

  it('groups by run and names it', async () => {
    const rows = await metrics(
      'groupBy: [RUN], orderBy: { field: PASS_RATE, direction: DESC }',
      'group { run { id commit } } passRate',
    );
    expect(rows.map((r) => [(r.group['run'] as { id: string }).id, r['passRate']])).toEqual([
      ['b1', 1],
      ['a1', 0.5],
    ]);
  });

  it('explains a bad limit', async () => {
    const r = await gql(app, '{ metrics(limit: 0) { executions } }');
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'limit' } });
  });
});

describe('runs, tests and results', () => {
  it('lists runs newest first with their folded counts', async () => {
    const r = await data<{ runs: { totalCount: number; edges: { node: Record<string, unknown> }[] } }>(
      app,
      '{ runs(filter: { project: ["web"] }, first: 10) { totalCount edges { node { id commit executions passed failed flaky skipped passRate durationMs finishedAt } } } }',
    );
    expect(r.runs.totalCount).toBe(2);
    expect(r.runs.edges.map((e) => e.node)).toEqual([
      // b1 sent no finish time: its duration runs to the end of its last attempt (10:00:05 + 90 ms).
      {
        id: 'b1',
        commit: 'c2',
        executions: 5,
        passed: 5,
        failed: 0,
        flaky: 0,
        skipped: 0,
        passRate: 1,
        durationMs: 5090,
        finishedAt: null,
      },
      {
        id: 'a1',
        commit: 'c1',
        executions: 5,
        passed: 2,
        failed: 1,
        flaky: 1,
        skipped: 1,
        passRate: 0.5,
        durationMs: 300_000,
        finishedAt: '2026-11-01T10:05:00.000Z',
      },
    ]);
  });

  it('finds a run by id, and says how to find one that does not exist', async () => {
    expect(await data(app, '{ run(id: "a1") { id branch tags } }')).toEqual({
      run: { id: 'a1', branch: 'main', tags: { ci: 'github' } },
    });
    const r = await gql(app, '{ run(id: "zz") { id } }');
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(r.errors?.[0]?.message).toContain('runs');
  });

  it('lists tests with slice stats, lowest pass rate first', async () => {
    const r = await data<{
      tests: { totalCount: number; edges: { node: { name: string; stats: Record<string, unknown> } }[] };
    }>(
      app,
      '{ tests(first: 10, orderBy: { field: PASS_RATE, direction: ASC }) { totalCount edges { node { name stats { executions passRate flakyRate durationP95 } } } } }',
    );
    expect(r.tests.totalCount).toBe(5);
    // Ties keep a stable order by test id, so compare the tied groups as sets.
    const rates = r.tests.edges.map((e) => e.node.stats['passRate']);
    expect(rates).toEqual([0.5, 0.5, 1, 1, 1]);
    expect(new Set(r.tests.edges.slice(0, 2).map((e) => e.node.name))).toEqual(
      new Set(['ranks results', 'resets password']),
    );
    const logsOut = r.tests.edges.find((e) => e.node.name === 'logs out')!.node.stats;
    // Executions 40 ms and 60 ms: p95 at position 0.95 → 40 + 0.95·20.
    expect(logsOut).toMatchObject({ executions: 2, flakyRate: 0.5 });
    expect(logsOut['durationP95']).toBeCloseTo(59, 12);
  });

  it('reads the last status and run of a page of tests only when selected, through fragments and aliases too', async () => {
    const lastRunRead = () => statements.some((sql) => sql.includes('arg_max(status, started_at)'));
    statements.length = 0;
    await data(app, '{ tests(filter: { runId: ["a1"] }) { edges { node { name stats { passRate } } } } }');
    expect(lastRunRead()).toBe(false);
    statements.length = 0;
    const r = await data<{
      tests: { e: { node: { name: string; stats: { s: string; lastRunAt: string } } }[] };
    }>(
      app,
      `{ tests(filter: { runId: ["a1"] }) { ... on TestConnection { e: edges { node { name ...Last } } } } }
       fragment Last on Test { stats { s: lastStatus lastRunAt } }`,
    );
    expect(lastRunRead()).toBe(true);
    // Run a1 alone (test/support/fixtures.ts): each test's one execution there.
    const last = new Map(r.tests.e.map(({ node }) => [node.name, [node.stats.s, node.stats.lastRunAt]]));
    expect(last.get('logs in')).toEqual(['PASSED', '2026-11-01T10:00:01.000Z']);
    expect(last.get('resets password')).toEqual(['FAILED', '2026-11-01T10:00:04.000Z']);
    expect(last.get('finds a page')).toEqual(['SKIPPED', '2026-11-01T10:00:05.000Z']);
    expect(last.get('ranks results')).toEqual(['ERROR', '2026-11-01T10:00:06.000Z']);
  });

  it('shows a test with its whole-history stats and its last attempts, oldest first', async () => {
    const { tests } = await data<{ tests: { edges: { node: { id: string } }[] } }>(
      app,
      '{ tests(filter: { testName: ["logs out"] }) { edges { node { id } } } }',
    );
    const id = tests.edges[0]!.node.id;
    const r = await data<{ test: Record<string, unknown> & { history: Record<string, unknown>[] } }>(
      app,
      `query($id: ID!) { test(id: $id) { name className stats { executions passRate flakyRate durationAvg lastStatus lastRunAt } history(last: 2) { status attempt durationMs message run { id } } } }`,
      { id },
    );
    expect(r.test).toMatchObject({
      name: 'logs out',
      className: 'LoginTest',
      stats: {
        executions: 2,
        passRate: 1,
        flakyRate: 0.5,
        durationAvg: 50,
        lastStatus: 'PASSED',
        lastRunAt: '2026-11-02T10:00:02.000Z',
      },
    });
    expect(r.test.history).toEqual([
      { status: 'PASSED', attempt: 2, durationMs: 40, message: null, run: { id: 'a1' } },
      { status: 'PASSED', attempt: 1, durationMs: 60, message: null, run: { id: 'b1' } },
    ]);
  });

  it('pages results by cursor, stable while new data arrives', async () => {
    const local = await testApp();
    try {
      await data(local, INGEST, { input: RUN_A });
      type P = {
        results: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string };
          edges: { node: { startedAt: string; test: { name: string } } }[];
        };
      };
      const q =
        'query($after: String) { results(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { startedAt test { name } } } } }';
      const p1 = await data<P>(local, q);
      expect(p1.results.edges.map((e) => e.node.startedAt)).toEqual([
        '2026-11-01T10:00:06.000Z',
        '2026-11-01T10:00:05.000Z',
      ]);
      await data(local, INGEST, { input: RUN_B }); // newer results land in front of page 1
      const p2 = await data<P>(local, q, { after: p1.results.pageInfo.endCursor });
      expect(p2.results.totalCount).toBe(11);
      expect(p2.results.edges.map((e) => e.node.startedAt)).toEqual([
        '2026-11-01T10:00:04.000Z',
        '2026-11-01T10:00:03.000Z',
      ]);
      const bad = await gql(local, q, { after: 'not-a-cursor' });
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    } finally {
      await local.close();
    }
  });

  it('counts the slice only when the query selects totalCount, under an alias or in a fragment too', async () => {
    const counts = () =>
      statements.filter((sql) => /SELECT count\((\*|DISTINCT test_id)\) AS n/.test(sql)).length;
    statements.length = 0;
    await data(
      app,
      '{ results(first: 1) { edges { cursor } } runs { edges { cursor } } tests { edges { cursor } } }',
    );
    expect(counts()).toBe(0);
    const r = await data<{
      results: { n: number };
      runs: { totalCount: number };
      tests: { totalCount: number };
    }>(
      app,
      `{ results(first: 1) { n: totalCount } runs(first: 1) { ...RunCount } tests(first: 1) { ... on TestConnection { totalCount } } }
       fragment RunCount on RunConnection { totalCount }`,
    );
    expect(r).toEqual({ results: { n: 11 }, runs: { totalCount: 2 }, tests: { totalCount: 5 } });
    expect(counts()).toBe(3);
  });

  it('orders results by duration and carries metrics and tags', async () => {
    const r = await data<{ results: { edges: { node: Record<string, unknown> }[] } }>(
      app,
      '{ results(first: 2, orderBy: { field: DURATION, direction: DESC }) { edges { node { durationMs hardware tags metrics { name value unit } } } } }',
    );
    expect(r.results.edges.map((e) => e.node)).toEqual([
      {
        durationMs: 200,
        hardware: 'cuda',
        tags: { ci: 'jenkins', model: 'bert' },
        metrics: [{ name: 'throughput', value: 30, unit: 'items/s' }],
      },
      {
        durationMs: 100,
        hardware: 'cpu',
        tags: { ci: 'github', model: 'bert' },
        metrics: [{ name: 'throughput', value: 10, unit: 'items/s' }],
      },
    ]);
  });
});
