import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  USER_AGENT,
  createWebhookDispatcher,
  jsonPayload,
  slackPayload,
  type WebhookDispatcher,
  type WebhookLogger,
  type WebhookOptions,
} from '../../src/alerts/webhooks.ts';
import type { Alert, AlertChannel, AlertDelivery } from '../../src/domain/alerts.ts';

// ---------------------------------------------------------------- a real receiver on an ephemeral port

interface Request {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}
type Handler = (req: Request, res: ServerResponse, n: number) => void;

interface Receiver {
  readonly url: string;
  readonly requests: Request[];
  /** Most requests open at once. */
  readonly maxConcurrent: () => number;
  readonly open: () => number;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function receiver(handler: Handler): Promise<Receiver> {
  const requests: Request[] = [];
  let open = 0;
  let max = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      open++;
      max = Math.max(max, open);
      res.on('close', () => open--);
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      handler(request, res, requests.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, requests, maxConcurrent: () => max, open: () => open };
}

const answer =
  (status: number, body = '', headers: Record<string, string> = {}) =>
  (_req: Request, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(body);
  };

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A promise with its resolve, for receivers that wait for the test. */
function signal(): { promise: Promise<void>; release: () => void } {
  let release = () => {};
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

/** Polls until `cond` holds (no timing assertion: it only fails after 5 s of never). */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
}

// ---------------------------------------------------------------- an alert and a dispatcher under test

const FIRED = new Date('2026-11-02T10:05:00Z');
const NOW = new Date('2026-11-02T10:05:01Z');

function alertFor(channels: readonly AlertChannel[], id = 'al-1'): Alert {
  return {
    id,
    kind: 'PASS_RATE_DROP',
    severity: 'CRITICAL',
    message: 'Pass rate of web on main fell to 60% (< 80%)',
    firedAt: FIRED,
    value: 0.6,
    threshold: 0.8,
    acknowledgedAt: null,
    resolvedAt: null,
    group: { project: 'web', branch: 'main', suite: null, tags: { ci: 'github' } },
    groupKey: '{"project":"web","branch":"main"}',
    rule: {
      id: 'rule-1',
      name: 'main pass rate',
      kind: 'PASS_RATE_DROP',
      filter: { project: ['web'] },
      series: null,
      groupBy: ['PROJECT', 'BRANCH'],
      operator: 'LT',
      threshold: 0.8,
      windowMinutes: 60,
      severity: 'CRITICAL',
      cooldownMinutes: 30,
      channels,
      enabled: true,
      createdAt: new Date('2026-11-01T00:00:00Z'),
      updatedAt: new Date('2026-11-01T00:00:00Z'),
    },
    deliveries: [],
  };
}

interface Outcome {
  readonly alertId: string;
  readonly delivery: AlertDelivery;
}

/** A dispatcher whose sleeps return at once and are recorded, with jitter fixed at 0.5. */
function harness(overrides: Partial<WebhookOptions> = {}) {
  const outcomes: Outcome[] = [];
  const delays: number[] = [];
  const logged: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const log: WebhookLogger = {
    warn: (msg, fields = {}) => logged.push({ level: 'warn', msg, fields }),
    error: (msg, fields = {}) => logged.push({ level: 'error', msg, fields }),
  };
  const dispatcher: WebhookDispatcher = createWebhookDispatcher({
    onOutcome: (alertId, delivery) => {
      outcomes.push({ alertId, delivery });
    },
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    now: () => NOW,
    log,
    // The receivers listen on loopback, which only an operator's allow-list opens.
    allow: ['127.0.0.1'],
    ...overrides,
  });
  cleanups.push(() => dispatcher.close(0));
  const last = (alertId = 'al-1') => outcomes.filter((o) => o.alertId === alertId).at(-1)?.delivery;
  return { dispatcher, outcomes, delays, logged, last };
}

const json = (webhook: string): AlertChannel => ({ webhook, format: 'JSON' });

// ---------------------------------------------------------------- payloads

describe('webhook payloads', () => {
  it('posts exactly the documented JSON body with JSON and agent headers', async () => {
    const hook = await receiver(answer(204));
    const { dispatcher, outcomes } = harness();
    dispatcher.send(alertFor([json(hook.url)]));
    await dispatcher.idle();

    expect(hook.requests).toHaveLength(1);
    const [req] = hook.requests;
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['user-agent']).toBe(USER_AGENT);
    expect(req!.headers['x-assay-alert-id']).toBe('al-1');
    expect(JSON.parse(req!.body)).toEqual({
      type: 'assay.alert',
      version: 1,
      alert: {
        id: 'al-1',
        kind: 'PASS_RATE_DROP',
        severity: 'CRITICAL',
        message: 'Pass rate of web on main fell to 60% (< 80%)',
        firedAt: '2026-11-02T10:05:00.000Z',
        value: 0.6,
        threshold: 0.8,
        group: { project: 'web', branch: 'main', tags: { ci: 'github' } },
        rule: { id: 'rule-1', name: 'main pass rate', kind: 'PASS_RATE_DROP' },
      },
    });
    expect(outcomes).toEqual([
      {
        alertId: 'al-1',
        delivery: {
          channel: json(hook.url),
          status: 'DELIVERED',
          attempts: 1,
          lastError: null,
          lastAttemptAt: NOW,
        },
      },
    ]);
    expect(dispatcher.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 1, failed: 0, dropped: 0 });
  });

