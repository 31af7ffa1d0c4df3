import { Kind, OperationTypeNode, parse, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { ResponseCacheStats } from '../domain/gateway.ts';

/**
 * Root query fields whose answer depends only on the stored results (and, for
 * the windows that end now, on the hour): a finished response to them can be
 * replayed until the next ingest. Left out on purpose: `gateway` (live
 * counters), the alert fields and `report` (which lists open alerts):
 * acknowledging or resolving an alert changes them without an ingest; and
 * `qualityGate` and the quarantine fields: a quarantine changes without one
 * (the gate's figures are still cached per dataVersion inside the resolver).
 */
const CACHEABLE = new Set([
  'results',
  'runs',
  'run',
  'tests',
  'test',
  'metrics',
  'trends',
  'anomalies',
  'anomalyEvents',
  'flakiness',
  'forecast',
  'compare',
  'compareRuns',
  'failurePatterns',
  'workload',
  'circuitBreakers',
  'performance',
]);

/** Request bodies above this many bytes are not looked at. */
const MAX_CACHEABLE_REQUEST = 64 * 1024;

export interface ResponseCacheOptions {
  readonly dataVersion: () => number;
  /** @default 1000 */
  readonly maxEntries?: number;
  /** Bytes of cached response bodies (UTF-16 length × 2). @default 64 MiB */
  readonly maxBytes?: number;
  /** Wall clock; the hour is part of the key, as windows that end "now" move with it. @default Date.now */
  readonly now?: () => number;
  /** Part of the key: requests whose callers may see different data (API keys for other projects) never share an answer. */
  readonly partition?: (request: Request) => string;
}

/** Whether a document's operation reads only cacheable root fields (parsed once per document text). */
function cacheableOperation(
  documents: LRUCache<string, { ok: boolean }>,
  query: string,
  operationName: unknown,
): boolean {
  const key = `${typeof operationName === 'string' ? operationName : ''}\u0000${query}`;
  const known = documents.get(key);
  if (known) return known.ok;
  let ok = false;
  try {
    const doc = parse(query);
    const ops = doc.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const op =
      typeof operationName === 'string'
        ? ops.find((o) => o.name?.value === operationName)
        : ops.length === 1
          ? ops[0]
          : undefined;
    const fragments = doc.definitions.some((d) => d.kind === Kind.FRAGMENT_DEFINITION);
    ok = Boolean(
      op &&
        op.operation === OperationTypeNode.QUERY &&
        op.selectionSet.selections.every((s) =>
          s.kind === Kind.FIELD ? CACHEABLE.has(s.name.value) || s.name.value === '__typename' : false,
        ) &&
        !fragments,
    );
  } catch {
    ok = false;
  }
  documents.set(key, { ok });
  return ok;
}

/**
 * A whole-response cache in front of GraphQL over HTTP: a POSTed query whose
 * root fields are all CACHEABLE is answered, byte for byte, with the body it
 * got last time at the same dataVersion, hour and Accept header, skipping
 * parse, validation, execution and serialisation. Responses with errors are
 * never kept; mutations, subscriptions, SSE and anything else pass through.
 * The query cache (src/cache) still shares work between different queries
 * over the same data; this one removes the GraphQL overhead of a repeat.
 */
export type ResponseCache = Plugin & { stats(): ResponseCacheStats; clear(): void };

export function useResponseCache(options: ResponseCacheOptions): ResponseCache {
  const { dataVersion, maxEntries = 1000, maxBytes = 64 * 1024 * 1024, now = Date.now, partition } = options;
  const bodies = new LRUCache<string, { body: string; type: string }>({
    max: maxEntries,
    maxSize: maxBytes,
    sizeCalculation: (v) => Math.max(1, v.body.length * 2),
  });
  const documents = new LRUCache<string, { ok: boolean }>({ max: 2000 });
  const pending = new WeakMap<Request, { key: string; version: number }>();
  let hits = 0;
  let misses = 0;
  return {
    stats: () => ({ hits, misses, entries: bodies.size }),
    clear: () => bodies.clear(),
    async onRequest({ request, url, endResponse, setRequest }) {
      if (request.method !== 'POST' || !url.pathname.endsWith('/graphql')) return;
      if (!(request.headers.get('content-type') ?? '').includes('json')) return;
      const accept = request.headers.get('accept') ?? '';
      if (accept.includes('text/event-stream')) return;
      // Large bodies are ingest batches, not dashboard queries: leave them unread, for Yoga alone to parse.
      if (Number(request.headers.get('content-length') ?? 0) > MAX_CACHEABLE_REQUEST) return;
      const text = await request.text();
      const replay = new Request(request.url, { method: 'POST', headers: request.headers, body: text });
      setRequest(replay);
      let body: { query?: unknown; operationName?: unknown };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        return;
      }
      if (typeof body !== 'object' || body === null || typeof body.query !== 'string') return;
      if (!cacheableOperation(documents, body.query, body.operationName)) return;
      const version = dataVersion();
      const key = `${version}\u0000${Math.floor(now() / 3_600_000)}\u0000${accept}\u0000${partition?.(request) ?? ''}\u0000${text}`;
      const hit = bodies.get(key);
      if (hit !== undefined) {
        hits++;
        endResponse(
          new Response(hit.body, {
            status: 200,
            headers: { 'content-type': hit.type, 'x-assay-cache': 'hit' },
          }),
        );
        return;
      }
      misses++;
      pending.set(replay, { key, version });
    },
    async onResponse({ request, response }) {
      const p = pending.get(request);
      if (!p || response.status !== 200) return;
      // An ingest during execution may have changed the answer: keep it only if the data did not move.
      if (dataVersion() !== p.version) return;
      const text = await response.clone().text();
      if (text.includes('"errors"') && 'errors' in (JSON.parse(text) as object)) return;
      bodies.set(p.key, {
        body: text,
        type: response.headers.get('content-type') ?? 'application/json; charset=utf-8',
      });
    },
  };
}
