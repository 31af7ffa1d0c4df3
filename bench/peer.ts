/**
 * `npm run bench -- --peer`: Assay next to what a team would pick instead for
 * GraphQL analytics over its own test results, PostgreSQL with PostGraphile v5
 * and @graphile/pg-aggregates. See bench/README.md ("The peer").
 *
 * The peer's packages live in bench/peer (own package.json and lockfile,
 * installed here on first use), and the peer runs in its own process
 * (bench/peer/peer.ts), so none of it is an Assay dependency or typechecked
 * with Assay. This file: installs it, exports the reference set to CSV,
 * runs the peer (COPY into PostgreSQL, PostGraphile and SQL timings), then
 * times Assay on the same set in the same run: its ingest of the same rows
 * and the same operations over HTTP.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { createApp } from '../src/server/app.ts';
import {
  type Contract,
  GqlClient,
  type JsonObject,
  progress,
  summarise,
  type Summary,
  timed,
} from './lib.ts';
import { DATA_DIR, ensureReferenceSetInChild, type ReferenceSet } from './reference.ts';
import { type Figure, fmt } from './report.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const PEER_DIR = fileURLToPath(new URL('./peer/', import.meta.url));

// ---------------------------------------------------------------- what bench/peer/peer.ts prints (its PeerReport)

interface PeerSummary {
  readonly n: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

interface PeerQueryFigure {
  readonly operation: string;
  readonly coverage: 'full' | 'partial' | 'none';
  readonly note: string;
  readonly postgraphile?: { readonly first: number; readonly repeated: PeerSummary; readonly rows: number };
  readonly sql?: { readonly text: string; readonly summary: PeerSummary; readonly rows: number };
  readonly error?: string;
}

interface PeerReport {
  readonly postgres: string;
  readonly postgraphile: string;
  readonly pgAggregates: string;
  readonly database: string;
  readonly indexes: readonly string[];
  readonly load: {
    readonly rows: { readonly runs: number; readonly tests: number; readonly results: number };
    readonly csvMb: number;
    readonly copySeconds: number;
    readonly copyRowsPerSecond: number;
    readonly indexSeconds: number;
    readonly analyzeSeconds: number;
    readonly readyRowsPerSecond: number;
    readonly databaseMb: number;
  };
  readonly queries: readonly PeerQueryFigure[];
}

export interface PeerOptions {
  readonly reference: { readonly tests: number; readonly runs: number; readonly seed: number };
  readonly coldReps: number;
  readonly warmReps: number;
  readonly budgetMs: number;
  /** Runs of the reference set Assay ingests (oldest first) for its side of the ingest comparison. */
  readonly ingestRuns: number;
  /** Base URL of the PostgreSQL server (trust auth), without a database. */
  readonly postgresUrl?: string;
}

interface AssayFigure {
  readonly operation: string;
  readonly cold: Summary;
  readonly cached: Summary;
  readonly error?: string;
}

export interface PeerBench {
  readonly reference: ReferenceSet;
  readonly loadAverage: readonly number[];
  readonly peer: PeerReport;
  readonly assayIngest: {
    readonly runs: number;
    readonly results: number;
    readonly seconds: number;
    readonly resultsPerSecond: number;
    /** Latency of one Ingest call (one run), ms. */
    readonly call: Summary;
  };
  readonly assay: readonly AssayFigure[];
  readonly figures: Figure[];
  readonly tables: string[];
}

// ---------------------------------------------------------------- install

/** npm ci in bench/peer when its node_modules is missing (npm install the first time, which writes the lockfile). */
function ensurePeerPackages(): void {
  if (existsSync(join(PEER_DIR, 'node_modules', 'postgraphile'))) return;
  const ci = existsSync(join(PEER_DIR, 'package-lock.json'));
  progress(`peer: installing its packages in bench/peer (${ci ? 'npm ci' : 'npm install'})…`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, [ci ? 'ci' : 'install', '--no-audit', '--no-fund'], {
    cwd: PEER_DIR,
    stdio: ['ignore', 2, 2],
  });
  if (r.status !== 0) throw new Error(`npm ${ci ? 'ci' : 'install'} in bench/peer failed (exit ${r.status})`);
}

// ---------------------------------------------------------------- export

