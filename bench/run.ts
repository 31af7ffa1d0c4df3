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
import { cpus } from 'node:os';
import { benchAlertDelivery } from './alerts.ts';
import { bulkLoadFigures } from './bulk-load.ts';
import { benchFirstPages, firstPageFigures } from './first-pages.ts';
import { benchImport, type ImportFigure } from './import.ts';
import { benchIngest, type IngestFigure } from './ingest.ts';
import { loadBenchOperations, loadContract, progress } from './lib.ts';
import { benchQueries, type QueryBench } from './queries.ts';
import { PLANS, QUICK_REFERENCE } from './plans.ts';
import { ensureReferenceSetInChild } from './reference.ts';
import { OPT_IN, runSections, SECTIONS, type Section } from './run-sections.ts';
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
  const quality = await runSections(SECTIONS, mode, false);
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
  const { figures, tables, extra } = await runSections(which, mode, args.includes('--full'));
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
