import { AsyncLocalStorage } from 'node:async_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { IDLE_CHECKPOINT_MS, IdleCheckpoint } from './idle-checkpoint.ts';
import { parseCheckpointThreshold, parseMemoryLimit } from './duckdb-sizes.ts';
import { migrate } from './migrations.ts';
import { PreparedStatements, rowObjects } from './statements.ts';
import { WriteTx, type Params, type Row } from './write-tx.ts';
import { AssayError } from '../domain/errors.ts';

export interface DatabaseOptions {
  /**
   * A file path, or `:memory:` for a throwaway database.
   * @default ':memory:'
   */
  readonly path?: string;
  /**
   * Reader connections: concurrent GraphQL requests each take one instead of
   * queueing behind a single connection. At most libuv's thread pool size
   * (UV_THREADPOOL_SIZE, 4 unless set) minus one: every DuckDB call runs on
   * that pool, so with a reader on each thread the writer's statements would
   * wait behind reads (ingest ran 7-10× slower under four query clients).
   * @default 3
   */
  readonly readers?: number;
  /**
   * DuckDB worker threads; unset lets DuckDB use every core.
   */
  readonly threads?: number;
  /**
   * DuckDB's memory limit (`512MB`, `1GiB`, …; checked by parseMemoryLimit): its buffer
   * manager, hash tables, sorts and cached table blocks stay under it, and larger work
   * spills to the temp directory (`<path>.tmp` beside a database file). It does not bound
   * Node's heap or the answer caches. Keeps the gateway's resident memory under 1 GB on ten
   * million results (bench/memory.ts).
   * @default '512MB'
   */
  readonly memoryLimit?: string;
  /**
   * The write-ahead log's size at which a COMMIT moves it into the database file (DuckDB's
   * `checkpoint_threshold`; checked by parseCheckpointThreshold). A checkpoint's cost grows far
   * slower than its log (on 10M results about 0.45 s at 16 MB, 1.1 s at 128 MB), so a steady
   * stream of ingests spends less on them the larger this is; a crash's log is replayed when
   * the file next opens (about 0.8 s for 58 MB). idle-checkpoint.ts checkpoints earlier, once
   * writes pause. DuckDB's own default is 16MB.
   * @default '64MB'
   */
  readonly checkpointThreshold?: string;
  /**
   * A read statement running longer is interrupted (DuckDB stops the work) and
   * answered with a TIMEOUT error. Writes are never interrupted.
   * @default 30000
   */
  readonly statementTimeoutMs?: number;
  /** Observes every SQL statement before it runs (tests check which SQL a query produced). */
  readonly onStatement?: (sql: string) => void;
  /**
   * A database file is checkpointed once writes pause this long (idle-checkpoint.ts).
   * @default 1000
   */
  readonly idleCheckpointMs?: number;
}

/**
 * The request a read runs for: when its signal aborts (the request's deadline passed, or its
 * client went away), the statement running for it is interrupted and answers the signal's
 * reason (an AssayError), and later reads for it are refused before they start.
 */
export const requestSignal = new AsyncLocalStorage<AbortSignal>();

function abortedError(signal: AbortSignal): AssayError {
  return signal.reason instanceof AssayError
    ? signal.reason
    : new AssayError('TIMEOUT', 'The request was cancelled before the query finished.');
}

/** Hands out connections one at a time, FIFO, to whoever waits longest. */
class ConnectionPool {
  readonly #idle: DuckDBConnection[];
  readonly #waiting: ((c: DuckDBConnection) => void)[] = [];

  constructor(connections: DuckDBConnection[]) {
    this.#idle = connections;
  }

  async use<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const c =
      this.#idle.pop() ?? (await new Promise<DuckDBConnection>((resolve) => this.#waiting.push(resolve)));
    try {
      return await fn(c);
    } finally {
      const next = this.#waiting.shift();
      if (next) next(c);
      else this.#idle.push(c);
    }
  }
}

/**
 * The embedded DuckDB store: a pool of reader connections, and one writer
 * connection behind a queue so ingests commit one after another and
 * `dataVersion` rises monotonically. Writes run in the order they were asked
 * for, except that small ones a person waits on (`write(fn, { ahead: true })`,
 * a fired alert, an alert acknowledged or resolved) go before the writes still
 * waiting, never before the one running.
 */
