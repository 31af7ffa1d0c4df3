import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Plugin } from 'graphql-yoga';
import { operationMetrics, type Executed } from './metrics-operations.ts';
import { registerSourceGauges, type MetricsSources } from './metrics-gauges.ts';

export interface Metrics {
  readonly registry: Registry;
  /** Counts one HTTP request by route and status when its response ends. */
  observeRequest(res: ServerResponse, route: string): void;
  /** A Yoga plugin: each executed GraphQL operation by name, type and outcome, with its duration. */
  readonly plugin: Plugin;
  webhookOutcome(status: string): void;
  alertEvaluated(kind: string, failed: boolean): void;
  /** The Prometheus text exposition. */
  render(): Promise<{ contentType: string; body: string }>;
  /** The GraphQL operation a request executed, for its log line; undefined when it executed none. */
  operationOf(req: IncomingMessage): Executed | undefined;
}

/**
 * Prometheus metrics of one gateway process (prom-client): requests, GraphQL
 * operations, ingest, both caches, DuckDB statements, live subscribers and
 * dropped events, webhook deliveries, alert evaluations, and Node's own
 * (event-loop lag, resident memory, heap, GC). A registry per app, so tests
 * build as many as they like.
 */
export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'assay_' });
  registerSourceGauges(registers, sources);

  const requests = new Counter({
    name: 'assay_http_requests_total',
    help: 'HTTP requests by route and status.',
    labelNames: ['route', 'status'] as const,
    registers,
  });
  const requestSeconds = new Histogram({
    name: 'assay_http_request_duration_seconds',
    help: 'HTTP request duration by route, to the end of the response.',
    labelNames: ['route'] as const,
    registers,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  const operations = new Counter({
    name: 'assay_graphql_operations_total',
    help: 'GraphQL operations executed, by operation name, type and outcome (ok, error).',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers,
  });
  const operationSeconds = new Histogram({
    name: 'assay_graphql_operation_duration_seconds',
    help: 'GraphQL execution time by operation name (queries and mutations; answers from the response cache are not executed).',
    labelNames: ['operation'] as const,
    registers,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const ingestBatches = new Counter({
    name: 'assay_ingest_batches_total',
    help: 'Ingest batches committed (every ingested event this process saw).',
    registers,
  });
  const ingestResults = new Counter({
    name: 'assay_ingest_results_total',
    help: 'Results stored by committed ingest batches, duplicates left out.',
    registers,
  });
  const webhooks = new Counter({
    name: 'assay_webhook_deliveries_total',
    help: 'Webhook delivery outcomes by status.',
    labelNames: ['status'] as const,
    registers,
  });
  const evaluations = new Counter({
    name: 'assay_alert_evaluations_total',
    help: 'Alert rule evaluations after ingests, by rule kind and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    registers,
  });

  sources.pubsub.observe('ingested', (e) => {
    ingestBatches.inc();
    ingestResults.inc(e.accepted);
  });

  const { plugin, operationOf } = operationMetrics(operations, operationSeconds);

  return {
    registry,
    plugin,
    observeRequest(res, route) {
      const end = requestSeconds.startTimer({ route });
      res.once('close', () => {
        end();
        requests.inc({ route, status: String(res.statusCode) });
      });
    },
    webhookOutcome: (status) => webhooks.inc({ status }),
    alertEvaluated: (kind, failed) => evaluations.inc({ kind, outcome: failed ? 'error' : 'ok' }),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
    operationOf,
  };
}
