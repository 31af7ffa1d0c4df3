import { readFileSync } from 'node:fs';
import { getIntrospectionQuery, parse } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VERSION, createApp, type App, type AppConfig } from '../../src/server/app.ts';
import { schema } from '../../schema/index.ts';
import { analyseOperation } from '../../src/server/limits.ts';
import { createLogger } from '../../src/server/logger.ts';
import { INGEST, TEST_NOW, type GqlResponse } from '../support/app.ts';
import { RUN_A } from '../support/fixtures.ts';

/** A real gateway on an ephemeral port; resolves with it and the URL of /graphql. */
async function listening(config: AppConfig = {}): Promise<{ app: App; url: string }> {
  const app = await createApp({
    db: ':memory:',
    port: 0,
    logLevel: 'silent',
    now: () => TEST_NOW,
    ...config,
  });
  return { app, url: await app.listen() };
}

/** POSTs one operation over the network; resolves with the HTTP status and the parsed body. */
async function post<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  operationName?: string,
): Promise<{ status: number; body: GqlResponse<T> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    },
    body: JSON.stringify({ query, variables, operationName }),
  });
  return { status: res.status, body: (await res.json()) as GqlResponse<T> };
}

const codes = (body: GqlResponse): (string | undefined)[] =>
  (body.errors ?? []).map((e) => e.extensions?.code);

