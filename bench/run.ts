/**
 * `npm run bench` (full) or `npm run bench -- --quick`: measures ingest
 * throughput, query latency (cold and cached) on the reference data set
 * (bench/reference.ts: 10M results, 1M with --quick), gateway overhead over
 * plain DuckDB SQL, DuckDB's plain scan of the fact tables and peak memory,
 * all over real HTTP. Prints Markdown tables on stdout, progress on stderr,
 * and writes bench/results/latest.json. `--peer [--full]` (only when asked):
 * Assay next to PostgreSQL + PostGraphile on the 1M (10M) set, bench/peer.ts.
 * See bench/README.md. No timing here is ever asserted: this is not a test.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchAlertDelivery } from './alerts.ts';
import { bulkLoadFigures } from './bulk-load.ts';
import { benchCli } from './cli.ts';
import { benchDashboard } from './dashboard.ts';
import { benchFirstPages, firstPageFigures } from './first-pages.ts';
import { benchFlakiness, flakinessMarkdown } from './flakiness.ts';
import { benchForecast, forecastTable } from './forecast.ts';
import { benchNab, nabTable } from './nab.ts';
import { benchImport, type ImportFigure } from './import.ts';
import { benchIngest, type IngestFigure } from './ingest.ts';
import { loadBenchOperations, loadContract, progress } from './lib.ts';
import { benchPeer } from './peer.ts';
import { benchQueries, type QueryBench } from './queries.ts';
import { PLANS, QUICK_REFERENCE } from './plans.ts';
import { ensureReferenceSetInChild } from './reference.ts';
import { benchServerAlone } from './server-alone.ts';
import { type Figure, gitCommit, markdownTable, MemorySampler, saveResults, verdict } from './report.ts';
import {
  alertFigures,
  GOALS,
  importFigures,
  ingestFigures,
  memoryFigures,
  queryFigures,
  scanTable,
} from './run-figures.ts';

/** Sections that judge how right (or how quick to start) Assay is, each also runnable alone: `npm run bench -- --nab`. */
const SECTIONS = ['--forecast', '--nab', '--flakiness', '--cli', '--dashboard', '--replicas'] as const;
/**
 * Only when asked: `--peer` (PostgreSQL + PostGraphile next to Assay, bench/peer.ts) needs a PostgreSQL
 * server and installs its own packages; on the 1M set, or the 10M one with `--peer --full`.
 */
const OPT_IN = ['--peer'] as const;
type Section = (typeof SECTIONS)[number] | (typeof OPT_IN)[number];
const args = process.argv.slice(2);
const unknown = args.filter(
  (a) =>
    a !== '--quick' &&
    !(a === '--full' && args.includes('--peer')) &&
    !(SECTIONS as readonly string[]).includes(a) &&
    !(OPT_IN as readonly string[]).includes(a),
);
if (unknown.length) {
  process.stderr.write(
    `usage: npm run bench [-- --quick] [-- ${SECTIONS.join(' | ')}] [-- --peer [--full]]\nunknown argument: ${unknown.join(' ')}\n`,
  );
  process.exit(2);
}
const mode = args.includes('--quick') ? 'quick' : 'full';
const only: Section[] = [...SECTIONS, ...OPT_IN].filter((s) => args.includes(s));

/** Details a section adds to latest.json beside its figures (the peer's whole report). */
const extra: Record<string, unknown> = {};

