/**
 * Where one ingest batch's write transaction spends its time: stores `--batches` batches of
 * `--size` results (the ingest bench's generator, validated as the mutation does) straight into
 * the store, after `--warmup` untimed ones, and times every DuckDB statement and appender the
 * writer runs. Prints the statements by total time (the first 90 characters of their SQL).
 *
 *   node --import tsx bench/ingest-profile.ts [--db FILE] [--size 5000] [--batches 10] [--warmup 3] [--seq 0] [--sql 'SET …'] [--slow MS]
 *
 * Without --db a fresh file in a temp directory. On a copy of the reference set pass --seq past
 * its runs' start times' order only if it matters; the generator's runs start on 2026-11-01.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBAppender, DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import { openStore } from '../src/db/store.ts';
import { validateIngest } from '../src/domain/ingest-batch.ts';
import type { IngestInput } from '../src/domain/types.ts';
import { makeBatch } from './ingest.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const size = Number(arg('size', '5000'));
const batches = Number(arg('batches', '10'));
const warmup = Number(arg('warmup', '3'));
const firstSeq = Number(arg('seq', '0'));

const totals = new Map<string, { ms: number; n: number }>();
let timing = false;
const note = (key: string, ms: number): void => {
  if (!timing) return;
  const t = totals.get(key) ?? { ms: 0, n: 0 };
  t.ms += ms;
  t.n++;
  totals.set(key, t);
  if (ms > slow) console.log(`  slow: ${Math.round(ms)} ms ${key}`);
};
const slow = Number(arg('slow', 'Infinity'));
const timedMethod = <A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  key: (this: unknown, ...args: A) => string,
): ((...args: A) => Promise<R>) =>
  async function (this: unknown, ...args: A): Promise<R> {
    const started = performance.now();
    try {
      return await fn.apply(this, args);
    } finally {
      note(key.apply(this, args), performance.now() - started);
    }
  };
const label = (sql: string): string => sql.replace(/\s+/g, ' ').trim().slice(0, 90);
DuckDBConnection.prototype.run = timedMethod(DuckDBConnection.prototype.run, label);
// Parameterized statements run prepared (src/db/statements.ts): each is timed under the SQL it was prepared from.
const preparedSql = new WeakMap<DuckDBPreparedStatement, string>();
const prepare = DuckDBConnection.prototype.prepare;
DuckDBConnection.prototype.prepare = async function (this: DuckDBConnection, sql: string) {
  const prepared = await prepare.call(this, sql);
  preparedSql.set(prepared, label(sql));
  return prepared;
};
DuckDBPreparedStatement.prototype.run = timedMethod(
  DuckDBPreparedStatement.prototype.run,
  function (this: unknown) {
    return preparedSql.get(this as DuckDBPreparedStatement) ?? '(prepared)';
  },
);
const flush = DuckDBAppender.prototype.flushSync;
DuckDBAppender.prototype.flushSync = function (this: DuckDBAppender): void {
  const started = performance.now();
  flush.call(this);
  note('(appender flush)', performance.now() - started);
};

const dir = await mkdtemp(join(tmpdir(), 'assay-ingest-profile-'));
const path = arg('db', join(dir, 'profile.duckdb'));
const store = await openStore({ path });
const walMb = async (): Promise<number> =>
  Math.round((await stat(`${path}.wal`).catch(() => ({ size: 0 }))).size / 1e5) / 10;
const setup = arg('sql', '');
if (setup) await store.db.write((tx) => tx.query(setup));
const batch = (seq: number) =>
  validateIngest((makeBatch(seq, size) as unknown as { input: IngestInput }).input);
try {
  let seq = firstSeq;
  for (let i = 0; i < warmup; i++) await store.ingest(batch(seq++));
  const ready = Array.from({ length: batches }, (_, i) => batch(seq + i));
  timing = true;
  const started = performance.now();
  for (const b of ready) await store.ingest(b);
  const ms = performance.now() - started;
  timing = false;
  console.log(`write-ahead log after the batches: ${await walMb()} MB`);
  const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
  const sqlMs = rows.reduce((s, [, t]) => s + t.ms, 0);
  console.log(
    `${batches} batches of ${size}: ${Math.round(ms)} ms, ${Math.round((batches * size) / (ms / 1000))} results/s; statements ${Math.round(sqlMs)} ms`,
  );
  for (const [sql, t] of rows.slice(0, 40))
    console.log(`${(t.ms / batches).toFixed(1).padStart(8)} ms/batch ${String(t.n).padStart(4)}×  ${sql}`);
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
