import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/server/app.ts';
import { INGEST, TEST_NOW } from '../support/app.ts';
import { post, subscribeSse, subscribeWs, wsClient, type Cleanups, type Inbox } from '../support/live.ts';
import type { GqlResponse } from '../support/app.ts';

// An alert raised by an ingest reaches live subscribers (graphql-ws and SSE)
// and webhooks end to end, as the contract's alert operations describe.
const LIVE_ALERTS = `subscription LiveAlerts {
  alerts(filter: { minSeverity: WARNING }) {
    id kind severity message firedAt value threshold
    rule { id name }
    group { project test { id name } }
  }
}`;
interface LiveAlert {
  id: string;
  kind: string;
  severity: string;
  message: string;
  value: number | null;
  threshold: number | null;
  rule: { id: string; name: string };
  group: { project: string | null };
}
type Live = GqlResponse<{ alerts: LiveAlert }>;

let app: App;
let url: string;
const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await app?.close();
});

/** A local webhook receiver answering with the given statuses in turn (then 200). */
async function receiver(
  statuses: number[] = [],
): Promise<{ url: string; bodies: { path: string; body: unknown }[] }> {
  const bodies: { path: string; body: unknown }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      bodies.push({ path: req.url ?? '', body: JSON.parse(raw) as unknown });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

let runNo = 0;
/** A run whose only test fails: the rule below fires once per run. */
const failingRun = (project = 'web') => ({
  run: { id: `run-${++runNo}`, project, branch: 'main', startedAt: '2026-11-03T10:00:00Z' },
  results: [{ suite: 'checkout', name: 'pays', status: 'FAILED', durationMs: 5, message: 'HTTP 502' }],
});

async function start(webhooks: { webhook: string; format: 'JSON' | 'SLACK' }[] = []): Promise<string> {
  app = await createApp({
    db: ':memory:',
    port: 0,
    logLevel: 'silent',
    readers: 2,
    now: () => TEST_NOW,
    webhooks: { backoffMs: 1, sleep: async () => {}, allow: ['127.0.0.1'] },
  });
  url = await app.listen();
  const { createAlertRule } = await post<{ createAlertRule: { id: string } }>(
    url,
    'mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }',
    {
      input: {
        name: 'runs failing',
        kind: 'THRESHOLD',
        series: { measure: 'FAIL_RATE' },
        operator: 'GT',
        threshold: 0.5,
        groupBy: ['RUN'],
        severity: 'CRITICAL',
        channels: webhooks,
      },
    },
  );
  return createAlertRule.id;
}

/** Ingests failing runs until the subscriber sees an alert (the server registers subscriptions asynchronously). */
async function untilAlerted(inbox: Inbox<Live>): Promise<Live> {
  for (let tries = 0; tries < 50; tries++) {
    await post(url, INGEST, { input: failingRun() });
    await app.alerts.idle();
    const got = await inbox.next(100);
    if (got) return got;
  }
  throw new Error('no alert reached the subscriber');
}

describe('alerts reach live subscribers', () => {
  it('over graphql-ws, with the fields the contract selects', async () => {
    const ruleId = await start();
    const inbox = subscribeWs<{ alerts: LiveAlert }>(wsClient(url, cleanups), LIVE_ALERTS, cleanups);
    const first = await untilAlerted(inbox);
    expect(first.data?.alerts).toMatchObject({
      kind: 'THRESHOLD',
      severity: 'CRITICAL',
      value: 1,
      threshold: 0.5,
      rule: { id: ruleId, name: 'runs failing' },
      group: { project: 'web' },
    });
    expect(first.data?.alerts.message).toContain('fail rate 1.00 > 0.500');
  });

  it('over SSE', async () => {
    await start();
    const { inbox, contentType } = await subscribeSse<{ alerts: LiveAlert }>(url, LIVE_ALERTS, cleanups);
    expect(contentType).toContain('text/event-stream');
    const first = await untilAlerted(inbox);
    expect(first.data?.alerts.kind).toBe('THRESHOLD');
  });

  it('are stored when nobody listens, and listed by the contract Alerts query', async () => {
    await start();
    await post(url, INGEST, { input: failingRun() });
    await app.alerts.idle();
    const r = await post<{
      alerts: { totalCount: number; edges: { node: { kind: string; rule: { name: string } } }[] };
    }>(
      url,
      '{ alerts(filter: { severity: [CRITICAL, WARNING] }, first: 20) { totalCount edges { node { kind rule { name } } } } }',
    );
    expect(r.alerts.totalCount).toBe(1);
  });
});

describe('alerts reach webhooks', () => {
  it('posts JSON and Slack payloads, retries a failing receiver, and records every outcome on the alert', async () => {
    const json = await receiver();
    const slack = await receiver([500, 503]);
    await start([
      { webhook: `${json.url}/hooks/json`, format: 'JSON' },
      { webhook: `${slack.url}/hooks/slack`, format: 'SLACK' },
    ]);
    const ingested = await post<{ ingest: { accepted: number } }>(url, INGEST, { input: failingRun() });
    expect(ingested.ingest.accepted).toBe(1);
    await app.alerts.idle();
    await app.webhooks.idle();

    expect(json.bodies).toHaveLength(1);
    expect(json.bodies[0]!.body).toMatchObject({
      type: 'assay.alert',
      version: 1,
      alert: { kind: 'THRESHOLD', severity: 'CRITICAL', value: 1, rule: { name: 'runs failing' } },
    });
    expect(slack.bodies).toHaveLength(3); // 500, 503, then 200
    expect(slack.bodies[2]!.body).toMatchObject({
      text: expect.stringContaining('CRITICAL') as unknown,
      blocks: expect.any(Array) as unknown,
    });

    const r = await post<{
      alerts: {
        edges: {
          node: {
            deliveries: {
              channel: { format: string };
              status: string;
              attempts: number;
              lastError: string | null;
            }[];
          };
        }[];
      };
    }>(
      url,
      '{ alerts(first: 1) { edges { node { deliveries { channel { format } status attempts lastError } } } } }',
    );
    const deliveries = r.alerts.edges[0]!.node.deliveries;
    expect(deliveries.find((d) => d.channel.format === 'JSON')).toMatchObject({
      status: 'DELIVERED',
      attempts: 1,
    });
    expect(deliveries.find((d) => d.channel.format === 'SLACK')).toMatchObject({
      status: 'DELIVERED',
      attempts: 3,
    });
  });

  it('does not hold up an ingest while a receiver hangs', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const hanging = createServer((_req, res) => void held.then(() => res.writeHead(200).end()));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => hanging.close(() => resolve())));
    cleanups.push(() => release());
    await start([
      { webhook: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`, format: 'JSON' },
    ]);
    const ingested = await post<{ ingest: { accepted: number } }>(url, INGEST, { input: failingRun() });
    expect(ingested.ingest.accepted).toBe(1);
    await app.alerts.idle();
    // The alert is stored and its delivery still pending while the receiver holds the request.
    const r = await post<{ alerts: { edges: { node: { deliveries: { status: string }[] } }[] } }>(
      url,
      '{ alerts(first: 1) { edges { node { deliveries { status } } } } }',
    );
    expect(r.alerts.edges[0]!.node.deliveries[0]!.status).toBe('PENDING');
    release();
    await app.webhooks.idle();
  });

  it('records a receiver that never succeeds as FAILED', async () => {
    const down = await receiver([500, 500, 500, 500, 500, 500]);
    await start([{ webhook: `${down.url}/hook`, format: 'JSON' }]);
    await expect(post(url, INGEST, { input: failingRun() })).resolves.toBeTruthy();
    await app.alerts.idle();
    await app.webhooks.idle();
    const r = await post<{
      alerts: {
        edges: { node: { deliveries: { status: string; attempts: number; lastError: string | null }[] } }[];
      };
    }>(url, '{ alerts(first: 1) { edges { node { deliveries { status attempts lastError } } } } }');
    expect(r.alerts.edges[0]!.node.deliveries[0]).toMatchObject({ status: 'FAILED', attempts: 5 });
    expect(r.alerts.edges[0]!.node.deliveries[0]!.lastError).toContain('500');
  });
});
