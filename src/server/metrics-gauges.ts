import { Gauge, type Registry } from 'prom-client';
import type { QueryCache } from '../domain/ports.ts';
import type { BufferedPubSub } from '../pubsub/index.ts';
import type { ResponseCache } from './response-cache.ts';

/** What the metrics read on each scrape. */
export interface MetricsSources {
  readonly pubsub: BufferedPubSub;
  readonly cache: QueryCache;
  readonly responses: ResponseCache;
  readonly db: {
    readonly statements: number;
    readonly statementMs: number;
    memoryUsage(): Promise<readonly { tag: string; memoryBytes: number; tempBytes: number }[]>;
  };
  readonly dataVersion: () => number;
}

/**
 * The gauges read from the app's parts at each scrape: dataVersion, both caches' lookups and hit
 * ratios, DuckDB's statements and their time, live subscribers and dropped events.
 */
export function registerSourceGauges(registers: Registry[], sources: MetricsSources): void {
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
  registerMemoryGauges(registers, sources);
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
}

/** What holds memory, read at each scrape: the caches' bytes and DuckDB's memory by kind. */
function registerMemoryGauges(registers: Registry[], { cache, responses, db }: MetricsSources): void {
  new Gauge({
    name: 'assay_cache_bytes',
    help: 'Bytes held by the answer cache (query, about twice its JSON length) and the whole-response cache (response, bodies and their compressed copies).',
    labelNames: ['cache'] as const,
    registers,
    collect() {
      this.set({ cache: 'query' }, cache.stats().bytes);
      this.set({ cache: 'response' }, responses.stats().bytes);
    },
  });
  new Gauge({
    name: 'assay_duckdb_memory_bytes',
    help: "DuckDB's memory by kind (duckdb_memory()): in memory (under its memory_limit) and spilled to its temp directory.",
    labelNames: ['tag', 'where'] as const,
    registers,
    async collect() {
      this.reset();
      for (const m of await db.memoryUsage()) {
        this.set({ tag: m.tag, where: 'memory' }, m.memoryBytes);
        this.set({ tag: m.tag, where: 'temp' }, m.tempBytes);
      }
    },
  });
}
