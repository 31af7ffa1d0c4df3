/**
 * `node --import tsx bench/replicas.ts [--batches 40] [--size 1000]`: replicas
 * sharing a redis-server this script starts on a free port, with 1, 2 and 3
 * replicas (in one process, each on its own DuckDB file) against one gateway
 * without Redis: ingest throughput through replica A, and replication lag
 * from A's reply to the same dataVersion on every other replica (p50, p99).
 * Then alert fan-out: 1,000 graphql-ws subscribers spread over three
 * replicas, a rule that fires on every ingest to replica A, and the time from
 * A's reply to each subscriber's receipt (p50, p99).
 * On a 2-core machine this shows the overhead, not the scaling: every replica
 * applies every write. Nothing here is asserted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from 'graphql-ws';
import { validateIngest } from '../src/domain/ingest-batch.ts';
import type { IngestInput } from '../src/domain/types.ts';
import { createApp, type App } from '../src/server/app.ts';
import { FAIL_RATE_RULE, subscribeAlertClients } from './alert-clients.ts';
import { progress, summarise } from './lib.ts';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '40' },
    size: { type: 'string', default: '1000' },
    subscribers: { type: 'string', default: '1000' },
    alerts: { type: 'string', default: '20' },
  },
});
const BATCHES = Number(values.batches);
const SIZE = Number(values.size);
const SUBSCRIBERS = Number(values.subscribers);
const ALERTS = Number(values.alerts);

const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'assay-bench-replicas-'));
const redis = spawn(
  'redis-server',
  ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', dir],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise<void>((resolve) =>
  redis.stdout.on('data', (b: Buffer) => {
    if (b.toString().includes('Ready to accept connections')) resolve();
  }),
);

/** Batch n: SIZE results of distinct tests in one run. */
function batch(n: number, tag: string): IngestInput {
  const startedAt = new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString();
  return {
    run: { id: `${tag}-${n}`, project: 'bench', branch: 'main', startedAt },
    results: Array.from({ length: SIZE }, (_, i) => ({
      suite: `s${i % 10}`,
      name: `t${i}`,
      status: i % 17 === 0 ? 'FAILED' : 'PASSED',
      durationMs: 5 + (i % 50),
      startedAt,
    })),
  };
}

const rows: string[] = [
  '| Replicas | Results/s through A | Lag p50 (ms) | Lag p99 (ms) |',
  '|---|---|---|---|',
];
for (const replicas of [0, 1, 2, 3]) {
  const apps: App[] = [];
  for (let i = 0; i < Math.max(1, replicas); i++) {
    apps.push(
      await createApp({
        db: join(dir, `r${replicas}-${i}.duckdb`),
        port: 0,
        readers: 1,
        logLevel: 'warn',
        ...(replicas > 0 && {
          redis: `redis://127.0.0.1:${port}`,
          replicaId: `r${i}`,
          cluster: { stream: `bench:${replicas}` },
        }),
      }),
    );
  }
  const [a, ...others] = apps as [App, ...App[]];
  const lags: number[] = [];
  const t0 = performance.now();
  for (let n = 0; n < BATCHES; n++) {
    const stored = await a.data.ingest(validateIngest(batch(n, `r${replicas}`)));
    const replied = performance.now();
    await Promise.all(
      others.map(async (o) => {
        await o.cluster!.replicator.until(() => o.store.dataVersion >= stored.dataVersion, 30_000);
        lags.push(performance.now() - replied);
      }),
    );
  }
  const seconds = (performance.now() - t0) / 1000;
  const lag = summarise(lags);
  const label = replicas === 0 ? '1, no Redis' : String(replicas);
  rows.push(
    `| ${label} | ${Math.round((BATCHES * SIZE) / seconds).toLocaleString('en-US')} | ${lags.length ? lag.p50.toFixed(1) : '–'} | ${lags.length ? lag.p99.toFixed(1) : '–'} |`,
  );
  progress(rows.at(-1)!);
  for (const app of apps) await app.close();
}
process.stdout.write(`${rows.join('\n')}\n`);
process.stdout.write(`\n${await fanOut(3)}\n`);
redis.kill('SIGTERM');
await new Promise((resolve) => redis.once('exit', resolve));
rmSync(dir, { recursive: true, force: true });

