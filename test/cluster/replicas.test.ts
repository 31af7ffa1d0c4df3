import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSnapshot } from '../../src/db/snapshot.ts';
import { createApp, type App } from '../../src/server/app.ts';
import { INGEST, TEST_NOW, type GqlResponse } from '../support/app.ts';
import { subscribeWs, wsClient, type Cleanups, type Inbox } from '../support/live.ts';
import { TestRedis } from './redis-server.ts';

// Three replicas (real gateways on ephemeral ports, each with its own DuckDB
// file) share one redis-server the test starts; a fourth runs in a child
// process so it can be killed with SIGKILL.

const dir = mkdtempSync(join(tmpdir(), 'assay-replicas-'));
/** Where replicas share snapshots; once the stream is trimmed, a new replica must start from one. */
const snapshots = join(dir, 'snapshots');
let redis: TestRedis;
const apps: App[] = [];
const urls: string[] = [];
const cleanups: Cleanups = [];

beforeAll(async () => {
  redis = await TestRedis.start();
  for (const name of ['a', 'b', 'c']) {
    const app = await createApp({
      db: join(dir, `${name}.duckdb`),
      redis: redis.url,
      replicaId: name,
      port: 0,
      readers: 1,
      logLevel: 'silent',
      now: () => TEST_NOW,
      webhooks: { backoffMs: 1, sleep: async () => {}, allow: ['127.0.0.1'] },
    });
    apps.push(app);
    urls.push(await app.listen());
  }
}, 30_000);

afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  for (const app of apps) await app.close();
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

/** POSTs one operation; `minVersion` becomes the x-assay-min-version header. */
async function send<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  minVersion?: string | number,
): Promise<{ status: number; body: GqlResponse<T> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(minVersion !== undefined && { 'x-assay-min-version': String(minVersion) }),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GqlResponse<T> };
}

