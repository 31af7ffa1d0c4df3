import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';

/**
 * A `fetch` for one webhook POST that connects only to the addresses its
 * destination check approved. Resolving the name again at connect time (as
 * `globalThis.fetch` does) would let a host that answered a public address to
 * the check answer 127.0.0.1 to the POST (DNS rebinding). The URL's host name
 * is kept for the Host header and, over https, for SNI and the certificate check.
 * `addresses` null (a host the operator allowed by name) connects as usual.
 */
export function pinnedFetch(addresses: readonly string[] | null): typeof globalThis.fetch {
  const lookup = addresses?.length ? pinnedLookup(addresses) : undefined;
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        url,
        {
          method: init.method ?? 'GET',
          headers: Object.fromEntries(new Headers(init.headers).entries()),
          ...(lookup && { lookup }),
          ...(init.signal && { signal: init.signal }),
        },
        (res) => {
          try {
            resolve(toResponse(res));
          } catch (error) {
            res.destroy();
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
      );
      req.once('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
      req.end(typeof init.body === 'string' ? init.body : undefined);
    });
}

/** A `lookup` for net.connect that answers the approved addresses whatever name it is asked for. */
function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const entries = addresses.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
  return (_host, options, callback) => {
    if (options.all) return callback(null, entries);
    const wanted = options.family === 6 || options.family === 4 ? options.family : null;
    const first = entries.find((e) => wanted === null || e.family === wanted) ?? entries[0]!;
    callback(null, first.address, first.family);
  };
}

/** Statuses whose responses carry no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

function toResponse(res: IncomingMessage): Response {
  const status = res.statusCode ?? 0;
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  if (NULL_BODY.has(status)) res.resume();
  const body = NULL_BODY.has(status) ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: res.statusMessage ?? '', headers });
}
