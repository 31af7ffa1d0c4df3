import type { Redis } from 'ioredis';
import { compareIds, decode } from './codec.ts';
import { ready } from './connection.ts';
import { isEntry, type Entry } from './entries.ts';
import type { ClusterLog, RawEntry, Replicator } from './replicator.ts';
import type { IngestNotice } from '../domain/alerts.ts';

export interface GroupWorkOptions<T> {
  /** A connection of its own: XREADGROUP BLOCK holds it. */
  readonly redis: Redis;
  readonly stream: string;
  /** The consumer group every replica joins. */
  readonly group: string;
  /** This replica's consumer name: stable, so after a restart it reads what it had not acknowledged. */
  readonly consumer: string;
  readonly replicator: Replicator;
  /** The work an entry carries, or null when it carries none (it is acknowledged at once). */
  readonly pick: (fields: readonly string[]) => T | null;
  /**
   * Does the work once this replica has applied the entry. Resolving false leaves the entry
   * unacknowledged, for this consumer after a restart or for another once it has been idle.
   */
  readonly handle: (work: T) => Promise<boolean | void>;
  /** What the logs call this group's work. */
  readonly label: string;
  readonly log: ClusterLog;
  /** An entry a consumer has held this long unacknowledged (it died) is taken over. @default 30000 */
  readonly claimIdleMs?: number;
}

export interface EvaluationsOptions
  extends Omit<GroupWorkOptions<IngestNotice>, 'group' | 'pick' | 'handle' | 'label'> {
  /** The consumer group every replica joins. @default '<stream>:alerts' */
  readonly group?: string;
  /** Evaluates the rules for one ingest; resolves when done. */
  readonly evaluate: (notice: IngestNotice) => Promise<void>;
}

/** The log entry a stream entry's fields carry (under `e`), or null when they carry none. */
function entryOf(fields: readonly string[]): Entry | null {
  const i = fields.indexOf('e');
  const entry = i >= 0 && i % 2 === 0 ? decode<unknown>(fields[i + 1] ?? 'null') : null;
  return isEntry(entry) ? entry : null;
}

/** The alert a `fireAlert` entry stores: the id its webhooks are delivered for. */
export function firedAlertOf(fields: readonly string[]): string | null {
  const entry = entryOf(fields);
  return entry?.op === 'fireAlert' ? entry.id : null;
}

/** What the alert engine needs of an ingest entry: the run and the latest start time in the batch. */
function noticeOf(fields: readonly string[]): IngestNotice | null {
  const entry = entryOf(fields);
  if (entry?.op !== 'ingest' || !entry.batch.results.length) return null;
  const { run, results } = entry.batch;
  const at = results.reduce((t, r) => Math.max(t, r.startedAt.getTime()), run.startedAt.getTime());
  return { runId: run.id, project: run.project, branch: run.branch, at: new Date(at) };
}

/**
 * Alert rules are evaluated once per ingest in the cluster: the stream's
 * ingest entries are shared out through a Redis consumer group. A replica
 * evaluates an entry once it has applied it, then acknowledges it; entries a
 * dead replica held are claimed by another after `claimIdleMs`. A crash
 * between evaluating and acknowledging evaluates the entry again, which the
 * alert states make harmless (a group already firing does not fire again).
 */
export function evaluations(options: EvaluationsOptions): GroupWork<IngestNotice> {
  const { group, evaluate, ...rest } = options;
  return new GroupWork({
    ...rest,
    group: group ?? `${options.stream}:alerts`,
    pick: noticeOf,
    handle: evaluate,
    label: 'alert evaluation',
  });
}

/**
 * Work shared out over the stream's entries through a Redis consumer group:
 * each entry's work is done once in the cluster, by the replica it was handed
 * to, after that replica has applied the entry; an entry acknowledged only
 * once its work is done is taken over by another replica when its holder dies.
 */
export class GroupWork<T> {
  readonly #o: GroupWorkOptions<T>;
  #closed = false;
  #loop: Promise<void> = Promise.resolve();

  constructor(options: GroupWorkOptions<T>) {
    this.#o = options;
  }

  get #group(): string {
    return this.#o.group;
  }

  start(): void {
    this.#loop = this.#run();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#o.redis.disconnect();
    await this.#loop;
  }

  /**
   * `redelivered`: entries handed out before (pending after a restart, or claimed from a dead
   * consumer). Their first handling may have written to the log after them (a fired alert and its
   * state), so they wait for everything in the stream when they are read, not just for themselves.
   */
  async #handle(entries: readonly RawEntry[], redelivered = false): Promise<void> {
    const { redis, stream, replicator, pick, handle } = this.#o;
    const head = redelivered && entries.length ? (await replicator.head()).head : null;
    for (const [id, fields] of entries) {
      if (this.#closed) return;
      const work = fields ? pick(fields) : null;
      if (work !== null) {
        // Work on data that holds the entry (and, redelivered, what its first handling wrote).
        const upTo = head !== null && compareIds(head, id) > 0 ? head : id;
        while (!(await replicator.until(() => compareIds(replicator.position.id, upTo) >= 0, 1000)))
          if (this.#closed) return;
        if ((await handle(work)) === false) return;
      }
      await redis.xack(stream, this.#group, id);
    }
  }

  async #run(): Promise<void> {
    const { redis, stream, consumer, log, claimIdleMs = 30_000 } = this.#o;
    let joined = false;
    let pending = true;
    let lastClaim = 0;
    let failing = false;
    while (!this.#closed) {
      // A connection not ready yet (just opened) or any more (Redis away) is waited for, not failed
      // on: with no offline queue a command would throw, and the connection logs its own errors.
      if (redis.status !== 'ready') {
        await ready(redis, 250);
        continue;
      }
      try {
        if (!joined) {
          // '$': a new group starts with what is appended from now on.
          await redis.xgroup('CREATE', stream, this.#group, '$', 'MKSTREAM').catch((err: unknown) => {
            if (!/BUSYGROUP/.test((err as Error).message)) throw err;
          });
          joined = true;
        }
        if (performance.now() - lastClaim > claimIdleMs) {
          lastClaim = performance.now();
          const claimed = (await redis.xautoclaim(
            stream,
            this.#group,
            consumer,
            claimIdleMs,
            '0-0',
            'COUNT',
            100,
          )) as [string, RawEntry[]];
          await this.#handle(claimed[1] ?? [], true);
        }
        // First what this consumer was handed before a restart and never acknowledged, then new entries.
        const reply = (await redis.xreadgroup(
          'GROUP',
          this.#group,
          consumer,
          'COUNT',
          10,
          'BLOCK',
          1000,
          'STREAMS',
          stream,
          pending ? '0' : '>',
        )) as [string, RawEntry[]][] | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (pending && !entries.length) pending = false;
        await this.#handle(entries, pending);
        failing = false;
      } catch (err) {
        if (this.#closed) return;
        if (!failing) log.warn(`${this.#o.label} group: retrying`, { error: (err as Error).message });
        failing = true;
        joined = false;
        pending = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
}
