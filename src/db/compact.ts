import { existsSync, rmSync, statSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** The database file's size before and after a compaction, in bytes (the file and its write-ahead log). */
export interface CompactOutcome {
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

export interface CompactOptions {
  /** Called after the copy is written and checked, just before it replaces the file; a throw leaves the file as it was (tests use it to simulate a crash). */
  readonly beforeSwap?: () => void | Promise<void>;
}

/** Bytes a database occupies on disk: its file and, after an unclean stop, its write-ahead log. */
export function databaseBytes(path: string): number {
  const size = (p: string): number => (existsSync(p) ? statSync(p).size : 0);
  return size(path) + size(`${path}.wal`);
}

// ATTACH accepts no bound parameters (its path must be a literal in DuckDB's grammar), so the path is quoted here.
function literal(text: string): string {
  if (text.includes('\0')) throw new Error('a database path cannot hold a NUL character');
  return `'${text.replaceAll("'", "''")}'`;
}

const identifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

async function rows<T>(c: DuckDBConnection, sql: string): Promise<T[]> {
  return (await c.runAndReadAll(sql)).getRowObjectsJS() as T[];
}

/** Row counts of every table of one attached database, keyed schema.table. */
async function tableCounts(c: DuckDBConnection, database: string): Promise<Map<string, bigint>> {
  const tables = await rows<{ schema_name: string; table_name: string }>(
    c,
    `SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ${literal(database)} AND NOT temporary ORDER BY 1, 2`,
  );
  const counts = new Map<string, bigint>();
  for (const t of tables) {
    const [r] = await rows<{ n: bigint }>(
      c,
      `SELECT count(*) AS n FROM ${identifier(database)}.${identifier(t.schema_name)}.${identifier(t.table_name)}`,
    );
    counts.set(`${t.schema_name}.${t.table_name}`, r!.n);
  }
  return counts;
}

/**
 * Rewrites a DuckDB file without the space deleted rows left behind: DuckDB
 * reuses freed blocks but never shrinks a file in place, so the database is
 * copied into a fresh file (`COPY FROM DATABASE`: schema, data, sequences),
 * the copy's row counts are checked against the original's, and the copy
 * replaces the file by an atomic rename while this process still holds the
 * file's lock (a server cannot open it in between). Any failure removes the
 * copy and leaves the original untouched.
 *
 * The file must not be open elsewhere: opening it here fails while another
 * process (a server) holds it, but DuckDB's lock does not see a second
 * instance in this same process, so close the store first.
 * @throws when the file is in use, or the copy cannot be written or does not match.
 */
export async function compactDatabaseFile(
  path: string,
  { beforeSwap }: CompactOptions = {},
): Promise<CompactOutcome> {
  if (path === ':memory:') throw new Error('an in-memory database has no file to compact');
  const bytesBefore = databaseBytes(path);
  const copy = `${path}.compact`;
  const removeCopy = () => {
    rmSync(copy, { force: true });
    rmSync(`${copy}.wal`, { force: true });
  };
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  let attached = false;
  try {
    // A copy left by a compaction that was killed half-way is never the database: start afresh.
    removeCopy();
    await c.run('CHECKPOINT');
    const [{ name } = { name: '' }] = await rows<{ name: string }>(c, 'SELECT current_database() AS name');
    await c.run(`ATTACH ${literal(copy)} AS assay_compact`);
    attached = true;
    await c.run(`COPY FROM DATABASE ${identifier(name)} TO assay_compact`);
    const [original, copied] = [await tableCounts(c, name), await tableCounts(c, 'assay_compact')];
    for (const [table, n] of original) {
      if (copied.get(table) !== n)
        throw new Error(
          `the compacted copy of ${table} holds ${copied.get(table) ?? 'no'} rows, not ${n}; the database was left as it was`,
        );
    }
    // Detaching checkpoints the copy: it is a whole database file with no write-ahead log.
    await c.run('DETACH assay_compact');
    attached = false;
    await beforeSwap?.();
    await rename(copy, path);
  } catch (err) {
    if (attached) await c.run('DETACH assay_compact').catch(() => undefined);
    removeCopy();
    throw err;
  } finally {
    c.closeSync();
    instance.closeSync();
  }
  return { bytesBefore, bytesAfter: databaseBytes(path) };
}
