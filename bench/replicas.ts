/**
 * `node --import tsx bench/replicas.ts [--batches 40] [--size 1000]`: replicas
 * sharing a redis-server this script starts on a free port, with 1, 2 and 3
 * replicas (in one process, each on its own DuckDB file) against one gateway
 * without Redis: ingest throughput through replica A, and replication lag
 * from A's reply to the same dataVersion on every other replica (p50, p99).
 * On a 2-core machine this shows the overhead, not the scaling: every replica
 * applies every write. Nothing here is asserted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { validateIngest } from '../src/domain/ingest-batch.ts';
import type { IngestInput } from '../src/domain/types.ts';
import { createApp, type App } from '../src/server/app.ts';
import { progress, summarise } from './lib.ts';

const { values } = parseArgs({
  options: { batches: { type: 'string', default: '40' }, size: { type: 'string', default: '1000' } },
});
const BATCHES = Number(values.batches);
const SIZE = Number(values.size);

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
redis.kill('SIGTERM');
await new Promise((resolve) => redis.once('exit', resolve));
rmSync(dir, { recursive: true, force: true });
