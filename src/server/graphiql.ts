import { createHash } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Plugin } from 'graphql-yoga';
import { bodyOf, compress, encodedTag, matchesTag, negotiateEncoding, type Encoding } from './compression.ts';

/** What GraphiQL shows: Assay's title, graphql-ws for subscriptions, and a first query. */
const OPTIONS = {
  title: 'Assay',
  subscriptionsProtocol: 'WS',
  // A one-line SVG instead of the package's 150 KB PNG data URL, which the page would carry twice.
  favicon:
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%23e10098'/%3E%3C/svg%3E",
  defaultQuery:
    '# Try: the gateway, then a slice\nquery {\n  gateway { version dataVersion runs tests results }\n}\n',
} as const;

/** Yoga's own test for a GraphiQL request: a browser's GET (it accepts HTML). */
const wantsPage = (request: Request, path: string): boolean =>
  request.method === 'GET' &&
  (path === '/graphql' || path === '/graphql/') &&
  (request.headers.get('accept') ?? '').includes('text/html');

/**
 * GraphiQL at `GET /graphql` from local assets (no CDN), in place of Yoga's own renderer. The page
 * (about 9 MB: GraphiQL with the Monaco editor and its workers inlined) is the same for every
 * request, so it is rendered once, compressed once per coding (br about 1.9 MB, gzip 2.4 MB) on
 * the first request that asks for it, and revalidated by its ETag: a reload costs a 304.
 */
export function useGraphiQLPage(): Plugin {
  let page: { readonly body: Buffer; readonly tag: string } | null = null;
  const encoded = new Map<Encoding, Promise<Buffer>>();
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (!wantsPage(request, url.pathname)) return;
      if (!page) {
        const body = Buffer.from(renderGraphiQL(OPTIONS));
        page = { body, tag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
      }
      const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
      const headers: Record<string, string> = {
        'content-type': 'text/html; charset=utf-8',
        etag: encodedTag(page.tag, encoding),
        'cache-control': 'no-cache',
        vary: 'Accept-Encoding',
      };
      if (matchesTag(request.headers.get('if-none-match'), page.tag)) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      let body = page.body;
      if (encoding) {
        let pending = encoded.get(encoding);
        if (!pending) {
          pending = compress(page.body, encoding);
          encoded.set(encoding, pending);
        }
        body = await pending;
        headers['content-encoding'] = encoding;
      }
      headers['content-length'] = String(body.length);
      endResponse(new fetchAPI.Response(bodyOf(body), { status: 200, headers }));
    },
  };
}
