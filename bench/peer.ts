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
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { type Contract, progress } from './lib.ts';
import { assayIngest, assayQueries } from './peer-assay.ts';
import { peerFigures, peerTables, type PeerBench, type PeerOptions, type PeerReport } from './peer-report.ts';
import { DATA_DIR, ensureReferenceSetInChild, type ReferenceSet } from './reference.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const PEER_DIR = fileURLToPath(new URL('./peer/', import.meta.url));

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

// ---------------------------------------------------------------- the section

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

  const sides = { reference, loadAverage, peer, assayIngest: ingest, assay };
  return { ...sides, figures: peerFigures(sides), tables: [peerTables(sides)] };
}
