import { once } from 'node:events';
import type { Client } from 'graphql-ws';
import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/server/app.ts';
import { INGEST, TEST_NOW, type GqlResponse } from '../support/app.ts';
import { RUN_A, RUN_B } from '../support/fixtures.ts';
import {
  Inbox,
  subscribeSse as liveSubscribeSse,
  subscribeWs as liveSubscribeWs,
  wsClient as liveWsClient,
} from '../support/live.ts';

// The contract's LiveIngest subscription, verbatim.
const LIVE_INGEST = `subscription LiveIngest {
  ingested(filter: { project: ["web"] }) {
    run { id project branch }
    accepted passed failed dataVersion
  }
}`;

interface IngestedEvent {
  run: { id: string; project: string; branch: string | null };
  accepted: number;
  passed: number;
  failed: number;
  dataVersion: number;
}
type LiveIngest = GqlResponse<{ ingested: IngestedEvent }>;

let app: App;
let url: string;
const cleanups: (() => unknown)[] = [];

beforeEach(async () => {
  app = await createApp({ db: ':memory:', port: 0, logLevel: 'silent', readers: 2, now: () => TEST_NOW });
  url = await app.listen();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await app.close();
});

async function ingest(input: unknown): Promise<{ accepted: number; dataVersion: number }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: INGEST, variables: { input } }),
  });
  const body = (await res.json()) as GqlResponse<{ ingest: { accepted: number; dataVersion: number } }>;
  if (body.errors?.length || !body.data) throw new Error(`ingest failed: ${JSON.stringify(body.errors)}`);
  return body.data.ingest;
}

/** A one-result 'web' batch under a fresh run id. */
const ping = (i: number) => ({
  run: { id: `ping-${i}`, project: 'web', branch: 'main', startedAt: '2026-11-03T00:00:00Z' },
  results: [{ suite: 'ping', name: 'ping', status: 'PASSED', durationMs: 1 }],
});
const API_RUN = { ...RUN_B, run: { ...RUN_B.run, id: 'api-1', project: 'api' } };

/**
 * The server registers a subscription asynchronously, so an ingest sent right
 * after subscribing may come too early. Ingest small 'web' batches until one
 * arrives (bounded), then drop any further pings still on their way.
 */
async function untilSubscribed(inbox: Inbox<LiveIngest>): Promise<number> {
  let pings = 0;
  for (let tries = 0; tries < 50; tries++) {
    await ingest(ping(pings++));
    if (await inbox.next(100)) return pings;
  }
  throw new Error('the subscription never delivered an event');
}

/** The next event that is not a ping. */
async function nextReal(inbox: Inbox<LiveIngest>): Promise<LiveIngest | undefined> {
  for (;;) {
    const e = await inbox.next();
    if (!e?.data?.ingested.run.id.startsWith('ping-')) return e;
  }
}

const wsClient = (): Client => liveWsClient(url, cleanups);
const subscribeWs = (client: Client, query: string): Inbox<LiveIngest> =>
  liveSubscribeWs<{ ingested: IngestedEvent }>(client, query, cleanups);
const subscribeSse = (query: string) => liveSubscribeSse<{ ingested: IngestedEvent }>(url, query, cleanups);

/** What LiveIngest must say about RUN_A: passed 2 = t1 + flaky t2; failed 2 = t3 failed + t5 errored. */
const runAEvent = (dataVersion: number): LiveIngest => ({
  data: {
    ingested: {
      run: { id: 'a1', project: 'web', branch: 'main' },
      accepted: 6,
      passed: 2,
      failed: 2,
      dataVersion,
    },
  },
});

