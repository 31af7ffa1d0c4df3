/**
 * `npm run bench` (full) or `npm run bench -- --quick`: measures ingest
 * throughput, query latency (cold and cached), gateway overhead over plain
 * DuckDB SQL and peak memory, all over real HTTP. Prints a Markdown table on
 * stdout, progress on stderr, and writes bench/results/latest.json.
 * See bench/README.md. No timing here is ever asserted: this is not a test.
 */
import { cpus } from 'node:os';
import { benchIngest, type IngestFigure } from './ingest.ts';
import { loadContract, progress } from './lib.ts';
import { benchQueries } from './queries.ts';
import { type Figure, fmt, gitCommit, markdownTable, MemorySampler, saveResults, verdict } from './report.ts';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--quick');
if (unknown.length) {
  process.stderr.write(`usage: npm run bench [-- --quick]\nunknown argument: ${unknown.join(' ')}\n`);
  process.exit(2);
}
const mode = args.includes('--quick') ? 'quick' : 'full';

const PLAN = {
  quick: { ingest: [{ size: 1_000, batches: 30 }, { size: 5_000, batches: 10 }], days: 7, coldReps: 20, warmReps: 100 },
  full: { ingest: [{ size: 1_000, batches: 100 }, { size: 5_000, batches: 40 }], days: 30, coldReps: 50, warmReps: 500 },
}[mode];

/** MISSION.md, "How fast". */
const GOALS = { ingestPerSecond: 50_000, cachedP99Ms: 2, coldRatio: 1.1, analyticsMs: 200, rssMb: 1024 } as const;

async function main(): Promise<void> {
  const started = performance.now();
  const memory = new MemorySampler();
  const contract = loadContract();
  progress(`mode ${mode} on ${cpus().length} cores, node ${process.version}`);

  const ingest: IngestFigure[] = [];
  for (const { size, batches } of PLAN.ingest) {
    progress(`ingest: ${batches} calls of ${size} results into a fresh database…`);
    const f = await benchIngest(contract, size, batches);
    progress(`  ${f.resultsPerSecond.toLocaleString('en-US')} results/s (${f.results} results in ${f.seconds} s)`);
    ingest.push(f);
  }

  progress('queries:');
  const q = await benchQueries(contract, { days: PLAN.days, coldReps: PLAN.coldReps, warmReps: PLAN.warmReps });
  const mem = memory.stop();

  const figures: Figure[] = [];
  for (const f of ingest) {
    figures.push({ figure: `ingest mutation, batches of ${f.batchSize.toLocaleString('en-US')}`, value: f.resultsPerSecond, unit: 'results/s', goal: { op: '>=', value: GOALS.ingestPerSecond } });
  }
  const triple = (x: { p50: number; p95: number; p99: number }) => [x.p50, x.p95, x.p99].map(fmt).join(' / ');
  for (const r of q.queries) {
    // MISSION.md: per-test flakiness and daily trends over the full history in under 200 ms.
    const coldGoal = r.operation === 'Flakiness' || r.operation === 'Trends' ? { op: '<=' as const, value: GOALS.analyticsMs } : null;
    figures.push({ figure: `${r.operation} cold p50 / p95 / p99`, value: r.cold.p99, display: triple(r.cold), unit: 'ms', goal: coldGoal });
    const s = q.sql.find((x) => x.operation === r.operation);
    if (s) {
      const same = s.sameAnswer;
      const what = same ? 'same SQL by hand on DuckDB' : 'DuckDB reading the same rows (plain SQL, no analysis)';
      figures.push({ figure: `${r.operation}: ${what} p50 / p95 / p99`, value: s.duckdb.p99, display: triple(s.duckdb), unit: 'ms', goal: null });
      figures.push({ figure: `${r.operation}: gateway cold / DuckDB (p50)`, value: s.ratioP50, unit: '×', goal: same ? { op: '<=', value: GOALS.coldRatio } : null });
    }
    // An operation the cross-request cache does not cover is still timed on repeat, and says so.
    const repeat = r.warmCacheHits > 0 ? 'cached' : 'repeated (0 cache hits)';
    figures.push({ figure: `${r.operation} ${repeat} p50 / p95 / p99`, value: r.warm.p99, display: triple(r.warm), unit: 'ms', goal: { op: '<=', value: GOALS.cachedP99Ms } });
  }
  figures.push({ figure: 'peak RSS (sampled every 50 ms)', value: mem.peakRssMb, unit: 'MB', goal: { op: '<=', value: GOALS.rssMb } });
  figures.push({ figure: 'max RSS (process.resourceUsage)', value: mem.maxRssMb, unit: 'MB', goal: { op: '<=', value: GOALS.rssMb } });
  const table = markdownTable(figures);

  const timestamp = new Date().toISOString();
  const seconds = Math.round(performance.now() - started) / 1000;
  const report = {
    timestamp, mode, commit: gitCommit(), node: process.version, cpus: cpus().length, seconds,
    goals: GOALS,
    dataSet: { ...q.demo, note: 'demo history (src/db/demo.ts), not the 10-million-result reference set of MISSION.md (issue #7)' },
    repetitions: { cold: PLAN.coldReps, warm: PLAN.warmReps },
    ingest, queries: q.queries, sql: q.sql, memory: mem,
    figures: figures.map((f) => ({ ...f, ...verdict(f) })),
  };
  const { path } = saveResults(report);

  process.stdout.write(`## Assay bench (${mode}, ${timestamp}, commit ${report.commit}, ${report.cpus} cores, node ${report.node})\n\n`);
  process.stdout.write(`Data: ${q.demo.days}-day demo, ${q.demo.results.toLocaleString('en-US')} results, ${q.demo.runs.toLocaleString('en-US')} runs, ${q.demo.tests} tests ` +
    `(not the 10M reference set). Cold: answer cache cleared, ${PLAN.coldReps} reps; cached: ${PLAN.warmReps} reps.\n\n`);
  process.stdout.write(`${table}\n\n`);
  progress(`done in ${seconds} s; every figure is in ${path}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
