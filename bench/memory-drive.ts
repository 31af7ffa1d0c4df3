/**
 * What the server-memory bench (memory.ts) puts `assay serve` through: every operation of the
 * query bench once, cold; then the dashboard mix from concurrent clients with CI-like ingests
 * alongside, its RSS sampled throughout.
 */
import { DASHBOARD_MIX, DASHBOARD_MIX_VARIABLES } from './concurrency.ts';
import { GqlClient, loadBenchOperations, loadContract, progress, type JsonObject } from './lib.ts';
import type { PlannedQuery } from './query-plan.ts';
import type { ServerProcess } from './server-process.ts';

/** How long and how hard the mix runs. */
export interface DrivePlan {
  readonly seconds: number;
  readonly clients: number;
  /** An ingest of 1,000 results this often; 0: none. */
  readonly ingestEveryMs: number;
}

const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

/** Every operation of the query bench once, cold, one after another: the heaviest single answers. */
export async function everyOperation(
  server: ServerProcess,
  plan: readonly PlannedQuery[],
): Promise<{ peakRssMb: number; failed: string[] }> {
  const client = new GqlClient(server.url, loadContract());
  const bench = new GqlClient(server.url, loadBenchOperations());
  let peakRssMb = 0;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, server.status().rssMb)), 100);
  const failed: string[] = [];
  try {
    for (const { operation, variables, bench: own } of plan) {
      const c = own ? bench : client;
      await c.post(operation, c.body(operation, variables)).catch((err: unknown) => {
        failed.push(operation);
        progress(`  ${operation} failed: ${String(err)}`);
      });
    }
  } finally {
    clearInterval(sampler);
  }
  peakRssMb = Math.max(peakRssMb, server.status().rssMb);
  progress(
    `  every operation of the query bench once, cold: peak RSS ${peakRssMb} MiB, ${failed.length} failed`,
  );
  return { peakRssMb, failed };
}

/** One ingest of 1,000 results to `web`: the same 1,000 tests every time, a new run each. */
function ingestInput(i: number, after: Date): JsonObject {
  const startedAt = new Date(after.getTime() + (i + 1) * 60_000).toISOString();
  const results = Array.from({ length: 1_000 }, (_, t) => ({
    suite: `memory/s${t % 20}`,
    name: `t${t}`,
    status: t % 97 === i % 97 ? 'FAILED' : 'PASSED',
    durationMs: 10 + (t % 13),
  }));
  const run = { id: `memory-${i}`, project: 'web', branch: 'main', commit: `memory-${i}`, startedAt };
  return { run, results };
}

export interface Drive {
  readonly samples: { t: number; rss: number }[];
  readonly peak: { rss: number; metrics: Map<string, number> };
  readonly latencies: number[];
  errors: number;
  ingests: number;
}

/** The mix at `clients` concurrent clients for `seconds`, ingests alongside, RSS sampled throughout. */
export async function drive(server: ServerProcess, plan: DrivePlan, setEnd: Date): Promise<Drive> {
  const client = new GqlClient(server.url, loadContract());
  const bodies = DASHBOARD_MIX.map((op) => ({
    op,
    body: client.body(op, DASHBOARD_MIX_VARIABLES[op] ?? {}),
  }));
  const d: Drive = {
    samples: [],
    peak: { rss: 0, metrics: new Map() },
    latencies: [],
    errors: 0,
    ingests: 0,
  };
  const started = performance.now();
  const end = started + plan.seconds * 1000;
  const sampler = setInterval(
    () => d.samples.push({ t: performance.now() - started, rss: server.status().rssMb }),
    100,
  );
  const scrape = async () => {
    const metrics = await server.metrics();
    const rss = mb(metrics.get('assay_process_resident_memory_bytes') ?? 0);
    if (rss >= d.peak.rss) Object.assign(d.peak, { rss, metrics });
  };
  const scraper = setInterval(() => void scrape().catch(() => d.errors++), 5_000);
  // One ingest at a time, the next `ingestEveryMs` after the last one answered, as a CI pipeline pushes.
  const ingesting = (async () => {
    while (plan.ingestEveryMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, plan.ingestEveryMs));
      if (performance.now() >= end) break;
      try {
        await client.post('Ingest', client.body('Ingest', { input: ingestInput(d.ingests, setEnd) }));
        d.ingests++;
      } catch (err) {
        d.errors++;
        progress(`  ingest failed: ${String(err)}`);
      }
    }
  })();
  try {
    await Promise.all(
      Array.from({ length: plan.clients }, async (_, c) => {
        for (let i = c; performance.now() < end; i++) {
          const { op, body } = bodies[i % bodies.length]!;
          const t0 = performance.now();
          try {
            await client.post(op, body);
            d.latencies.push(performance.now() - t0);
          } catch (err) {
            if (d.errors++ === 0) progress(`  ${op} failed: ${String(err)}`);
          }
        }
      }),
    );
    await ingesting;
  } finally {
    clearInterval(sampler);
    clearInterval(scraper);
  }
  await scrape();
  return d;
}