  it('posts a Slack message with fallback text, severity, message and value fields', async () => {
    const hook = await receiver(answer(200, 'ok'));
    const { dispatcher, last } = harness({ baseUrl: 'http://assay.local:4000' });
    const slack: AlertChannel = { webhook: hook.url, format: 'SLACK' };
    dispatcher.send(alertFor([slack]));
    await dispatcher.idle();

    const body = JSON.parse(hook.requests[0]!.body) as { text: string; blocks: unknown[] };
    expect(body.text).toBe(
      ':rotating_light: [CRITICAL] main pass rate: Pass rate of web on main fell to 60% (< 80%)',
    );
    expect(body.blocks).toEqual([
      {
        type: 'header',
        text: { type: 'plain_text', text: ':rotating_light: CRITICAL: main pass rate', emoji: true },
      },
      { type: 'section', text: { type: 'mrkdwn', text: 'Pass rate of web on main fell to 60% (&lt; 80%)' } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Value*\n0.6' },
          { type: 'mrkdwn', text: '*Threshold*\n0.8' },
          { type: 'mrkdwn', text: '*Group*\nproject=web, branch=main, ci=github' },
        ],
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'Alert `al-1` · PASS_RATE_DROP · 2026-11-02T10:05:00.000Z · <http://assay.local:4000|Open Assay>',
          },
        ],
      },
    ]);
    expect(last()).toMatchObject({ channel: slack, status: 'DELIVERED', attempts: 1 });
  });

  it('sends one POST per channel, each in its own format', async () => {
    const hook = await receiver(answer(200));
    const { dispatcher, outcomes } = harness();
    const alert = alertFor([json(`${hook.url}?a`), { webhook: `${hook.url}?b`, format: 'SLACK' }]);
    dispatcher.send(alert);
    await dispatcher.idle();

    const bodies = hook.requests.map((r) => JSON.parse(r.body) as object);
    expect(bodies).toHaveLength(2);
    expect(bodies).toContainEqual(jsonPayload(alert));
    expect(bodies).toContainEqual(JSON.parse(JSON.stringify(slackPayload(alert))));
    expect(outcomes.map((o) => o.delivery.status)).toEqual(['DELIVERED', 'DELIVERED']);
  });

  it('says "all" for an ungrouped alert and a dash for a missing value', () => {
    const alert = { ...alertFor([]), group: { tags: {} }, value: null, threshold: null };
    expect(jsonPayload(alert)).toMatchObject({
      alert: { group: { tags: {} }, value: null, threshold: null },
    });
    expect(slackPayload(alert).blocks[2]).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Value*\n—' },
        { type: 'mrkdwn', text: '*Threshold*\n—' },
        { type: 'mrkdwn', text: '*Group*\nall' },
      ],
    });
  });
});

