import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchema, createYoga } from 'graphql-yoga';
import { useResponseCache } from '../../src/server/response-cache.ts';
import type { App } from '../../src/server/app.ts';
import { INGEST, data, testApp } from '../support/app.ts';
import { RUN_A, RUN_B } from '../support/fixtures.ts';

/** POSTs one operation in-process and returns the raw response. */
const send = (app: App, query: string, variables?: Record<string, unknown>, accept = 'application/json') =>
  app.yoga.fetch('http://assay.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ query, variables }),
  });

describe('the whole-response cache', () => {
  let app: App;
  beforeAll(async () => {
    app = await testApp();
    await data(app, INGEST, { input: RUN_A });
  });
  afterAll(() => app.close());

  const METRICS = '{ metrics(groupBy: [PROJECT]) { group { project } executions passRate } }';

  it('replays the same bytes for a repeated query without running SQL, until an ingest', async () => {
    const first = await send(app, METRICS);
    expect(first.headers.get('x-assay-cache')).toBeNull();
    const body = await first.text();
    const statements = app.store.statements;
    const again = await send(app, METRICS);
    expect(again.headers.get('x-assay-cache')).toBe('hit');
    expect(await again.text()).toBe(body);
    expect(app.store.statements).toBe(statements);

    await data(app, INGEST, { input: RUN_B });
    const fresh = await send(app, METRICS);
    expect(fresh.headers.get('x-assay-cache')).toBeNull();
    // RUN_A has 5 executions, RUN_B 5 more.
    expect(
      ((await fresh.json()) as { data: { metrics: { executions: number }[] } }).data.metrics[0]!.executions,
    ).toBe(10);
  });

  it('keys on variables and on the Accept header', async () => {
    const q = 'query($p: [String!]) { runs(filter: { project: $p }) { totalCount } }';
    await send(app, q, { p: ['web'] });
    expect((await send(app, q, { p: ['api'] })).headers.get('x-assay-cache')).toBeNull();
    expect((await send(app, q, { p: ['web'] })).headers.get('x-assay-cache')).toBe('hit');
    const other = await send(app, q, { p: ['web'] }, 'application/graphql-response+json');
    expect(other.headers.get('x-assay-cache')).toBeNull();
    expect(other.headers.get('content-type')).toContain('application/graphql-response+json');
    const replay = await send(app, q, { p: ['web'] }, 'application/graphql-response+json');
    expect(replay.headers.get('x-assay-cache')).toBe('hit');
    expect(replay.headers.get('content-type')).toContain('application/graphql-response+json');
  });

  it('never keeps gateway counters, alerts, mutations or answers with errors', async () => {
    for (const q of [
      '{ gateway { dataVersion cache { hits } } }',
      '{ alertRules { id } }',
      '{ metrics { executions } gateway { version } }',
    ]) {
      await send(app, q);
      expect((await send(app, q)).headers.get('x-assay-cache'), q).toBeNull();
    }
    const bad = '{ results(first: 100000) { totalCount } }';
    const r = (await (await send(app, bad)).json()) as { errors?: unknown[] };
    expect(r.errors?.length).toBeGreaterThan(0);
    expect((await send(app, bad)).headers.get('x-assay-cache')).toBeNull();
    const mutation = `mutation { deleteAlertRule(id: "none") }`;
    await send(app, mutation);
    expect((await send(app, mutation)).headers.get('x-assay-cache')).toBeNull();
  });

  it('answers identical requests that arrive together with one execution, and the rest wait for its bytes', async () => {
    const q = '{ metrics(groupBy: [SUITE]) { group { suite } executions } }';
    const before = app.responses.stats();
    const responses = await Promise.all(Array.from({ length: 5 }, async () => send(app, q)));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.headers.get('x-assay-cache')).sort()).toEqual([
      'hit',
      'hit',
      'hit',
      'hit',
      null,
    ]);
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0]!)).toHaveProperty('data.metrics');
    const after = app.responses.stats();
    expect([after.misses - before.misses, after.hits - before.hits]).toEqual([1, 4]);
  });

  it('lets waiting requests run themselves when the one they waited for is not kept (errors)', async () => {
    const bad = '{ results(first: 100000) { totalCount } }';
    const answers = await Promise.all(Array.from({ length: 3 }, async () => send(app, bad)));
    for (const a of answers) {
      expect(a.headers.get('x-assay-cache')).toBeNull();
      expect(((await a.json()) as { errors?: unknown[] }).errors?.length).toBeGreaterThan(0);
    }
  });

  it('reports its hits in gateway', async () => {
    const g = await data<{ gateway: { responses: { hits: number; misses: number; entries: number } } }>(
      app,
      '{ gateway { responses { hits misses entries } } }',
    );
    expect(g.gateway.responses.hits).toBeGreaterThanOrEqual(3);
    expect(g.gateway.responses.entries).toBeGreaterThan(0);
  });
});

describe('the whole-response cache while an ingest lands', () => {
  it('gives the waiting requests the answer being computed, but keeps it only if the data did not move meanwhile', async () => {
    let version = 1;
    let executions = 0;
    let entered!: () => void;
    const started = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // A request reads the version once, as it looks for its answer; the second read is the waiting request's.
    let reads = 0;
    let secondRead!: () => void;
    const waitingKeyed = new Promise<void>((r) => (secondRead = r));
    const dataVersion = () => {
      if (++reads === 2) secondRead();
      return version;
    };
    const responses = useResponseCache({ dataVersion, now: () => 0 });
    const yoga = createYoga({
      schema: createSchema({
        typeDefs: 'type Query { metrics: Int }',
        resolvers: {
          Query: {
            metrics: async () => {
              executions++;
              entered();
              await gate;
              return version;
            },
          },
        },
      }),
      plugins: [responses],
      logging: false,
    });
    const post = () =>
      yoga.fetch('http://assay.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: '{ metrics }' }),
      });

    const first = post();
    await started;
    const waiting = post();
    await waitingKeyed;
    // An ingest lands while the first request executes: the data it read is no longer current.
    version = 2;
    release();
    const [a, b] = await Promise.all([first, waiting]);
    expect(await a.text()).toBe('{"data":{"metrics":2}}');
    expect(b.headers.get('x-assay-cache')).toBe('hit');
    expect(await b.text()).toBe('{"data":{"metrics":2}}');
    expect(executions).toBe(1);
    // Nothing was kept under the key of the version the first request started at.
    expect(responses.stats()).toMatchObject({ entries: 0, hits: 1, misses: 1 });

    const after = await post();
    expect(after.headers.get('x-assay-cache')).toBeNull();
    expect(executions).toBe(2);
    expect(responses.stats().entries).toBe(1);
    expect((await post()).headers.get('x-assay-cache')).toBe('hit');
  });
});
