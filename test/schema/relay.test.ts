import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { normaliseRule } from '../../src/domain/alert-rules.ts';
import { INGEST, TEST_NOW, data, gql, testApp } from '../support/app.ts';
import { RUN_A, RUN_B } from '../support/fixtures.ts';

// Relay cursor connections and object identification over the fixtures' two runs (a1 on
// 11-01, b1 on 11-02), five tests and eleven attempts; every expectation is worked by hand
// from test/support/fixtures.ts.
let app: App;
beforeAll(async () => {
  app = await testApp();
  await data(app, INGEST, { input: RUN_A });
  await data(app, INGEST, { input: RUN_B });
});
afterAll(async () => app.close());

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Conn {
  pageInfo: PageInfo;
  edges: { cursor: string; node: Record<string, unknown> }[];
}

const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

/** One page of a root connection, `args` inline (e.g. `first: 2, after: $after`). */
async function page(field: string, args: string, fields: string, vars: Record<string, unknown> = {}) {
  const defs = ['after', 'before'].filter((v) => args.includes(`$${v}`)).map((v) => `$${v}: String`);
  const query = `query${defs.length ? `(${defs.join(', ')})` : ''} { c: ${field}(${args}) { ${PAGE_INFO} edges { cursor node { ${fields} } } } }`;
  return (await data<{ c: Conn }>(app, query, vars)).c;
}

/** Every row, read forwards `size` at a time, and read backwards from the end `size` at a time. */
async function bothWays(field: string, extra: string, fields: string, size: number) {
  const forwards: unknown[] = [];
  let after: string | null = null;
  for (;;) {
    const p = await page(field, `${extra} first: ${size}, after: $after`, fields, { after });
    forwards.push(...p.edges.map((e) => e.node));
    if (!p.pageInfo.hasNextPage) break;
    after = p.pageInfo.endCursor;
  }
  const backwards: unknown[] = [];
  let before: string | null = null;
  for (;;) {
    const p = await page(field, `${extra} last: ${size}, before: $before`, fields, { before });
    backwards.unshift(...p.edges.map((e) => e.node));
    if (!p.pageInfo.hasPreviousPage) break;
    before = p.pageInfo.startCursor;
  }
  return { forwards, backwards };
}

const flags = (p: Conn) => [p.pageInfo.hasPreviousPage, p.pageInfo.hasNextPage];

