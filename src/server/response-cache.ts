import { Kind, OperationTypeNode, parse, type OperationDefinitionNode } from 'graphql';
import type { FetchAPI, Plugin } from 'graphql-yoga';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { requestSignal } from '../db/database.ts';
import type { ResponseCacheStats } from '../domain/gateway.ts';
import {
  bodyOf,
  compressSync,
  encodedTag,
  matchesTag,
  MIN_COMPRESSED_BYTES,
  negotiateEncoding,
  type Encoding,
} from './compression.ts';

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
  /** Bytes of cached response bodies (UTF-8, with their compressed copies). @default 64 MiB */
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

/** Cache-Control of a GET answer from the cache: any ingest may change it, and it is one caller's (the key's projects). */
const REVALIDATE = 'private, max-age=0, must-revalidate';

interface Entry {
  /** The answer's UTF-8 bytes, and its compressed copies made on the first request that asked for each. */
  readonly body: Buffer;
  readonly type: string;
  /** The strong ETag of the identity bytes (tagOf). */
  readonly tag: string;
  readonly encoded: Partial<Record<Encoding, Buffer>>;
}

/**
 * A strong ETag: 132 bits of the SHA-256 of the cache key, which starts with the dataVersion. Hashed
 * whole, so the tag does not show a key limited to some projects how many batches all of them took.
 */
const tagOf = (key: string): string =>
  `"${createHash('sha256').update(key).digest('base64url').slice(0, 22)}"`;

const entrySize = (e: Entry): number =>
  Math.max(1, e.body.length + (e.encoded.br?.length ?? 0) + (e.encoded.gzip?.length ?? 0));

/** A finished response as a cache entry, or null when it must not be replayed: not a 200, or errors in it. */
async function keepable(response: Response, key: string): Promise<Entry | null> {
  if (response.status !== 200) return null;
  const text = await response.clone().text();
  if (text.includes('"errors"') && 'errors' in (JSON.parse(text) as object)) return null;
  return {
    body: Buffer.from(text),
    type: response.headers.get('content-type') ?? 'application/json; charset=utf-8',
    tag: tagOf(key),
    encoded: {},
  };
}

/**
 * Registers this request as the one computing `key`; the returned settle hands its entry (or
 * null) to the requests waiting on it. Its deadline or its client going away settles null, so
 * nobody waits on an answer that will not come.
 */
function fly(flights: Map<string, Promise<Entry | null>>, key: string): (e: Entry | null) => void {
  let resolve!: (e: Entry | null) => void;
  const flight = new Promise<Entry | null>((r) => (resolve = r));
  flights.set(key, flight);
  const settle = (e: Entry | null): void => {
    if (flights.get(key) === flight) flights.delete(key);
    resolve(e);
  };
  requestSignal.getStore()?.addEventListener('abort', () => settle(null), { once: true });
  return settle;
}

