import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Database } from './database.ts';

/**
 * Snapshots for replicas: every table as Parquet (DuckDB's EXPORT DATABASE)
 * with `replica_position` among them, in a folder named after that position
 * under a directory the replicas share. A new replica imports the newest and
 * reads the stream from its position.
 */

const NAME = /^snapshot-(\d+)-(\d+)$/;

/** DuckDB's EXPORT and IMPORT take a literal path, not a parameter: refuse what could break out of it. */
function literal(path: string): string {
  if (/['\\\0]/.test(path)) throw new Error(`snapshot path must not contain quotes or backslashes: ${path}`);
  return `'${path}'`;
}

/**
 * Writes a snapshot of the database under `dir`; resolves with its folder and
 * position. A reader connection's transaction sees one consistent state, the
 * position included; the folder appears under its final name only when complete.
 */
export async function writeSnapshot(db: Database, dir: string): Promise<{ path: string; position: string }> {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.partial-${randomUUID()}`);
  await db.query(`EXPORT DATABASE ${literal(tmp)} (FORMAT parquet)`);
  const [row] = await db.query<{ position: string }>(
    `SELECT position FROM read_parquet(${literal(join(tmp, 'replica_position.parquet'))})`,
  );
  const position = row?.position ?? '0-0';
  const path = join(dir, `snapshot-${position}`);
  if (existsSync(path)) return { path, position };
  renameSync(tmp, path);
  return { path, position };
}

/** The newest complete snapshot under `dir`, or null. */
function newestSnapshot(dir: string): { path: string; position: string } | null {
  if (!existsSync(dir)) return null;
  let best: { path: string; ms: bigint; seq: bigint } | null = null;
  for (const name of readdirSync(dir)) {
    const m = NAME.exec(name);
    if (!m) continue;
    const ms = BigInt(m[1]!);
    const seq = BigInt(m[2]!);
    if (!best || ms > best.ms || (ms === best.ms && seq > best.seq))
      best = { path: join(dir, name), ms, seq };
  }
  return best && { path: best.path, position: `${best.ms}-${best.seq}` };
}

/**
 * Fills a database file that does not exist yet from the newest snapshot
 * under `dir`; resolves with the snapshot's position, or null when there was
 * nothing to do (the file exists, or there is no snapshot).
 */
export async function restoreSnapshot(file: string, dir: string): Promise<string | null> {
  if (file === ':memory:' || existsSync(file)) return null;
  const snapshot = newestSnapshot(dir);
  if (!snapshot) return null;
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  try {
    await c.run(`IMPORT DATABASE ${literal(snapshot.path)}`);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
  return snapshot.position;
}