/** The reference set's runs, tests and results as CSV (MAP and STRUCT[] as JSON), for COPY FROM STDIN. */
async function exportCsv(reference: ReferenceSet, dir: string): Promise<{ testId: string; seconds: number }> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(reference.path, { access_mode: 'READ_ONLY' });
  const c = await instance.connect();
  try {
    const t0 = performance.now();
    const out = (name: string) => `'${join(dir, `${name}.csv`).replace(/'/g, "''")}'`;
    const copy = (name: string, select: string) =>
      c.run(`COPY (${select}) TO ${out(name)} (FORMAT csv, HEADER true)`);
    await copy(
      'runs',
      `SELECT seq, id, project, branch, commit_sha, started_at, finished_at, to_json(tags) AS tags, executions, passed,
              failed, errored, flaky, skipped, duration_ms, ingested_at FROM runs ORDER BY seq`,
    );
    await copy('tests', 'SELECT id, project, suite, class_name, name, first_seen_at FROM tests ORDER BY id');
    await copy(
      'results',
      `SELECT id, run_seq, test_id, attempt, status, duration_ms, started_at, project, suite, branch, commit_sha, worker,
              hardware, message, stack_trace, to_json(tags) AS tags, to_json(metrics) AS metrics FROM results ORDER BY id`,
    );
    // A test with failures, for TestDetail on both sides.
    const reader = await c.runAndReadAll(
      `SELECT test_id FROM results WHERE status = 'FAILED' GROUP BY test_id ORDER BY count(*) DESC, test_id LIMIT 1`,
    );
    const testId = reader.getRowObjectsJson()[0]?.['test_id'];
    if (typeof testId !== 'string') throw new Error('the reference set has no failed result');
    return { testId, seconds: Math.round(performance.now() - t0) / 1000 };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

// ---------------------------------------------------------------- the peer's process

function runPeer(args: readonly string[]): Promise<PeerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(PEER_DIR, 'peer.ts'), ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, GRAPHILE_ENV: 'production' },
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench/peer/peer.ts exited ${code}; see the messages above`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as PeerReport);
      } catch {
        reject(new Error(`bench/peer/peer.ts printed no report: ${out.slice(0, 300)}`));
      }
    });
  });
}

// ---------------------------------------------------------------- Assay's side

/** Assay ingests the reference set's oldest `runs` runs through the Ingest mutation, one call per run. */
async function assayIngest(
  contract: Contract,
  reference: ReferenceSet,
  runs: number,
): Promise<PeerBench['assayIngest']> {
  const source = await DuckDBInstance.create(reference.path, { access_mode: 'READ_ONLY' });
  const c = await source.connect();
  const dir = await mkdtemp(join(tmpdir(), 'assay-peer-ingest-'));
  const app = await createApp({ db: join(dir, 'ingest.duckdb'), port: 0, logLevel: 'silent' });
  try {
    const client = new GqlClient(await app.listen(), contract);
    const iso = (col: string) => `strftime(${col}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
    const runRows = (
      await c.runAndReadAll(
        `SELECT seq, id, project, branch, commit_sha, ${iso('started_at')} AS started_at, ${iso('finished_at')} AS finished_at,
                to_json(tags)::VARCHAR AS tags
         FROM runs ORDER BY started_at, seq LIMIT ${Math.max(1, Math.floor(runs))}`,
      )
    ).getRowObjectsJson();
    let results = 0;
    let ms = 0;
    const calls: number[] = [];
    for (const run of runRows) {
      const rows = (
        await c.runAndReadAll(
          `SELECT r.attempt, t.class_name, r.duration_ms, r.hardware, r.message, to_json(r.metrics)::VARCHAR AS metrics,
                  t.name, r.stack_trace, ${iso('r.started_at')} AS started_at, r.status, r.suite,
                  to_json(r.tags)::VARCHAR AS tags, r.worker
           FROM results r JOIN tests t ON t.id = r.test_id WHERE r.run_seq = $1 ORDER BY r.id`,
          [Number(run['seq'])],
        )
      ).getRowObjectsJson();
      const input: JsonObject = {
        run: {
          id: String(run['id']),
          project: String(run['project']),
          branch: run['branch'] ?? null,
          commit: run['commit_sha'] ?? null,
          startedAt: String(run['started_at']),
          finishedAt: run['finished_at'] ?? null,
          tags: JSON.parse(String(run['tags'])) as JsonObject,
        },
        results: rows.map((r) => ({
          attempt: Number(r['attempt']),
          className: r['class_name'] ?? null,
          durationMs: Number(r['duration_ms']),
          hardware: r['hardware'] ?? null,
          message: r['message'] ?? null,
          metrics: JSON.parse(String(r['metrics'])) as JsonObject[],
          name: String(r['name']),
          stackTrace: r['stack_trace'] ?? null,
          startedAt: String(r['started_at']),
          status: String(r['status']),
          suite: String(r['suite']),
          tags: JSON.parse(String(r['tags'])) as JsonObject,
          worker: r['worker'] ?? null,
        })),
      };
      const body = client.body('Ingest', { input });
      const { ms: callMs, value } = await timed(() => client.post('Ingest', body));
      const ingest = value['ingest'];
      const accepted =
        ingest && typeof ingest === 'object' && !Array.isArray(ingest) ? ingest['accepted'] : undefined;
      if (accepted !== rows.length)
        throw new Error(
          `Assay ingest of run ${String(run['id'])}: accepted ${String(accepted)} of ${rows.length}`,
        );
      results += rows.length;
      ms += callMs;
      calls.push(callMs);
    }
    return {
      runs: runRows.length,
      results,
      seconds: Math.round(ms) / 1000,
      resultsPerSecond: Math.round(results / (ms / 1000)),
      call: summarise(calls),
    };
  } finally {
    await app.close();
    c.closeSync();
    source.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Variables of Assay's bench (bench/queries.ts) for the operations the table compares. */
function assayPlan(testId: string): { operation: string; variables: JsonObject; bench?: true }[] {
  return [
    { operation: 'ResultsSlice', variables: { first: 100 } },
    { operation: 'Runs', variables: { first: 50 } },
    { operation: 'Tests', variables: { first: 50 } },
    { operation: 'TestDetail', variables: { id: testId } },
    { operation: 'PassRateByTestAndDay', variables: { filter: { project: ['web'] } } },
    { operation: 'PerfByHardwareAndModel', variables: { filter: { project: ['ml'] } } },
    { operation: 'Trends', variables: {} },
    { operation: 'Workload', variables: {} },
    { operation: 'RawMetricTrend', variables: {} },
    { operation: 'Anomalies', variables: { filter: { project: ['ml'] } } },
    { operation: 'FlakinessFullHistory', variables: { window: { days: 100_000 } }, bench: true },
    { operation: 'Forecast', variables: { filter: { project: ['api'] } } },
    { operation: 'Compare', variables: { filter: { project: ['ml'] } } },
    { operation: 'CompareRuns', variables: {} },
    { operation: 'FailurePatterns', variables: { filter: { project: ['web'] } } },
    { operation: 'CircuitBreakers', variables: {} },
  ];
}

async function loop(reps: number, budgetMs: number, once: () => Promise<number>): Promise<Summary> {
  const samples: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    samples.push(await once());
    if (samples.length >= 3 && performance.now() - t0 > budgetMs) break;
  }
  return summarise(samples);
}

