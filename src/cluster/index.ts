import { randomUUID } from 'node:crypto';
import { compareIds, redactUrl, STREAM_ID } from './codec.ts';
import { connect, ready } from './connection.ts';
import { evaluations as evaluationWork, firedAlertOf, GroupWork } from './evaluations.ts';
import { RedisEventTarget } from './event-target.ts';
import { replicatedStore } from './replicated-store.ts';
import { parseReport, Replicator, type ClusterLog } from './replicator.ts';
import type { Redis } from 'ioredis';
import { AssayError } from '../domain/errors.ts';
import type { IngestNotice } from '../domain/alerts.ts';
import type { ReplicaStatus } from '../domain/gateway.ts';
import type { PositionedStore, Store } from '../domain/ports.ts';

export interface ClusterOptions {
  /** e.g. redis://127.0.0.1:6379 */
  readonly url: string;
  readonly replicaId: string;
  readonly store: PositionedStore;
  readonly log: ClusterLog;
  /** The stream key; its pub/sub channel is `<stream>:events`. @default 'assay:log' */
  readonly stream?: string;
  /** Longest a query with `x-assay-min-version` waits for this replica to get there. @default 2000 */
  readonly minVersionWaitMs?: number;
  /** Longest a write waits to be applied here after the stream took it. @default 30000 */
  readonly applyTimeoutMs?: number;
  /** An ingest another replica was handed to evaluate and has not acknowledged for this long is taken over. @default 30000 */
  readonly claimIdleMs?: number;
  /**
   * A replica that has not reported its position for this long is taken for gone: it no longer
   * holds the stream's trim back (if it returns, it must start again from a snapshot). @default 86400000 (a day)
   */
  readonly replicaGoneMs?: number;
  /** The clock of position reports and of `replicaGoneMs`, in ms. @default Date.now */
  readonly clock?: () => number;
}

export interface Cluster {
  readonly replicaId: string;
  /** The store resolvers use: local reads, writes through the shared log. */
  readonly store: Store;
  /** The pub/sub's event target: events reach the subscribers of every replica. */
  readonly eventTarget: EventTarget;
  /** Tails and applies the stream (tests hand it entries directly to simulate a redelivery). */
  readonly replicator: Replicator;
  readonly degraded: boolean;
  status(): Promise<ReplicaStatus>;
  /**
   * Waits until this replica has applied a stream position (`<ms>-<seq>`) or
   * reached a dataVersion (an integer, as `ingest` returns it).
   * @throws {AssayError} BAD_USER_INPUT for another form, STALE_REPLICA when not reached in time.
   */
  waitFor(minVersion: string): Promise<void>;
  /**
   * Takes part in evaluating alert rules: this replica gets its share of the
   * stream's ingests (a Redis consumer group) and hands each to `evaluate`
   * once it has applied it.
   */
  evaluateAlerts(evaluate: (notice: IngestNotice) => Promise<void>): void;
  /**
   * Takes part in delivering alerts' webhooks: each alert fired anywhere in the cluster is handed
   * to one replica (a second consumer group over the stream), which calls `deliver` once it has
   * applied the alert and acknowledges it only when `deliver` resolves true. An alert whose
   * replica died or shut down before its webhooks had their outcome is delivered by another
   * (at least once: a receiver may see a repeat after a crash mid-post, with the same alert id).
   */
  deliverAlerts(deliver: (alertId: string) => Promise<boolean>): void;
  /** Stops taking ingests to evaluate and alerts to deliver (before the alert engine and webhooks shut down). */
  stopEvaluating(): Promise<void>;
  /**
   * Trims the stream behind `snapshot` (a snapshot's position) and every
   * replica's reported position; resolves with the entries removed. A replica
   * silent for `replicaGoneMs` no longer counts: it is dropped from the reports.
   */
  trim(snapshot: string): Promise<number>;
  /** Resolves when events published and received so far have been handled. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Joins this process to the replicas sharing `url`: tails the stream from the store's position. */
export async function createCluster(options: ClusterOptions): Promise<Cluster> {
  const {
    url: rawUrl,
    replicaId,
    store: local,
    log,
    stream = 'assay:log',
    minVersionWaitMs = 2000,
    applyTimeoutMs = 30_000,
    claimIdleMs = 30_000,
    replicaGoneMs = 86_400_000,
    clock = Date.now,
  } = options;
  const url = redactUrl(rawUrl);
  const { commands, subscriber, replicator, events } = await join({
    rawUrl,
    url,
    local,
    log,
    stream,
    replicaId,
    applyTimeoutMs,
    minVersionWaitMs,
    clock,
  });
  replicator.start();
  const workers: GroupWork<unknown>[] = [];
  const work = <T>(w: GroupWork<T>): void => {
    workers.push(w as GroupWork<unknown>);
    w.start();
  };
  const stopWork = async (): Promise<void> => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
  };
  log.info('replica joined the shared log', { replicaId, url, stream, position: replicator.position.id });
  const group = { stream, consumer: replicaId, replicator, log, claimIdleMs };

