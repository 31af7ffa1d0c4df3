import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { applyEntry, isEntry, type Entry, type EntryResults } from './entries.ts';
import { compareIds, decode, encode } from './codec.ts';
import { AssayError } from '../domain/errors.ts';
import type { LogPosition, PositionedStore } from '../domain/ports.ts';

/** The logger the cluster writes to (the server's structured logger fits). */
export interface ClusterLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface ReplicatorOptions {
  readonly store: PositionedStore;
  /** XADD and XINFO. */
  readonly commands: Redis;
  /** A connection of its own: XREAD BLOCK holds it. */
  readonly tail: Redis;
  readonly stream: string;
  /** The Redis URL as shown in messages (password hidden). */
  readonly url: string;
  readonly replicaId: string;
  readonly log: ClusterLog;
  /** How long a write waits for this replica to apply it after the stream took it. @default 30000 */
  readonly applyTimeoutMs?: number;
  /** Entries read per XREAD. @default 100 */
  readonly batch?: number;
  /** Pause before reading again after Redis failed. @default 250 */
  readonly retryMs?: number;
  /** How often an idle replica still reports its position (its heartbeat). @default 5000 */
  readonly reportEveryMs?: number;
  /** The clock of position reports, in ms. @default Date.now */
  readonly clock?: () => number;
}

/** A replica's report in the positions hash: `<stream id> <ms>` (a bare id is an older replica's). */
export function parseReport(value: string): { position: string; at: number | null } {
  const [position = '0-0', at] = value.split(' ');
  return { position, at: at === undefined ? null : Number(at) };
}

/** One stream entry as XREAD returns it: id and flat field/value list. */
export type RawEntry = readonly [id: string, fields: readonly string[]];

interface Waiter {
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

const unavailable = (url: string, why: string): AssayError =>
  new AssayError(
    'UNAVAILABLE',
    `Writes are refused: the shared log at ${url} cannot be reached (${why}). Reads still answer from this replica's data; retry the write when Redis is back.`,
  );

/**
 * Appends writes to the Redis stream and applies the stream, in order, to the
 * local store. Each entry's position is stored in the same transaction as
 * the entry, so after a crash the replica resumes exactly where it stopped.
 */
export class Replicator {
  readonly #o: ReplicatorOptions;
  #position: LogPosition;
  readonly #waiters = new Map<string, Waiter>();
  /** Callers waiting for the replica to reach a position or a dataVersion. */
  #watchers: { reached(): boolean; resolve(): void }[] = [];
  #tailFailing = false;
  /** Set when entries this replica still needs were trimmed from the stream: it stops applying. */
  #behindTrim: string | null = null;
  #reportedAt = -Infinity;
  #closed = false;
  #loop: Promise<void> = Promise.resolve();

  constructor(options: ReplicatorOptions, start: LogPosition) {
    this.#o = options;
    this.#position = start;
  }

  get position(): LogPosition {
    return this.#position;
  }

  /** Redis cannot be reached by the write or the tail connection. */
  get degraded(): boolean {
    return this.#o.commands.status !== 'ready' || this.#tailFailing || this.#behindTrim !== null;
  }

  /** Why this replica cannot catch up from the stream (entries it needs were trimmed), or null. */
  get behindTrim(): string | null {
    return this.#behindTrim;
  }

  start(): void {
    this.#loop = this.#run();
  }

