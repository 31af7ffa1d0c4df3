import {
  JSDuckDBValueConverter,
  type DuckDBConnection,
  type DuckDBMaterializedResult,
  type DuckDBPreparedStatement,
} from '@duckdb/node-api';
import type { Params, Row } from './write-tx.ts';

/**
 * One connection's prepared statements, kept by SQL text and dropped least recently used beyond
 * `max`. A statement with parameters otherwise costs the client's `run(sql, values)` three
 * thread-pool round trips (extract the statements, prepare one, execute), each a turn of the
 * event loop, and DuckDB's parsing every time; a kept one costs one round trip. DuckDB still
 * binds, optimizes and plans a kept statement at every execution when it has parameters (so the
 * values can be folded into the plan): DuckDB 1.5's profiler shows planner, optimizer and
 * physical-planner time on each run of a kept statement with parameters, and none on one
 * without. It plans a kept statement again, too, when the catalog changed under it (a migration,
 * a table replaced). The same text run twice at once on the connection (statements of one
 * transaction awaited together) gets a statement of its own for the second.
 */
export class PreparedStatements {
  readonly #connection: DuckDBConnection;
  readonly #max: number;
  readonly #kept = new Map<string, DuckDBPreparedStatement>();
  readonly #busy = new Set<DuckDBPreparedStatement>();

  constructor(connection: DuckDBConnection, max = 32) {
    this.#connection = connection;
    this.#max = max;
  }

  async run(sql: string, params: Params): Promise<DuckDBMaterializedResult> {
    const kept = this.#kept.get(sql);
    if (kept && !this.#busy.has(kept)) {
      // Most recently used last, so the first is the one to drop.
      this.#kept.delete(sql);
      this.#kept.set(sql, kept);
      return this.#execute(sql, kept, params);
    }
    const prepared = await this.#connection.prepare(sql);
    if (!kept) this.#keep(sql, prepared);
    return this.#execute(sql, prepared, params);
  }

  async #execute(
    sql: string,
    prepared: DuckDBPreparedStatement,
    params: Params,
  ): Promise<DuckDBMaterializedResult> {
    this.#busy.add(prepared);
    try {
      prepared.bind([...params]);
      return await prepared.run();
    } catch (err) {
      // Not kept after a failure (an interrupt, a bad value): the next run prepares afresh.
      if (this.#kept.get(sql) === prepared) this.#drop(sql, prepared);
      throw err;
    } finally {
      this.#busy.delete(prepared);
      // Not kept (run beside the kept one, dropped meanwhile, or failed): done with it.
      if (this.#kept.get(sql) !== prepared) prepared.destroySync();
    }
  }

  #keep(sql: string, prepared: DuckDBPreparedStatement): void {
    this.#kept.set(sql, prepared);
    for (const [oldest, statement] of this.#kept) {
      if (this.#kept.size <= this.#max) break;
      this.#drop(oldest, statement);
    }
  }

  #drop(sql: string, prepared: DuckDBPreparedStatement): void {
    this.#kept.delete(sql);
    // One still executing is destroyed when it finishes.
    if (!this.#busy.has(prepared)) prepared.destroySync();
  }
}

/**
 * A materialized result's rows as plain JS objects, as `getRowObjectsJS` makes them (deduplicated
 * column names), read from its chunks in place: the result reader would fetch each chunk, and
 * then the empty one that ends it, through the thread pool.
 */
export function rowObjects(result: DuckDBMaterializedResult): Row[] {
  const names = result.deduplicatedColumnNames();
  const rows: Row[] = [];
  for (let i = 0; i < result.chunkCount; i++) {
    const chunk = result.getChunk(i);
    for (let r = 0; r < chunk.rowCount; r++) {
      const row: Row = {};
      chunk.visitRowValues(r, (value, _row, column, type) => {
        row[names[column]!] = JSDuckDBValueConverter(value, type, JSDuckDBValueConverter);
      });
      rows.push(row);
    }
  }
  return rows;
}