// ---------------------------------------------------------------- retries

describe('webhook retries', () => {
  it('retries a 500 and a 503, then records the delivery on the third attempt', async () => {
    const hook = await receiver((req, res, n) => answer(n === 1 ? 500 : n === 2 ? 503 : 200)(req, res));
    const { dispatcher, outcomes, delays } = harness({ backoffMs: 100 });
    dispatcher.send(alertFor([json(hook.url)]));
    await dispatcher.idle();

    expect(hook.requests).toHaveLength(3);
    // Recorded after every attempt: PENDING while retrying, then the end state.
    expect(outcomes.map(({ delivery: d }) => [d.status, d.attempts, d.lastError])).toEqual([
      ['PENDING', 1, 'HTTP 500 Internal Server Error'],
      ['PENDING', 2, 'HTTP 503 Service Unavailable'],
      ['DELIVERED', 3, 'HTTP 503 Service Unavailable'],
    ]);
    // Full jitter at 0.5 of a ceiling that doubles from 100 ms.
    expect(delays).toEqual([50, 100]);
  });

  it('gives up after `attempts` tries of an always-failing receiver, with backoff capped', async () => {
    const hook = await receiver(answer(500, 'boom'));
    const { dispatcher, delays, last, logged } = harness({ attempts: 5, backoffMs: 100, maxBackoffMs: 300 });
    dispatcher.send(alertFor([json(hook.url)]));
    await dispatcher.idle();

    expect(hook.requests).toHaveLength(5);
    expect(last()).toEqual({
      channel: json(hook.url),
      status: 'FAILED',
      attempts: 5,
      lastError: 'HTTP 500 Internal Server Error: boom',
      lastAttemptAt: NOW,
    });
    // Ceilings 100, 200, 400 → 300, 800 → 300.
    expect(delays).toEqual([50, 100, 150, 150]);
    expect(dispatcher.stats()).toMatchObject({ delivered: 0, failed: 1 });
    // The log names the receiver's origin only: webhook paths carry secrets.
    expect(logged).toContainEqual({
      level: 'warn',
      msg: 'alert webhook delivery failed',
      fields: {
        alertId: 'al-1',
        webhook: new URL(hook.url).origin,
        attempts: 5,
        error: 'HTTP 500 Internal Server Error: boom',
      },
    });
  });

  it("does not retry a 400, and records the status with the receiver's reason", async () => {
    const hook = await receiver(answer(400, 'invalid_payload'));
    const { dispatcher, outcomes, delays } = harness();
    dispatcher.send(alertFor([json(hook.url)]));
    await dispatcher.idle();

    expect(hook.requests).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(outcomes.map((o) => o.delivery)).toEqual([
      {
        channel: json(hook.url),
        status: 'FAILED',
        attempts: 1,
        lastError: 'HTTP 400 Bad Request: invalid_payload',
        lastAttemptAt: NOW,
      },
    ]);
  });

  it("waits as long as a 429's Retry-After asks, up to maxBackoffMs", async () => {
    const hook = await receiver((req, res, n) =>
      n === 1
        ? answer(429, '', { 'retry-after': '2' })(req, res)
        : n === 2
          ? answer(429, '', { 'retry-after': '120' })(req, res)
          : answer(200)(req, res),
    );
    const { dispatcher, delays, last } = harness({ maxBackoffMs: 30_000 });
    dispatcher.send(alertFor([json(hook.url)]));
    await dispatcher.idle();

    expect(delays).toEqual([2000, 30_000]);
    expect(last()).toMatchObject({
      status: 'DELIVERED',
      attempts: 3,
      lastError: 'HTTP 429 Too Many Requests',
    });
  });

  it('times out a receiver that never answers, retries it and records the timeout', async () => {
    const hook = await receiver(() => {});
    const { dispatcher, outcomes } = harness({ timeoutMs: 100, attempts: 2 });
    dispatcher.send(alertFor([json(hook.url)]));
    await dispatcher.idle();

    expect(hook.requests).toHaveLength(2);
    expect(outcomes.map(({ delivery: d }) => [d.status, d.attempts, d.lastError])).toEqual([
      ['PENDING', 1, 'timed out after 100 ms'],
      ['FAILED', 2, 'timed out after 100 ms'],
    ]);
  });

  it('records a refused connection with the network error', async () => {
    const port = await closedPort();
    const { dispatcher, last, delays } = harness({ attempts: 2 });
    dispatcher.send(alertFor([json(`http://127.0.0.1:${port}/hook`)]));
    await dispatcher.idle();

    expect(delays).toHaveLength(1);
    expect(last()).toMatchObject({ status: 'FAILED', attempts: 2 });
    expect(last()!.lastError).toMatch(/^network error: fetch failed \(.*ECONNREFUSED 127\.0\.0\.1:\d+\)$/);
  });

  it('fails an invalid webhook URL at once, without a request', async () => {
    const { dispatcher, outcomes } = harness();
    dispatcher.send(alertFor([json('ftp://example.invalid/hook')]));
    await dispatcher.idle();

    expect(outcomes.map((o) => o.delivery)).toEqual([
      {
        channel: json('ftp://example.invalid/hook'),
        status: 'FAILED',
        attempts: 1,
        lastError: 'invalid webhook URL: unsupported protocol ftp:',
        lastAttemptAt: NOW,
      },
    ]);
  });
});

