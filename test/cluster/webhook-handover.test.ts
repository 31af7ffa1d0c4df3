import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp, type App } from '../../src/server/app.ts';
import { INGEST, TEST_NOW, type GqlResponse } from '../support/app.ts';
import { TestRedis } from './redis-server.ts';

// A replica that fired an alert and died (SIGKILL) while posting its webhook:
// another replica takes the delivery over from the shared log, and the alert
// is delivered, without a reload and without the rule firing twice.

const dir = mkdtempSync(join(tmpdir(), 'assay-handover-'));
const STREAM = 'handover';
const CLAIM_IDLE_MS = 400;
let redis: TestRedis;
let child: ChildProcess | null = null;
let survivor: App | null = null;
/** Every POST the receiver got: the first is left hanging (the dying replica's). */
const posts: { body: string; res: ServerResponse }[] = [];
const hook = createServer((req: IncomingMessage, res: ServerResponse) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    posts.push({ body, res });
    if (posts.length > 1) res.writeHead(200).end();
  });
});

beforeAll(async () => {
  redis = await TestRedis.start();
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
}, 30_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await survivor?.close();
  hook.closeAllConnections();
  await new Promise<void>((resolve) => hook.close(() => resolve()));
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

async function ok<T>(url: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GqlResponse<T>;
  if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function until(what: string, test: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await test()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function startChild(): Promise<string> {
  const config = {
    cluster: { stream: STREAM, claimIdleMs: CLAIM_IDLE_MS },
    webhooks: { allow: ['127.0.0.1'], timeoutMs: 60_000 },
  };
  const c = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'replica-child.ts'), join(dir, 'x.duckdb'), redis.url, 'x'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, REPLICA_CHILD_CONFIG: JSON.stringify(config) },
    },
  );
  child = c;
  return new Promise((resolve, reject) => {
    let out = '';
    c.once('exit', (code) => reject(new Error(`replica x exited with ${code}`)));
    c.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        c.removeAllListeners('exit');
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
  });
}

it('delivers the webhook of an alert whose replica died mid-post, from another replica, once', async () => {
  const x = await startChild();
  const webhook = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  await ok(x, 'mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }', {
    input: {
      name: 'runs failing',
      kind: 'THRESHOLD',
      series: { measure: 'FAIL_RATE' },
      operator: 'GT',
      threshold: 0.5,
      groupBy: ['RUN'],
      severity: 'CRITICAL',
      channels: [{ webhook, format: 'JSON' }],
    },
  });
  await ok(x, INGEST, {
    input: {
      run: { id: 'run-failing', project: 'web', branch: 'main', startedAt: '2026-11-21T10:00:00Z' },
      results: [{ suite: 'checkout', name: 'pays', status: 'FAILED', durationMs: 5 }],
    },
  });
  // x fired the alert and is posting it: the receiver holds that request open, and x dies.
  await until('the dying replica to post', () => posts.length === 1);
  const firstAlert = (JSON.parse(posts[0]!.body) as { alert: { id: string } }).alert.id;
  child!.kill('SIGKILL');
  await new Promise((resolve) => child!.once('exit', resolve));

  // A replica that joins afterwards takes the unfinished delivery over once it has been idle.
  survivor = await createApp({
    db: join(dir, 'y.duckdb'),
    redis: redis.url,
    replicaId: 'y',
    port: 0,
    readers: 1,
    logLevel: 'silent',
    now: () => TEST_NOW,
    cluster: { stream: STREAM, claimIdleMs: CLAIM_IDLE_MS },
    webhooks: { allow: ['127.0.0.1'] },
  });
  const y = await survivor.listen();
  await until('the other replica to deliver', () => posts.length >= 2);
  await survivor.webhooks.idle();
  expect((JSON.parse(posts[1]!.body) as { alert: { id: string } }).alert.id).toBe(firstAlert);

  const { alerts } = await ok<{
    alerts: { totalCount: number; edges: { node: { id: string; deliveries: { status: string }[] } }[] };
  }>(y, '{ alerts(first: 5) { totalCount edges { node { id deliveries { status } } } } }');
  expect(alerts.totalCount).toBe(1);
  expect(alerts.edges[0]!.node.deliveries.map((d) => d.status)).toEqual(['DELIVERED']);
  // Handed over once: nothing more arrives after the survivor's delivery.
  await survivor.cluster!.idle();
  expect(posts).toHaveLength(2);
}, 60_000);
