import { Kind, OperationTypeNode, parse, type OperationDefinitionNode } from 'graphql';
import type { FetchAPI, Plugin } from 'graphql-yoga';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
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
  /**
   * Part of the key, from the request's Authorization header: requests whose callers may see
   * different data (API keys for other projects) never share an answer.
   */
  readonly partition?: (authorization: string | null) => string;
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

/** What a cached answer is sent as: its status, headers and body (null for a 304). */
interface Replay {
  readonly status: 200 | 304;
  readonly headers: Record<string, string>;
  readonly body: Buffer | null;
}

/**
 * The answer to a request the cache holds: 304 for a GET whose If-None-Match names it, else its
 * bytes in the coding the request accepts (`remember` keeps a copy compressed the first time).
 */
function replay(
  header: (name: 'if-none-match' | 'accept-encoding') => string | null | undefined,
  entry: Entry,
  get: boolean,
  remember: (encoding: Encoding, bytes: Buffer) => void,
): Replay {
  const headers: Record<string, string> = {
    'content-type': entry.type,
    'x-assay-cache': 'hit',
    vary: 'Accept-Encoding',
  };
  if (get) headers['cache-control'] = REVALIDATE;
  if (get && matchesTag(header('if-none-match'), entry.tag))
    return { status: 304, headers: { ...headers, etag: entry.tag }, body: null };
  const encoding =
    entry.body.length >= MIN_COMPRESSED_BYTES ? negotiateEncoding(header('accept-encoding')) : null;
  let body = entry.body;
  if (encoding) {
    const known = entry.encoded[encoding];
    body = known ?? compressSync(entry.body, encoding);
    if (!known) remember(encoding, body);
    headers['content-encoding'] = encoding;
  }
  if (get) headers['etag'] = encodedTag(entry.tag, encoding);
  headers['content-length'] = String(body.length);
  return { status: 200, headers, body };
}

/**
 * A replay as the server's own Response (`fetchAPI`), whose Buffer body goes to the socket as it
 * is; Node's global Response streams a copy of it (bench/cached.ts, from a separate process:
 * p50 0.41 → 0.31 ms and 1,850 → 2,500 answers/s for 64 KB answers, 0.35 → 0.24 ms for br).
 */
const asResponse = ({ status, headers, body }: Replay, { Response }: FetchAPI): Response =>
  new Response(body && bodyOf(body), { status, headers });

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
 *
 * A GET it holds is answered before Yoga (`serveHit`, from the HTTP pipeline once the key and the
 * rate limit admitted it): through Yoga's fetch layer (its Request, Headers, URL and abort
 * signal) a cached answer made about 47 KB of short-lived objects, without it 16 KB
 * (`--trace-gc`, bench/cached.ts), and 5,800 answers a second became 8,800.
 */
export type ResponseCache = Plugin & {
  stats(): ResponseCacheStats;
  clear(): void;
  /**
   * Answers a GET the cache holds straight on Node's response, below Yoga's fetch layer, and
   * returns true; false leaves the request to Yoga (and to this plugin's onRequest). Call after
   * the request was admitted (key, rate limit): the pipeline's checks stay in front of it.
   */
  serveHit(req: IncomingMessage, res: ServerResponse): boolean;
};

/**
 * Whether a request asks for an answer computed afresh (RFC 9111 §5.2.1.4): a `no-cache`
 * directive in its Cache-Control, or, without one, `Pragma: no-cache` (a browser's hard reload
 * sends both). The caches then neither replay a kept answer nor serve it from the answer cache:
 * the answer is computed anew (joining one being computed) and kept for the requests after.
 */
export function asksFresh(header: (name: 'cache-control' | 'pragma') => string | null | undefined): boolean {
  const control = header('cache-control');
  const directives = control ?? header('pragma') ?? '';
  return directives.split(',').some((d) => d.trim().toLowerCase() === 'no-cache');
}

/**
 * The key text of a GET that may be answered below the fetch layer (as cacheableText makes it,
 * the search as Yoga's URL normalises it), or null: a request that is not a GET with a query
 * string, asks for an event stream, sends an Origin (CORS headers are Yoga's) or waits for a
 * replica's version goes through Yoga.
 */
function plainGetText(req: IncomingMessage): string | null {
  const at = req.url?.indexOf('?') ?? -1;
  if (
    at < 0 ||
    req.method !== 'GET' ||
    req.headers.origin !== undefined ||
    req.headers['x-assay-min-version'] !== undefined ||
    (req.headers.accept ?? '').includes('text/event-stream')
  )
    return null;
  return `GET ${new URL(req.url!.slice(at), 'http://assay.invalid/graphql').search}`;
}

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
  /** A request's key: the data's version, the hour, its Accept header, its caller's partition and its text. */
  const keyOf = (version: number, accept: string, authorization: string | null, text: string): string =>
    `${version}\u0000${Math.floor(now() / 3_600_000)}\u0000${accept}\u0000${partition?.(authorization) ?? ''}\u0000${text}`;
  const remember = (key: string, entry: Entry) => (encoding: Encoding, bytes: Buffer) =>
    bodies.set(key, { ...entry, encoded: { ...entry.encoded, [encoding]: bytes } });
  return {
    stats: () => ({ hits, misses, entries: bodies.size, bytes: bodies.calculatedSize }),
    clear: () => bodies.clear(),
    serveHit(req, res) {
      const text = asksFresh((name) => req.headers[name]) ? null : plainGetText(req);
      const key =
        text && keyOf(dataVersion(), req.headers.accept ?? '', req.headers.authorization ?? null, text);
      const entry = key && bodies.get(key);
      if (!key || !entry) return false;
      hits++;
      const header = (name: 'if-none-match' | 'accept-encoding') => req.headers[name];
      const { status, headers, body } = replay(header, entry, true, remember(key, entry));
      res.writeHead(status, headers).end(body ?? undefined);
      return true;
    },
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
      const key = keyOf(version, accept, request.headers.get('authorization'), sent.text);
      const get = request.method === 'GET';
      // No await between looking for a flight and starting one, so identical requests share one.
      const flight = flights.get(key);
      const kept = asksFresh((name) => request.headers.get(name)) ? undefined : bodies.get(key);
      const entry = kept ?? (flight && (await landed(flight)));
      if (entry) {
        hits++;
        const header = (name: 'if-none-match' | 'accept-encoding') => request.headers.get(name);
        endResponse(asResponse(replay(header, entry, get, remember(key, entry)), fetchAPI));
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
