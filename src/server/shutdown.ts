import type { Server } from 'node:http';
import type { WebhookDispatcher } from '../alerts/webhooks.ts';
import type { Cluster } from '../cluster/index.ts';
import type { Database } from '../db/database.ts';
import { writeSnapshot } from '../db/snapshot.ts';
import type { AlertEvaluator } from '../domain/alerts.ts';
import type { BufferedPubSub } from '../pubsub/index.ts';
import type { Logger } from './logger.ts';
import type { AssayYoga } from './yoga.ts';

/**
 * A replica with a snapshot directory writes a snapshot every `everyMs` and trims the shared
 * log up to it; null when there is nothing to schedule.
 */
export function scheduleSnapshots(
  cluster: Cluster | null,
  db: Database,
  dir: string | undefined,
  everyMs: number,
  log: Logger,
): NodeJS.Timeout | null {
  if (!cluster || !dir || everyMs <= 0) return null;
  return setInterval(() => {
    writeSnapshot(db, dir)
      .then(async (s) => log.info('snapshot written', { ...s, trimmed: await cluster.trim(s.position) }))
      .catch((error: unknown) => log.error('snapshot or trim failed', { error }));
  }, everyMs).unref();
}

/** Everything a graceful shutdown stops, in the order it stops them. */
export interface ShutdownParts {
  readonly snapshots: NodeJS.Timeout | null;
  readonly pubsub: BufferedPubSub;
  readonly ws: { close(): Promise<void> };
  readonly server: Server;
  readonly yoga: AssayYoga;
  readonly cluster: Cluster | null;
  readonly alerts: AlertEvaluator;
  readonly webhooks: WebhookDispatcher;
  readonly store: { close(): Promise<void> };
  readonly log: Logger;
  readonly db: string;
}

/** Stops taking requests, then closes sockets, the alert work and the store; lingering connections are cut after 5 s. */
export async function shutdown(parts: ShutdownParts): Promise<void> {
  const { server, cluster } = parts;
  if (parts.snapshots) clearInterval(parts.snapshots);
  // Subscriptions end first: SSE streams and graphql-ws subscribers get their `complete`, not a cut connection.
  parts.pubsub.close();
  await parts.ws.close();
  await new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5000).unref();
  });
  await parts.yoga.dispose();
  // Stop taking work; deliveries that close() cuts short stay in the log for another replica.
  const stopping = cluster?.stopEvaluating();
  await parts.alerts.idle();
  await parts.webhooks.close();
  await stopping;
  await cluster?.close();
  await parts.store.close();
  parts.log.info('assay gateway stopped', { db: parts.db });
}