/** Runs the named sections (all of them in a whole run), prints each one's table, and returns their figures. */
async function sections(which: readonly Section[]): Promise<{ figures: Figure[]; tables: string[] }> {
  const figures: Figure[] = [];
  const tables: string[] = [];
  if (which.includes('--forecast')) {
    progress('forecast accuracy against R on the reference series…');
    const f = await benchForecast();
    figures.push(...f.figures);
    tables.push(
      `### Forecasts next to R (held-out points of ../shared/reference/forecast)\n\n${forecastTable(f.rows)}`,
    );
  }
  if (which.includes('--nab')) {
    progress('anomaly events on the Numenta Anomaly Benchmark (dev subset)…');
    const n = await benchNab();
    figures.push(...n.figures);
    tables.push(`### Anomaly detection, NAB standard profile (dev subset)\n\n${nabTable(n)}`);
  }
  if (which.includes('--flakiness')) {
    progress('flakiness score against simulated histories with known flake rates…');
    const f = await benchFlakiness();
    figures.push(...f.figures);
    tables.push(
      `### Flakiness score against known flake rates (simulated histories)\n\n${flakinessMarkdown(f)}`,
    );
  }
  if (which.includes('--dashboard')) {
    progress('the dashboard in Chromium on the demo…');
    figures.push(...(await benchDashboard()).figures);
    // And on the 1M-result quick set (built once and reused), and in a full run on the 10M set the goal is for.
    const sets = mode === 'full' ? [QUICK_REFERENCE, PLANS.full.reference] : [QUICK_REFERENCE];
    for (const set of sets) {
      const built = await ensureReferenceSetInChild(set);
      const label = `${built.results.toLocaleString('en-US')}-result reference set`;
      progress(`the dashboard in Chromium on the ${label}…`);
      const reference = { path: built.path, end: new Date(built.to), label };
      figures.push(...(await benchDashboard({ reference, loads: 5 })).figures);
    }
  }
  if (which.includes('--replicas')) {
    // Its own process: it starts a redis-server and several replicas, and prints one table.
    progress('replicas through Redis: throughput and replication lag with 1, 2 and 3 replicas…');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./replicas.ts', import.meta.url))],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (r.status !== 0) throw new Error(`bench/replicas.ts exited ${r.status}`);
    tables.push(
      `### Replicas through Redis (all in one process on this machine: the overhead, not the scaling)\n\n${r.stdout.trim()}`,
    );
  }
  if (which.includes('--cli')) {
    progress("the assay command's start-up…");
    figures.push(...(await benchCli()).figures);
  }
  if (which.includes('--peer')) {
    const plan = args.includes('--full') ? PLANS.full : PLANS.quick;
    progress(
      `peer: PostgreSQL + PostGraphile next to Assay on ${plan.reference.tests} tests × ${plan.reference.runs} runs…`,
    );
    const p = await benchPeer(loadContract(), loadBenchOperations(), {
      reference: plan.reference,
      // PostGraphile has no answer cache, so its repeats are as slow as its cold requests: fewer of them.
      coldReps: Math.min(plan.coldReps, 10),
      warmReps: Math.min(plan.warmReps, 20),
      budgetMs: Math.min(plan.budgetMs, 5_000),
      ingestRuns: 50,
    });
    figures.push(...p.figures);
    tables.push(...p.tables);
    extra['peer'] = {
      dataSet: p.reference,
      loadAverage: p.loadAverage,
      peer: p.peer,
      assayIngest: p.assayIngest,
      assay: p.assay,
    };
  }
  return { figures, tables };
}

const PLAN = PLANS[mode];

async function main(): Promise<void> {
  if (only.length) return onlySections(only);
  const started = performance.now();
  const memory = new MemorySampler();
  const contract = loadContract();
  progress(`mode ${mode} on ${cpus().length} cores, node ${process.version}`);
  const reference = await referenceSet();
  const ingest = await ingestAll(contract);
  const imports = await importAll(reference.path);
  // The goal is set on the 1M set (an export of 10M would take the run's whole budget at today's rate).
  const bulk = await bulkLoadFigures((await ensureReferenceSetInChild(QUICK_REFERENCE)).path);

  progress(`queries on ${reference.path}:`);
  const queryMemory = new MemorySampler();
  const q = await benchQueries(contract, loadBenchOperations(), {
    reference,
    coldReps: PLAN.coldReps,
    warmReps: PLAN.warmReps,
    budgetMs: PLAN.budgetMs,
    concurrencyMs: PLAN.concurrencyMs,
  });
  const queryMem = queryMemory.stop();
  progress('first pages, cold, beside the same SQL on DuckDB:');
  const firstPages = await benchFirstPages(reference.path);
  progress('alert delivery (ingest commit → graphql-ws subscribers):');
  const alerts = [
    ...(await benchAlertDelivery([1, 100, 1_000], PLAN.alertReps)),
    // A busy CI beside the alerts: the alert's write waits for the ingest holding the writer.
    ...(await benchAlertDelivery([1_000], PLAN.alertReps, { clients: 3, batch: 1_000 })),
  ];
  const server = await benchServerAlone(mode, PLAN.reference);
  const quality = await sections(SECTIONS);
  const mem = memory.stop();

  const figures: Figure[] = [
    ...ingestFigures(ingest),
    ...importFigures(imports),
    ...bulk,
    ...queryFigures(q),
    ...firstPageFigures(firstPages),
    ...alertFigures(alerts),
    ...server.figures,
    ...quality.figures,
    ...memoryFigures(q.servingPeakRssMb, queryMem.peakRssMb, mem),
  ];
  const timestamp = new Date().toISOString();
  const seconds = Math.round(performance.now() - started) / 1000;
  const report = {
    timestamp,
    mode,
    commit: gitCommit(),
    node: process.version,
    cpus: cpus().length,
    seconds,
    goals: GOALS,
    dataSet: {
      ...reference,
      note: 'reference set (bench/reference.ts); runs = runsPerProject × projects, every test runs in every run of its project',
    },
    repetitions: { cold: PLAN.coldReps, warm: PLAN.warmReps, budgetMsPerLoop: PLAN.budgetMs },
    ingest,
    imports,
    queries: q.queries,
    sql: q.sql,
    scans: q.scans,
    concurrency: q.concurrency,
    alerts,
    memory: { ...mem, servingPeakRssMb: q.servingPeakRssMb, queryPeakRssMb: queryMem.peakRssMb },
    serverMemory: server.memory,
    coldServer: server.cold,
    figures: figures.map((f) => ({ ...f, ...verdict(f) })),
  };
  const { path } = saveResults(report);
  printReport(report, reference, markdownTable(figures), q, quality.tables);
  progress(`done in ${seconds} s; every figure is in ${path}`);
  const failed = q.queries.filter((r) => r.error !== undefined);
  if (failed.length) {
    progress(`${failed.length} operation(s) failed: ${failed.map((r) => r.operation).join(', ')}`);
    process.exitCode = 1;
  }
}

