import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { callers } from './auth.ts';

/** The header (or `?token=` on the stream's GET) that names a reserved stream in single-connection mode. */
const TOKEN_HEADER = 'x-graphql-event-stream-token';

/**
 * Whether a request belongs to GraphQL over SSE's single-connection mode: the PUT that reserves a
 * stream, the GET that opens it (`?token=`), an operation POSTed or stopped (DELETE) with the token
 * header. Everything else, distinct-connection SSE included, is Yoga's own.
 */
const singleConnection = (request: Request, url: URL): boolean =>
  request.method === 'PUT' ||
  request.method === 'DELETE' ||
  request.headers.has(TOKEN_HEADER) ||
  url.searchParams.has('token');

/**
 * GraphQL over SSE in single-connection mode at `/graphql` (the graphql-sse protocol, served by
 * `@graphql-yoga/plugin-graphql-sse`): `PUT /graphql` reserves a stream and answers its token,
 * `GET /graphql?token=…` (Accept: text/event-stream) opens it, and operations POSTed with the
 * `x-graphql-event-stream-token` header run there, each under its own request's API key (the
 * HTTP check in front of Yoga sees every one of these requests). Yoga itself serves the
 * distinct-connections mode (one stream per operation) on the same path.
 *
 * A stream's token comes from `randomUUID` (the library's default uses Math.random), and with API
 * keys on, a token belongs to the key that reserved it: another key's GET, POST or DELETE with it
 * is answered 404, as for an unknown token. Not served with trusted documents on (see yoga.ts).
 */
export function useSingleConnectionSse(): Plugin {
  const nodeRequests = new WeakMap<Request, IncomingMessage>();
  // Reservations remembered at most; the library keeps a reserved stream until it is opened and closed.
  const owners = new LRUCache<string, string>({ max: 10_000 });
  const ownerOf = (request: Request): string | null => {
    const req = nodeRequests.get(request);
    return (req && callers.get(req)?.key.id) ?? null;
  };
  const sse = useGraphQLSSE({
    endpoint: '/graphql',
    authenticate: (req) => {
      const given = req.headers.get(TOKEN_HEADER) ?? new URL(req.url).searchParams.get('token');
      const owner = ownerOf(req.raw);
      if (!given) {
        const token = randomUUID();
        if (owner) owners.set(token, owner);
        return token;
      }
      // Fails closed: a token this process did not hand to this key (or has forgotten) is unknown.
      if (owner !== null && owners.get(given) !== owner)
        return [
          JSON.stringify({ errors: [{ message: 'Stream not found' }] }),
          { status: 404, statusText: 'Not Found' },
        ];
      return given;
    },
  });
  const handle = sse.onRequest;
  return {
    ...sse,
    onRequest(payload) {
      const { request, url, serverContext } = payload;
      if (!handle || (url.pathname !== '/graphql' && url.pathname !== '/graphql/')) return;
      if (!singleConnection(request, url)) return;
      const req = (serverContext as { req?: IncomingMessage }).req;
      if (req) nodeRequests.set(request, req);
      return handle(payload);
    },
  };
}
