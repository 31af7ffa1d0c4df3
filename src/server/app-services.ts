import { createQueryCache } from '../cache/query-cache.ts';
import { createWebhookDispatcher, type WebhookDispatcher } from '../alerts/webhooks.ts';
import type { AlertEvaluator } from '../domain/alerts.ts';
import type { QueryCache } from '../domain/ports.ts';
import { createPubSub, type BufferedPubSub } from '../pubsub/index.ts';
import { createAlertEngine } from '../../resolvers/alert-engine.ts';
import { quarantineAfterIngest } from '../../resolvers/quarantine.ts';
import type { AppConfig, Settings } from './app-config.ts';
import type { AppData } from './app-data.ts';
import { bearer, type Keyring } from './auth.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { useResponseCache, type ResponseCache } from './response-cache.ts';

/** What the GraphQL layer and the HTTP pipeline share, built over the data. */
export interface AppServices {
  readonly cache: QueryCache;
  readonly responses: ResponseCache;
  readonly pubsub: BufferedPubSub;
  readonly metrics: Metrics;
  readonly webhooks: WebhookDispatcher;
  readonly alerts: AlertEvaluator;
}

/** The whole-response cache; keys for different projects see different answers to the same query. */
function responseCacheFor(store: AppData['store'], keys: Keyring): ResponseCache {
  return useResponseCache({
    dataVersion: () => store.dataVersion,
    ...(keys.required && {
      partition: (authorization: string | null) => {
        try {
          return JSON.stringify(keys.authenticate(bearer(authorization)).key.projects);
        } catch {
          return '?';
        }
      },
    }),
  });
}

/**
 * The caches, the pub/sub (over the cluster's event target on a replica), the metrics, and the
 * alerts: rule evaluation after each ingest and webhook delivery. A single process evaluates
 * and delivers where the ingest was taken; replicas evaluate each ingest once in the cluster
 * (src/cluster/evaluations.ts) and deliver through the shared log, so a replica that dies
 * first loses nothing.
 */
export function createServices(
  config: AppConfig,
  { log, now }: Settings,
  { store, cluster, data }: AppData,
  keys: Keyring,
): AppServices {
  const cache = createQueryCache({ dataVersion: () => store.dataVersion, ...config.cache });
  const pubsub = createPubSub(cluster ? { eventTarget: cluster.eventTarget } : {});
  const responses = responseCacheFor(store, keys);
  const metrics = createMetrics({
    pubsub,
    cache,
    responses,
    db: store.db,
    dataVersion: () => store.dataVersion,
  });
  const webhooks = createWebhookDispatcher({
    onOutcome: (alertId, delivery) => {
      metrics.webhookOutcome(delivery.status);
      return data.recordDelivery(alertId, delivery);
    },
    log,
    now,
    ...config.webhooks,
  });
  const engine = createAlertEngine({
    store: data,
    pubsub,
    notify: (alert) => {
      if (!cluster) webhooks.send(alert);
    },
    onError: (error, rule) => log.error('alert rule evaluation failed', { error, rule: rule.id }),
    onEvaluated: (rule, failed) => metrics.alertEvaluated(rule.kind, failed),
    afterIngest: quarantineAfterIngest({ store: data, cache, pubsub, now }),
    onAfterIngestError: (error) => log.error('quarantine evaluation failed', { error }),
  });
  const alerts: AlertEvaluator = cluster ? { onIngest: () => undefined, idle: () => engine.idle() } : engine;
  cluster?.evaluateAlerts((notice) => {
    engine.onIngest(notice);
    return engine.idle();
  });
  cluster?.deliverAlerts(async (alertId) => {
    const alert = await store.alert(alertId);
    return alert ? webhooks.deliver(alert) : true;
  });
  return { cache, responses, pubsub, metrics, webhooks, alerts };
}