async function assayQueries(
  contract: Contract,
  benchOps: Contract,
  reference: ReferenceSet,
  testId: string,
  opts: PeerOptions,
): Promise<AssayFigure[]> {
  const app = await createApp({ db: reference.path, port: 0, logLevel: 'silent' });
  const out: AssayFigure[] = [];
  try {
    const url = await app.listen();
    const clients = { contract: new GqlClient(url, contract), bench: new GqlClient(url, benchOps) };
    const [mlTest] = await app.store.db.query<{ id: string }>(
      "SELECT id FROM tests WHERE project = 'ml' ORDER BY id LIMIT 1",
    );
    // The api project's last two runs, as bench/queries.ts compares them.
    const [head, base] = await app.store.db.query<{ id: string }>(
      "SELECT id FROM runs WHERE project = 'api' ORDER BY started_at DESC, seq DESC LIMIT 2",
    );
    const clear = (): void => {
      app.cache.clear();
      app.responses.clear();
    };
    for (const { operation, variables, bench } of assayPlan(testId)) {
      const client = bench ? clients.bench : clients.contract;
      const vars =
        operation === 'RawMetricTrend' && mlTest
          ? { filter: { testId: [mlTest.id] } }
          : operation === 'CompareRuns' && head && base
            ? { base: base.id, head: head.id }
            : variables;
      const body = client.body(operation, vars);
      const once = async () => (await timed(() => client.post(operation, body))).ms;
      try {
        clear();
        await client.post(operation, body); // unmeasured, as in bench/queries.ts
        const cold = await loop(opts.coldReps, opts.budgetMs, () => {
          clear();
          return once();
        });
        clear();
        await client.post(operation, body);
        const cached = await loop(opts.warmReps, opts.budgetMs, once);
        out.push({ operation, cold, cached });
        progress(`  Assay ${operation}: cold p50 ${cold.p50} ms (n ${cold.n}), cached p50 ${cached.p50} ms`);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        out.push({ operation, cold: summarise([]), cached: summarise([]), error });
        progress(`  Assay ${operation} FAILED: ${error}`);
      }
    }
  } finally {
    await app.close();
  }
  return out;
}