  /**
   * Appends one write and resolves with its local outcome once this replica
   * has applied it (read-your-writes). Refused at once while Redis is down.
   */
  async append<E extends Entry>(entry: E): Promise<EntryResults[E['op']]> {
    const { commands, stream, url, replicaId, applyTimeoutMs = 30_000 } = this.#o;
    if (this.#closed) throw unavailable(url, 'this replica is shutting down');
    if (this.#behindTrim) throw new AssayError('UNAVAILABLE', this.#behindTrim);
    if (commands.status !== 'ready') throw unavailable(url, `connection ${commands.status}`);
    const token = randomUUID();
    const applied = new Promise<unknown>((resolve, reject) => this.#waiters.set(token, { resolve, reject }));
    try {
      await commands.xadd(stream, '*', 'o', replicaId, 't', token, 'e', encode(entry));
    } catch (err) {
      this.#waiters.delete(token);
      throw unavailable(url, (err as Error).message);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.#waiters.delete(token);
        reject(
          new AssayError(
            'UNAVAILABLE',
            `The write is in the shared log at ${url}, but this replica has not applied it within ${applyTimeoutMs / 1000} s; it will once it catches up. Read it back with the header x-assay-min-version.`,
          ),
        );
      }, applyTimeoutMs);
    });
    try {
      return (await Promise.race([applied, late])) as EntryResults[E['op']];
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Applies entries read from the stream in order. An entry at or before the
   * stored position (a redelivery, or out of order) is skipped. A domain
   * refusal (AssayError) is the same on every replica: the position moves on
   * and the writer gets the error. Any other failure stops here (throws) and
   * is retried from the stored position, so no replica skips an entry.
   */
  async deliver(entries: readonly RawEntry[]): Promise<void> {
    const { store } = this.#o;
    for (const [id, fields] of entries) {
      if (compareIds(id, this.#position.id) <= 0) continue;
      const f = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
      const waiter = this.#waiters.get(f.get('t') ?? '');
      const entry = decode<unknown>(f.get('e') ?? 'null');
      let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
      if (!isEntry(entry)) {
        this.#o.log.warn('skipped a log entry this version cannot read', { id });
        await store.atPosition(id, async () => undefined);
        outcome = { ok: false, error: new Error(`unreadable log entry ${id}`) };
      } else {
        try {
          outcome = { ok: true, value: await store.atPosition(id, () => applyEntry(store, entry)) };
        } catch (error) {
          if (!(error instanceof AssayError)) {
            // Retried from here by the tail loop; the writer hears of the failure now rather than after a timeout.
            if (waiter) this.#waiters.delete(f.get('t')!);
            waiter?.reject(error);
            throw error;
          }
          await store.atPosition(id, async () => undefined);
          outcome = { ok: false, error };
        }
      }
      this.#position = { id, applied: this.#position.applied + 1 };
      if (waiter) {
        this.#waiters.delete(f.get('t')!);
        if (outcome.ok) waiter.resolve(outcome.value);
        else waiter.reject(outcome.error);
      }
      this.#wake();
    }
  }

  /** Resolves once `reached()` holds after an applied entry, or false after `timeoutMs`. */
  until(reached: () => boolean, timeoutMs: number): Promise<boolean> {
    if (reached()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const w = {
        reached,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.#watchers = this.#watchers.filter((x) => x !== w);
        resolve(false);
      }, timeoutMs);
      this.#watchers.push(w);
    });
  }

  /** The stream's head and this replica's lag; nulls while Redis cannot be reached. */
  async head(): Promise<{ head: string | null; lag: number | null }> {
    try {
      const info = (await this.#o.commands.xinfo('STREAM', this.#o.stream)) as unknown[];
      const field = (name: string) => info[info.indexOf(name) + 1];
      const head = String(field('last-generated-id'));
      const added = Number(field('entries-added'));
      // entries-added counts every XADD since the stream was created (Redis 7).
      return { head, lag: Math.max(0, added - this.#position.applied) };
    } catch (err) {
      if (/no such key/i.test((err as Error).message)) return { head: '0-0', lag: 0 };
      return { head: null, lag: null };
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#o.tail.disconnect();
    await this.#loop;
    for (const w of this.#waiters.values())
      w.reject(unavailable(this.#o.url, 'this replica is shutting down'));
    this.#waiters.clear();
  }

  #wake(): void {
    const ready = this.#watchers.filter((w) => w.reached());
    if (!ready.length) return;
    this.#watchers = this.#watchers.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  /**
   * Entries after this replica's position that the stream no longer holds (trimmed while it was
   * away) cannot be read back: applying what follows them would silently diverge. Checked before
   * the first read and after every outage, the only times such a gap can open.
   */
  async #checkNotBehindTrim(): Promise<boolean> {
    const { commands, stream, replicaId, log } = this.#o;
    let info: unknown[];
    try {
      info = (await commands.xinfo('STREAM', stream)) as unknown[];
    } catch (err) {
      if (/no such key/i.test((err as Error).message)) return true;
      throw err;
    }
    const field = (name: string): unknown => info[info.indexOf(name) + 1];
    // XTRIM leaves max-deleted-entry-id alone, so count instead: the entries added after this
    // replica's position must all still be in the stream when the stream starts after it.
    const first = String(field('recorded-first-entry-id') ?? '0-0');
    const missing = Number(field('entries-added')) - this.#position.applied - Number(field('length'));
    if (compareIds(this.#position.id, first) >= 0 || missing <= 0) return true;
    this.#behindTrim =
      `Replica ${replicaId} stopped at position ${this.#position.id}, but the shared log was trimmed while it was away (it now starts at ${first}; ${missing} entries this replica needs are gone), so it cannot catch up from the log. ` +
      "Restart it with an empty database file and --snapshot-dir pointing at the replicas' snapshots: it then starts from the newest snapshot.";
    log.error('replica is behind the trimmed shared log', {
      position: this.#position.id,
      firstEntry: first,
      missing,
    });
    return false;
  }

  /** Reports where this replica stands (the trim's floor), after applying and as a heartbeat when idle. */
  #report(applied: boolean): void {
    const { commands, stream, replicaId, reportEveryMs = 5000, clock = Date.now } = this.#o;
    const now = clock();
    if (!applied && now - this.#reportedAt < reportEveryMs) return;
    this.#reportedAt = now;
    commands.hset(`${stream}:positions`, replicaId, `${this.#position.id} ${now}`).catch(() => undefined);
  }

  async #run(): Promise<void> {
    const { tail, stream, batch = 100, retryMs = 250, log } = this.#o;
    let checked = false;
    while (!this.#closed) {
      let reply: unknown;
      try {
        if (!checked && !(await this.#checkNotBehindTrim())) return;
        checked = true;
        reply = await tail.xread('COUNT', batch, 'BLOCK', 1000, 'STREAMS', stream, this.#position.id);
        if (this.#tailFailing)
          log.info('shared log reachable again; catching up', { position: this.#position.id });
        this.#tailFailing = false;
      } catch (err) {
        if (this.#closed) return;
        if (!this.#tailFailing)
          log.warn('cannot read the shared log; retrying', {
            error: (err as Error).message,
            url: this.#o.url,
          });
        this.#tailFailing = true;
        checked = false;
        await new Promise((resolve) => setTimeout(resolve, retryMs));
        continue;
      }
      try {
        for (const [, entries] of (reply ?? []) as [string, RawEntry[]][]) await this.deliver(entries);
        // Where each replica stands, so the stream is trimmed only behind all of them.
        this.#report(reply != null);
      } catch (err) {
        if (this.#closed) return;
        // Not a refusal every replica shares (disk, memory): stop here and retry from the stored position.
        log.error('applying a log entry failed; retrying', {
          error: (err as Error).message,
          after: this.#position.id,
        });
        await new Promise((resolve) => setTimeout(resolve, retryMs * 4));
      }
    }
  }
}
