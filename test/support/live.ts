import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';
import type { GqlResponse } from './app.ts';

/** Items pushed by a transport, pulled by the test; `next` gives up after `waitMs` with undefined. */
export class Inbox<T> {
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
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    return this.items.shift();
  }
}

/** Things to undo after a test, last first. */
export type Cleanups = (() => unknown)[];

/** POSTs one operation to a listening gateway and returns its data, failing on GraphQL errors. */
export async function post<T>(url: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GqlResponse<T>;
  if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/**
 * An `ingested` subscription over graphql-ws under an API key, live when this resolves: the
 * server registers a subscription asynchronously, so `ingest(i)` runs until the first event
 * arrives (at most 50 times), and the events of those ingests are drained. The inbox gets
 * 'complete' when the server ends the subscription (its key revoked, say).
 */
export async function liveIngested(
  url: string,
  secret: string,
  ingest: (i: number) => Promise<unknown>,
): Promise<{ readonly inbox: Inbox<unknown>; readonly first: unknown; close(): Promise<void> }> {
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${secret}` },
  });
  const inbox = new Inbox<unknown>();
  const stop = client.subscribe(
    { query: 'subscription { ingested { run { id } } }' },
    { next: (v) => inbox.push(v), error: (e) => inbox.push(e), complete: () => inbox.push('complete') },
  );
  const close = async (): Promise<void> => {
    stop();
    await client.dispose();
  };
  let first: unknown;
  for (let i = 0; i < 50 && first === undefined; i++) {
    await ingest(i);
    first = await inbox.next(100);
  }
  while ((await inbox.next(50)) !== undefined);
  return { inbox, first, close };
}

export function wsClient(url: string, cleanups: Cleanups): Client {
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  cleanups.push(() => client.dispose());
  return client;
}

export function subscribeWs<T>(client: Client, query: string, cleanups: Cleanups): Inbox<GqlResponse<T>> {
  const inbox = new Inbox<GqlResponse<T>>();
  const unsubscribe = client.subscribe<T>(
    { query },
    {
      next: (value) => inbox.push(value as GqlResponse<T>),
      error: (error) => inbox.push({ errors: [{ message: JSON.stringify(error) }] }),
      complete: () => undefined,
    },
  );
  cleanups.push(unsubscribe);
  return inbox;
}

/** POSTs a subscription asking for text/event-stream and feeds each `event: next` frame to the inbox. */
export async function subscribeSse<T>(
  url: string,
  query: string,
  cleanups: Cleanups,
): Promise<{ inbox: Inbox<GqlResponse<T>>; abort: () => void; contentType: string | null }> {
  const controller = new AbortController();
  const res = await fetch(url, {
    method: 'POST',
    headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal: controller.signal,
  });
  const abort = () => controller.abort();
  cleanups.push(abort);
  const inbox = new Inbox<GqlResponse<T>>();
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
        const event = lines
          .find((l) => l.startsWith('event:'))
          ?.slice('event:'.length)
          .trim();
        const data = lines
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice('data:'.length).trim())
          .join('\n');
        if (event === 'next') inbox.push(JSON.parse(data) as GqlResponse<T>);
      }
    }
  })().catch(() => undefined); // the read fails with AbortError once the test aborts
  return { inbox, abort, contentType: res.headers.get('content-type') };
}