async function ok<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  minVersion?: string | number,
): Promise<T> {
  const { body } = await send<T>(url, query, variables, minVersion);
  if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Asks until the replica has reached `version` (each ask waits up to 2 s); a replica catching up from far behind needs several. */
async function reached(url: string, version: number | string): Promise<boolean> {
  for (let tries = 0; tries < 30; tries++)
    if ((await send(url, '{ gateway { dataVersion } }', undefined, version)).status === 200) return true;
  return false;
}

type Ingested = { ingest: { accepted: number; duplicates: number; dataVersion: number } };

/**
 * Run n of project web: tests t0..t3 on one day each; t3 fails its first
 * attempt and passes on retry in every third run (flaky), t2 fails in every
 * fifth run.
 */
function run(n: number, project = 'web') {
  const day = `2026-11-${String(1 + (n % 20)).padStart(2, '0')}`;
  const at = `${day}T10:00:${String(n % 60).padStart(2, '0')}Z`;
  const results = [0, 1, 2, 3].flatMap((t) => {
    const base = { suite: 'checkout', name: `t${t}`, durationMs: 10 + t, startedAt: at };
    if (t === 3 && n % 3 === 0)
      return [
        { ...base, status: 'FAILED', attempt: 1 },
        { ...base, status: 'PASSED', attempt: 2 },
      ];
    return [{ ...base, status: t === 2 && n % 5 === 0 ? 'FAILED' : 'PASSED' }];
  });
  return {
    run: { id: `run-${project}-${n}`, project, branch: 'main', commit: `c${n}`, startedAt: at },
    results,
  };
}

let runs = 0;
async function ingestVia(url: string, input: object = run(runs)): Promise<Ingested['ingest']> {
  const r = await ok<Ingested>(url, INGEST, { input });
  runs++;
  return r.ingest;
}

const RUNS =
  '{ runs(first: 500) { totalCount edges { node { id project branch commit startedAt executions passed failed flaky skipped passRate } } } }';
const DAILY = `{ metrics(groupBy: [TEST], bucket: DAY, orderBy: { field: PASS_RATE, direction: ASC }, limit: 500) {
  group { test { id name suite } } bucket executions passed failed errored skipped flaky passRate failRate flakyRate avg: duration(stat: AVG) p95: duration(stat: P95) } }`;
const FLAKINESS = `{ flakiness(window: { days: 30 }, minExecutions: 2, first: 20) {
  test { id name suite } score lower upper flipRate executions failures flakyExecutions inconsistentCommits classification lastFlakeAt } }`;
const TESTS =
  '{ tests(first: 50, orderBy: { field: PASS_RATE, direction: ASC }) { totalCount edges { node { id name suite stats { executions passRate flakyRate durationP95 } } } } }';
const ALERTS =
  '{ alerts(filter: { severity: [CRITICAL, WARNING] }, first: 20) { totalCount edges { node { id kind severity message firedAt value threshold group { project } rule { id name } } } } }';
const RULES = '{ alertRules { id name kind severity enabled threshold cooldownMinutes } }';
const GATEWAY =
  '{ gateway { dataVersion runs tests results replica { id position applied head lag degraded redis } } }';

interface GatewayReply {
  gateway: {
    dataVersion: number;
    runs: number;
    results: number;
    replica: {
      id: string;
      position: string;
      applied: number;
      head: string | null;
      lag: number | null;
      degraded: boolean;
      redis: string;
    };
  };
}

/** The answers of the contract's read queries, at least at dataVersion `v`. */
async function answers(url: string, v: number): Promise<unknown[]> {
  expect(await reached(url, v)).toBe(true);
  return Promise.all([RUNS, DAILY, FLAKINESS, TESTS, ALERTS, RULES].map((q) => ok(url, q, undefined, v)));
}

describe('replicas sharing a Redis stream', () => {
  let version = 0;

  it('take ingests on every replica, and all three then answer the contract queries alike', async () => {
    for (let i = 0; i < 6; i++) version = (await ingestVia(urls[i % 3]!)).dataVersion;
    const [a, b, c] = await Promise.all(urls.map((u) => answers(u, version)));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const runsA = a![0] as {
      runs: { totalCount: number; edges: { node: { executions: number; flaky: number } }[] };
    };
    expect(runsA.runs.totalCount).toBe(6);
    // 4 tests per run; runs 0 and 3 have the flaky t3.
    expect(runsA.runs.edges.reduce((s, e) => s + e.node.executions, 0)).toBe(24);
    expect(runsA.runs.edges.reduce((s, e) => s + e.node.flaky, 0)).toBe(2);

    const gateways = await Promise.all(urls.map((u) => ok<GatewayReply>(u, GATEWAY, undefined, version)));
    expect(gateways.map((g) => g.gateway.replica.id)).toEqual(['a', 'b', 'c']);
    for (const g of gateways) {
      expect(g.gateway).toMatchObject({
        dataVersion: 6,
        runs: 6,
        results: 26,
        replica: { applied: 6, lag: 0, degraded: false, redis: redis.url },
      });
      expect(g.gateway.replica.position).toBe(g.gateway.replica.head);
    }
  });

  it('refuses a malformed x-assay-min-version, and answers STALE_REPLICA for a version no replica has reached', async () => {
    const bad = await send(urls[0]!, GATEWAY, undefined, 'soon');
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const ahead = await send(urls[1]!, GATEWAY, undefined, version + 1000);
    expect(ahead.status).toBe(503);
    expect(ahead.body.errors?.[0]?.extensions?.code).toBe('STALE_REPLICA');
    expect(ahead.body.errors?.[0]?.message).toContain('Replica b has not reached');
  });

  it('waits over graphql-ws for the version an operation asks for, and refuses that operation alone when stale', async () => {
    const client = wsClient(urls[1]!, cleanups);
    const once = (minVersion: string | number) =>
      new Promise<GqlResponse<{ gateway: { dataVersion: number } }> | { refused: unknown }>((resolve) => {
        client.subscribe(
          { query: '{ gateway { dataVersion } }', extensions: { 'x-assay-min-version': minVersion } },
          {
            next: (v) => resolve(v as GqlResponse<{ gateway: { dataVersion: number } }>),
            error: (e) => resolve({ refused: e }),
            complete: () => undefined,
          },
        );
      });
    const read = await once(version);
    expect('data' in read && read.data?.gateway.dataVersion).toBeGreaterThanOrEqual(version);
    expect(await once(version + 1000)).toMatchObject({
      refused: [{ extensions: { code: 'STALE_REPLICA' } }],
    });
    expect(await once('soon')).toMatchObject({ refused: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('evaluates a rule once: a subscriber on replica C gets one alert for an ingest to replica A, and the webhook one delivery', async () => {
    const deliveries: unknown[] = [];
    const hook: Server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        deliveries.push(JSON.parse(raw));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => hook.close(() => resolve())));
    const rule = await ok<{ createAlertRule: { id: string } }>(
      urls[0]!,
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
          channels: [
            { webhook: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, format: 'JSON' },
          ],
        },
      },
    );

    const client = wsClient(urls[2]!, cleanups);
    const alerts: Inbox<GqlResponse<{ alerts: { id: string; rule: { id: string } } }>> = subscribeWs(
      client,
      'subscription { alerts(filter: { minSeverity: WARNING }) { id rule { id } } }',
      cleanups,
    );
    const ingested: Inbox<GqlResponse<{ ingested: { run: { id: string } } }>> = subscribeWs(
      client,
      'subscription { ingested(filter: { project: ["web"] }) { run { id } } }',
      cleanups,
    );
    // Subscriptions register asynchronously: passing runs until C's ingested stream is live.
    let live = false;
    for (let tries = 0; tries < 50 && !live; tries++) {
      await ingestVia(urls[0]!);
      live = (await ingested.next(100)) !== undefined;
    }
    expect(live).toBe(true);
    while (await ingested.next(0)) {
      /* drain */
    }

    const failing = {
      run: { id: 'run-failing', project: 'web', branch: 'main', startedAt: '2026-11-21T10:00:00Z' },
      results: [{ suite: 'checkout', name: 'pays', status: 'FAILED', durationMs: 5, message: 'HTTP 502' }],
    };
    await ingestVia(urls[0]!, failing);
    const first = await alerts.next();
    expect(first?.data?.alerts.rule.id).toBe(rule.createAlertRule.id);

    // Everything evaluated, delivered (by whichever replica the log handed the alert to) and
    // published; then a marker after it on the same channel.
    await Promise.all(apps.map((a) => a.alerts.idle()));
    for (let tries = 0; tries < 200 && deliveries.length === 0; tries++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all(apps.map((a) => a.webhooks.idle()));
    await Promise.all(apps.map((a) => a.cluster!.idle()));
    const marker = await ingestVia(urls[0]!);
    for (;;) {
      const e = await ingested.next();
      expect(e).toBeDefined();
      if (e?.data?.ingested.run.id === `run-web-${runs - 1}`) break;
    }
    expect(await alerts.next(0)).toBeUndefined();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ type: 'assay.alert', alert: { id: first?.data?.alerts.id } });

    // Every replica stores the one alert, with the delivery the evaluating replica recorded.
    version = marker.dataVersion;
    await Promise.all(apps.map((a) => a.webhooks.idle()));
    for (const u of urls) expect(await reached(u, version)).toBe(true);
    const stored = await Promise.all(
      urls.map((u) =>
        ok<{
          alerts: { totalCount: number; edges: { node: { id: string; deliveries: { status: string }[] } }[] };
        }>(
          u,
          '{ alerts(first: 5) { totalCount edges { node { id deliveries { status } } } } }',
          undefined,
          version,
        ),
      ),
    );
    for (const s of stored) expect(s.alerts.totalCount).toBe(1);
    expect(stored[1]!.alerts.edges[0]!.node.id).toBe(first?.data?.alerts.id);
  });

  it('changes nothing when an entry is delivered again, out of order, or appended twice', async () => {
    const r = new Redis(redis.url);
    const entries = (await r.xrange('assay:log', '-', '+')) as [string, string[]][];
    const firstIngest = entries.find(
      ([, f]) => f.includes('e') && f[f.indexOf('e') + 1]!.startsWith('{"op":"ingest"'),
    )!;
    const before = await Promise.all(urls.map((u) => ok<GatewayReply>(u, GATEWAY, undefined, version)));

    // Redelivered (its id is behind every replica): skipped.
    await apps[1]!.cluster!.replicator.deliver([firstIngest]);
    // Appended again as a new entry: applied, but run + test + attempt makes it a duplicate.
    const again = await r.xadd('assay:log', '*', ...firstIngest[1]);
    for (const u of urls) expect(await reached(u, again!)).toBe(true);
    const after = await Promise.all(urls.map((u) => ok<GatewayReply>(u, GATEWAY, undefined, again!)));
    for (const [i, g] of after.entries()) {
      expect(g.gateway.dataVersion).toBe(before[i]!.gateway.dataVersion);
      expect(g.gateway.results).toBe(before[i]!.gateway.results);
      expect(g.gateway.replica.position).toBe(again);
      expect(g.gateway.replica.applied).toBe(before[i]!.gateway.replica.applied + 1);
    }
    await r.quit();
  });

  it('a new replica with an empty disk joins from a snapshot after the stream was trimmed behind it, then equals the others', async () => {
    const snapshot = await writeSnapshot(apps[0]!.store.db, snapshots);
    const r = new Redis(redis.url);
    const length = await r.xlen('assay:log');
    // A replica that reported an old position holds the trim back.
    await r.hset('assay:log:positions', 'lagging', '0-1');
    expect(await apps[0]!.cluster!.trim(snapshot.position)).toBe(0);
    await r.hdel('assay:log:positions', 'lagging');
    const trimmed = await apps[0]!.cluster!.trim(snapshot.position);
    expect(trimmed).toBeGreaterThan(0);
    expect(await r.xlen('assay:log')).toBe(length - trimmed);
    await r.quit();
    version = (await ingestVia(urls[1]!)).dataVersion;

    const joined = await createApp({
      db: join(dir, 'e.duckdb'),
      redis: redis.url,
      replicaId: 'e',
      snapshotDir: snapshots,
      port: 0,
      readers: 1,
      logLevel: 'silent',
      now: () => TEST_NOW,
    });
    cleanups.push(() => joined.close());
    const url = await joined.listen();
    const [e, a] = await Promise.all([answers(url, version), answers(urls[0]!, version)]);
    expect(e).toEqual(a);
    expect((e[0] as { runs: { totalCount: number } }).runs.totalCount).toBe(runs);
    const [ge, ga] = await Promise.all(
      [url, urls[0]!].map((u) => ok<GatewayReply>(u, GATEWAY, undefined, version)),
    );
    expect(ge!.gateway.replica.applied).toBe(ga!.gateway.replica.applied);
    expect(ge!.gateway.replica.lag).toBe(0);
  });

  it('a replica killed with SIGKILL in the middle of a stream of ingests catches up on restart, nothing lost or doubled', async () => {
    const db = join(dir, 'd.duckdb');
    const start = () => startChild(db, redis.url, 'd');
    let child = await start();
    expect(await reached(child.url, version)).toBe(true);
    for (let i = 0; i < 12; i++) {
      version = (await ingestVia(urls[i % 2]!)).dataVersion;
      if (i === 5) child.process.kill('SIGKILL');
    }
    child = await start();
    expect(await reached(child.url, version)).toBe(true);
    const [d, a] = await Promise.all([answers(child.url, version), answers(urls[0]!, version)]);
    expect(d).toEqual(a);
    expect((d[0] as { runs: { totalCount: number } }).runs.totalCount).toBe(runs);
    child.process.kill('SIGTERM');
    await new Promise((resolve) => child.process.once('exit', resolve));
  }, 240_000);

  it('refuses writes while Redis is down, keeps answering reads, and converges once it is back', async () => {
    const before = await ok<{ runs: { totalCount: number } }>(urls[1]!, RUNS, undefined, version);
    await redis.stop();
    for (let tries = 0; tries < 50 && !apps.every((a) => a.cluster!.degraded); tries++)
      await new Promise((r) => setTimeout(r, 50));

    const refused = await send<Ingested>(urls[0]!, INGEST, { input: run(runs) });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
    expect(refused.body.errors?.[0]?.message).toContain(redis.url);
    const upload = await fetch(urls[0]!.replace('/graphql', `/ingest/junit?project=web&run=down-1`), {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<testsuite name="s"><testcase classname="c" name="n" time="0.1"/></testsuite>',
    });
    expect(upload.status).toBe(503);
    expect(await ok<{ runs: { totalCount: number } }>(urls[1]!, RUNS)).toEqual(before);
    const g = await ok<GatewayReply>(urls[2]!, GATEWAY);
    expect(g.gateway.replica).toMatchObject({ degraded: true, head: null, lag: null });
    const ready = (await (await fetch(urls[2]!.replace('/graphql', '/readyz'))).json()) as { status: string };
    expect(ready.status).toBe('degraded');

    await redis.start();
    for (let tries = 0; tries < 200 && apps.some((a) => a.cluster!.degraded); tries++)
      await new Promise((r) => setTimeout(r, 50));
    version = (await ingestVia(urls[1]!)).dataVersion;
    const all = await Promise.all(urls.map((u) => answers(u, version)));
    expect(all[1]).toEqual(all[0]);
    expect(all[2]).toEqual(all[0]);
    expect((all[0]![0] as { runs: { totalCount: number } }).runs.totalCount).toBe(before.runs.totalCount + 1);
  }, 30_000);
});

/** Starts a replica in a child process and resolves with its URL once it listens. */
function startChild(
  db: string,
  redisUrl: string,
  id: string,
): Promise<{ process: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'replica-child.ts'), db, redisUrl, id, snapshots],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`replica ${id} exited with ${code}`)));
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        child.removeAllListeners('exit');
        resolve({ process: child, url: (JSON.parse(line) as { url: string }).url });
      }
    });
  });
}
