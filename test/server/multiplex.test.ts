import { createClient, type Client } from 'graphql-ws';
import { GraphQLObjectType, type GraphQLFieldResolver } from 'graphql';
import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../schema/index.ts';
import { createApp, type App } from '../../src/server/app.ts';
import { INGEST, TEST_NOW, type GqlResponse } from '../support/app.ts';
import { Inbox, type Cleanups } from '../support/live.ts';

// graphql-ws subscriptions with the same document, variables and key share one execution per event.

type Event = GqlResponse<{ ingested: { run: { id: string; project: string } } }>;
type Item = Event | 'complete';

const LIVE = `subscription Live($project: [String!]) {
  ingested(filter: { project: $project }) { run { id project } accepted }
}`;
const EVERY = 'subscription { ingested { run { id project } } }';

let app: App;
let url: string;
const cleanups: Cleanups = [];
/** Executions of the `ingested` field's selection: its resolve runs once per executed event. */
let executions = 0;

beforeEach(() => {
  const field = schema.getSubscriptionType()?.getFields()['ingested'];
  if (!field || !(schema.getSubscriptionType() instanceof GraphQLObjectType)) throw new Error('no ingested');
  const resolve = field.resolve as GraphQLFieldResolver<unknown, unknown>;
  field.resolve = (...args) => {
    executions++;
    return resolve(...args);
  };
  cleanups.push(() => (field.resolve = resolve));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await app.close();
});

function client(key?: string): Client {
  const c = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    ...(key && { connectionParams: { authorization: `Bearer ${key}` } }),
  });
  cleanups.push(() => c.dispose());
  return c;
}

function subscribe(c: Client, query: string, variables?: Record<string, unknown>): Inbox<Item> {
  const inbox = new Inbox<Item>();
  const stop = c.subscribe(
    { query, ...(variables && { variables }) },
    {
      next: (v) => inbox.push(v as Event),
      error: (e) => inbox.push({ errors: [{ message: JSON.stringify(e) }] }),
      complete: () => inbox.push('complete'),
    },
  );
  cleanups.push(stop);
  return inbox;
}

async function ingest(id: string, project: string, key?: string): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
    body: JSON.stringify({
      query: INGEST,
      variables: {
        input: {
          run: { id, project, branch: 'main', startedAt: '2026-11-03T00:00:00Z' },
          results: [{ suite: 's', name: 't', status: 'PASSED', durationMs: 1 }],
        },
      },
    }),
  });
  const body = (await res.json()) as GqlResponse;
  if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
}

/** Subscriptions register asynchronously: ingest pings until each inbox has one, then drain them all. */
async function untilSubscribed(
  inboxes: readonly Inbox<Item>[],
  project: string,
  key?: string,
): Promise<void> {
  const seen = new Set<Inbox<Item>>();
  for (let i = 0; i < 50 && seen.size < inboxes.length; i++) {
    await ingest(`ping-${project}-${i}`, project, key);
    for (const inbox of inboxes) if (!seen.has(inbox) && (await inbox.next(100))) seen.add(inbox);
  }
  expect(seen.size).toBe(inboxes.length);
  for (const inbox of inboxes) while (await inbox.next(50));
}

describe('multiplexed graphql-ws subscriptions', () => {
  beforeEach(async () => {
    app = await createApp({ db: ':memory:', port: 0, logLevel: 'silent', readers: 2, now: () => TEST_NOW });
    url = await app.listen();
  });

  it('execute an event once for 50 subscribers of one document and variables, who all get the same payload', async () => {
    const clients = Array.from({ length: 5 }, () => client());
    const inboxes = Array.from({ length: 50 }, (_, i) =>
      subscribe(clients[i % 5]!, LIVE, { project: ['web'] }),
    );
    await untilSubscribed(inboxes, 'web');

    executions = 0;
    await ingest('w-1', 'web');
    const got = await Promise.all(inboxes.map((inbox) => inbox.next()));
    expect(got[0]).toEqual({ data: { ingested: { run: { id: 'w-1', project: 'web' }, accepted: 1 } } });
    for (const payload of got) expect(payload).toEqual(got[0]);
    expect(executions).toBe(1);
  });

  it('execute once per distinct variables, and give each group only its own events', async () => {
    const c = client();
    const web = [0, 1, 2].map(() => subscribe(c, LIVE, { project: ['web'] }));
    const both = [0, 1, 2].map(() => subscribe(c, LIVE, { project: ['web', 'api'] }));
    await untilSubscribed([...web, ...both], 'web');

    executions = 0;
    await ingest('w-2', 'web');
    for (const inbox of [...web, ...both])
      expect(await inbox.next()).toMatchObject({ data: { ingested: { run: { id: 'w-2' } } } });
    expect(executions).toBe(2);

    await ingest('a-2', 'api');
    for (const inbox of both)
      expect(await inbox.next()).toMatchObject({ data: { ingested: { run: { id: 'a-2' } } } });
    for (const inbox of web) expect(await inbox.next(100)).toBeUndefined();
  });
});

describe('multiplexed subscriptions under API keys', () => {
  const keys = { admin: '', web: '', api: '', apiId: '' };
  beforeEach(async () => {
    app = await createApp({ db: ':memory:', port: 0, logLevel: 'silent', now: () => TEST_NOW, auth: true });
    url = await app.listen();
    keys.admin = (await app.keys.create({ name: 'ops', scope: 'admin', projects: null })).secret;
    keys.web = (await app.keys.create({ name: 'web', scope: 'read', projects: ['web'] })).secret;
    const api = await app.keys.create({ name: 'api', scope: 'read', projects: ['api'] });
    keys.api = api.secret;
    keys.apiId = api.key.id;
  });

  it("never give one key's subscribers another project's event, and end only the revoked key's", async () => {
    const web = [0, 1].map(() => subscribe(client(keys.web), EVERY));
    const api = [0, 1].map(() => subscribe(client(keys.api), EVERY));
    await untilSubscribed(web, 'web', keys.admin);
    await untilSubscribed(api, 'api', keys.admin);

    await ingest('w-3', 'web', keys.admin);
    for (const inbox of web)
      expect(await inbox.next()).toEqual({ data: { ingested: { run: { id: 'w-3', project: 'web' } } } });
    for (const inbox of api) expect(await inbox.next(100)).toBeUndefined();

    expect(await app.keys.revoke(keys.apiId)).toBe(true);
    for (const inbox of api) expect(await inbox.next()).toBe('complete');
    await ingest('w-4', 'web', keys.admin);
    for (const inbox of web)
      expect(await inbox.next()).toEqual({ data: { ingested: { run: { id: 'w-4', project: 'web' } } } });
  });
});