/** The entry another request is computing, once it lands; null when it failed or this request's own deadline passed first. */
async function landed(flight: Promise<Entry | null>): Promise<Entry | null> {
  const signal = requestSignal.getStore();
  if (!signal) return flight;
  if (signal.aborted) return null;
  let stop!: () => void;
  const aborted = new Promise<null>((r) => {
    stop = () => r(null);
    signal.addEventListener('abort', stop, { once: true });
  });
  try {
    return await Promise.race([flight, aborted]);
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/** The request's text the key is made of (a POST's JSON body, a GET's query string), or null when it is not a cacheable query. */
async function cacheableText(
  request: Request,
  url: URL,
  setRequest: (r: Request) => void,
): Promise<{ text: string; query: unknown; operationName: unknown } | null> {
  if (request.method === 'GET') {
    const query = url.searchParams.get('query');
    return query === null
      ? null
      : {
          text: `GET ${url.search}`,
          query,
          operationName: url.searchParams.get('operationName') ?? undefined,
        };
  }
  if (!(request.headers.get('content-type') ?? '').includes('json')) return null;
  // Large bodies are ingest batches, not dashboard queries: leave them unread, for Yoga alone to parse.
  if (Number(request.headers.get('content-length') ?? 0) > MAX_CACHEABLE_REQUEST) return null;
  const text = await request.text();
  setRequest(new Request(request.url, { method: 'POST', headers: request.headers, body: text }));
  let body: { query?: unknown; operationName?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  return { text, query: body.query, operationName: body.operationName };
}

/**
 * The answer to a request the cache holds: 304 for a GET whose If-None-Match names it, else its
 * bytes in the coding the request accepts (`remember` keeps a copy compressed the first time).
 * Built with the server's own Response (`fetchAPI`), whose Buffer body goes to the socket as it
 * is; Node's global Response streams a copy of it (bench/cached.ts, from a separate process:
 * p50 0.41 → 0.31 ms and 1,850 → 2,500 answers/s for 64 KB answers, 0.35 → 0.24 ms for br).
 */
function replay(
  request: Request,
  entry: Entry,
  get: boolean,
  remember: (encoding: Encoding, bytes: Buffer) => void,
  { Response }: FetchAPI,
): Response {
  const headers: Record<string, string> = {
    'content-type': entry.type,
    'x-assay-cache': 'hit',
    vary: 'Accept-Encoding',
  };
  if (get) headers['cache-control'] = REVALIDATE;
  if (get && matchesTag(request.headers.get('if-none-match'), entry.tag))
    return new Response(null, { status: 304, headers: { ...headers, etag: entry.tag } });
  const encoding =
    entry.body.length >= MIN_COMPRESSED_BYTES
      ? negotiateEncoding(request.headers.get('accept-encoding'))
      : null;
  let body = entry.body;
  if (encoding) {
    const known = entry.encoded[encoding];
    body = known ?? compressSync(entry.body, encoding);
    if (!known) remember(encoding, body);
    headers['content-encoding'] = encoding;
  }
  if (get) headers['etag'] = encodedTag(entry.tag, encoding);
  headers['content-length'] = String(body.length);
  return new Response(bodyOf(body), { status: 200, headers });
}

/**
 * A whole-response cache in front of GraphQL over HTTP: a query (POSTed, or sent by GET) whose
 * root fields are all CACHEABLE is answered, byte for byte, with the body it got last time at
 * the same dataVersion, hour and Accept header, skipping parse, validation, execution and
 * serialisation. Responses with errors are never kept; mutations, subscriptions, SSE and
 * anything else pass through. The query cache (src/cache) still shares work between different
 * queries over the same data; this one removes the GraphQL overhead of a repeat.
 *
 * A cached answer of at least MIN_COMPRESSED_BYTES is sent br or gzip as Accept-Encoding asks,
 * compressed once per coding and kept beside it. A GET's answer carries a strong ETag (a hash of
 * the cache key, dataVersion included, suffixed per coding) and `Cache-Control: private,
 * max-age=0, must-revalidate`; its If-None-Match is answered 304 with no body while the entry is
 * cached. POSTs get neither: HTTP caches do not store their answers.
 */
export type ResponseCache = Plugin & { stats(): ResponseCacheStats; clear(): void };

export function useResponseCache(options: ResponseCacheOptions): ResponseCache {
  const { dataVersion, maxEntries = 1000, maxBytes = 64 * 1024 * 1024, now = Date.now, partition } = options;
  const bodies = new LRUCache<string, Entry>({
    max: maxEntries,
    maxSize: maxBytes,
    sizeCalculation: entrySize,
  });
  const documents = new LRUCache<string, { ok: boolean }>({ max: 2000 });
  const pending = new WeakMap<
    Request,
    { key: string; version: number; get: boolean; settle?: (e: Entry | null) => void }
  >();
  /** The answer being computed per key: identical requests meanwhile wait for its bytes instead of executing too. */
  const flights = new Map<string, Promise<Entry | null>>();
  let hits = 0;
  let misses = 0;
  return {
    stats: () => ({ hits, misses, entries: bodies.size, bytes: bodies.calculatedSize }),
    clear: () => bodies.clear(),
    async onRequest({ request, url, endResponse, setRequest, fetchAPI }) {
      if ((request.method !== 'POST' && request.method !== 'GET') || !url.pathname.endsWith('/graphql'))
        return;
      const accept = request.headers.get('accept') ?? '';
      if (accept.includes('text/event-stream')) return;
      let current = request;
      const sent = await cacheableText(request, url, (r) => {
        current = r;
        setRequest(r);
      });
      if (!sent || typeof sent.query !== 'string') return;
      if (!cacheableOperation(documents, sent.query, sent.operationName)) return;
      const version = dataVersion();
      const key = `${version}\u0000${Math.floor(now() / 3_600_000)}\u0000${accept}\u0000${partition?.(request) ?? ''}\u0000${sent.text}`;
      const get = request.method === 'GET';
      // No await between looking for a flight and starting one, so identical requests share one.
      const flight = flights.get(key);
      const entry = bodies.get(key) ?? (flight && (await landed(flight)));
      if (entry) {
        hits++;
        endResponse(
          replay(
            request,
            entry,
            get,
            (encoding, bytes) =>
              bodies.set(key, { ...entry, encoded: { ...entry.encoded, [encoding]: bytes } }),
            fetchAPI,
          ),
        );
        return;
      }
      misses++;
      pending.set(current, { key, version, get, ...(!flights.has(key) && { settle: fly(flights, key) }) });
    },
    async onResponse({ request, response, setResponse, fetchAPI }) {
      const p = pending.get(request);
      if (!p) return;
      const entry = await keepable(response, p.key);
      // The requests that waited asked when this one did: they get its answer even if an ingest
      // landed meanwhile, but the cache keeps it only if the data did not move during execution.
      p.settle?.(entry);
      if (!entry || dataVersion() !== p.version) return;
      bodies.set(p.key, entry);
      if (!p.get) return;
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('etag', entry.tag);
      headers.set('cache-control', REVALIDATE);
      setResponse(new fetchAPI.Response(bodyOf(entry.body), { status: 200, headers }));
    },
  };
}