export class Database {
  readonly path: string;
  readonly #instance: DuckDBInstance;
  readonly #readers: ConnectionPool;
  readonly #all: DuckDBConnection[];
  readonly #writer: DuckDBConnection;
  /** Writes waiting for the writer: the `ahead` lane runs first, each lane in order. */
  readonly #waiting: { readonly ahead: (() => Promise<void>)[]; readonly rest: (() => Promise<void>)[] } = {
    ahead: [],
    rest: [],
  };
  /** Whether a write is running (the queue is being worked through). */
  #running = false;
  /** Called once no write is running or waiting (close waits for them). */
  #onSettled: (() => void)[] = [];
  #statements = 0;
  #statementMs = 0;
  #closed = false;
  readonly #statementsOf = new Map<DuckDBConnection, PreparedStatements>();
  readonly #onStatement: ((sql: string) => void) | undefined;
  readonly #timeoutMs: number;
  readonly #idle: IdleCheckpoint | null;
  #pendingWrites = 0;
  /** The log entry the writes in this async context apply (see atPosition). */
  readonly #entry = new AsyncLocalStorage<{ readonly id: string; written: boolean }>();

  private constructor(
    path: string,
    instance: DuckDBInstance,
    readers: DuckDBConnection[],
    writer: DuckDBConnection,
    timeoutMs: number,
    idleCheckpointMs: number,
    onStatement?: (sql: string) => void,
  ) {
    this.path = path;
    this.#idle =
      path === ':memory:' ? null : new IdleCheckpoint(async () => this.checkpoint(), idleCheckpointMs);
    this.#timeoutMs = timeoutMs;
    this.#onStatement = onStatement;
    this.#instance = instance;
    this.#readers = new ConnectionPool([...readers]);
    this.#all = [...readers, writer];
    this.#writer = writer;
  }

  static async open({
    path = ':memory:',
    readers = 3,
    threads,
    memoryLimit = '512MB',
    checkpointThreshold = '64MB',
    statementTimeoutMs = 30_000,
    idleCheckpointMs = IDLE_CHECKPOINT_MS,
    onStatement,
  }: DatabaseOptions = {}): Promise<Database> {
    // asof_loop_join_threshold 0: DuckDB otherwise plans an ASOF join whose left side it
    // underestimates as an inequality join plus arg_max (sample-statistics.ts ranked 14k
    // distinct durations against themselves through 105M joined rows, 19 s instead of ms).
    const options: Record<string, string> = {
      memory_limit: parseMemoryLimit(memoryLimit),
      checkpoint_threshold: parseCheckpointThreshold(checkpointThreshold),
      asof_loop_join_threshold: '0',
    };
    if (threads !== undefined) options['threads'] = String(threads);
    // An in-memory database would spill into ./.tmp; keep that out of the working directory.
    if (path === ':memory:') options['temp_directory'] = join(tmpdir(), 'assay-duckdb-spill');
    const instance = await DuckDBInstance.create(path, options);
    const writer = await instance.connect();
    await migrate(writer);
    const pool: DuckDBConnection[] = [];
    const threadPool = Number(process.env['UV_THREADPOOL_SIZE']) || 4;
    const count = Math.max(1, Math.min(readers, threadPool - 1));
    for (let i = 0; i < count; i++) pool.push(await instance.connect());
    return new Database(path, instance, pool, writer, statementTimeoutMs, idleCheckpointMs, onStatement);
  }

  /** SQL statements run since the database opened (reported in `gateway`). */
  get statements(): number {
    return this.#statements;
  }

  /** Time spent running them (streams excluded), in ms: the database's share of the gateway's work. */
  get statementMs(): number {
    return this.#statementMs;
  }

  /** Runs one read statement on a pooled connection and returns plain JS rows. */
  async query<T extends Row = Row>(sql: string, params: Params = []): Promise<T[]> {
    this.#assertOpen();
    const signal = requestSignal.getStore();
    if (signal?.aborted) throw abortedError(signal);
    return this.#readers.use(async (c) => {
      if (signal?.aborted) throw abortedError(signal);
      let timedOut = false;
      let cancelled = false;
      const timer = setTimeout(() => {
        timedOut = true;
        c.interrupt();
      }, this.#timeoutMs);
      const cancel = (): void => {
        cancelled = true;
        c.interrupt();
      };
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        return await this.#run<T>(c, sql, params);
      } catch (err) {
        if (cancelled && signal) throw abortedError(signal);
        if (!timedOut) throw err;
        throw new AssayError(
          'TIMEOUT',
          `The query ran longer than ${this.#timeoutMs / 1000} s and was stopped. Narrow the slice (a shorter from/to, fewer projects) or group by fewer dimensions.`,
        );
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', cancel);
      }
    });
  }

  /**
   * Runs `fn` on the writer connection inside one transaction, after every
   * earlier write has finished. A throw rolls everything back. With `ahead`,
   * after the write running now but before the writes still waiting: for a
   * small write a person waits on (a fired alert behind a busy CI's ingests),
   * never for one whose order against other writes matters.
   */
  write<T>(
    fn: (tx: WriteTx) => Promise<T>,
    { ahead = false }: { readonly ahead?: boolean } = {},
  ): Promise<T> {
    const entry = this.#claimEntry();
    return this.#enqueueWrite(() => this.#transaction(this.#writeTx(), fn, entry), ahead);
  }

  /**
   * `write` with a first step outside the transaction: after every earlier write, `stage` runs on
   * the writer connection with each statement committing on its own, for work that writes only
   * the connection's TEMP tables (a bulk load reading and checking its file); then `fn` runs in
   * one transaction with what `stage` answered, as `write`'s does; `cleanup` (dropping the temp
   * tables) runs last, whatever the outcome. No other write comes between the steps. The point is
   * DuckDB's threads: it scans a table written earlier in the same transaction on one thread, a
   * committed one on all of them (a bulk load's typed rows of 1M results: 2.6 s against 1.3 s).
   */
  stagedWrite<S, T>(steps: {
    readonly stage: (tx: WriteTx) => Promise<S>;
    readonly write: (tx: WriteTx, staged: S) => Promise<T>;
    readonly cleanup: (tx: WriteTx) => Promise<void>;
  }): Promise<T> {
    const entry = this.#claimEntry();
    return this.#enqueueWrite(async () => {
      const tx = this.#writeTx();
      try {
        const staged = await steps.stage(tx);
        return await this.#transaction(tx, (t) => steps.write(t, staged), entry);
      } finally {
        await steps.cleanup(tx);
      }
    });
  }

  /** The log entry this write belongs to, if any, marked as written: one entry is one transaction. */
  #claimEntry(): { id: string; written: boolean } | undefined {
    this.#assertOpen();
    const entry = this.#entry.getStore();
    if (entry?.written)
      throw new Error(`log entry ${entry.id} tried a second transaction; one entry is one transaction`);
    if (entry) entry.written = true;
    return entry;
  }

  #writeTx(): WriteTx {
    return new WriteTx(this.#writer, (sql, params) => this.#run(this.#writer, sql, params));
  }

  /** `fn` in one transaction on the writer, recording the log entry's position in it; a throw rolls back. */
  async #transaction<T>(
    tx: WriteTx,
    fn: (tx: WriteTx) => Promise<T>,
    entry: { id: string } | undefined,
  ): Promise<T> {
    await this.#writer.run('BEGIN TRANSACTION');
    try {
      const out = await fn(tx);
      if (entry)
        await this.#run(this.#writer, 'UPDATE replica_position SET position = $1, applied = applied + 1', [
          entry.id,
        ]);
      await this.#writer.run('COMMIT');
      return out;
    } catch (err) {
      await this.#writer.run('ROLLBACK');
      throw err;
    }
  }

  /** Runs `run` on the writer like #enqueue; once no write is queued, the idle checkpoint waits for a pause. */
  async #enqueueWrite<T>(run: () => Promise<T>, ahead = false): Promise<T> {
    this.#idle?.stop();
    this.#pendingWrites++;
    try {
      return await this.#enqueue(run, ahead);
    } finally {
      if (--this.#pendingWrites === 0) this.#idle?.wrote();
    }
  }

  /**
   * Runs `fn`, whose database writes form at most one transaction, so that
   * transaction also records `id` as the last applied entry of the shared
   * log: a crash leaves both or neither. When `fn` wrote nothing, the
   * position is recorded on its own.
   */
  async atPosition<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const entry = { id, written: false };
    const out = await this.#entry.run(entry, fn);
    if (!entry.written) await this.#entry.run(entry, () => this.write(async () => undefined));
    return out;
  }

  /** The last applied entry of the shared log ('0-0' before any) and how many were applied. */
  async position(): Promise<{ readonly id: string; readonly applied: number }> {
    const [row] = await this.query<{ position: string; applied: bigint }>(
      'SELECT position, applied FROM replica_position',
    );
    return { id: row?.position ?? '0-0', applied: Number(row?.applied ?? 0) };
  }

  /** Runs `run` on the writer after the running write and the earlier ones of its lane (`ahead` first), whatever their outcome. */
  #enqueue<T>(run: () => Promise<T>, ahead = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      (ahead ? this.#waiting.ahead : this.#waiting.rest).push(async () => {
        try {
          resolve(await run());
        } catch (err) {
          reject(err);
        }
      });
      // Started after the caller's synchronous code, as a promise chain would.
      queueMicrotask(() => void this.#work());
    });
  }

  /** Works through the waiting writes one at a time, the `ahead` lane first, unless already at it. */
  async #work(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    for (let next = this.#next(); next; next = this.#next()) await next();
    this.#running = false;
    for (const settled of this.#onSettled.splice(0)) settled();
  }

  #next(): (() => Promise<void>) | undefined {
    return this.#waiting.ahead.shift() ?? this.#waiting.rest.shift();
  }

  /** Resolves once no write is running or waiting. */
  #settled(): Promise<void> {
    const idle = !this.#running && !this.#waiting.ahead.length && !this.#waiting.rest.length;
    return idle ? Promise.resolve() : new Promise((resolve) => this.#onSettled.push(resolve));
  }

  /**
   * What DuckDB holds now, by kind (`BASE_TABLE` blocks read from the file, `HASH_TABLE`,
   * `ORDER_BY`, …): bytes in memory and bytes spilled to the temp directory; kinds at zero left out.
   */
  async memoryUsage(): Promise<{ tag: string; memoryBytes: number; tempBytes: number }[]> {
    const rows = await this.query<{ tag: string; m: bigint; t: bigint }>(
      'SELECT tag, memory_usage_bytes AS m, temporary_storage_bytes AS t FROM duckdb_memory() WHERE memory_usage_bytes > 0 OR temporary_storage_bytes > 0',
    );
    return rows.map((r) => ({ tag: r.tag, memoryBytes: Number(r.m), tempBytes: Number(r.t) }));
  }

  /** Writes the write-ahead log into the database file (after large deletes, and when writes pause). */
  checkpoint(): Promise<void> {
    this.#assertOpen();
    return this.#enqueue(async () => {
      if (this.path !== ':memory:') await this.#writer.run('CHECKPOINT');
    });
  }

  /** Waits for pending writes, checkpoints the file and closes every connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#idle?.stop();
    await this.#settled();
    if (this.path !== ':memory:') await this.#writer.run('CHECKPOINT');
    for (const c of this.#all) c.closeSync();
    this.#instance.closeSync();
  }

  /** The connection's kept prepared statements (statements.ts). */
  #prepared(c: DuckDBConnection): PreparedStatements {
    let kept = this.#statementsOf.get(c);
    if (!kept) this.#statementsOf.set(c, (kept = new PreparedStatements(c)));
    return kept;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the database is closed');
  }

  async #run<T extends Row>(c: DuckDBConnection, sql: string, params: Params): Promise<T[]> {
    this.#statements++;
    this.#onStatement?.(sql);
    const started = performance.now();
    try {
      const result = params.length ? await this.#prepared(c).run(sql, params) : await c.run(sql);
      return rowObjects(result) as T[];
    } finally {
      this.#statementMs += performance.now() - started;
    }
  }
}
