/**
 * The writer's transaction handle and the row and parameter types of SQL
 * statements: apart from database.ts so the modules a migration calls can name
 * them without importing the Database that runs the migrations.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

export type Row = Record<string, unknown>;
export type Params = readonly DuckDBValue[];

/** How many rows an INSERT, UPDATE, DELETE or CREATE TABLE … AS wrote: DuckDB answers them with one row, `Count`. */
export const rowCount = (rows: readonly Row[]): number => Number(rows[0]?.['Count'] ?? 0);

/** The writer's handle inside one transaction: statements and appenders. */
export class WriteTx {
  readonly connection: DuckDBConnection;
  readonly query: <T extends Row = Row>(sql: string, params?: Params) => Promise<T[]>;

  constructor(connection: DuckDBConnection, run: (sql: string, params: Params) => Promise<Row[]>) {
    this.connection = connection;
    this.query = <T extends Row = Row>(sql: string, params: Params = []) => run(sql, params) as Promise<T[]>;
  }
}

/** A statement with its parameters, or parameterless SQL. */
export type Step = string | readonly [sql: string, params: Params];

/**
 * Runs `steps` in order; consecutive parameterless ones go to DuckDB as one script, which spares
 * a round trip and DuckDB's per-call overhead each (about half a millisecond). Answers the last
 * step's rows.
 */
export async function runInOrder(tx: Pick<WriteTx, 'query'>, steps: readonly Step[]): Promise<Row[]> {
  let rows: Row[] = [];
  let script: string[] = [];
  const flush = async (): Promise<void> => {
    if (script.length) rows = await tx.query(script.join(';\n'));
    script = [];
  };
  for (const step of steps) {
    const [sql, params] = typeof step === 'string' ? [step, []] : step;
    if (!params.length) script.push(sql);
    else {
      await flush();
      rows = await tx.query(sql, params);
    }
  }
  await flush();
  return rows;
}
