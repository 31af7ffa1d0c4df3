import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { AssayError } from '../domain/errors.ts';
import { streamChunks } from '../domain/iterables.ts';
import { counted, readMultipart, tooLarge, type Part } from './multipart.ts';

type FilePart = Extract<Part, { kind: 'file' }>;

/** What a `File` variable holds: the part's name, and its bytes as they arrive (readable once). */
interface StreamedFile {
  readonly name: string;
  stream(): ReadableStream<Uint8Array>;
}

const refusal = (message: string, status: number, code: string, limit?: number): GraphQLError =>
  new GraphQLError(message, { extensions: { http: { status }, code, ...(limit && { limit }) } });

const asRefusal = (error: unknown): unknown =>
  error instanceof AssayError
    ? refusal(
        error.message,
        error.code === 'PAYLOAD_TOO_LARGE' ? 413 : 400,
        error.code,
        typeof error.details?.['limit'] === 'number' ? error.details['limit'] : undefined,
      )
    : error;

function parseJsonField(part: Part, name: string): unknown {
  if (part.kind !== 'field')
    throw refusal(`Multipart form field "${name}" must be a string`, 400, 'BAD_REQUEST');
  try {
    return JSON.parse(part.value) as unknown;
  } catch {
    throw refusal(`Multipart form field "${name}" must be a valid JSON string`, 400, 'BAD_REQUEST');
  }
}

/** Sets `value` at a dotted path ("variables.file", "0.variables.file"), never on a prototype. */
function setPath(target: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = target as Record<string, unknown>;
  for (const [i, key] of keys.entries()) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return;
    if (i === keys.length - 1) at[key] = value;
    else {
      const next = at[key];
      if (typeof next !== 'object' || next === null) at[key] = {};
      at = at[key] as Record<string, unknown>;
    }
  }
}

/** A file part as a Fetch-like File whose stream reads the request body on. */
function streamedFile(part: FilePart, rest: AsyncGenerator<Part>): StreamedFile {
  let taken = false;
  return {
    name: part.filename,
    stream() {
      if (taken) throw refusal('a multipart file can be read once', 400, 'BAD_REQUEST');
      taken = true;
      const it = part.chunks[Symbol.asyncIterator]();
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const r = await it.next();
            if (!r.done) return void controller.enqueue(r.value);
            controller.close();
            // The parts after the file (none, per the spec) are read and dropped.
            for await (const _ of rest);
          } catch (error) {
            controller.error(asRefusal(error));
          }
        },
        async cancel() {
          await it.return?.();
          await rest.return(undefined);
        },
      });
    },
  };
}

/**
 * Reads a GraphQL multipart request (the multipart request spec) up to its
 * first file and hands the operations over with that file streaming: the
 * resolver reads the file while it arrives, so no upload is held in memory.
 * `operations` and `map` come first (as the spec says); one file per request.
 */
async function parseStreaming(
  request: Request,
  maxBytes: number,
  onParts: (parts: AsyncGenerator<Part>) => void,
): Promise<Record<string, unknown>> {
  if (!request.body) throw refusal('the multipart request has no body', 400, 'BAD_REQUEST');
  const type = request.headers.get('content-type') ?? '';
  const parts = readMultipart(streamChunks(request.body), type, maxBytes);
  onParts(parts);
  try {
    const first = await parts.next();
    if (first.done || first.value.name !== 'operations')
      throw refusal('Missing multipart form field "operations"', 400, 'BAD_REQUEST');
    const operations = parseJsonField(first.value, 'operations');
    if (typeof operations !== 'object' || operations === null)
      throw refusal('Multipart form field "operations" must be a JSON object or list', 400, 'BAD_REQUEST');
    const second = await parts.next();
    if (second.done) return operations as Record<string, unknown>;
    const map = second.value.name === 'map' ? parseJsonField(second.value, 'map') : null;
    const entries = Object.entries(typeof map === 'object' && map !== null ? map : {});
    if (entries.length > 1) {
      throw refusal(
        `a GraphQL multipart request carries one file here (got ${entries.length}); send one request per file, or POST them together to /ingest/report as one build`,
        400,
        'BAD_REQUEST',
      );
    }
    const [entry] = entries;
    if (!entry) return operations as Record<string, unknown>;
    const file = await parts.next();
    if (file.done || file.value.kind !== 'file' || file.value.name !== entry[0])
      throw refusal(
        `Multipart form field "${entry[0]}" named in "map" must be the file after it`,
        400,
        'BAD_REQUEST',
      );
    const streamed = streamedFile(file.value, parts);
    for (const path of Array.isArray(entry[1]) ? (entry[1] as unknown[]) : [])
      if (typeof path === 'string') setPath(operations, path, streamed);
    return operations as Record<string, unknown>;
  } catch (error) {
    await parts.return(undefined);
    throw asRefusal(error);
  }
}

/** A request whose body is refused (413) once it grows past `maxBytes`, read as it arrives. */
function bounded(
  req: Request,
  maxBytes: number,
  fetchAPI: { Request: typeof Request; ReadableStream: typeof ReadableStream },
): Request {
  if (!req.body) return req;
  const it = counted(streamChunks(req.body), maxBytes);
  const body = new fetchAPI.ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const r = await it.next();
        if (r.done) controller.close();
        else controller.enqueue(r.value);
      } catch (error) {
        controller.error(asRefusal(error));
      }
    },
  });
  return new fetchAPI.Request(req.url, {
    method: req.method,
    headers: req.headers,
    signal: req.signal,
    body,
    duplex: 'half',
  } as RequestInit);
}

/**
 * The one body limit of every GraphQL request (Yoga's own is turned off), and
 * multipart uploads (the `File` scalar) streamed to the resolver instead of
 * Yoga's parser, which holds every file in memory. A body with a
 * Content-Length over `maxBytes` is refused with 413 before it is read; one
 * sent without is refused once it grows past it (a multipart file's reader
 * is refused on the way). Whatever the resolver left unread is dropped when
 * the response is sent.
 */
export function useStreamingUploads(maxBytes: number): Plugin {
  const open = new WeakMap<Request, AsyncGenerator<Part>>();
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (Number(request.headers.get('content-length') ?? 0) > maxBytes) throw asRefusal(tooLarge(maxBytes));
      const type = request.headers.get('content-type') ?? '';
      if (request.method === 'POST' && /^multipart\/form-data\s*(;|$)/i.test(type))
        setRequestParser((req) => parseStreaming(req, maxBytes, (parts) => open.set(request, parts)));
      else if (requestParser && request.body)
        setRequestParser((req) => requestParser(bounded(req, maxBytes, fetchAPI)));
    },
    onResponse({ request }) {
      const parts = open.get(request);
      open.delete(request);
      // Ends the body's reading when the resolver never read its file (a refused argument).
      void parts?.return(undefined).catch(() => undefined);
    },
  };
}
