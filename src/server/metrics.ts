import type { IncomingMessage, ServerResponse } from 'node:http';
import { Kind, OperationTypeNode, type DocumentNode } from 'graphql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Plugin } from 'graphql-yoga';
import type { BufferedPubSub } from '../pubsub/index.ts';
import type { QueryCache } from '../domain/ports.ts';
import type { ResponseCache } from './response-cache.ts';

/** What the metrics read on each scrape. */
export interface MetricsSources {
  readonly pubsub: BufferedPubSub;
  readonly cache: QueryCache;
  readonly responses: ResponseCache;
  readonly db: { readonly statements: number; readonly statementMs: number };
  readonly dataVersion: () => number;
}

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
  operationOf(
    req: IncomingMessage,
  ): { readonly operation: string; readonly outcome: 'ok' | 'error' } | undefined;
}

/** A client's operation name as a label: bounded in length and alphabet, so it cannot flood the series. */
const opLabel = (name: string | null | undefined): string =>
  name && /^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(name) ? name : 'anonymous';

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

  const { pubsub, cache, responses, db, dataVersion } = sources;
  new Gauge({
    name: 'assay_data_version',
    help: 'The dataVersion the caches key on.',
    registers,
    collect() {
      this.set(dataVersion());
    },
  });
  new Gauge({
    name: 'assay_cache_lookups',
    help: 'Lookups of the answer cache (query) and the whole-response cache (response) since start, by result.',
    labelNames: ['cache', 'result'] as const,
    registers,
    collect() {
      const q = cache.stats();
      const r = responses.stats();
      this.set({ cache: 'query', result: 'hit' }, q.hits);
      this.set({ cache: 'query', result: 'miss' }, q.misses);
      this.set({ cache: 'response', result: 'hit' }, r.hits);
      this.set({ cache: 'response', result: 'miss' }, r.misses);
    },
  });
  new Gauge({
    name: 'assay_cache_hit_ratio',
    help: 'Hits / lookups since start, by cache; NaN before the first lookup.',
    labelNames: ['cache'] as const,
    registers,
    collect() {
      for (const [name, s] of [
        ['query', cache.stats()],
        ['response', responses.stats()],
      ] as const)
        this.set({ cache: name }, s.hits / (s.hits + s.misses));
    },
  });
  new Gauge({
    name: 'assay_duckdb_statements',
    help: 'SQL statements DuckDB ran since start.',
    registers,
    collect() {
      this.set(db.statements);
    },
  });
  new Gauge({
    name: 'assay_duckdb_statement_seconds',
    help: 'Time DuckDB spent running those statements since start (streams excluded).',
    registers,
    collect() {
      this.set(db.statementMs / 1000);
    },
  });
  new Gauge({
    name: 'assay_subscribers',
    help: 'Live subscriptions of this process, by topic.',
    labelNames: ['topic'] as const,
    registers,
    collect() {
      for (const [topic, n] of Object.entries(pubsub.stats().subscribers)) this.set({ topic }, n);
    },
  });
  new Gauge({
    name: 'assay_events_dropped',
    help: 'Events dropped by overflowing subscriber buffers since start.',
    registers,
    collect() {
      this.set(pubsub.stats().dropped);
    },
  });

  pubsub.observe('ingested', (e) => {
    ingestBatches.inc();
    ingestResults.inc(e.accepted);
  });

  // Yoga's server context carries the Node request: the request log reads the operation from it.
  const executed = new WeakMap<IncomingMessage, { operation: string; outcome: 'ok' | 'error' }>();
  const plugin: Plugin = {
    onExecute({ args }) {
      const req = (args.contextValue as { req?: IncomingMessage }).req;
      const op = (args.document as DocumentNode).definitions.find(
        (d) =>
          d.kind === Kind.OPERATION_DEFINITION &&
          (!args.operationName || d.name?.value === args.operationName),
      );
      const type = op?.kind === Kind.OPERATION_DEFINITION ? op.operation : 'query';
      const operation = opLabel(
        (args.operationName as string | null | undefined) ??
          (op?.kind === Kind.OPERATION_DEFINITION ? op.name?.value : null),
      );
      const at = performance.now();
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result && Array.isArray(result.errors) && result.errors.length > 0;
          operations.inc({ operation, type, outcome: errors ? 'error' : 'ok' });
          if (req) executed.set(req, { operation, outcome: errors ? 'error' : 'ok' });
          if (type !== OperationTypeNode.SUBSCRIPTION)
            operationSeconds.observe({ operation }, (performance.now() - at) / 1000);
        },
      };
    },
  };

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
    operationOf: (req) => executed.get(req),
  };
}