/** Alert fan-out: SUBSCRIBERS clients spread over `replicas` replicas; a failing run ingested through A fires once. */
async function fanOut(replicas: number): Promise<string> {
  const apps = await fanReplicas(replicas);
  const urls = await Promise.all(apps.map((a) => a.listen()));
  const a = apps[0]!;
  const res = await fetch(urls[0]!, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }',
      variables: { input: FAIL_RATE_RULE },
    }),
  });
  if (!res.ok) throw new Error(`createAlertRule: ${res.status} ${await res.text()}`);
  const clients: Client[] = [];
  const received = subscribeAlertClients(
    urls,
    SUBSCRIBERS,
    'subscription { alerts { message } }',
    /run (fan-\d+)/,
    clients,
  );
  const receipts = (id: string): number => received.get(id)?.length ?? 0;
  let run = 0;
  const fail = async (): Promise<{ id: string; replied: number }> => {
    const id = `fan-${++run}`;
    const startedAt = new Date(Date.UTC(2026, 10, 1) + run * 60_000);
    await a.data.ingest(
      validateIngest({
        run: { id, project: 'fan', branch: 'main', startedAt: startedAt.toISOString() },
        results: [{ suite: 's', name: 't', status: 'FAILED', durationMs: 1 }],
      }),
    );
    return { id, replied: performance.now() };
  };
  const until = async (id: string, n: number, ms: number): Promise<void> => {
    for (let waited = 0; waited < ms && receipts(id) < n; waited += 5)
      await new Promise((r) => setTimeout(r, 5));
  };
  // Warm-up: fire until every client has one alert (subscriptions register asynchronously).
  for (let tries = 0; tries < 100; tries++) {
    const { id } = await fail();
    await until(id, SUBSCRIBERS, 2_000);
    if (receipts(id) >= SUBSCRIBERS) break;
  }
  const samples: number[] = [];
  let missing = 0;
  let doubled = 0;
  for (let k = 0; k < ALERTS; k++) {
    const { id, replied } = await fail();
    await until(id, SUBSCRIBERS, 10_000);
    await new Promise((r) => setTimeout(r, 50)); // a late duplicate would arrive here
    const got = received.get(id) ?? [];
    missing += Math.max(0, SUBSCRIBERS - got.length);
    doubled += Math.max(0, got.length - SUBSCRIBERS);
    for (const t of got) samples.push(t - replied);
  }
  for (const c of clients) await c.dispose();
  for (const app of apps) await app.close();
  const s = summarise(samples);
  const line = `| ${replicas} | ${SUBSCRIBERS.toLocaleString('en-US')} | ${ALERTS} | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} | ${missing} | ${doubled} |`;
  progress(line);
  return [
    '| Replicas | Subscribers (spread evenly) | Alerts | Ingest reply → receipt p50 (ms) | p99 (ms) | Missed | Doubled |',
    '|---|---|---|---|---|---|---|',
    line,
  ].join('\n');
}

/** The fan-out's replicas, each on its own file, sharing the stream `bench:fan`. */
async function fanReplicas(replicas: number): Promise<App[]> {
  const apps: App[] = [];
  for (let i = 0; i < replicas; i++)
    apps.push(
      await createApp({
        db: join(dir, `fan-${i}.duckdb`),
        port: 0,
        readers: 1,
        logLevel: 'warn',
        redis: `redis://127.0.0.1:${port}`,
        replicaId: `f${i}`,
        cluster: { stream: 'bench:fan' },
      }),
    );
  return apps;
}
