/**
 * The query bench's DuckDB side: hand-written SQL for an operation's answer (or the rows an
 * analysis reads), and the plain scans of the fact tables, timed on the engine itself.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../src/db/database.ts';
import { progress, repeat, type Summary } from './lib.ts';
import { PLAIN_SCANS, type PlainQuery } from './sql.ts';

/** A timing loop's repetitions and budget (the query bench's options). */
interface Loop {
  readonly coldReps: number;
  readonly budgetMs: number;
}

export interface SqlFigure {
  readonly operation: string;
  /** False for a plain scan of the rows an analysis reads (see PlainQuery). */
  readonly sameAnswer: boolean;
  readonly sql: string;
  readonly duckdb: Summary;
  /** Rows of the hand-written SQL, and groups of the gateway's answer (they should agree). */
  readonly rows: number;
  readonly gatewayRows: number;
  /** Gateway cold p50 / DuckDB p50. */
  readonly ratioP50: number;
}

/** DuckDB's plain scan of a fact table, timed directly on the engine. */
export interface ScanFigure {
  readonly table: string;
  readonly rows: number;
  readonly sql: string;
  readonly duckdb: Summary;
}

/**
 * Runs SQL directly on DuckDB and streams the result through in chunks
 * without turning it into JS values: what the engine itself needs. It uses
 * the store's writer connection inside `db.write` (a read-only statement;
 * nothing else writes during the query bench), because the reader
 * connections only hand out JS rows.
 */
export async function engineTime(
  db: Database,
  sql: string,
  params: readonly DuckDBValue[],
): Promise<{ ms: number; rows: number }> {
  return db.write(async (tx) => {
    const t0 = performance.now();
    const result = await tx.connection.stream(sql, params.length ? [...params] : undefined);
    let rows = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      rows += chunk.rowCount;
    }
    return { ms: performance.now() - t0, rows };
  });
}

async function engineLoop(
  db: Database,
  sql: string,
  params: readonly DuckDBValue[],
  reps: number,
  budgetMs: number,
): Promise<{ summary: Summary; rows: number }> {
  const { rows } = await engineTime(db, sql, params); // warm-up, like the gateway's
  const summary = await repeat(reps, budgetMs, async () => (await engineTime(db, sql, params)).ms);
  return { summary, rows };
}

/** Times hand-written SQL on DuckDB and records it beside the gateway's cold p50 and answer size (`gw`; -1 none). */
export async function handSql(
  db: Database,
  q: PlainQuery,
  cold: number,
  gw: number,
  opts: Loop,
): Promise<SqlFigure> {
  const { summary, rows } = await engineLoop(db, q.sql, q.params, opts.coldReps, opts.budgetMs);

  const ratioP50 = Math.round((cold / summary.p50) * 100) / 100;
  if (gw >= 0 && gw !== rows)
    progress(`  warning: ${q.operation} hand SQL gave ${rows} rows, the gateway ${gw} groups`);
  const figure: SqlFigure = {
    operation: q.operation,
    sameAnswer: q.sameAnswer !== false,
    sql: q.sql.trim(),
    duckdb: summary,
    rows,
    gatewayRows: gw,
    ratioP50,
  };
  progress(
    `  ${q.operation} plain SQL on DuckDB: p50 ${summary.p50} ms, ${rows.toLocaleString('en-US')} rows (gateway/DuckDB ${ratioP50})`,
  );
  return figure;
}

/** DuckDB's plain scans of the fact tables: the yardstick every other figure is read against. */
export async function plainScans(db: Database, opts: Loop): Promise<ScanFigure[]> {
  const scans: ScanFigure[] = [];
  for (const s of PLAIN_SCANS) {
    const { summary, rows } = await engineLoop(db, s.sql, [], opts.coldReps, opts.budgetMs);
    const [count] = await db.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${s.table}`);
    scans.push({ table: s.table, rows: Number(count?.n ?? 0), sql: s.sql, duckdb: summary });
    progress(
      `  plain scan of ${s.table} (${Number(count?.n ?? 0).toLocaleString('en-US')} rows) on DuckDB: p50 ${summary.p50} ms (${rows} row)`,
    );
  }
  return scans;
}
