import { createClient, type Client } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createApp, type App } from '../../src/server/app.ts';
import { INGEST, type GqlResponse } from '../support/app.ts';
import { RUN_A, RUN_B } from '../support/fixtures.ts';

// The contract's LiveIngest subscription, verbatim.
const LIVE_INGEST = `subscription LiveIngest {
  ingested(filter: { project: ["web"] }) {
    run { id project branch }
    accepted passed failed dataVersion
  }
}`;

interface IngestedEvent {
  run: { id: string; project: string; branch: string | null };
  accepted: number; passed: number; failed: number; dataVersion: number;
}
type LiveIngest = GqlResponse<{ ingested: IngestedEvent }>;

/** Items pushed by a transport, pulled by the test; `next` gives up after `waitMs` with undefined. */
class Inbox<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | null = null;

  push(item: T): void {
    this.items.push(item);
    this.wake?.();
  }

  async next(waitMs = 5_000): Promise<T | undefined> {
    if (!this.items.length) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
      this.wake = null;
    }
    return this.items.shift();
  }
}

let app: App;
let url: string;
const cleanups: (() => unknown)[] = [];

beforeEach(async () => {
  app = await createApp({ db: ':memory:', port: 0, logLevel: 'silent', readers: 2 });
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

function wsClient(): Client {
  const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
  cleanups.push(() => client.dispose());
  return client;
}

function subscribeWs(client: Client, query: string): Inbox<LiveIngest> {
  const inbox = new Inbox<LiveIngest>();
  const unsubscribe = client.subscribe<{ ingested: IngestedEvent }>({ query }, {
    next: (value) => inbox.push(value as LiveIngest),
    error: (error) => inbox.push({ errors: [{ message: JSON.stringify(error) }] }),
    complete: () => undefined,
  });
  cleanups.push(unsubscribe);
  return inbox;
}

/** POSTs a subscription asking for text/event-stream and feeds each `event: next` frame to the inbox. */
async function subscribeSse(query: string): Promise<{ inbox: Inbox<LiveIngest>; abort: () => void; contentType: string | null }> {
  const controller = new AbortController();
  const res = await fetch(url, {
    method: 'POST',
    headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal: controller.signal,
  });
  const abort = () => controller.abort();
  cleanups.push(abort);
  const inbox = new Inbox<LiveIngest>();
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = frame.split('\n');
        const event = lines.find((l) => l.startsWith('event:'))?.slice('event:'.length).trim();
        const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice('data:'.length).trim()).join('\n');
        if (event === 'next') inbox.push(JSON.parse(data) as LiveIngest);
      }
    }
  })().catch(() => undefined); // the read fails with AbortError once the test aborts
  return { inbox, abort, contentType: res.headers.get('content-type') };
}

/** What LiveIngest must say about RUN_A: passed 2 = t1 + flaky t2; failed 2 = t3 failed + t5 errored. */
const runAEvent = (dataVersion: number): LiveIngest => ({
  data: { ingested: { run: { id: 'a1', project: 'web', branch: 'main' }, accepted: 6, passed: 2, failed: 2, dataVersion } },
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
    expect((await nextReal(again))?.data?.ingested).toMatchObject({ run: { id: 'a2' }, accepted: 6, dataVersion });
  });

  it('applies the operation limits to operations sent over the socket', async () => {
    const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: gateway { runs }`).join(' ')} }`;
    const r = await wsClient().iterate({ query: aliases }).next();
    expect((r.value as GqlResponse).errors?.map((e) => e.extensions?.code)).toEqual(['TOO_MANY_ALIASES']);
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