// ---------------------------------------------------------------- off the caller's path

describe('webhook dispatch', () => {
  it('returns from send before the receiver answers', async () => {
    const gate = signal();
    const hook = await receiver((req, res) => void gate.promise.then(() => answer(200)(req, res)));
    const { dispatcher, outcomes } = harness();

    dispatcher.send(alertFor([json(hook.url)]));
    expect(outcomes).toEqual([]);
    expect(dispatcher.stats()).toMatchObject({ queued: 1, inFlight: 0 });

    await until(() => hook.requests.length === 1);
    expect(outcomes).toEqual([]);
    expect(dispatcher.stats()).toMatchObject({ queued: 0, inFlight: 1 });

    gate.release();
    await dispatcher.idle();
    expect(outcomes.map((o) => o.delivery.status)).toEqual(['DELIVERED']);
  });

  it('keeps at most `concurrency` requests open at the receiver', async () => {
    const gate = signal();
    const hook = await receiver((req, res) => void gate.promise.then(() => answer(200)(req, res)));
    const { dispatcher, outcomes } = harness({ concurrency: 2 });
    for (let i = 1; i <= 6; i++) dispatcher.send(alertFor([json(hook.url)], `al-${i}`));

    await until(() => hook.requests.length === 2);
    // Give a third request every chance to arrive before looking.
    await new Promise((r) => setTimeout(r, 50));
    expect(hook.requests).toHaveLength(2);
    expect(dispatcher.stats()).toMatchObject({ queued: 4, inFlight: 2 });

    gate.release();
    await dispatcher.idle();
    expect(hook.requests).toHaveLength(6);
    expect(hook.maxConcurrent()).toBe(2);
    expect(outcomes.filter((o) => o.delivery.status === 'DELIVERED')).toHaveLength(6);
  });

  it('records deliveries beyond maxQueue FAILED "queue full" without sending them', async () => {
    const hook = await receiver(answer(200));
    const { dispatcher, last } = harness({ concurrency: 1, maxQueue: 2 });
    for (let i = 1; i <= 3; i++) dispatcher.send(alertFor([json(hook.url)], `al-${i}`));
    await dispatcher.idle();

    expect(hook.requests.map((r) => r.headers['x-assay-alert-id'])).toEqual(['al-1', 'al-2']);
    expect(last('al-3')).toEqual({
      channel: json(hook.url),
      status: 'FAILED',
      attempts: 0,
      lastError: 'queue full',
      lastAttemptAt: null,
    });
    expect(dispatcher.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 2, failed: 0, dropped: 1 });
  });

  it('logs an onOutcome that throws and carries on', async () => {
    const hook = await receiver(answer(200));
    const { dispatcher, logged } = harness({
      onOutcome: () => {
        throw new Error('store closed');
      },
    });
    dispatcher.send(alertFor([json(hook.url)]));
    await dispatcher.idle();

    expect(hook.requests).toHaveLength(1);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 'error',
      msg: 'alert delivery could not be recorded',
      fields: { alertId: 'al-1' },
    });
    expect(dispatcher.stats()).toMatchObject({ delivered: 1 });
  });
});