describe('a listening gateway', () => {
  let app: App;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await listening());
  });
  afterAll(async () => app.close());

  it('answers /healthz with ok', async () => {
    const res = await fetch(new URL('/healthz', url));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with ready while listening', async () => {
    const res = await fetch(new URL('/readyz', url));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready' });
  });

  it('serves a self-contained GraphiQL page to a browser, with no CDN assets', async () => {
    const res = await fetch(url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<title>Assay</title>');
    // The bundle is inlined: its entry point is called from an inline script.
    expect(html).toContain('YogaGraphiQL.renderYogaGraphiQL');
    expect(html.length).toBeGreaterThan(1_000_000);
    expect(html).not.toMatch(/<script[^>]*\ssrc\s*=\s*["']?https?:/i);
    expect(html).not.toMatch(/<link[^>]*\shref\s*=\s*["']?https?:/i);
    expect(html).not.toMatch(/@import\s+(url\()?\s*["']?https?:/i);
    for (const cdn of ['unpkg.com', 'cdn.jsdelivr', 'esm.sh']) expect(html).not.toContain(cdn);
  });

  it('runs a mutation and a query sent over HTTP', async () => {
    const ingest = await post<{ ingest: { accepted: number; rejected: number } }>(url, INGEST, {
      input: RUN_A,
    });
    expect(ingest.status).toBe(200);
    expect(ingest.body.errors).toBeUndefined();
    expect(ingest.body.data?.ingest).toMatchObject({ accepted: 6, rejected: 0 });

    const r = await post(url, '{ gateway { runs results } }');
    expect(r).toEqual({ status: 200, body: { data: { gateway: { runs: 1, results: 6 } } } });
  });

  it('refuses a page that is too large with BAD_USER_INPUT and says how to fix it', async () => {
    const { body } = await post(url, '{ results(first: 5000) { totalCount } }');
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0]?.message).toContain('first must be a whole number from 0 to 1000 (got 5000)');
    expect(body.errors?.[0]?.message).toContain('after');
    expect(body.errors?.[0]?.path).toEqual(['results']);
  });

  it('answers a variable that does not coerce with BAD_USER_INPUT, naming where in the input it sits', async () => {
    const { body } = await post(url, 'query($n: Int) { results(first: $n) { totalCount } }', { n: 'ten' });
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0]?.message).toContain('Variable "$n" got invalid value "ten"');
    for (const duration of ['1e999', '"NaN"']) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: `{"query": ${JSON.stringify(INGEST)}, "variables": {"input": {"run": {"id": "x", "project": "p", "startedAt": "2026-11-01T00:00:00Z"},
          "results": [{"suite": "s", "name": "a", "status": "PASSED", "durationMs": 1}, {"suite": "s", "name": "b", "status": "PASSED", "durationMs": ${duration}}]}}}`,
      });
      const r = (await res.json()) as GqlResponse;
      expect(r.errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input.results[1].durationMs',
      });
    }
  });

  it('answers a forged cursor with BAD_USER_INPUT, whatever it holds', async () => {
    const forge = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const forged = [
      [0, 'abc', 5],
      [0, 1.5, 5],
      [0, 1, 'x'],
      [7, 1, 1],
      [0, 1e30, 1],
      [0, 1, 1e300],
      'not a cursor',
    ];
    for (const key of forged) {
      const after = typeof key === 'string' ? key : forge(key);
      for (const field of ['results', 'runs']) {
        const { body } = await post(url, `query($a: String) { ${field}(after: $a) { totalCount } }`, {
          a: after,
        });
        expect(codes(body)).toEqual(['BAD_USER_INPUT']);
      }
    }
    const { body } = await post(url, 'query($a: String) { tests(after: $a) { totalCount } }', {
      a: forge([0, 'x', 5]),
    });
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0]?.message).toContain('`after` is not a cursor this query returned');
  });

  it('does not echo an invalid JSON body back', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"query": "{ gateway { runs } }", ${'x'.repeat(100_000)}`,
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text.length).toBeLessThan(500);
    expect(text).not.toContain('xxxx');
    expect(JSON.parse(text)).toEqual({
      errors: [
        {
          message: 'POST body sent invalid JSON.',
          extensions: {
            code: 'BAD_REQUEST',
            originalError: { name: 'SyntaxError', message: 'withheld: it may quote the request' },
          },
        },
      ],
    });
  });

  it('answers an unknown id with NOT_FOUND naming the query that lists valid ids', async () => {
    const { body } = await post(url, '{ run(id: "no-such-run") { id } }');
    expect(codes(body)).toEqual(['NOT_FOUND']);
    expect(body.errors?.[0]?.message).toBe(
      'No run has id "no-such-run". List them with the `runs` query to find a valid id.',
    );
  });

  it("answers the contract's Gateway query with fields of the right types", async () => {
    const contract = readFileSync(
      new URL('../../../shared/contract/operations.graphql', import.meta.url),
      'utf8',
    );
    const { status, body } = await post<{
      gateway: {
        version: unknown;
        dataVersion: unknown;
        runs: unknown;
        tests: unknown;
        results: unknown;
        cache: { hits: unknown; misses: unknown; hitRatio: unknown; entries: unknown };
        db: { statements: unknown };
      };
    }>(url, contract, {}, 'Gateway');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const g = body.data!.gateway;
    expect(g.version).toBe(VERSION);
    for (const n of [
      g.dataVersion,
      g.runs,
      g.tests,
      g.results,
      g.cache.hits,
      g.cache.misses,
      g.cache.entries,
      g.db.statements,
    ]) {
      expect(Number.isInteger(n) && (n as number) >= 0).toBe(true);
    }
    expect(
      g.cache.hitRatio === null ||
        (typeof g.cache.hitRatio === 'number' && g.cache.hitRatio >= 0 && g.cache.hitRatio <= 1),
    ).toBe(true);
    expect(g.db.statements as number).toBeGreaterThan(0);
    expect(Object.keys(g.cache).sort()).toEqual(['entries', 'hitRatio', 'hits', 'misses']);
  });
});

describe('error masking', () => {
  let app: App | undefined;
  afterEach(async () => app?.close());

  it('masks an unexpected failure as INTERNAL_SERVER_ERROR and logs the detail instead', async () => {
    const lines: string[] = [];
    const server = await listening({
      log: createLogger('error', (line) => lines.push(line)),
      beforeCommit: () => {
        throw new Error('secret detail');
      },
    });
    app = server.app;
    const { body } = await post(server.url, INGEST, { input: RUN_A });
    expect(codes(body)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(body.errors?.[0]?.path).toEqual(['ingest']);
    expect(JSON.stringify(body)).not.toContain('secret detail');
    expect(lines.some((l) => l.includes('secret detail'))).toBe(true);
    const logged = JSON.parse(lines.find((l) => l.includes('secret detail'))!) as { level: string };
    expect(logged.level).toBe('error');
  });
});

describe('operation limits', () => {
  let app: App;
  let url: string;
  let shallow: App;
  let shallowUrl: string;
  beforeAll(async () => {
    ({ app, url } = await listening());
    ({ app: shallow, url: shallowUrl } = await listening({ limits: { maxDepth: 3 } }));
  });
  afterAll(async () => {
    await app.close();
    await shallow.close();
  });

  it('refuses an operation nested deeper than maxDepth with QUERY_TOO_DEEP', async () => {
    const { status, body } = await post(shallowUrl, '{ results { edges { node { id } } } }');
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(codes(body)).toEqual(['QUERY_TOO_DEEP']);
    expect(body.errors?.[0]?.message).toContain('nests 4 levels deep; the limit is 3');
  });

  it('runs an operation exactly at maxDepth', async () => {
    const { status, body } = await post(shallowUrl, '{ gateway { cache { hits } } }');
    expect(status).toBe(200);
    expect(body).toEqual({ data: { gateway: { cache: { hits: 0 } } } });
  });

  // Aliases under one root field: root fields have their own, lower limit (root-fields.ts).
  const aliased = (n: number) =>
    `{ gateway { ${Array.from({ length: n }, (_, i) => `a${i}: runs`).join(' ')} } }`;

  it('refuses 31 aliases with TOO_MANY_ALIASES', async () => {
    const { status, body } = await post(url, aliased(31));
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['TOO_MANY_ALIASES']);
    expect(body.errors?.[0]?.message).toContain('uses 31 aliases; the limit is 30');
  });

  it('runs 30 aliases', async () => {
    const { body } = await post<{ gateway: Record<string, number> }>(url, aliased(30));
    expect(body.errors).toBeUndefined();
    expect(Object.keys(body.data?.gateway ?? {})).toHaveLength(30);
  });

  it('refuses nested large pages with QUERY_TOO_COSTLY even though the text is short', async () => {
    const { status, body } = await post(
      url,
      '{ results(first: 1000) { edges { node { test { history(last: 1000) { id } } } } } }',
    );
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['QUERY_TOO_COSTLY']);
    // 1 + 4 × 1000 + 1000 × 1000
    expect(body.errors?.[0]?.message).toContain('about 1004001 fields');
  });

  it('counts page sizes passed as variables, checking every request of the same text', async () => {
    // Yoga caches validation per document, so a limit that depends on variables must not be decided there.
    const q =
      'query($n: Int, $m: Int) { results(first: $n) { edges { node { test { history(last: $m) { id } } } } } }';
    expect((await post(url, q, { n: 10, m: 10 })).body).toEqual({ data: { results: { edges: [] } } });
    expect(codes((await post(url, q, { n: 1000, m: 1000 })).body)).toEqual(['QUERY_TOO_COSTLY']);
    expect((await post(url, q, { n: 10, m: 10 })).body).toEqual({ data: { results: { edges: [] } } });
  });

  it('counts `last` as it counts `first`, from the coerced variables', async () => {
    const q = 'query($n: Int) { results(last: $n) { edges { node { test { history(last: $n) { id } } } } } }';
    expect((await post(url, q, { n: 10 })).body).toEqual({ data: { results: { edges: [] } } });
    const big = await post(url, q, { n: 1000 });
    expect(codes(big.body)).toEqual(['QUERY_TOO_COSTLY']);
    // 1 + 4 × 1000 + 1000 × 1000, as with `first: 1000`
    expect(big.body.errors?.[0]?.message).toContain('about 1004001 fields');
  });

  it("counts a page size that comes from a variable's default, as execution will read it", async () => {
    const q = (n: string) =>
      `{ tests(first: ${n}) { edges { node { history(last: ${n}) { run { id } } } } } }`;
    const inline = await post(url, q('1000'));
    const byDefault = await post(url, `query($n: Int = 1000) ${q('$n')}`);
    expect(codes(inline.body)).toEqual(['QUERY_TOO_COSTLY']);
    expect(byDefault.status).toBe(400);
    expect(codes(byDefault.body)).toEqual(['QUERY_TOO_COSTLY']);
    // tests 1, edges/node 2 × 1000, history 1000, history × run × id 2 × 1000 × 1000
    expect(byDefault.body.errors?.[0]?.message).toContain('about 2003001 fields');
    expect(byDefault.body.errors?.[0]?.message).toBe(inline.body.errors?.[0]?.message);
  });

  it('refuses a filter list over the cap with BAD_USER_INPUT naming the field and the cap', async () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
    const q = 'query($names: [String!]) { results(filter: { testName: $names }, first: 1) { totalCount } }';
    const { status, body } = await post(url, q, { names: names(1001) });
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0]?.extensions).toMatchObject({ field: 'results.filter.testName', limit: 1000 });
    expect(body.errors?.[0]?.message).toContain(
      'results.filter.testName has 1001 values; a list argument or filter field takes at most 1000',
    );
    expect((await post(url, q, { names: names(1000) })).body).toEqual({
      data: { results: { totalCount: 0 } },
    });
  });

  it('refuses filter lists over the cap in all, and caps lists inside tag filters and inline', async () => {
    const list = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => `v${i}`));
    const six = Array.from(
      { length: 6 },
      (_, i) => `r${i}: runs(filter: { branch: ${list(900)} }, first: 1) { totalCount }`,
    ).join(' ');
    const all = await post(url, `{ ${six} }`);
    expect(codes(all.body)).toEqual(['BAD_USER_INPUT']);
    expect(all.body.errors?.[0]?.message).toContain('hold 5400 values together; the limit is 5000');
    const tags = await post(
      url,
      `{ metrics(filter: { tags: [{ key: "k", values: ${list(1001)} }] }) { executions } }`,
    );
    expect(tags.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'metrics.filter.tags[0].values',
    });
  });

  const ofTypes = (n: number) => `{ __schema { types ${'{ ofType '.repeat(n)}{ name }${' }'.repeat(n)} } }`;

  it('counts introspection fields in the depth: nested ofType beyond the introspection limit is QUERY_TOO_DEEP', async () => {
    const deep = await post(url, ofTypes(30));
    expect(deep.status).toBe(400);
    expect(codes(deep.body)).toEqual(['QUERY_TOO_DEEP']);
    expect(deep.body.errors?.[0]?.message).toContain('introspection nests 33 levels deep; the limit is 20');
    expect(codes((await post(url, ofTypes(2_000))).body)).toEqual(['QUERY_TOO_DEEP']);
  });

  it('refuses a document nested 20,000 levels before parsing it, instead of overflowing the stack', async () => {
    const { status, body } = await post(url, ofTypes(20_000));
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['QUERY_TOO_DEEP']);
    expect(body.errors?.[0]?.message).toContain('nests brackets more than 64 levels deep');
  });

  it('refuses a document of more than maxTokens tokens', async () => {
    const fields = (n: number) => `{ ${Array.from({ length: n }, () => '__typename').join(' ')} }`;
    const { status, body } = await post(url, fields(10_000)); // 10,002 tokens with the braces
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/Document contains more tha[nt] 10000 tokens/);
    // 10,000 tokens parse (validation then has its own say about 9,998 identical fields).
    expect(JSON.stringify((await post(url, fields(9_998))).body)).not.toContain('tokens');
  });

  it("answers GraphiQL's introspection query", async () => {
    const { body } = await post<{ __schema: { queryType: { name: string } } }>(
      url,
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
        oneOf: true,
      }),
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.__schema.queryType.name).toBe('Query');
  });

  it('measures the operation the request names, not another one in the same document', async () => {
    const doc = 'query Shallow { gateway { runs } } query Deep { results { edges { node { id } } } }';
    expect((await post(shallowUrl, doc, {}, 'Shallow')).body).toEqual({ data: { gateway: { runs: 0 } } });
    expect(codes((await post(shallowUrl, doc, {}, 'Deep')).body)).toEqual(['QUERY_TOO_DEEP']);
  });

  it('runs an ordinary query', async () => {
    const { status, body } = await post(
      url,
      '{ results(first: 20) { totalCount edges { node { id test { name history(last: 5) { status } } } } } }',
    );
    expect(status).toBe(200);
    expect(body).toEqual({ data: { results: { totalCount: 0, edges: [] } } });
  });
});

describe('analyseOperation', () => {
  const doc = parse(`
    query Page($n: Int) {
      __typename
      page: results(first: $n) {
        totalCount
        edges { node { ...ResultBits } }
      }
      gateway { version }
    }
    fragment ResultBits on Result {
      id
      t: test { history(last: 3) { id } }
      ... on Result { status }
    }
    query Other { a: gateway { b: runs c: tests } }
  `);

  it('counts depth through fragments, aliases, and cost multiplied by page sizes', () => {
    // Depth: results 1, edges 2, node 3, test 4 (from the fragment), history 5, id 6.
    // Cost with n = 10: results 1 + (totalCount, edges, node, id, test, status, history) 7 × 10
    //   + history.id 10 × 3 + gateway 1 + version 1 = 103. __typename is free.
    expect(analyseOperation(doc, { n: 10 }, 'Page')).toEqual({
      depth: 6,
      introspectionDepth: 0,
      aliases: 2,
      cost: 103,
      lists: [],
    });
  });

  it('assumes a page of 50 when the size is not given', () => {
    // 1 + 7 × 50 + 50 × 3 + 2
    expect(analyseOperation(doc, {}, 'Page')).toEqual({
      depth: 6,
      introspectionDepth: 0,
      aliases: 2,
      cost: 503,
      lists: [],
    });
  });

  it("reads a page size from the variable's default when the request leaves it out", () => {
    const withDefault = parse('query($n: Int = 7) { results(first: $n) { totalCount } }');
    expect(analyseOperation(withDefault, {}).cost).toBe(1 + 7);
    expect(analyseOperation(withDefault, { n: 2 }).cost).toBe(1 + 2);
  });

  it('measures a page by its larger size when first and last are both given', () => {
    const both = parse('query($n: Int) { runs(first: 7, last: $n) { totalCount } }');
    expect(analyseOperation(both, { n: 2 }).cost).toBe(1 + 7);
    expect(analyseOperation(both, { n: 2 }, null, schema).cost).toBe(1 + 7);
    expect(analyseOperation(both, { n: 9 }, null, schema).cost).toBe(1 + 9);
    expect(analyseOperation(parse('{ runs(last: 3) { totalCount } }'), {}, null, schema).cost).toBe(1 + 3);
  });

  it('measures the named operation only', () => {
    expect(analyseOperation(doc, {}, 'Other')).toEqual({
      depth: 2,
      introspectionDepth: 0,
      aliases: 3,
      cost: 3,
      lists: [],
    });
  });

  it("counts the values of filter lists in the cost, from the schema's argument types", () => {
    const q = parse(
      'query($w: [String!]) { results(filter: { testName: ["a", "b", "c"], worker: $w }) { totalCount } }',
    );
    // results: 1 + 3 + 2 list values; totalCount: 1 × the default page of 50.
    expect(analyseOperation(q, { w: ['x', 'y'] }, null, schema)).toEqual({
      depth: 2,
      introspectionDepth: 0,
      aliases: 0,
      cost: 6 + 50,
      lists: [
        { field: 'results.filter.testName', length: 3 },
        { field: 'results.filter.worker', length: 2 },
      ],
    });
  });

  it('does not loop on a fragment that spreads itself', () => {
    const cyclic = parse('{ gateway { ...G } } fragment G on Gateway { runs ...G }');
    expect(analyseOperation(cyclic)).toEqual({
      depth: 2,
      introspectionDepth: 0,
      aliases: 0,
      cost: 2,
      lists: [],
    });
  });
});

describe('graceful shutdown', () => {
  it('refuses connections after close, and a second close resolves', async () => {
    const { app, url } = await listening();
    expect((await fetch(new URL('/healthz', url))).status).toBe(200);
    await app.close();
    const refused = await fetch(new URL('/healthz', url)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TypeError);
    expect(((refused as TypeError).cause as { code?: string } | undefined)?.code).toBe('ECONNREFUSED');
    await expect(app.close()).resolves.toBeUndefined();
  });
});
