import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, isLoopback, type App } from '../../src/server/app.ts';
import { createLogger } from '../../src/server/logger.ts';
import { INGEST, TEST_NOW, testApp, type GqlResponse } from '../support/app.ts';
import { Inbox } from '../support/live.ts';

const XML = '<testsuite name="s"><testcase classname="c" name="n" time="0.1"/></testsuite>';

const batch = (id: string, project: string) => ({
  run: { id, project, branch: 'main', startedAt: '2026-11-03T00:00:00Z' },
  results: [
    { suite: 's', name: `${project}-1`, status: 'PASSED', durationMs: 1 },
    { suite: 's', name: `${project}-2`, status: 'FAILED', durationMs: 2 },
  ],
});

async function send<T = Record<string, unknown>>(
  url: string,
  key: string | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; body: GqlResponse<T> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(key && { authorization: `Bearer ${key}` }),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GqlResponse<T> };
}

const codes = (r: { body: GqlResponse }) => r.body.errors?.map((e) => e.extensions?.code);

describe('API keys', () => {
  let app: App;
  let url: string;
  let base: string;
  const lines: string[] = [];
  const keys: Record<'admin' | 'ingestBeta' | 'readBeta' | 'readAll', string> = {
    admin: '',
    ingestBeta: '',
    readBeta: '',
    readAll: '',
  };

  beforeAll(async () => {
    app = await createApp({
      db: ':memory:',
      port: 0,
      readers: 2,
      auth: true,
      rateLimit: null,
      now: () => TEST_NOW,
      log: createLogger('debug', (l) => lines.push(l)),
    });
    url = await app.listen();
    base = url.replace(/\/graphql$/, '');
    keys.admin = (await app.keys.create({ name: 'ops', scope: 'admin', projects: null })).secret;
    keys.ingestBeta = (await app.keys.create({ name: 'ci', scope: 'ingest', projects: ['beta'] })).secret;
    keys.readBeta = (await app.keys.create({ name: 'team b', scope: 'read', projects: ['beta'] })).secret;
    keys.readAll = (await app.keys.create({ name: 'grafana', scope: 'read', projects: null })).secret;
    for (const [id, project] of [
      ['a-1', 'alpha'],
      ['b-1', 'beta'],
    ] as const) {
      const r = await send(url, keys.admin, INGEST, { input: batch(id, project) });
      expect(r.body.errors).toBeUndefined();
    }
  });
  afterAll(() => app.close());

  it('answers 401 UNAUTHENTICATED without a key, with an unknown one, and for the ingest mutation', async () => {
    const none = await send(url, null, INGEST, { input: batch('x-1', 'beta') });
    expect(none.status).toBe(401);
    expect(codes(none)).toEqual(['UNAUTHENTICATED']);
    const wrong = await send(url, 'assay_000000000000_nope', '{ gateway { version } }');
    expect(wrong.status).toBe(401);
    expect(codes(wrong)).toEqual(['UNAUTHENTICATED']);
    const runs = await send<{ runs: { totalCount: number } }>(url, keys.admin, '{ runs { totalCount } }');
    expect(runs.body.data?.runs.totalCount).toBe(2);
  });

  it('refuses a key for beta reading alpha (FORBIDDEN), and gives it only beta rows without a project filter', async () => {
    const named = await send(
      url,
      keys.readBeta,
      '{ results(filter: { project: ["alpha", "beta"] }) { totalCount } }',
    );
    expect(codes(named)).toEqual(['FORBIDDEN']);
    expect(named.body.errors?.[0]?.message).toContain('"alpha"');
    const all = await send<{
      results: { totalCount: number; edges: { node: { test: { project: string } } }[] };
      runs: { totalCount: number; edges: { node: { project: string } }[] };
      metrics: { group: { project: string }; executions: number }[];
    }>(
      url,
      keys.readBeta,
      `{ results { totalCount edges { node { test { project } } } }
         runs { totalCount edges { node { project } } }
         metrics(groupBy: [PROJECT]) { group { project } executions } }`,
    );
    expect(all.body.errors).toBeUndefined();
    // totalCount is counted by DuckDB: the key's project is a bound filter of the statement.
    expect(all.body.data?.results.totalCount).toBe(2);
    expect(new Set(all.body.data?.results.edges.map((e) => e.node.test.project))).toEqual(new Set(['beta']));
    expect(all.body.data?.runs.edges.map((e) => e.node.project)).toEqual(['beta']);
    expect(all.body.data?.metrics).toEqual([{ group: { project: 'beta' }, executions: 2 }]);
    const one = await send(url, keys.readBeta, '{ run(id: "a-1") { id } }');
    expect(codes(one)).toEqual(['FORBIDDEN']);
    const own = await send<{ run: { id: string } }>(url, keys.readBeta, '{ run(id: "b-1") { id } }');
    expect(own.body.data?.run.id).toBe('b-1');
  });

  it('keeps cached answers apart between keys for different projects', async () => {
    const q = '{ runs { totalCount } }';
    const everyone = await send<{ runs: { totalCount: number } }>(url, keys.readAll, q);
    const beta = await send<{ runs: { totalCount: number } }>(url, keys.readBeta, q);
    expect([everyone.body.data?.runs.totalCount, beta.body.data?.runs.totalCount]).toEqual([2, 1]);
  });

  it("answers a cached GET only to a caller its key admits, from that key's own answers", async () => {
    const get = (key: string | null) =>
      fetch(`${url}?query=${encodeURIComponent('{ runs { totalCount } }')}`, {
        headers: { accept: 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
      });
    const total = async (res: Response) =>
      ((await res.json()) as GqlResponse<{ runs: { totalCount: number } }>).data?.runs.totalCount;
    const temp = await app.keys.create({ name: 'temp', scope: 'read', projects: null });
    await get(temp.secret);
    const everyone = await get(temp.secret);
    expect(everyone.headers.get('x-assay-cache')).toBe('hit');
    expect(await total(everyone)).toBe(2);
    // The same GET: keys for other projects never get it, and one without a key or with a revoked one is refused.
    expect(await total(await get(keys.readBeta))).toBe(1);
    const beta = await get(keys.readBeta);
    expect(beta.headers.get('x-assay-cache')).toBe('hit');
    expect(await total(beta)).toBe(1);
    expect((await get(null)).status).toBe(401);
    await app.keys.revoke(temp.key.id);
    expect((await get(temp.secret)).status).toBe(401);
  });

  it('checks scopes: read cannot ingest, ingest cannot manage rules, and ingest stays in its projects', async () => {
    expect(codes(await send(url, keys.readBeta, INGEST, { input: batch('b-2', 'beta') }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await send(url, keys.ingestBeta, INGEST, { input: batch('a-2', 'alpha') }))).toEqual([
      'FORBIDDEN',
    ]);
    const rule = (filter: string) =>
      `mutation { createAlertRule(input: { name: "r", kind: THRESHOLD, series: { measure: FAIL_RATE }, operator: GT, threshold: 0.5${filter} }) { id } }`;
    expect(codes(await send(url, keys.ingestBeta, rule(', filter: { project: ["beta"] }')))).toEqual([
      'FORBIDDEN',
    ]);
    const made = await send<{ createAlertRule: { id: string } }>(
      url,
      keys.admin,
      rule(', filter: { project: ["beta"] }'),
    );
    expect(made.body.errors).toBeUndefined();
    // An admin key for beta manages beta's rules only: a rule without a project filter watches every project.
    const adminBeta = (await app.keys.create({ name: 'lead b', scope: 'admin', projects: ['beta'] })).secret;
    expect(codes(await send(url, adminBeta, rule('')))).toEqual(['FORBIDDEN']);
    expect(codes(await send(url, adminBeta, rule(', filter: { project: ["beta"] }')))).toBeUndefined();
    const rules = await send<{ alertRules: { id: string }[] }>(url, keys.readBeta, '{ alertRules { id } }');
    expect(rules.body.data?.alertRules).toHaveLength(2);
    // An ingest key reads too (admin ⊃ ingest ⊃ read).
    const r = await send<{ runs: { totalCount: number } }>(url, keys.ingestBeta, '{ runs { totalCount } }');
    expect(r.body.data?.runs.totalCount).toBe(1);
  });

  it('guards the upload paths (401 without a key, 403 outside the key) and /metrics', async () => {
    const up = (key: string | null, project: string) =>
      fetch(`${base}/ingest/junit?project=${project}&run=u-${project}`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml', ...(key && { authorization: `Bearer ${key}` }) },
        body: XML,
      });
    const none = await up(null, 'beta');
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    expect((await up(keys.readBeta, 'beta')).status).toBe(403);
    expect((await up(keys.ingestBeta, 'alpha')).status).toBe(403);
    expect((await up(keys.ingestBeta, 'beta')).status).toBe(200);
    const metrics = (key: string | null) =>
      fetch(`${base}/metrics`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    expect((await metrics(null)).status).toBe(401);
    expect((await metrics(keys.readBeta)).status).toBe(403);
    expect((await metrics(keys.readAll)).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('filters subscription events to the key, and ends the subscription when the key is revoked', async () => {
    const sub = await app.keys.create({ name: 'live', scope: 'read', projects: ['beta'] });
    const client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${sub.secret}` },
    });
    type Item = GqlResponse<{ ingested: { run: { id: string; project: string } } }> | 'complete';
    const inbox = new Inbox<Item>();
    const stop = client.subscribe(
      { query: 'subscription { ingested { run { id project } } }' },
      {
        next: (v) => inbox.push(v as GqlResponse<{ ingested: { run: { id: string; project: string } } }>),
        error: (e) => inbox.push({ errors: [{ message: String(e) }] }),
        complete: () => inbox.push('complete'),
      },
    );
    try {
      // The server registers the subscription asynchronously: send beta runs until one arrives.
      let first: Item | undefined;
      for (let i = 0; i < 50 && !first; i++) {
        await send(url, keys.admin, INGEST, { input: batch(`alpha-live-${i}`, 'alpha') });
        await send(url, keys.admin, INGEST, { input: batch(`beta-live-${i}`, 'beta') });
        first = await inbox.next(100);
      }
      expect(first).toBeDefined();
      for (let e = first; e !== undefined; e = await inbox.next(50)) {
        expect(e).not.toBe('complete');
        if (e !== 'complete') expect(e.data?.ingested.run.project).toBe('beta');
      }
      expect(await app.keys.revoke(sub.key.id)).toBe(true);
      expect(await inbox.next()).toBe('complete');
      await send(url, keys.admin, INGEST, { input: batch('beta-after', 'beta') });
      expect(await inbox.next(100)).toBeUndefined();
    } finally {
      stop();
      await client.dispose();
    }
  });

  it('closes a graphql-ws connection without a key (4401), and takes { apiKey } in connection_init', async () => {
    const closed = await new Promise<number>((resolve) => {
      const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: {} })));
      ws.on('close', (code) => resolve(code));
    });
    expect(closed).toBe(4401);
    const client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { apiKey: keys.readBeta },
    });
    try {
      const r = await new Promise<unknown>((resolve, reject) => {
        client.subscribe(
          { query: '{ runs { totalCount } }' },
          { next: resolve, error: reject, complete: () => undefined },
        );
      });
      expect(r).toEqual({ data: { runs: { totalCount: expect.any(Number) as number } } });
      expect((r as { data: { runs: { totalCount: number } } }).data.runs.totalCount).toBeGreaterThan(0);
    } finally {
      await client.dispose();
    }
  });

  it('takes the key of an SSE subscription from its Authorization header', async () => {
    const sse = (key: string | null, signal: AbortSignal) =>
      fetch(url, {
        method: 'POST',
        headers: {
          accept: 'text/event-stream',
          'content-type': 'application/json',
          ...(key && { authorization: `Bearer ${key}` }),
        },
        body: JSON.stringify({ query: 'subscription { ingested { run { id } } }' }),
        signal,
      });
    const controller = new AbortController();
    try {
      expect((await sse(null, controller.signal)).status).toBe(401);
      const open = await sse(keys.readBeta, controller.signal);
      expect([open.status, open.headers.get('content-type')?.split(';')[0]]).toEqual([
        200,
        'text/event-stream',
      ]);
    } finally {
      controller.abort();
    }
  });

  it('never logs a secret', () => {
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of Object.values(keys)) for (const l of lines) expect(l).not.toContain(secret);
  });
});

describe('key storage', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'assay-keys-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps only the SHA-256 of a secret, and revocations, across restarts', async () => {
    const db = join(dir, 'keys.duckdb');
    let app = await testApp({ db, auth: true });
    const { key, secret } = await app.keys.create({ name: 'ci', scope: 'ingest', projects: ['web', 'api'] });
    const other = await app.keys.create({ name: 'gone', scope: 'read', projects: null });
    await app.keys.revoke(other.key.id);
    const rows = await app.store.db.query<{ secret_sha256: string; projects: string }>(
      'SELECT secret_sha256, projects FROM api_keys WHERE id = $1',
      [key.id],
    );
    expect(rows[0]?.secret_sha256).toBe(createHash('sha256').update(secret).digest('hex'));
    const dump = JSON.stringify(await app.store.db.query('SELECT * FROM api_keys'));
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(other.secret);
    await app.close();
    app = await testApp({ db, auth: true });
    try {
      expect(app.keys.authenticate(secret).key).toMatchObject({
        id: key.id,
        scope: 'ingest',
        projects: ['web', 'api'],
      });
      expect(() => app.keys.authenticate(other.secret)).toThrow(/unknown or revoked/);
    } finally {
      await app.close();
    }
  });

  it('needs keys by default only beyond loopback', async () => {
    expect([
      isLoopback('127.0.0.1'),
      isLoopback('::1'),
      isLoopback('localhost'),
      isLoopback('0.0.0.0'),
    ]).toEqual([true, true, true, false]);
    const open = await testApp();
    const exposed = await testApp({ host: '0.0.0.0' });
    expect([open.keys.required, exposed.keys.required]).toEqual([false, true]);
    await Promise.all([open.close(), exposed.close()]);
  });
});

describe('cross-site requests', () => {
  let app: App;
  let url: string;
  let base: string;
  beforeAll(async () => {
    app = await testApp({ corsOrigins: ['https://dash.example'] });
    url = await app.listen();
    base = url.replace(/\/graphql$/, '');
  });
  afterAll(() => app.close());

  it('refuses a text/plain (or form) POST to /ingest/junit with 415 and stores nothing', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'text/plain;charset=UTF-8']) {
      const res = await fetch(`${base}/ingest/junit?project=web`, {
        method: 'POST',
        headers: { 'content-type': type, origin: 'https://evil.example' },
        body: XML,
      });
      expect(res.status).toBe(415);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect(app.store.dataVersion).toBe(0);
    const ok = await fetch(`${base}/ingest/junit?project=web`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: XML,
    });
    expect(ok.status).toBe(200);
  });

  it('refuses a multipart POST without a header a cross-site form cannot send, to /graphql and the uploads', async () => {
    const form = () => {
      const f = new FormData();
      f.set('operations', JSON.stringify({ query: '{ gateway { version } }' }));
      f.set('map', '{}');
      f.set('file', new Blob([XML]), 'r.xml');
      return f;
    };
    for (const target of [url, `${base}/ingest/junit?project=forms`]) {
      const refused = await fetch(target, { method: 'POST', body: form() });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('apollo-require-preflight');
      const ok = await fetch(target, {
        method: 'POST',
        body: form(),
        headers: { 'apollo-require-preflight': 'true' },
      });
      expect(ok.status).toBe(200);
    }
    const runs = await app.store.db.query<{ n: number | bigint }>(
      "SELECT count(*) AS n FROM runs WHERE project = 'forms'",
    );
    expect(Number(runs[0]?.n)).toBe(1);
  });

  it('sends CORS headers only to listed origins, never with credentials', async () => {
    const ask = (origin: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ query: '{ gateway { version } }' }),
      });
    const listed = await ask('https://dash.example');
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    expect(listed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await ask('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('sends CORS headers with a cached GET answer to a listed origin', async () => {
    const get = (origin?: string) =>
      fetch(`${url}?query=${encodeURIComponent('{ runs { totalCount } }')}`, {
        headers: { accept: 'application/json', ...(origin && { origin }) },
      });
    await get();
    const listed = await get('https://dash.example');
    expect(listed.headers.get('x-assay-cache')).toBe('hit');
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    const other = await get('https://evil.example');
    expect(other.headers.get('x-assay-cache')).toBe('hit');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends no CORS headers at all by default, and refuses a WebSocket from a foreign page', async () => {
    const plain = await testApp();
    const u = await plain.listen();
    try {
      const res = await fetch(u, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
        body: JSON.stringify({ query: '{ gateway { version } }' }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const refused = await new Promise<string>((resolve) => {
        const ws = new WebSocket(u.replace(/^http/, 'ws'), 'graphql-transport-ws', {
          origin: 'https://evil.example',
        });
        ws.on('unexpected-response', (_req, r) => resolve(String(r.statusCode)));
        ws.on('open', () => resolve('open'));
        ws.on('error', () => undefined);
      });
      expect(refused).toBe('403');
    } finally {
      await plain.close();
    }
  });
});

describe('rate limit', () => {
  it("answers 429 with Retry-After past a key's bucket, per key, and again once time refills it", async () => {
    let t = TEST_NOW.getTime();
    const app = await testApp({
      auth: true,
      rateLimit: { perSecond: 0.5, burst: 2 },
      now: () => new Date(t),
    });
    const url = await app.listen();
    try {
      const a = (await app.keys.create({ name: 'a', scope: 'read', projects: null })).secret;
      const b = (await app.keys.create({ name: 'b', scope: 'read', projects: null })).secret;
      const q = '{ gateway { version } }';
      expect((await send(url, a, q)).status).toBe(200);
      expect((await send(url, a, q)).status).toBe(200);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${a}` },
        body: JSON.stringify({ query: q }),
      });
      expect(res.status).toBe(429);
      // One token at 0.5 a second: 2 s away.
      expect(res.headers.get('retry-after')).toBe('2');
      expect(((await res.json()) as GqlResponse).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect((await send(url, b, q)).status).toBe(200);
      t += 1000;
      expect((await send(url, a, q)).status).toBe(429);
      t += 1000;
      expect((await send(url, a, q)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('counts cached GET answers against the bucket too', async () => {
    const app = await testApp({ rateLimit: { perSecond: 1, burst: 2 }, now: () => TEST_NOW });
    const url = await app.listen();
    try {
      const get = () => fetch(`${url}?query=${encodeURIComponent('{ runs { totalCount } }')}`);
      expect((await get()).status).toBe(200);
      const hit = await get();
      expect([hit.status, hit.headers.get('x-assay-cache')]).toEqual([200, 'hit']);
      expect((await get()).status).toBe(429);
    } finally {
      await app.close();
    }
  });

  it('is off on loopback without keys unless asked for, then per client address', async () => {
    const open = await testApp();
    const limited = await testApp({ rateLimit: { perSecond: 1, burst: 1 } });
    try {
      const [u1, u2] = [await open.listen(), await limited.listen()];
      for (let i = 0; i < 5; i++) expect((await send(u1, null, '{ gateway { version } }')).status).toBe(200);
      expect((await send(u2, null, '{ gateway { version } }')).status).toBe(200);
      expect((await send(u2, null, '{ gateway { version } }')).status).toBe(429);
    } finally {
      await Promise.all([open.close(), limited.close()]);
    }
  });
});
