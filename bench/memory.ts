/**
 * The server's own resident memory under the dashboard mix: `node --import tsx bench/memory.ts`
 * starts `assay serve` in its own process on a copy of the reference set (10M results; `--runs
 * 200` for the 1M set), sends every operation of the mix once cold, then drives the mix from
 * this process with 50 concurrent clients for a fixed time while CI-like ingests of 1,000
 * results land every few seconds (each raises dataVersion, so the caches start over and the
 * mix's analytics run cold again under the clients). The server's VmRSS is sampled from
 * /proc/<pid>/status every 100 ms; /metrics says what holds it (V8's heap, DuckDB's memory by
 * kind, the caches' bytes).
 *
 * Options: `--runs N` (2000), `--seconds N` (60), `--clients N` (50), `--ingest-every S` (5; 0 none),
 * `--memory-limit SIZE` (passed to `assay serve`; default: its own).
 */
import { copyFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { progress, summarise, type Summary } from './lib.ts';
import { drive, type Drive, type DrivePlan, everyOperation } from './memory-drive.ts';
import { queryPlanOn } from './query-plan.ts';
import { ensureReferenceSetInChild } from './reference.ts';
import type { Figure } from './report.ts';
import { GOALS } from './run-figures.ts';
import { buildDist, startServer, type ServerProcess } from './server-process.ts';

export interface ServerMemoryPlan extends DrivePlan {
  readonly reference: { readonly tests: number; readonly runs: number; readonly seed: number };
  /** `assay serve --memory-limit`; unset: the server's default. */
  readonly memoryLimit?: string;
  /** Node's own flags for the server process (`--max-old-space-size=256`, …). */
  readonly nodeArgs?: readonly string[];
}

/** What /metrics said at one moment, in MiB. */
interface MemoryBreakdown {
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly heapTotalMb: number;
  readonly externalMb: number;
  readonly duckdbMb: number;
  readonly duckdbSpilledMb: number;
  readonly duckdbTopTags: string;
  readonly queryCacheMb: number;
  readonly responseCacheMb: number;
}

export interface ServerMemory {
  readonly results: number;
  readonly memoryLimit: string;
  readonly idleRssMb: number;
  /** Median of the samples over the second half of the drive. */
  readonly steadyRssMb: number;
  readonly peakRssMb: number;
  /** Peak while every operation of the query bench ran once, cold, one after another. */
  readonly everyOperationPeakRssMb: number;
  /** Operations that failed in that pass (none expected: DuckDB spills what does not fit). */
  readonly failed: readonly string[];
  /** The kernel's peak (VmHWM) over the server's whole life. */
  readonly hwmMb: number;
  readonly requests: number;
  readonly errors: number;
  readonly ingests: number;
  readonly latency: Summary;
  /** /metrics at the scrape with the highest RSS. */
  readonly atPeak: MemoryBreakdown;
  readonly loadAverage: readonly number[];
}

const MB = 1024 * 1024;
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

function breakdown(m: Map<string, number>): MemoryBreakdown {
  const sum = (where: string) =>
    [...m].filter(([k]) => k.startsWith('assay_duckdb_memory_bytes') && k.includes(`where="${where}"`));
  const inMemory = sum('memory').sort((a, b) => b[1] - a[1]);
  return {
    rssMb: mb(m.get('assay_process_resident_memory_bytes') ?? NaN),
    heapUsedMb: mb(m.get('assay_nodejs_heap_size_used_bytes') ?? NaN),
    heapTotalMb: mb(m.get('assay_nodejs_heap_size_total_bytes') ?? NaN),
    externalMb: mb(m.get('assay_nodejs_external_memory_bytes') ?? NaN),
    duckdbMb: mb(inMemory.reduce((s, [, v]) => s + v, 0)),
    duckdbSpilledMb: mb(sum('temp').reduce((s, [, v]) => s + v, 0)),
    duckdbTopTags: inMemory
      .slice(0, 3)
      .map(([k, v]) => `${/tag="(\w+)"/.exec(k)?.[1]} ${mb(v)}`)
      .join(', '),
    queryCacheMb: mb(m.get('assay_cache_bytes{cache="query"}') ?? NaN),
    responseCacheMb: mb(m.get('assay_cache_bytes{cache="response"}') ?? NaN),
  };
}

export async function benchServerMemory(
  plan: ServerMemoryPlan,
): Promise<{ figures: Figure[]; memory: ServerMemory }> {
  const reference = await ensureReferenceSetInChild(plan.reference);
  // A copy: the ingests change it, and the reference set must stay as built.
  const copy = join(tmpdir(), `assay-memory-${process.pid}.duckdb`);
  copyFileSync(reference.path, copy);
  buildDist();
  const plan0 = await queryPlanOn(copy);
  const server = await startServer(
    copy,
    plan.memoryLimit ? ['--memory-limit', plan.memoryLimit] : [],
    plan.nodeArgs ?? [],
  );
  try {
    const idleRssMb = server.status().rssMb;
    const limit = `${plan.memoryLimit ?? "assay serve's default"}${plan.nodeArgs?.length ? `, node ${plan.nodeArgs.join(' ')}` : ''}`;
    progress(
      `server memory: assay serve (pid ${server.pid}, memory limit ${limit}) on ${reference.results.toLocaleString('en-US')} results, ` +
        `idle RSS ${idleRssMb} MiB; ${plan.clients} clients × ${plan.seconds} s of the dashboard mix` +
        (plan.ingestEveryMs ? `, an ingest of 1,000 results every ${plan.ingestEveryMs / 1000} s` : '') +
        `; load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
    const every = await everyOperation(server, plan0);
    const d = await drive(server, plan, new Date(reference.to));
    const memory = summary(server, plan, d, { idleRssMb, results: reference.results, limit, ...every });
    report(memory);
    return { figures: figuresOf(memory), memory };
  } finally {
    await server.stop();
    for (const f of [copy, `${copy}.wal`, `${copy}.tmp`]) rmSync(f, { recursive: true, force: true });
  }
}

function summary(
  server: ServerProcess,
  plan: ServerMemoryPlan,
  d: Drive,
  at: { idleRssMb: number; results: number; limit: string; peakRssMb: number; failed: string[] },
): ServerMemory {
  const second = d.samples.filter((s) => s.t >= (plan.seconds * 1000) / 2).map((s) => s.rss);
  return {
    results: at.results,
    memoryLimit: at.limit,
    idleRssMb: at.idleRssMb,
    everyOperationPeakRssMb: at.peakRssMb,
    failed: at.failed,
    steadyRssMb: summarise(second).p50,
    peakRssMb: Math.max(...d.samples.map((s) => s.rss)),
    hwmMb: server.status().hwmMb,
    requests: d.latencies.length,
    errors: d.errors,
    ingests: d.ingests,
    latency: summarise(d.latencies),
    atPeak: breakdown(d.peak.metrics),
    loadAverage: loadavg().map((l) => Math.round(l * 10) / 10),
  };
}

function report(m: ServerMemory): void {
  const b = m.atPeak;
  progress(
    `  RSS idle ${m.idleRssMb}, steady ${m.steadyRssMb}, peak ${m.peakRssMb} (VmHWM ${m.hwmMb}) MiB; ` +
      `${m.requests} requests (p50 ${m.latency.p50} ms, p99 ${m.latency.p99} ms), ${m.ingests} ingests, ${m.errors} errors; ` +
      `load average ${m.loadAverage.join(' ')}`,
  );
  progress(
    `  at the highest scrape (RSS ${b.rssMb} MiB): V8 heap ${b.heapUsedMb} used of ${b.heapTotalMb}, external ${b.externalMb}; ` +
      `DuckDB ${b.duckdbMb} in memory (${b.duckdbTopTags}), ${b.duckdbSpilledMb} spilled; ` +
      `answer cache ${b.queryCacheMb}, response cache ${b.responseCacheMb} MiB`,
  );
}

function figuresOf(m: ServerMemory): Figure[] {
  const what = `the server alone (its own process), ${m.results.toLocaleString('en-US')} results, dashboard mix at 50 clients with ingests`;
  return [
    {
      figure: `peak RSS of the server alone, ${m.results.toLocaleString('en-US')} results, every query-bench operation once cold${m.failed.length ? ` (${m.failed.length} FAILED)` : ''}`,
      value: m.everyOperationPeakRssMb,
      unit: 'MB',
      goal: { op: '<=', value: GOALS.rssMb },
    },
    { figure: `peak RSS of ${what}`, value: m.peakRssMb, unit: 'MB', goal: { op: '<=', value: GOALS.rssMb } },
    {
      figure: `steady RSS of ${what}`,
      value: m.steadyRssMb,
      unit: 'MB',
      goal: { op: '<=', value: GOALS.rssMb },
    },
  ];
}

const option = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const limit = option('--memory-limit', '');
  const nodeArgs = option('--node-args', '').split(' ').filter(Boolean);
  await benchServerMemory({
    reference: { tests: 5_000, runs: Number(option('--runs', '2000')), seed: 42 },
    seconds: Number(option('--seconds', '60')),
    clients: Number(option('--clients', '50')),
    ingestEveryMs: Number(option('--ingest-every', '5')) * 1000,
    ...(limit && { memoryLimit: limit }),
    nodeArgs,
  });
}