  return {
    replicaId,
    store: replicatedStore(local, (entry) => replicator.append(entry), randomUUID),
    eventTarget: events,
    replicator,
    get degraded() {
      return replicator.degraded;
    },
    async status() {
      const { head, lag } = await replicator.head();
      const { id, applied } = replicator.position;
      return { id: replicaId, redis: url, position: id, applied, head, lag, degraded: replicator.degraded };
    },
    waitFor: (minVersion) => waitFor({ replicaId, url, local, replicator, minVersionWaitMs }, minVersion),
    evaluateAlerts(evaluate) {
      work(evaluationWork({ ...group, redis: connect(rawUrl, log, 'evaluations'), evaluate }));
    },
    deliverAlerts(deliver) {
      work(
        new GroupWork({
          ...group,
          redis: connect(rawUrl, log, 'webhooks'),
          group: `${stream}:webhooks`,
          pick: firedAlertOf,
          handle: deliver,
          label: 'alert webhook',
        }),
      );
    },
    stopEvaluating: stopWork,
    trim: (snapshot) => trim({ commands, stream, log, clock, replicaGoneMs }, snapshot),
    idle: () => events.idle(),
    async close() {
      await stopWork();
      await events.idle();
      await replicator.close();
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}

/**
 * Opens the connections, the replicator at the store's position and the events' channel, and
 * creates the consumer groups; the replicator is not started yet.
 */
async function join(o: {
  rawUrl: string;
  url: string;
  local: PositionedStore;
  log: ClusterLog;
  stream: string;
  replicaId: string;
  applyTimeoutMs: number;
  minVersionWaitMs: number;
  clock: () => number;
}) {
  const { rawUrl, local, log, stream } = o;
  const commands = connect(rawUrl, log, 'commands');
  const tail = connect(rawUrl, log, 'tail');
  const subscriber = connect(rawUrl, log, 'subscriber');
  const replicator = new Replicator(
    {
      store: local,
      commands,
      tail,
      stream,
      url: o.url,
      replicaId: o.replicaId,
      log,
      applyTimeoutMs: o.applyTimeoutMs,
      clock: o.clock,
    },
    await local.position(),
  );
  const reach = (id: string) =>
    replicator.until(() => compareIds(replicator.position.id, id) >= 0, o.minVersionWaitMs);
  const events = new RedisEventTarget({
    publisher: commands,
    subscriber,
    channel: `${stream}:events`,
    position: () => replicator.position.id,
    reach,
    log,
  });
  // Redis may be down at start: the replica serves reads, refuses writes, and joins when it returns.
  await Promise.all([commands, tail, subscriber].map((r) => ready(r, 2000)));
  await events
    .listen()
    .catch((error: unknown) =>
      log.warn('not subscribed to replica events yet', { error: (error as Error).message }),
    );
  await createGroups(commands, stream, log);
  return { commands, subscriber, replicator, events };
}

/**
 * Creates the consumer groups before this replica takes a write: a group created later, at '$',
 * would never hand out the entries appended in between (their alerts never evaluated or sent).
 */
async function createGroups(commands: Redis, stream: string, log: ClusterLog): Promise<void> {
  for (const group of [`${stream}:alerts`, `${stream}:webhooks`])
    await commands.xgroup('CREATE', stream, group, '$', 'MKSTREAM').catch((err: unknown) => {
      if (!/BUSYGROUP/.test((err as Error).message))
        log.warn('consumer group not created yet', { group, error: (err as Error).message });
    });
}

/** Cluster.waitFor: a stream position or a dataVersion, reached within minVersionWaitMs. */
async function waitFor(
  r: {
    replicaId: string;
    url: string;
    local: PositionedStore;
    replicator: Replicator;
    minVersionWaitMs: number;
  },
  minVersion: string,
): Promise<void> {
  const { replicator, local } = r;
  const v = minVersion.trim();
  let reached: () => boolean;
  if (STREAM_ID.test(v)) reached = () => compareIds(replicator.position.id, v) >= 0;
  else if (/^\d+$/.test(v)) reached = () => local.dataVersion >= Number(v);
  else
    throw new AssayError(
      'BAD_USER_INPUT',
      `x-assay-min-version must be a dataVersion (an integer, as ingest returns it) or a stream position such as 1700000000000-0 (got "${minVersion}").`,
    );
  if (await replicator.until(reached, r.minVersionWaitMs)) return;
  throw new AssayError(
    'STALE_REPLICA',
    `Replica ${r.replicaId} has not reached ${v} within ${r.minVersionWaitMs / 1000} s (it is at position ${replicator.position.id}, dataVersion ${local.dataVersion}${replicator.degraded ? `; the shared log at ${r.url} cannot be reached` : ''}). Retry, or ask another replica.`,
  );
}

/** Cluster.trim: behind the snapshot and every replica's reported position, dropping replicas gone silent. */
async function trim(
  r: { commands: Redis; stream: string; log: ClusterLog; clock: () => number; replicaGoneMs: number },
  snapshot: string,
): Promise<number> {
  const { commands, stream, log } = r;
  const reports = await commands.hgetall(`${stream}:positions`);
  const positions: string[] = [];
  for (const [replica, value] of Object.entries(reports)) {
    const { position, at } = parseReport(value);
    if (at !== null && r.clock() - at > r.replicaGoneMs) {
      log.warn('replica silent too long: the stream is trimmed without it', { replica, position, at });
      await commands.hdel(`${stream}:positions`, replica);
    } else positions.push(position);
  }
  const floor = [snapshot, ...positions].reduce((a, b) => (compareIds(a, b) <= 0 ? a : b));
  // MINID keeps entries at or after the floor: every replica and the snapshot have what they need.
  return Number(await commands.xtrim(stream, 'MINID', floor));
}
