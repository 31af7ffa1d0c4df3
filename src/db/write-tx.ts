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
