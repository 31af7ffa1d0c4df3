/**
 * Ingest rate alone and under a concurrent query load: seeds a store with
 * 200,000 results, then stores 10 more batches of 5,000 results with nothing
 * else running, then 10 more while `readers` clients keep the reader pool
 * busy with a heavy aggregate (percentiles per test over every result).
 * Prints results stored per second each way and the slowdown.
 *
 *   node --import tsx bench/write-contention.ts [readers=4] [threads]
 */
import { openStore } from '../src/db/store.ts';
import { validateIngest } from '../src/domain/ingest-batch.ts';
import type { IngestInput } from '../src/domain/types.ts';
import { makeBatch } from './ingest.ts';

const readers = Number(process.argv[2] ?? 4);
const threads = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const BATCH = 5_000;
const store = await openStore({ readers, ...(threads !== undefined && { threads }) });
const batch = (seq: number) =>
  validateIngest((makeBatch(seq, BATCH) as unknown as { input: IngestInput }).input);

let seq = 0;
for (; seq < 40; seq++) await store.ingest(batch(seq));

async function ingestRate(batches: number): Promise<number> {
  const ready = Array.from({ length: batches }, (_, i) => batch(seq + i));
  seq += batches;
  const started = performance.now();
  for (const b of ready) await store.ingest(b);
  return (batches * BATCH) / ((performance.now() - started) / 1000);
}

const HEAVY = `SELECT test_id, count(*) AS n, quantile_cont(duration_ms, [0.5, 0.9, 0.99]) AS q, avg(duration_ms) AS mean
  FROM results GROUP BY test_id ORDER BY mean DESC LIMIT 100`;

const alone = await ingestRate(10);
const load = { running: true, queries: 0 };
const clients = Array.from({ length: readers }, async () => {
  while (load.running) {
    await store.db.query(HEAVY);
    load.queries++;
  }
});
const loaded = await ingestRate(10);
load.running = false;
await Promise.all(clients);
console.log(
  `readers ${readers}, threads ${threads ?? 'default'}: ingest ${alone.toFixed(0)} results/s alone, ` +
    `${loaded.toFixed(0)} results/s under ${readers} query clients (${load.queries} queries); ` +
    `slowdown ${(alone / loaded).toFixed(1)}×`,
);
await store.db.close();