/** `npm run bench -- --nab …`: only the named sections, their table and latest.json. */
async function onlySections(which: readonly Section[]): Promise<void> {
  const { figures, tables } = await sections(which);
  const timestamp = new Date().toISOString();
  const report = {
    timestamp,
    mode: 'sections',
    sections: which,
    commit: gitCommit(),
    node: process.version,
    cpus: cpus().length,
    ...extra,
    figures: figures.map((f) => ({ ...f, ...verdict(f) })),
  };
  const { path } = saveResults(report);
  process.stdout.write(`${markdownTable(figures)}\n\n${tables.map((t) => `${t}\n\n`).join('')}`);
  progress(`every figure is in ${path}`);
}

/** The plan's reference set, built (or found) in a child process, so the build's memory is not the server's. */
async function referenceSet() {
  const { tests, runs, seed } = PLAN.reference;
  const reference = await ensureReferenceSetInChild({ tests, runs, seed });
  progress(
    `reference set: ${reference.results.toLocaleString('en-US')} results, ${reference.executions.toLocaleString('en-US')} executions, ` +
      `${reference.runs.toLocaleString('en-US')} runs, ${reference.tests.toLocaleString('en-US')} tests, ${reference.fileMb} MB; ` +
      (reference.reused
        ? `reused (built earlier in ${reference.builtSeconds} s)`
        : `built in ${reference.buildSeconds} s`),
  );
  return reference;
}

/** The ingest mutation into a fresh database, per batch size of the plan. */
async function ingestAll(contract: ReturnType<typeof loadContract>): Promise<IngestFigure[]> {
  const ingest: IngestFigure[] = [];
  for (const { size, batches } of PLAN.ingest) {
    progress(`ingest: ${batches} calls of ${size} results into a fresh database…`);
    const f = await benchIngest(contract, size, batches);
    progress(
      `  ${f.resultsPerSecond.toLocaleString('en-US')} results/s (${f.results} results in ${f.seconds} s)`,
    );
    ingest.push(f);
  }
  return ingest;
}

/** The CLI and curl paths for report files (`assay ingest`, `POST /ingest/junit`), into a fresh database and into a copy of the reference set. */
async function importAll(referencePath: string): Promise<ImportFigure[]> {
  const imports: ImportFigure[] = [];
  for (const format of ['junit', 'ctrf'] as const) {
    for (const ref of [null, referencePath]) {
      progress(
        `report import: ${PLAN.imports.files} ${format} files of ${PLAN.imports.size} results into a ${ref ? 'copy of the reference set' : 'fresh database'}…`,
      );
      imports.push(...(await benchImport(format, PLAN.imports.size, PLAN.imports.files, ref)));
    }
  }
  return imports;
}

/** The whole run's Markdown on stdout: a header on the data, the figures, the scan table, the sections' tables. */
function printReport(
  report: { timestamp: string; commit: string; cpus: number; node: string },
  reference: Awaited<ReturnType<typeof referenceSet>>,
  table: string,
  q: QueryBench,
  tables: readonly string[],
): void {
  process.stdout.write(
    `## Assay bench (${mode}, ${report.timestamp}, commit ${report.commit}, ${report.cpus} cores, node ${report.node})\n\n`,
  );
  const n = (v: number) => v.toLocaleString('en-US');
  process.stdout.write(
    `Data: reference set, ${n(reference.results)} results (${n(reference.executions)} executions), ${n(reference.runs)} runs ` +
      `(${n(reference.runsPerProject)} per project), ${n(reference.tests)} tests, ${reference.fileMb} MB, seed ${reference.seed}; ` +
      `${reference.reused ? `reused (built in ${reference.builtSeconds} s)` : `built in ${reference.buildSeconds} s`}. ` +
      `Cold: both caches (answers and whole responses) cleared, up to ${PLAN.coldReps} reps; cached: up to ${PLAN.warmReps} reps; a loop stops after ${PLAN.budgetMs / 1000} s (n in latest.json).\n\n`,
  );
  process.stdout.write(`${table}\n\n`);
  process.stdout.write(`### Each query next to DuckDB's plain scan\n\n${scanTable(q)}\n\n`);
  for (const t of tables) process.stdout.write(`${t}\n\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