// ---------------------------------------------------------------- the section

const ms = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : `${fmt(v)} ms`);
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0
    ? '—'
    : (a / b).toFixed(2);

export async function benchPeer(
  contract: Contract,
  benchOps: Contract,
  opts: PeerOptions,
): Promise<PeerBench> {
  ensurePeerPackages();
  const { tests, runs, seed } = opts.reference;
  const reference = await ensureReferenceSetInChild({ tests, runs, seed });
  const n = (v: number) => v.toLocaleString('en-US');
  progress(
    `peer: reference set ${n(reference.results)} results, ${n(reference.runs)} runs, ${n(reference.tests)} tests`,
  );
  const csvDir = join(DATA_DIR, `peer-${tests}x${runs}-s${seed}`);
  const { testId, seconds: exportSeconds } = await exportCsv(reference, csvDir);
  progress(`peer: exported runs, tests and results to CSV in ${exportSeconds} s (${csvDir})`);

  const loadAverage = loadavg().map((v) => Math.round(v * 100) / 100);
  const peer = await runPeer([
    '--csv',
    csvDir,
    '--test-id',
    testId,
    '--cold',
    String(opts.coldReps),
    '--warm',
    String(opts.warmReps),
    '--budget-ms',
    String(opts.budgetMs),
    ...(opts.postgresUrl ? ['--url', opts.postgresUrl] : []),
  ]);
  rmSync(csvDir, { recursive: true, force: true });

  progress(`peer: Assay ingests the set's first ${opts.ingestRuns} runs through the Ingest mutation…`);
  const ingest = await assayIngest(contract, reference, opts.ingestRuns);
  progress(
    `  Assay ingest: ${n(ingest.resultsPerSecond)} results/s (${n(ingest.results)} results in ${ingest.seconds} s; per call p50 ${ingest.call.p50} ms, max ${ingest.call.max} ms)`,
  );
  progress('peer: Assay on the same reference set:');
  const assay = await assayQueries(contract, benchOps, reference, testId, opts);
  loadAverage.push(...loadavg().map((v) => Math.round(v * 100) / 100));

  // ---- tables
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const table = (header: readonly string[], rows: readonly (readonly string[])[]) =>
    [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
  const l = peer.load;
  const loadTable = table(
    ['load', 'rows', 'seconds', 'rows/s'],
    [
      [
        `PostgreSQL COPY FROM STDIN (runs, tests, results; ${l.csvMb} MB of CSV)`,
        n(l.rows.runs + l.rows.tests + l.rows.results),
        String(l.copySeconds),
        n(l.copyRowsPerSecond),
      ],
      [
        `PostgreSQL COPY + keys and ${peer.indexes.filter((x) => x.startsWith('CREATE INDEX')).length} indexes (${l.indexSeconds} s) + ANALYZE (${l.analyzeSeconds} s)`,
        n(l.rows.runs + l.rows.tests + l.rows.results),
        String(Math.round((l.copySeconds + l.indexSeconds + l.analyzeSeconds) * 100) / 100),
        n(l.readyRowsPerSecond),
      ],
      [
        `Assay Ingest mutation over HTTP, the same rows of the first ${ingest.runs} runs (one call per run)`,
        n(ingest.results),
        String(ingest.seconds),
        n(ingest.resultsPerSecond),
      ],
    ],
  );
  const byOp = new Map(assay.map((a) => [a.operation, a]));
  const queryRows = peer.queries.map((q) => {
    const a = byOp.get(q.operation === 'FlakinessFullHistory' ? 'FlakinessFullHistory' : q.operation);
    const pg = q.postgraphile;
    const expressible = q.error
      ? `failed: ${q.error.slice(0, 80)}`
      : q.coverage === 'none'
        ? 'not expressible'
        : q.coverage;
    return [
      q.operation,
      expressible,
      pg ? ms(pg.first) : '—',
      pg ? ms(pg.repeated.p50) : '—',
      q.sql ? ms(q.sql.summary.p50) : '—',
      a?.error ? 'failed' : ms(a?.cold.p50),
      a?.error ? 'failed' : ms(a?.cached.p50),
      pg ? ratio(a?.cold.p50, pg.repeated.p50) : '—',
      q.sql ? ratio(a?.cold.p50, q.sql.summary.p50) : '—',
    ];
  });
  const queryTable = table(
    [
      'operation',
      'PostGraphile + pg-aggregates',
      'PostGraphile first request',
      'PostGraphile repeated p50',
      'same SQL on PostgreSQL p50',
      'Assay cold p50',
      'Assay cached p50',
      'Assay cold ÷ PostGraphile',
      'Assay cold ÷ PostgreSQL SQL',
    ],
    queryRows,
  );
  const notes = peer.queries.map(
    (q) => `- **${q.operation}** (${q.coverage === 'none' ? 'not expressible' : q.coverage}): ${q.note}`,
  );

  // ---- figures for latest.json (no goals: a comparison, not a target)
  const figures: Figure[] = [
    {
      figure: 'peer: PostgreSQL COPY of the reference set',
      value: l.copyRowsPerSecond,
      unit: 'rows/s',
      goal: null,
    },
    {
      figure: 'peer: PostgreSQL COPY + keys + indexes + ANALYZE',
      value: l.readyRowsPerSecond,
      unit: 'rows/s',
      goal: null,
    },
    {
      figure: `peer: Assay Ingest of the same rows (${ingest.runs} runs)`,
      value: ingest.resultsPerSecond,
      unit: 'results/s',
      goal: null,
    },
  ];
  for (const q of peer.queries) {
    const a = byOp.get(q.operation);
    if (q.postgraphile)
      figures.push({
        figure: `peer: ${q.operation} PostGraphile repeated p50 (${q.coverage})`,
        value: q.postgraphile.repeated.p50,
        unit: 'ms',
        goal: null,
      });
    else
      figures.push({
        figure: `peer: ${q.operation} PostGraphile`,
        value: Number.NaN,
        display: q.error ? `FAILED: ${q.error.replace(/\|/g, '/').slice(0, 120)}` : 'not expressible',
        unit: '',
        goal: null,
      });
    if (q.sql)
      figures.push({
        figure: `peer: ${q.operation} same SQL on PostgreSQL p50`,
        value: q.sql.summary.p50,
        unit: 'ms',
        goal: null,
      });
    if (a && !a.error)
      figures.push({
        figure: `peer: ${q.operation} Assay cold p50`,
        value: a.cold.p50,
        unit: 'ms',
        goal: null,
      });
  }
  const header =
    `### Assay next to PostgreSQL ${peer.postgres} + PostGraphile ${peer.postgraphile} + @graphile/pg-aggregates ${peer.pgAggregates}\n\n` +
    `Reference set ${n(reference.results)} results, ${n(reference.runs)} runs, ${n(reference.tests)} tests; load average ${loadAverage.slice(0, 3).join(' / ')} at the start, ${loadAverage.slice(3).join(' / ')} at the end. ` +
    `PostGraphile: the first request of each query, then repeats (it has no answer cache: each is computed anew by PostgreSQL), the client's finishing work (merging status groups, sorting) included. ` +
    `Assay: cold = its caches cleared before each request; cached = repeated. Ratio below 1: Assay is faster.`;
  return {
    reference,
    loadAverage,
    peer,
    assayIngest: ingest,
    assay,
    figures,
    tables: [`${header}\n\n${loadTable}\n\n${queryTable}\n\n${notes.join('\n')}`],
  };
}
