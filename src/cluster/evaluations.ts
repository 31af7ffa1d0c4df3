import type { Redis } from 'ioredis';
import { compareIds, decode } from './codec.ts';
import { isEntry } from './entries.ts';
import type { ClusterLog, RawEntry, Replicator } from './replicator.ts';
import type { IngestNotice } from '../domain/ports.ts';

export interface EvaluationsOptions {
  /** A connection of its own: XREADGROUP BLOCK holds it. */
  readonly redis: Redis;
  readonly stream: string;
  /** The consumer group every replica joins. @default '<stream>:alerts' */
  readonly group?: string;
  /** This replica's consumer name: stable, so after a restart it reads what it had not acknowledged. */
  readonly consumer: string;
  readonly replicator: Replicator;
  /** Evaluates the rules for one ingest; resolves when done. */
  readonly evaluate: (notice: IngestNotice) => Promise<void>;
  readonly log: ClusterLog;
  /** An entry a consumer has held this long unacknowledged (it died) is taken over. @default 30000 */
  readonly claimIdleMs?: number;
}

/** What the alert engine needs of an ingest entry: the run and the latest start time in the batch. */
function noticeOf(fields: readonly string[]): IngestNotice | null {
  const i = fields.indexOf('e');
  const entry = i >= 0 && i % 2 === 0 ? decode<unknown>(fields[i + 1] ?? 'null') : null;
  if (!isEntry(entry) || entry.op !== 'ingest' || !entry.batch.results.length) return null;
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
export class Evaluations {
  readonly #o: EvaluationsOptions;
  #closed = false;
  #loop: Promise<void> = Promise.resolve();

  constructor(options: EvaluationsOptions) {
    this.#o = options;
  }

  get #group(): string {
    return this.#o.group ?? `${this.#o.stream}:alerts`;
  }

  start(): void {
    this.#loop = this.#run();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#o.redis.disconnect();
    await this.#loop;
  }

  async #handle(entries: readonly RawEntry[]): Promise<void> {
    const { redis, stream, replicator, evaluate } = this.#o;
    for (const [id, fields] of entries) {
      if (this.#closed) return;
      const notice = fields ? noticeOf(fields) : null;
      if (notice) {
        // Evaluate against data that holds the entry.
        while (!(await replicator.until(() => compareIds(replicator.position.id, id) >= 0, 1000)))
          if (this.#closed) return;
        await evaluate(notice);
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
          await this.#handle(claimed[1] ?? []);
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
        await this.#handle(entries);
        failing = false;
      } catch (err) {
        if (this.#closed) return;
        if (!failing) log.warn('alert evaluation group: retrying', { error: (err as Error).message });
        failing = true;
        joined = false;
        pending = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
}
