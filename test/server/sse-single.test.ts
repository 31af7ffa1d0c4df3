import { createClient, type Client } from 'graphql-sse';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { INGEST, testApp, type GqlResponse } from '../support/app.ts';
import { RUN_A } from '../support/fixtures.ts';
import { Inbox } from '../support/live.ts';
import { rawRequest } from '../support/raw-http.ts';

// GraphQL over SSE's single-connection mode, with the graphql-sse client itself: one stream per
// client (PUT reserves it, GET opens it), every operation POSTed with the stream's token.
let app: App;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await app.close();
});

const client = (url: string, headers: Record<string, string> = {}): Client<true> => {
  const c = createClient({ url, singleConnection: true, retryAttempts: 0, headers });
  cleanups.push(() => c.dispose());
  return c;
};

const ping = (i: number) => ({
  run: { id: `ping-${i}`, project: 'web', branch: 'main', startedAt: '2026-11-03T00:00:00Z' },
  results: [{ suite: 'ping', name: 'ping', status: 'PASSED', durationMs: 1 }],
});

async function ingest(url: string, input: unknown, authorization?: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(authorization && { authorization }),
    },
    body: JSON.stringify({ query: INGEST, variables: { input } }),
  });
  const body = (await res.json()) as GqlResponse<{ ingest: { dataVersion: number } }>;
  if (!body.data) throw new Error(`ingest failed: ${JSON.stringify(body.errors)}`);
  return body.data.ingest.dataVersion;
}

type Ingested = GqlResponse<{ ingested: { run: { id: string }; accepted: number } }>;

/** Subscribes over the client's one stream; events go to the inbox, a failure too. */
function subscribe(c: Client<true>, query: string): Inbox<Ingested | Error> {
  const inbox = new Inbox<Ingested | Error>();
  cleanups.push(
    c.subscribe<Ingested['data']>(
      { query },
      {
        next: (v) => inbox.push(v as unknown as Ingested),
        error: (e) => inbox.push(e instanceof Error ? e : new Error(JSON.stringify(e))),
        complete: () => undefined,
      },
    ),
  );
  return inbox;
}

/** Registration is asynchronous: ingest one-result 'web' batches until the first event arrives. */
async function untilSubscribed(url: string, inbox: Inbox<Ingested | Error>, auth?: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await ingest(url, ping(i), auth);
    const e = await inbox.next(100);
    if (e instanceof Error) throw e;
    if (e) return;
  }
  throw new Error('the subscription never delivered an event');
}

const LIVE = 'subscription { ingested(filter: { project: ["web"] }) { run { id } accepted } }';

describe('GraphQL over SSE, single-connection mode', () => {
  it('runs a query and a subscription over one reserved stream', async () => {
    app = await testApp();
    const url = await app.listen();
    const c = client(url);
    const answer = await c.iterate({ query: '{ runs(first: 1) { totalCount } }' }).next();
    expect(answer.value).toEqual({ data: { runs: { totalCount: 0 } } });

    const inbox = subscribe(c, LIVE);
    await untilSubscribed(url, inbox);
    for (let e = await inbox.next(100); e; e = await inbox.next(100)); // pings still on their way
    await ingest(url, RUN_A);
    expect(await inbox.next()).toEqual({ data: { ingested: { run: { id: 'a1' }, accepted: 6 } } });
  });

  it('needs a key on every request when keys are on, and keeps a stream to the key that reserved it', async () => {
    app = await testApp({ auth: true });
    const url = await app.listen();
    const reader = `Bearer ${(await app.keys.create({ name: 'live', scope: 'read', projects: null })).secret}`;
    const other = `Bearer ${(await app.keys.create({ name: 'other', scope: 'read', projects: null })).secret}`;
    const admin = `Bearer ${(await app.keys.create({ name: 'ops', scope: 'admin', projects: null })).secret}`;

    // No key: the reservation itself is refused before GraphQL.
    expect((await rawRequest(url, { method: 'PUT' })).status).toBe(401);
    const anonymous = await client(url)
      .iterate({ query: '{ runs(first: 1) { totalCount } }' })
      .next()
      .then(
        () => 'answered',
        (e: unknown) => String(e),
      );
    expect(anonymous).toMatch(/401/);

    // Another key cannot open or post to a stream it did not reserve.
    const put = await rawRequest(url, { method: 'PUT', headers: { authorization: reader } });
    expect(put.status).toBe(201);
    const token = put.text;
    const hijack = await rawRequest(`${url}?token=${token}`, {
      headers: { authorization: other, accept: 'text/event-stream' },
    });
    expect(hijack.status).toBe(404);
    const post = await rawRequest(url, {
      method: 'POST',
      headers: {
        authorization: other,
        'content-type': 'application/json',
        'x-graphql-event-stream-token': token,
      },
      body: JSON.stringify({ query: '{ runs { totalCount } }', extensions: { operationId: '1' } }),
    });
    expect(post.status).toBe(404);

    const inbox = subscribe(client(url, { authorization: reader }), LIVE);
    await untilSubscribed(url, inbox, admin);
  });

  it('is refused with trusted documents on (405), as the operations would skip that check', async () => {
    app = await testApp({
      trustedDocuments: { format: 'apollo-persisted-query-manifest', version: 1, operations: [] },
    });
    const url = await app.listen();
    expect((await rawRequest(url, { method: 'PUT' })).status).toBe(405);
  });
});
