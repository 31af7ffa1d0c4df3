import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { TEST_NOW, testApp, type GqlResponse } from '../support/app.ts';

// The limits of HTTP requests, for operations over graphql-ws on a real socket.

type Outcome = { result: GqlResponse } | { error: { message: string; extensions?: { code?: string } }[] };

/** Runs one operation on the client: its one result, or the `error` message the server sent for it. */
function run(client: Client, query: string, extensions?: Record<string, unknown>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    let result: GqlResponse | null = null;
    client.subscribe(
      { query, ...(extensions && { extensions }) },
      {
        next: (v) => void (result = v as GqlResponse),
        error: (e) =>
          Array.isArray(e) ? resolve({ error: e }) : reject(e instanceof Error ? e : new Error(String(e))),
        complete: () => (result ? resolve({ result }) : reject(new Error('completed without a result'))),
      },
    );
  });
}

function client(url: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    // One socket for every operation, so a test sees whether a refusal closed it.
    lazy: false,
    ...(connectionParams && { connectionParams }),
  });
}

describe('the request deadline over graphql-ws', () => {
  let app: App;
  let url: string;
  beforeAll(async () => {
    app = await testApp({ requestTimeoutMs: 50, readers: 2 });
    url = await app.listen();
    // Two million executions of two million tests: a per-test P95 is a long aggregation.
    await app.store.db.write((tx) =>
      tx.query(`INSERT INTO executions (run_seq, test_id, project, suite, branch, commit_sha, started_at, status, flaky, attempts, duration_ms, total_duration_ms, worker, hardware, message, tags, test_seq, flipped, fail_run, ended_fail_run, evidence, infra)
        SELECT 1, 't' || i, 'web', 's', 'main', NULL, TIMESTAMP '2026-11-01' + to_seconds(i % 86400),
               'PASSED', false, 1, i % 997, i % 997, NULL, NULL, NULL, MAP {}, i, false, NULL, NULL, NULL, false
        FROM range(2000000) t(i)`),
    );
  }, 60_000);
  afterAll(() => app.close());

  it('answers an expensive query past its deadline with TIMEOUT, interrupts DuckDB, and keeps the socket', async () => {
    const ws = client(url);
    let closed = 0;
    ws.on('closed', () => closed++);
    try {
      const slow = await run(
        ws,
        '{ metrics(groupBy: [TEST], bucket: HOUR, limit: 5) { executions p95: duration(stat: P95) p50: duration(stat: P50) } }',
      );
      expect(slow).toMatchObject({ result: { errors: [{ extensions: { code: 'TIMEOUT' } }] } });
      expect('result' in slow && slow.result.errors?.[0]?.message).toContain('deadline of 0.05 s');
      // Both readers are free again: the statement was interrupted, not left to run for 30 s.
      const again = await Promise.all([1, 2].map(() => app.store.db.query<{ v: number }>('SELECT 42 AS v')));
      expect(again.map((r) => r[0]?.v)).toEqual([42, 42]);
      // The same socket answers the next operation (an answer, not a closed socket: on a loaded
      // machine even this may meet the 50 ms deadline).
      expect(await run(ws, '{ __typename }')).toHaveProperty('result');
      expect(closed).toBe(0);
    } finally {
      await ws.dispose();
    }
  });
});

describe('the rate limit over graphql-ws', () => {
  it('refuses the operation beyond the key’s bucket, shared with HTTP, without closing the socket', async () => {
    let t = TEST_NOW.getTime();
    const app = await testApp({
      auth: true,
      rateLimit: { perSecond: 0.5, burst: 3 },
      now: () => new Date(t),
    });
    const url = await app.listen();
    const a = (await app.keys.create({ name: 'a', scope: 'read', projects: null })).secret;
    const b = (await app.keys.create({ name: 'b', scope: 'read', projects: null })).secret;
    const wsA = client(url, { authorization: `Bearer ${a}` });
    const wsB = client(url, { authorization: `Bearer ${b}` });
    let closed = 0;
    wsA.on('closed', () => closed++);
    const q = '{ gateway { version } }';
    try {
      const http = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${a}` },
        body: JSON.stringify({ query: q }),
      });
      expect(http.status).toBe(200);
      expect(await run(wsA, q)).toMatchObject({ result: { data: { gateway: {} } } });
      expect(await run(wsA, q)).toMatchObject({ result: { data: { gateway: {} } } });
      const refused = await run(wsA, q);
      expect(refused).toMatchObject({
        error: [{ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 2 } }],
      });
      // A subscription is an operation too.
      expect(await run(wsA, 'subscription { ingested { run { id } } }')).toMatchObject({
        error: [{ extensions: { code: 'RATE_LIMITED' } }],
      });
      // Another key has its own bucket.
      expect(await run(wsB, q)).toMatchObject({ result: { data: { gateway: {} } } });
      t += 2000;
      expect(await run(wsA, q)).toMatchObject({ result: { data: { gateway: {} } } });
      expect(closed).toBe(0);
    } finally {
      await Promise.all([wsA.dispose(), wsB.dispose()]);
      await app.close();
    }
  });
});

describe('the root-field limit over graphql-ws', () => {
  it('refuses an operation aliasing more root fields than the limit, and the socket runs the next', async () => {
    const app = await testApp();
    const url = await app.listen();
    const ws = client(url);
    try {
      const many = `{ ${Array.from({ length: 11 }, (_, i) => `r${i}: runs(first: 1) { totalCount }`).join(' ')} }`;
      expect(await run(ws, many)).toMatchObject({
        result: { errors: [{ extensions: { code: 'QUERY_TOO_COSTLY' } }] },
      });
      expect(await run(ws, '{ runs { totalCount } }')).toMatchObject({
        result: { data: { runs: { totalCount: 0 } } },
      });
    } finally {
      await ws.dispose();
      await app.close();
    }
  });
});