describe('the ingested subscription over graphql-ws', () => {
  it('delivers a committed ingest of a watched project, and not one of another project', async () => {
    const inbox = subscribeWs(wsClient(), LIVE_INGEST);
    await untilSubscribed(inbox);

    await ingest(API_RUN);
    const { dataVersion } = await ingest(RUN_A);
    // Events arrive in commit order, so had the 'api' batch been delivered it would come first.
    expect(await nextReal(inbox)).toEqual(runAEvent(dataVersion));
  });

  it('keeps ingesting after a subscribed client disconnects', async () => {
    const client = wsClient();
    const inbox = subscribeWs(client, LIVE_INGEST);
    await untilSubscribed(inbox);
    client.terminate();

    await expect(ingest(RUN_A)).resolves.toMatchObject({ accepted: 6 });
    await expect(ingest(RUN_B)).resolves.toMatchObject({ accepted: 5 });

    // And a new subscriber still gets events.
    const again = subscribeWs(wsClient(), LIVE_INGEST);
    await untilSubscribed(again);
    const { dataVersion } = await ingest({ ...RUN_A, run: { ...RUN_A.run, id: 'a2' } });
    expect((await nextReal(again))?.data?.ingested).toMatchObject({
      run: { id: 'a2' },
      accepted: 6,
      dataVersion,
    });
  });

  it('answers a syntax error in one subscribe with an error for that id, keeping the socket and its other subscriptions', async () => {
    const client = wsClient();
    const inbox = subscribeWs(client, LIVE_INGEST);
    await untilSubscribed(inbox);
    const refusal = (query: string) =>
      client
        .iterate({ query })
        .next()
        .then(
          () => null,
          (e: unknown) => e,
        );
    expect(await refusal('subscription { ingested {')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('Syntax Error') }),
    ]);
    const deep = `{ __schema { types ${'{ ofType '.repeat(20_000)}{ name }${' }'.repeat(20_000)} } }`;
    expect(await refusal(deep)).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_DEEP' }) }),
    ]);
    const { dataVersion } = await ingest(RUN_A);
    expect(await nextReal(inbox)).toEqual(runAEvent(dataVersion));
  });

  it('applies the operation limits to operations sent over the socket', async () => {
    const aliases = `{ gateway { ${Array.from({ length: 31 }, (_, i) => `a${i}: runs`).join(' ')} } }`;
    const r = await wsClient().iterate({ query: aliases }).next();
    expect((r.value as GqlResponse).errors?.map((e) => e.extensions?.code)).toEqual(['TOO_MANY_ALIASES']);
  });
});

describe('a stuck graphql-ws subscriber', () => {
  it('is disconnected by the keepalive when it answers no ping, while the others keep their events', async () => {
    const quick = await createApp({
      db: ':memory:',
      port: 0,
      logLevel: 'silent',
      readers: 2,
      now: () => TEST_NOW,
      keepAliveMs: 100,
    });
    const quickUrl = await quick.listen();
    cleanups.push(() => quick.close());
    const healthy = liveSubscribeWs<{ ingested: IngestedEvent }>(
      liveWsClient(quickUrl, cleanups),
      LIVE_INGEST,
      cleanups,
    );

    // A client whose event loop is stuck neither reads nor answers pings.
    const stuck = new WebSocket(quickUrl.replace(/^http/, 'ws'), 'graphql-transport-ws', { autoPong: false });
    cleanups.push(() => stuck.terminate());
    await once(stuck, 'open');
    stuck.send(JSON.stringify({ type: 'connection_init' }));
    expect(JSON.parse(String((await once(stuck, 'message'))[0]))).toEqual({ type: 'connection_ack' });
    stuck.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: LIVE_INGEST } }));
    const [code] = await once(stuck, 'close');
    expect(code).toBe(1006); // terminated by the server, no close frame

    const post = async (input: unknown) =>
      (
        (await fetch(quickUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ query: INGEST, variables: { input } }),
        }).then((r) => r.json())) as GqlResponse<{ ingest: { dataVersion: number } }>
      ).data!.ingest;
    let event: LiveIngest | undefined;
    for (let i = 0; i < 50 && !event?.data?.ingested.run.id.startsWith('a1'); i++) {
      await post({ ...RUN_A, run: { ...RUN_A.run, id: i ? `a1-${i}` : 'a1' } });
      event = await healthy.next(200);
    }
    expect(event?.data?.ingested).toMatchObject({ run: { project: 'web' }, accepted: 6 });
  });
});

describe('the ingested subscription over server-sent events', () => {
  it('streams a committed ingest of a watched project as an `event: next` frame', async () => {
    const { inbox, abort, contentType } = await subscribeSse(LIVE_INGEST);
    expect(contentType).toContain('text/event-stream');
    await untilSubscribed(inbox);

    await ingest(API_RUN);
    const { dataVersion } = await ingest(RUN_A);
    expect(await nextReal(inbox)).toEqual(runAEvent(dataVersion));
    abort();
  });

  it('keeps ingesting after an event-stream client aborts', async () => {
    const { inbox, abort } = await subscribeSse(LIVE_INGEST);
    await untilSubscribed(inbox);
    abort();

    await expect(ingest(RUN_A)).resolves.toMatchObject({ accepted: 6 });
    await expect(ingest(RUN_B)).resolves.toMatchObject({ accepted: 5 });
  });
});