// ---------------------------------------------------------------- shutdown

describe('closing the dispatcher', () => {
  it('abandons retries, recording them FAILED "shutdown", and refuses new alerts', async () => {
    const hook = await receiver(answer(500));
    const backoff = signal();
    const { dispatcher, outcomes, last } = harness({ sleep: () => backoff.promise });
    dispatcher.send(alertFor([json(hook.url)]));
    await until(() => outcomes.length === 1);
    expect(last()).toMatchObject({ status: 'PENDING', attempts: 1 });

    await dispatcher.close();
    backoff.release();
    dispatcher.send(alertFor([json(hook.url)], 'al-2'));
    await dispatcher.idle();

    expect(hook.requests).toHaveLength(1);
    expect(last()).toEqual({
      channel: json(hook.url),
      status: 'FAILED',
      attempts: 1,
      lastError: 'shutdown',
      lastAttemptAt: NOW,
    });
    expect(last('al-2')).toMatchObject({ status: 'FAILED', attempts: 0, lastError: 'shutdown' });
    expect(dispatcher.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 0, failed: 1, dropped: 1 });
  });

  it('lets an attempt in flight finish within the grace period', async () => {
    const gate = signal();
    const hook = await receiver((req, res) => void gate.promise.then(() => answer(200)(req, res)));
    const { dispatcher, last } = harness();
    dispatcher.send(alertFor([json(hook.url)]));
    await until(() => hook.requests.length === 1);

    const closing = dispatcher.close(60_000);
    gate.release();
    await closing;
    expect(last()).toMatchObject({ status: 'DELIVERED', attempts: 1 });
  });

  it('does not retry an attempt that fails during the grace period', async () => {
    const gate = signal();
    const hook = await receiver((req, res) => void gate.promise.then(() => answer(503)(req, res)));
    const { dispatcher, outcomes } = harness();
    dispatcher.send(alertFor([json(hook.url)]));
    await until(() => hook.requests.length === 1);

    const closing = dispatcher.close(60_000);
    gate.release();
    await closing;
    expect(hook.requests).toHaveLength(1);
    expect(outcomes.map(({ delivery: d }) => [d.status, d.attempts, d.lastError])).toEqual([
      ['FAILED', 1, 'shutdown'],
    ]);
  });

  it('aborts an attempt still in flight when the grace period ends', async () => {
    const hook = await receiver(() => {});
    const { dispatcher, outcomes } = harness({ timeoutMs: 60_000 });
    dispatcher.send(alertFor([json(hook.url)]));
    await until(() => hook.requests.length === 1);

    await dispatcher.close(50);
    expect(outcomes.map((o) => o.delivery)).toEqual([
      {
        channel: json(hook.url),
        status: 'FAILED',
        attempts: 1,
        lastError: 'shutdown',
        lastAttemptAt: NOW,
      },
    ]);
  });
});
