/** Builds the reference set into a fresh file: tests and runs staged, results inserted in chunks, rollups once. */
import { existsSync, statSync } from 'node:fs';
import { Database } from '../src/db/database.ts';
import { finishBulkLoad, stagedRunsSql, stagedTestsSql } from '../src/db/staging.ts';
import { refoldRuns } from '../src/db/rollups.ts';
import { toNumber, ts } from '../src/db/values.ts';
import type { WriteTx } from '../src/db/write-tx.ts';
import { MACROS, PLANTED_SQL, RESULTS_SQL, RUNS_SQL, TESTS_SQL } from './reference-sql.ts';
import { DAYS, END, projectPlan, ROLES } from './reference-shape.ts';

/** About this many results per INSERT…SELECT (and per transaction): bounds the build's memory. */
const CHUNK_RESULTS = 500_000;

export function fileMb(path: string): number {
  const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
  return Math.round((size(path) + size(`${path}.wal`)) / 1024 / 102.4) / 10;
}

async function scalar(tx: WriteTx, sql: string, params: readonly bigint[] = []): Promise<number> {
  const rows = await tx.query<{ v: unknown }>(sql, params);
  return toNumber(rows[0]?.v ?? 0);
}

interface Chunk {
  readonly from: number;
  to: number;
  n: number;
}

/** Builds the set at `path` (which must not exist); resolves with the build's seconds. */
export async function build(
  path: string,
  tests: number,
  runs: number,
  seed: number,
  params: Record<string, string | number>,
  onProgress: (m: string) => void,
): Promise<number> {
  const t0 = performance.now();
  // An offline build, in its own process: let DuckDB use memory rather than spill.
  const db = await Database.open({ path, memoryLimit: '8GB' });
  try {
    const plan = await stageTestsAndRuns(db, tests, runs, seed);
    const chunks: Chunk[] = [];
    for (const r of plan.perRun) {
      const last = chunks.at(-1);
      if (last && last.n + r.n <= CHUNK_RESULTS) {
        last.to = r.seq;
        last.n += r.n;
      } else chunks.push({ from: r.seq, to: r.seq, n: r.n });
    }
    const expected = chunks.reduce((s, c) => s + c.n, 0);
    onProgress(
      `reference set: ${tests.toLocaleString('en-US')} tests × ${runs.toLocaleString('en-US')} runs per project (${plan.perRun.length.toLocaleString('en-US')} runs), ` +
        `about ${expected.toLocaleString('en-US')} results plus retries, in ${chunks.length} chunks → ${path}`,
    );
    await insertResults(db, chunks, plan.firstId, expected, onProgress);
    onProgress('  tests, execution sequences, meta…');
    await finish(db, params, t0);
  } finally {
    await db.close();
  }
  const seconds = Math.round(performance.now() - t0) / 1000;
  onProgress(`  built in ${seconds} s (${fileMb(path)} MB on disk)`);
  return seconds;
}

/** The tests (with their planted roles) and the runs, as temp tables; and the attempt-1 rows per run. */
async function stageTestsAndRuns(db: Database, tests: number, runs: number, seed: number) {
  const from = new Date(END.getTime() - DAYS * 86_400_000);
  const projects = projectPlan(tests);
  return db.write(async (tx) => {
    for (const sql of MACROS) await tx.query(sql);
    const n = (share: number) => BigInt(Math.max(1, Math.round(tests * share)));
    await tx.query(TESTS_SQL, [
      projects,
      BigInt(seed),
      ts(from),
      DAYS,
      n(ROLES.flaky),
      n(ROLES.skipped),
      n(ROLES.fragile),
      n(ROLES.broken),
    ]);
    const firstSeq = await scalar(tx, "SELECT value AS v FROM meta WHERE key = 'next_run_seq'");
    await tx.query(RUNS_SQL, [projects, BigInt(seed), BigInt(runs), ts(from), DAYS, BigInt(firstSeq)]);
    const firstId = await scalar(tx, "SELECT value AS v FROM meta WHERE key = 'next_result_id'");
    const lastSeq = await scalar(tx, 'SELECT max(seq) AS v FROM ref_runs');
    // Attempt-1 rows per run, to cut the runs into chunks of about CHUNK_RESULTS results.
    const perRun = await tx.query<{ seq: bigint; n: bigint }>(
      'SELECT r.seq, count(*) AS n FROM ref_runs r JOIN ref_tests t ON t.project = r.project GROUP BY r.seq ORDER BY r.seq',
    );
    return {
      firstSeq,
      lastSeq,
      firstId,
      perRun: perRun.map((r) => ({ seq: toNumber(r.seq), n: toNumber(r.n) })),
    };
  });
}

/** Each chunk of runs' results in its own transaction, with its runs staged and folded. */
async function insertResults(
  db: Database,
  chunks: readonly Chunk[],
  firstId: number,
  expected: number,
  onProgress: (m: string) => void,
): Promise<void> {
  const slowedSince = new Date(END.getTime() - Math.round(DAYS / 3) * 86_400_000);
  let nextId = firstId;
  let done = 0;
  const tChunks = performance.now();
  for (const [i, c] of chunks.entries()) {
    const inserted = await db.write(async (tx) => {
      const [row] = await tx.query<{ Count: bigint }>(RESULTS_SQL, [
        BigInt(c.from),
        BigInt(c.to),
        BigInt(nextId),
        ts(slowedSince),
      ]);
      await tx.query(stagedRunsSql('ref', { ranged: true }), [BigInt(c.from), BigInt(c.to)]);
      await refoldRuns(tx, c.from, c.to, { fresh: true });
      return toNumber(row?.Count ?? 0);
    });
    nextId += inserted;
    done += inserted;
    const s = (performance.now() - tChunks) / 1000;
    const rate = done / s;
    const left =
      (expected -
        Math.min(
          expected,
          chunks.slice(0, i + 1).reduce((a, x) => a + x.n, 0),
        )) /
      (rate || 1);
    onProgress(
      `  chunk ${i + 1}/${chunks.length}: ${done.toLocaleString('en-US')} results (${Math.round(((i + 1) / chunks.length) * 100)}%), ` +
        `${Math.round(rate).toLocaleString('en-US')} results/s, about ${Math.round(left)} s left`,
    );
  }
}

/** Tests, execution sequences and meta for the whole history; the planted roles and the parameters stored. */
async function finish(db: Database, params: Record<string, string | number>, t0: number): Promise<void> {
  await db.write(async (tx) => {
    await tx.query(stagedTestsSql('ref'));
    // What ingest maintains per run (write-batch.ts), computed once for the whole history, as demo.ts does.
    await finishBulkLoad(tx);
    await tx.query(PLANTED_SQL);
    const seconds = Math.round(performance.now() - t0) / 1000;
    await tx.query(
      'CREATE TABLE bench_reference (params JSON NOT NULL, built_at TIMESTAMP NOT NULL, built_seconds DOUBLE NOT NULL, results BIGINT NOT NULL, runs BIGINT NOT NULL)',
    );
    await tx.query(
      'INSERT INTO bench_reference SELECT $1::JSON, now(), $2, (SELECT count(*) FROM results), (SELECT count(*) FROM runs)',
      [JSON.stringify(params), seconds],
    );
    for (const sql of ['DROP TABLE ref_runs', 'DROP TABLE ref_tests', 'DROP MACRO ref_z', 'DROP MACRO ref_u'])
      await tx.query(sql);
  });
}
