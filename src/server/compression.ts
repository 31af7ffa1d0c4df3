import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync, type BrotliOptions } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

/** Answers smaller than this are sent as they are: below about a kilobyte the headers cost more than compression saves. */
export const MIN_COMPRESSED_BYTES = 1024;

/** Bodies above this are compressed on the thread pool, so a large answer does not hold the event loop. */
const ASYNC_ABOVE = 64 * 1024;

export type Encoding = 'br' | 'gzip';

/** Types worth compressing: JSON answers, GraphiQL's HTML, the dashboard's script and styles. */
const COMPRESSIBLE =
  /^(application\/(json|graphql-response\+json|javascript)|text\/(html|css|javascript|plain))\b/i;

/**
 * The content coding to answer with, from an Accept-Encoding header (RFC 9110 §12.5.3): br or gzip,
 * whichever has the higher q-value (br on a tie, as it is smaller), `*` standing for any not named;
 * null means identity (no header, or neither accepted).
 */
export function negotiateEncoding(header: string | null | undefined): Encoding | null {
  if (!header) return null;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    let q = 1;
    for (const p of params) {
      const m = /^q\s*=\s*([0-9.]+)$/.exec(p);
      if (m) q = Number(m[1]);
    }
    weights.set(name, Number.isFinite(q) ? q : 0);
  }
  const star = weights.get('*') ?? 0;
  const br = weights.get('br') ?? star;
  const gz = weights.get('gzip') ?? weights.get('x-gzip') ?? star;
  if (br <= 0 && gz <= 0) return null;
  return br >= gz ? 'br' : 'gzip';
}

/** Brotli at quality 5: about the size of gzip -9 at the speed of gzip -6, the usual choice for answers made per request. */
const brotliOptions = (size: number): BrotliOptions => ({
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 5,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_SIZE_HINT]: size,
  },
});
const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Compresses a body with one coding, on this thread (small bodies, where the thread pool's round trip costs more). */
export function compressSync(body: Uint8Array, encoding: Encoding): Buffer {
  return encoding === 'br' ? brotliCompressSync(body, brotliOptions(body.length)) : gzipSync(body);
}

/** Compresses a body with one coding: on the thread pool when it is large. */
export function compress(body: Uint8Array, encoding: Encoding): Promise<Buffer> {
  if (body.length <= ASYNC_ABOVE) return Promise.resolve(compressSync(body, encoding));
  return encoding === 'br' ? brotliAsync(body, brotliOptions(body.length)) : gzipAsync(body);
}

/**
 * A strong entity tag for one representation: the tag of the identity body with the coding
 * appended (`"abc"` → `"abc-br"`), as the bytes differ per coding (RFC 9110 §8.8.3).
 */
export function encodedTag(tag: string, encoding: Encoding | null): string {
  return encoding && tag.endsWith('"') ? `${tag.slice(0, -1)}-${encoding}"` : tag;
}

/**
 * Whether an If-None-Match header names this resource's current tag (weak comparison, RFC 9110
 * §13.1.2): any coding of the same tag matches, since the client holds the same content.
 */
export function matchesTag(header: string | null | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const base = (t: string): string => t.replace(/^W\//, '').replace(/-(br|gzip)"$/, '"');
  const want = base(tag);
  return header.split(',').some((t) => base(t.trim()) === want);
}

/** A Node buffer as a Response body: zlib's and fs's buffers sit on a plain ArrayBuffer, never a shared one. */
export const bodyOf = (buffer: Buffer): Uint8Array<ArrayBuffer> => buffer as Uint8Array<ArrayBuffer>;

/** Adds `Accept-Encoding` to a response's Vary header, once. */
function varyOnEncoding(headers: Headers): void {
  const vary = headers.get('vary');
  if (!vary) headers.set('vary', 'Accept-Encoding');
  else if (!/\baccept-encoding\b/i.test(vary)) headers.set('vary', `${vary}, Accept-Encoding`);
}

/**
 * A Yoga plugin, last in line: compresses GraphQL answers (JSON, and GraphiQL's page) of at least
 * `minBytes` with br or gzip as the request's Accept-Encoding asks, and marks them `Vary:
 * Accept-Encoding`. Event streams (SSE, multipart incremental delivery), answers without a body and
 * answers already encoded (the response cache keeps its own compressed copies) pass as they are.
 */
export function useCompression(minBytes = MIN_COMPRESSED_BYTES): Plugin {
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (request.method === 'HEAD' || !response.body || response.status === 204 || response.status === 304)
        return;
      if (response.headers.has('content-encoding')) return;
      if (!COMPRESSIBLE.test(response.headers.get('content-type') ?? '')) return;
      varyOnEncoding(response.headers);
      const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
      const declared = response.headers.get('content-length');
      if (!encoding || (declared !== null && Number(declared) < minBytes)) return;
      const body = new Uint8Array(await response.arrayBuffer());
      const headers = new fetchAPI.Headers(response.headers);
      const init = { status: response.status, statusText: response.statusText, headers };
      if (body.length < minBytes) {
        setResponse(new fetchAPI.Response(body, init));
        return;
      }
      const encoded = await compress(body, encoding);
      headers.set('content-encoding', encoding);
      headers.set('content-length', String(encoded.length));
      const tag = headers.get('etag');
      if (tag) headers.set('etag', encodedTag(tag, encoding));
      setResponse(new fetchAPI.Response(bodyOf(encoded), init));
    },
  };
}
