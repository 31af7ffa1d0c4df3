import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { INGEST, data, gql, testApp } from '../support/app.ts';
import { RUN_A, RUN_B, bigRun } from '../support/fixtures.ts';

interface IngestData {
  ingest: {
    run: {
      id: string;
      executions: number;
      passed: number;
      failed: number;
      flaky: number;
      skipped: number;
      passRate: number | null;
    };
    accepted: number;
    duplicates: number;
    rejected: number;
    errors: { index: number; field: string; message: string }[];
    dataVersion: number;
  };
}

let app: App;
afterEach(async () => app?.close());

const counts = async () =>
  (
    await data<{ gateway: { runs: number; tests: number; results: number; dataVersion: number } }>(
      app,
      '{ gateway { runs tests results dataVersion } }',
    )
  ).gateway;

describe('ingest mutation', () => {
  it('refuses an impossible run start (a DateTime) with BAD_USER_INPUT naming the field, and stores nothing', async () => {
    app = await testApp();
    const r = await gql(app, INGEST, {
      input: { ...RUN_A, run: { ...RUN_A.run, startedAt: '2026-02-30T10:00:00Z' } },
    });
    expect(r.data ?? null).toBeNull();
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(r.errors?.[0]?.message).toContain('"input.run.startedAt"');
    expect(r.errors?.[0]?.message).toContain('February 2026 has 28 days');
    const f = await gql(app, '{ runs(filter: { from: "2026-04-31T00:00:00Z" }) { totalCount } }');
    expect(f.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(f.errors?.[0]?.message).toContain('April 2026 has 30 days');
    expect(await counts()).toMatchObject({ runs: 0, results: 0 });
  });

  it('stores a batch, folds attempts into executions and raises dataVersion', async () => {
    app = await testApp();
    const { ingest } = await data<IngestData>(app, INGEST, { input: RUN_A });
    expect(ingest).toMatchObject({ accepted: 6, duplicates: 0, rejected: 0, errors: [], dataVersion: 1 });
    // 5 executions: t1 passed, t2 failed-then-passed (flaky, counts as passed), t3 failed, t4 skipped, t5 errored.
    expect(ingest.run).toMatchObject({ id: 'a1', executions: 5, passed: 2, failed: 1, flaky: 1, skipped: 1 });
    expect(ingest.run.passRate).toBeCloseTo(2 / 4, 12);
    expect(await counts()).toEqual({ runs: 1, tests: 5, results: 6, dataVersion: 1 });
  });

  it('counts a re-sent run + test + attempt as a duplicate and stores it once', async () => {
    app = await testApp();
    await data(app, INGEST, { input: RUN_A });
    const { ingest } = await data<IngestData>(app, INGEST, { input: RUN_A });
    // Nothing changed, so dataVersion stays where the first send left it.
    expect(ingest).toMatchObject({ accepted: 0, duplicates: 6, dataVersion: 1 });
    expect(await counts()).toMatchObject({ results: 6, dataVersion: 1 });
  });

  it('keeps cached answers across a re-send that stores nothing, and retires them when one stores a result', async () => {
    app = await testApp();
    await data(app, INGEST, { input: RUN_A });
    const EXECUTIONS = '{ metrics(groupBy: [PROJECT]) { executions } }';
    await data(app, EXECUTIONS);
    const misses = app.cache.stats().misses;
    await data(app, INGEST, { input: RUN_A });
    await data(app, EXECUTIONS);
    expect(app.cache.stats().misses).toBe(misses);
    // A later finish time is a change too.
    const { ingest } = await data<IngestData>(app, INGEST, {
      input: { ...RUN_A, run: { ...RUN_A.run, finishedAt: '2026-11-01T11:00:00Z' } },
    });
    expect(ingest.dataVersion).toBe(2);
    await data(app, EXECUTIONS);
    expect(app.cache.stats().misses).toBe(misses + 1);
  });

  it('counts repeats inside one batch as duplicates', async () => {
    app = await testApp();
    const first = RUN_B.results[0]!;
    const { ingest } = await data<IngestData>(app, INGEST, {
      input: { run: RUN_B.run, results: [first, first, { ...first, attempt: 2 }] },
    });
    expect(ingest).toMatchObject({ accepted: 2, duplicates: 1 });
  });

  it('refolds an execution when its retry arrives in a later batch', async () => {
    app = await testApp();
    const [failed, retry] = [RUN_A.results[1]!, RUN_A.results[2]!];
    const one = await data<IngestData>(app, INGEST, { input: { run: RUN_A.run, results: [failed] } });
    expect(one.ingest.run).toMatchObject({ executions: 1, passed: 0, failed: 1, flaky: 0 });
    const two = await data<IngestData>(app, INGEST, { input: { run: RUN_A.run, results: [retry] } });
    expect(two.ingest.run).toMatchObject({ executions: 1, passed: 1, failed: 0, flaky: 1 });
  });

  it('stores the valid rows and reports the bad ones by index and field', async () => {
    app = await testApp();
    const results = [
      RUN_B.results[0]!,
      { ...RUN_B.results[1]!, status: 'GREEN' },
      { ...RUN_B.results[2]!, durationMs: -5 },
    ];
    const { ingest } = await data<IngestData>(app, INGEST, { input: { run: RUN_B.run, results } });
    expect(ingest).toMatchObject({ accepted: 1, rejected: 2 });
    expect(ingest.errors.map((e) => [e.index, e.field])).toEqual([
      [1, 'status'],
      [2, 'durationMs'],
    ]);
  });

  it('writes nothing when the transaction fails before commit', async () => {
    let fail = true;
    app = await testApp({
      beforeCommit: () => {
        if (fail) throw new Error('disk full');
      },
    });
    const r = await gql(app, INGEST, { input: RUN_A });
    expect(r.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(r.errors?.[0]?.message).not.toContain('disk full');
    expect(await counts()).toEqual({ runs: 0, tests: 0, results: 0, dataVersion: 0 });
    fail = false;
    const { ingest } = await data<IngestData>(app, INGEST, { input: RUN_A });
    // The failed attempt left no trace: the same batch now stores in full, with fresh ids.
    expect(ingest).toMatchObject({ accepted: 6, duplicates: 0, dataVersion: 1 });
    expect(await counts()).toEqual({ runs: 1, tests: 5, results: 6, dataVersion: 1 });
  });

  it('refuses a batch over the limit with a message naming the limit, storing nothing', async () => {
    app = await testApp();
    const r = await gql(app, INGEST, { input: bigRun('huge', 50_001) });
    expect(r.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(r.errors?.[0]?.message).toContain('at most 50000');
    expect((await counts()).runs).toBe(0);
  });

  it('accepts 10,000 results in one call', async () => {
    app = await testApp();
    const { ingest } = await data<IngestData>(app, INGEST, { input: bigRun('big', 10_000) });
    expect(ingest.accepted).toBe(10_000);
    expect(ingest.run.executions).toBe(10_000);
  });

  it('refuses a run id that belongs to another project', async () => {
    app = await testApp();
    await data(app, INGEST, { input: RUN_A });
    const r = await gql(app, INGEST, {
      input: { ...RUN_B, run: { ...RUN_B.run, id: 'a1', project: 'api' } },
    });
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'run.project' } });
    expect(r.errors?.[0]?.message).toContain('already has project "web"');
  });

  it('refuses a later batch of a run that names another branch or commit', async () => {
    app = await testApp();
    await data(app, INGEST, { input: RUN_A });
    const r = await gql(app, INGEST, { input: { ...RUN_B, run: { ...RUN_A.run, commit: 'c9' } } });
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'run.commit' } });
    expect(r.errors?.[0]?.message).toContain('already has commit "c1"');
    expect((await counts()).results).toBe(6);
  });

  it('refuses an unreadable run start time before touching the store', async () => {
    app = await testApp();
    const r = await gql(app, INGEST, {
      input: { ...RUN_A, run: { ...RUN_A.run, startedAt: 'last tuesday' } },
    });
    expect(r.errors?.[0]?.message).toContain('ISO-8601');
    expect((await counts()).dataVersion).toBe(0);
  });

  it('publishes an ingested event after each commit', async () => {
    app = await testApp();
    const events: { accepted: number; dataVersion: number; passed: number; failed: number }[] = [];
    const sub = app.pubsub.subscribe('ingested')[Symbol.asyncIterator]();
    const next = sub.next();
    await data(app, INGEST, { input: RUN_A });
    const first = await next;
    if (!first.done) events.push(first.value);
    await sub.return?.();
    expect(events).toEqual([expect.objectContaining({ accepted: 6, dataVersion: 1, passed: 2, failed: 2 })]);
  });
});