describe('paging backwards with last/before', () => {
  it('reaches the same results as paging forwards, in every order, ties and nulls included', async () => {
    for (const order of [
      '',
      'orderBy: { field: DURATION, direction: ASC }',
      'orderBy: { field: DURATION }',
    ]) {
      const { forwards, backwards } = await bothWays('results', order, 'id startedAt durationMs', 3);
      expect(forwards).toHaveLength(11);
      expect(backwards).toEqual(forwards);
    }
  });

  it('reaches the same tests both ways, with null and tied sort values', async () => {
    // In a1 alone "finds a page" only skipped: its pass rate is null and sorts last either way.
    const orders = [
      'filter: { runId: ["a1"] }, orderBy: { field: PASS_RATE, direction: ASC }',
      'filter: { runId: ["a1"] }, orderBy: { field: PASS_RATE, direction: DESC }',
      'orderBy: { field: EXECUTIONS }', // every test ran twice: the order is the id tiebreak alone
      'orderBy: { field: DURATION_P95, direction: DESC }',
      'orderBy: { field: DURATION_AVG }',
      'orderBy: { field: LAST_RUN_AT, direction: DESC }',
      'filter: { runId: ["a1"] }, orderBy: { field: FAIL_RATE, direction: DESC }',
      'filter: { runId: ["a1"] }, orderBy: { field: FLAKY_RATE, direction: DESC }',
      '',
    ];
    for (const order of orders) {
      const { forwards, backwards } = await bothWays('tests', order, 'id name', 2);
      expect(forwards).toHaveLength(5);
      expect(backwards).toEqual(forwards);
    }
    const a1 = await bothWays('tests', orders[0]!, 'name stats { passRate }', 2);
    expect(a1.forwards.at(-1)).toEqual({ name: 'finds a page', stats: { passRate: null } });
    // p95 of the executions that ran (linear between neighbours): logs in 100, 200 → 195; ranks results 70, 90 → 89.
    const slowest = await page(
      'tests',
      'first: 2, orderBy: { field: DURATION_P95, direction: DESC }',
      'name stats { durationP95 }',
    );
    expect(slowest.edges.map((e) => e.node)).toEqual([
      { name: 'logs in', stats: { durationP95: 195 } },
      { name: 'ranks results', stats: { durationP95: 89 } },
    ]);
  });

  it('reaches the same runs both ways', async () => {
    const { forwards, backwards } = await bothWays('runs', '', 'id', 1);
    expect(forwards).toEqual([{ id: 'b1' }, { id: 'a1' }]);
    expect(backwards).toEqual(forwards);
  });

  it('says which side has more rows, on hand-worked pages of results', async () => {
    // Newest first: b1's five attempts (11-02 10:00:05 … :01), then a1's six (11-01 10:00:06 … :01).
    const time = (p: Conn) => p.edges.map((e) => String(e.node['startedAt']).slice(5, 19));
    const first3 = await page('results', 'first: 3', 'startedAt');
    expect(time(first3)).toEqual(['11-02T10:00:05', '11-02T10:00:04', '11-02T10:00:03']);
    expect(flags(first3)).toEqual([false, true]);

    const next = await page('results', 'first: 3, after: $after', 'startedAt', {
      after: first3.pageInfo.endCursor,
    });
    expect(time(next)).toEqual(['11-02T10:00:02', '11-02T10:00:01', '11-01T10:00:06']);
    expect(flags(next)).toEqual([true, true]);

    const last3 = await page('results', 'last: 3', 'startedAt');
    expect(time(last3)).toEqual(['11-01T10:00:03', '11-01T10:00:02', '11-01T10:00:01']);
    expect(flags(last3)).toEqual([true, false]);

    const before = await page('results', 'last: 3, before: $before', 'startedAt', {
      before: last3.pageInfo.startCursor,
    });
    expect(time(before)).toEqual(['11-01T10:00:06', '11-01T10:00:05', '11-01T10:00:04']);
    expect(flags(before)).toEqual([true, true]);

    const all = await page('results', 'last: 20', 'startedAt');
    expect(all.edges).toHaveLength(11);
    expect(flags(all)).toEqual([false, false]);

    // Both cursors bound a window: strictly between next's last row and last3's first row.
    const window = await page('results', 'first: 5, after: $after, before: $before', 'startedAt', {
      after: next.pageInfo.endCursor,
      before: last3.pageInfo.startCursor,
    });
    expect(time(window)).toEqual(['11-01T10:00:05', '11-01T10:00:04']);
    expect(flags(window)).toEqual([true, false]);
  });

  it('pages runs and tests backwards with the right flags', async () => {
    const lastRun = await page('runs', 'last: 1', 'id');
    expect([lastRun.edges[0]?.node, ...flags(lastRun)]).toEqual([{ id: 'a1' }, true, false]);
    const earlier = await page('runs', 'last: 1, before: $before', 'id', {
      before: lastRun.pageInfo.startCursor,
    });
    expect([earlier.edges[0]?.node, ...flags(earlier)]).toEqual([{ id: 'b1' }, false, true]);
    const firstRun = await page('runs', 'first: 1', 'id');
    const afterFirst = await page('runs', 'first: 1, after: $after', 'id', {
      after: firstRun.pageInfo.endCursor,
    });
    expect([afterFirst.edges[0]?.node, ...flags(afterFirst)]).toEqual([{ id: 'a1' }, true, false]);

    // By name: finds a page, logs in, logs out, ranks results, resets password.
    const names = (p: Conn) => p.edges.map((e) => e.node['name']);
    const tail = await page('tests', 'last: 2', 'name');
    expect([names(tail), ...flags(tail)]).toEqual([['ranks results', 'resets password'], true, false]);
    const middle = await page('tests', 'last: 2, before: $before', 'name', {
      before: tail.pageInfo.startCursor,
    });
    expect([names(middle), ...flags(middle)]).toEqual([['logs in', 'logs out'], true, true]);
    const head = await page('tests', 'last: 2, before: $before', 'name', {
      before: middle.pageInfo.startCursor,
    });
    expect([names(head), ...flags(head)]).toEqual([['finds a page'], false, true]);
  });

  it('refuses first with last, and a forged before cursor, with BAD_USER_INPUT', async () => {
    const both = await gql(app, '{ results(first: 2, last: 2) { edges { cursor } } }');
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'last' });
    expect(both.errors?.[0]?.message).toContain('not both');
    const forged = await gql(app, '{ runs(last: 2, before: "bm90IGEgY3Vyc29y") { edges { cursor } } }');
    expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'before' });
    const tooMany = await gql(app, '{ tests(last: 1001) { edges { cursor } } }');
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'last' });
  });
});

describe('node(id:)', () => {
  const nodeIdOf = async (query: string) =>
    (await data<{ c: { edges: { node: { nodeId: string } }[] } }>(app, query)).c.edges[0]!.node.nodeId;

  it('refetches a run, a test, a result and an alert by nodeId', async () => {
    const run = await nodeIdOf('{ c: runs(filter: { commit: ["c1"] }) { edges { node { nodeId } } } }');
    const test = await nodeIdOf(
      '{ c: tests(filter: { testName: ["logs out"] }) { edges { node { nodeId } } } }',
    );
    const result = await nodeIdOf(
      '{ c: results(first: 1, orderBy: { field: DURATION }) { edges { node { nodeId } } } }',
    );
    const rule = normaliseRule(
      { name: 'flaky', kind: 'FLAKY_TEST', threshold: 0.3 },
      { id: 'r1', now: TEST_NOW },
    );
    const alert = await app.store.insertAlert({
      kind: 'FLAKY_TEST',
      severity: 'WARNING',
      message: 'logs out is flaky',
      firedAt: TEST_NOW,
      value: 0.5,
      threshold: 0.3,
      group: { tags: {} },
      groupKey: '[]',
      rule,
    });
    const alertNode = await nodeIdOf('{ c: alerts(first: 1) { edges { node { nodeId } } } }');

    const q = `query($id: ID!) { node(id: $id) { __typename nodeId
      ... on Run { id commit } ... on Test { name } ... on Result { durationMs } ... on Alert { id message } } }`;
    const get = async (id: string) => (await data<{ node: unknown }>(app, q, { id })).node;
    expect(await get(run)).toEqual({ __typename: 'Run', nodeId: run, id: 'a1', commit: 'c1' });
    expect(await get(test)).toEqual({ __typename: 'Test', nodeId: test, name: 'logs out' });
    expect(await get(result)).toEqual({ __typename: 'Result', nodeId: result, durationMs: 200 });
    expect(await get(alertNode)).toEqual({
      __typename: 'Alert',
      nodeId: alertNode,
      id: alert.id,
      message: 'logs out is flaky',
    });

    const many = await data<{ nodes: ({ __typename: string } | null)[] }>(
      app,
      'query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }',
      { ids: [result, run, Buffer.from('Run:no such run').toString('base64url'), test] },
    );
    expect(many.nodes).toEqual([
      { __typename: 'Result' },
      { __typename: 'Run' },
      null,
      { __typename: 'Test' },
    ]);
  });

  it('keeps a run and a test with the same id apart', async () => {
    const local = await testApp();
    try {
      await data(local, INGEST, { input: RUN_A });
      const { tests } = await data<{ tests: { edges: { node: { id: string; nodeId: string } }[] } }>(
        local,
        '{ tests(filter: { testName: ["logs in"] }) { edges { node { id nodeId } } } }',
      );
      const test = tests.edges[0]!.node;
      // A CI may name its run anything, a test's 16-hex-digit hash included.
      await data(local, INGEST, { input: { ...RUN_B, run: { ...RUN_B.run, id: test.id, project: 'twin' } } });
      const { run } = await data<{ run: { id: string; nodeId: string } }>(
        local,
        'query($id: ID!) { run(id: $id) { id nodeId } }',
        { id: test.id },
      );
      expect(run.id).toBe(test.id);
      expect(run.nodeId).not.toBe(test.nodeId);
      const q =
        'query($id: ID!) { node(id: $id) { __typename ... on Run { project } ... on Test { name } } }';
      expect((await data(local, q, { id: run.nodeId })).node).toEqual({ __typename: 'Run', project: 'twin' });
      expect((await data(local, q, { id: test.nodeId })).node).toEqual({
        __typename: 'Test',
        name: 'logs in',
      });
    } finally {
      await local.close();
    }
  });

  it('answers the refetch query Relay generates for a fragment on Run (nodeInterfaceIdField: nodeId)', async () => {
    const run = await nodeIdOf('{ c: runs(filter: { commit: ["c2"] }) { edges { node { nodeId } } } }');
    // relay-compiler's node_query_generator: one `node` argument, a variable named after the id field,
    // the fragment spread plus the id field, and __typename for the abstract Node.
    const refetch = `query RunRowRefetchQuery($nodeId: ID!) {
      node(id: $nodeId) { __typename ...RunRow_run nodeId }
    }
    fragment RunRow_run on Run { id branch passed nodeId }`;
    expect(await data(app, refetch, { nodeId: run })).toEqual({
      node: { __typename: 'Run', id: 'b1', branch: 'main', passed: 5, nodeId: run },
    });
  });

  it('answers the backward pagination query Relay generates for a @connection on results', async () => {
    const q = `query ResultListPaginationQuery($count: Int = 4, $cursor: String) { ...ResultList_query_1G22uz }
    fragment ResultList_query_1G22uz on Query {
      results(last: $count, before: $cursor) {
        edges { node { nodeId status __typename } cursor }
        pageInfo { hasPreviousPage startCursor hasNextPage endCursor }
      }
    }`;
    type R = { results: Conn };
    // The oldest four: a1's 10:00:04 resets password, 10:00:03 and :02 logs out, :01 logs in.
    const p1 = await data<R>(app, q);
    expect(p1.results.edges.map((e) => e.node['status'])).toEqual(['FAILED', 'PASSED', 'FAILED', 'PASSED']);
    expect(flags(p1.results)).toEqual([true, false]);
    const p2 = await data<R>(app, q, { count: 20, cursor: p1.results.pageInfo.startCursor });
    expect(p2.results.edges).toHaveLength(7);
    expect(flags(p2.results)).toEqual([false, true]);
  });

  it('refuses an id that is not a nodeId with BAD_USER_INPUT saying what to pass', async () => {
    const r = await gql(app, '{ node(id: "a1") { nodeId } }');
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(r.errors?.[0]?.message).toContain('`run(id:)`');
    const many = await gql(
      app,
      `{ nodes(ids: ["${Buffer.from('Run:a1').toString('base64url')}", "x"]) { nodeId } }`,
    );
    expect(many.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids[1]' });
  });
});
