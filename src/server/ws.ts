import type { Server } from 'node:http';
import {
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type execute as graphqlExecute,
  type subscribe as graphqlSubscribe,
} from 'graphql';
import type { Context, SubscribePayload } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { AssayError } from '../domain/errors.ts';
import { bearer, callers, connectionSecret, type Keyring } from './auth.ts';
import { originAllowed } from './http-access.ts';
import { createFanout, type FanoutOptions, type FanoutTarget } from './ws-fanout.ts';
import type { AuthFailureGate } from './auth-failures.ts';
import { persistedHashOf, trustedDocuments, type TrustedManifest } from './persisted.ts';
import type { AssayYoga } from './yoga.ts';
import { minVersionOf, rateRefusal, versionRefusal, withWsDeadline, type WsLimits } from './ws-limits.ts';

interface RootValue {
  readonly execute: typeof graphqlExecute;
  readonly subscribe: typeof graphqlSubscribe;
  /** A query or mutation's socket: it runs under the request deadline, which its close cuts short. */
  readonly deadline?: { readonly socket: WebSocket; readonly timeoutMs: number };
  /** A subscription's fan-out group (ws-fanout.ts) and where its messages go. */
  readonly group?: { readonly key: string; readonly target: FanoutTarget };
}
/** What Yoga's envelop hands back, typed (envelop types these functions loosely). */
interface Enveloped extends RootValue {
  readonly schema: GraphQLSchema;
  readonly contextFactory: () => unknown;
  readonly parse: (source: string) => DocumentNode;
  readonly validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
}

/**
 * graphql-ws on the same path as HTTP GraphQL. A thin adapter: each message
 * runs through Yoga's envelop, so limits, masking and per-request loaders
 * apply exactly as over HTTP, and so do the rate limit, the request deadline
 * and read-your-writes (`limits`, src/server/ws-limits.ts).
 */
export function attachGraphqlWs(
  server: Server,
  yoga: AssayYoga,
  keepAliveMs = 12_000,
  security: {
    readonly keyring?: Keyring;
    readonly corsOrigins?: readonly string[];
    /** Only these documents run (--trusted-documents), as over HTTP. */
    readonly trusted?: TrustedManifest | null;
    /** The per-address limit of failed authentications, shared with HTTP. */
    readonly authFailures?: AuthFailureGate | null;
  } = {},
  limits: WsLimits = {},
  fanoutOptions: FanoutOptions = {},
): { close(): Promise<void> } {
  const { keyring, corsOrigins = [] } = security;
  const fanout = createFanout(fanoutOptions);
  const trusted = security.trusted ? trustedDocuments(security.trusted) : null;
  // noServer: with { server } ws re-emits the HTTP server's errors (a taken port) on the
  // WebSocket server, where graphql-ws prints them with a stack; listen() reports them instead.
  const wss = new WebSocketServer({ noServer: true, path: yoga.graphqlEndpoint });
  server.on('upgrade', (req, socket, head) => {
    if (!originAllowed(req.headers.origin, req.headers.host, corsOrigins)) {
      socket.end(
        'HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nThis origin may not open a WebSocket here (assay serve --cors-origin).\n',
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (client) => wss.emit('connection', client, req));
  });
  const disposable = useServer(
    {
      execute: (args) => {
        const root = args.rootValue as RootValue;
        if (!root.deadline) return root.execute(args);
        return withWsDeadline(root.deadline.timeoutMs, root.deadline.socket, () => root.execute(args));
      },
      // Subscriptions with the same document, variables and key run once per event (ws-fanout.ts).
      subscribe: (args) => {
        const root = args.rootValue as RootValue;
        if (!root.group) return root.subscribe(args);
        return fanout.join(root.group.key, root.group.target, () => root.subscribe(args));
      },
      onConnect: (ctx) => authenticateConnection(ctx, keyring, security.authFailures),
      onSubscribe: (ctx, id, payload) => {
        const target = { socket: ctx.extra.socket, id };
        // A document off the allow-list ends this operation with an `error`; the socket stays open.
        if (!trusted) return operationArgs(yoga, ctx, target, payload, limits);
        const body = trusted(persistedHashOf(payload.extensions), payload.query || null);
        if (body instanceof GraphQLError) return [body];
        return operationArgs(yoga, ctx, target, { ...payload, query: body }, limits);
      },
    },
    wss,
    // A ping every keepAliveMs; a socket that has not answered by the next one is terminated.
    keepAliveMs,
  );
  return {
    async close() {
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

type WsContext = Context<Record<string, unknown> | undefined, Extra>;

/**
 * With keys on, the connection_init payload ({ authorization: "Bearer …" } or { apiKey }), or
 * else the upgrade request's Authorization header, names the caller of every operation on it.
 */
function authenticateConnection(
  ctx: WsContext,
  keyring: Keyring | undefined,
  authFailures: AuthFailureGate | null | undefined,
): boolean {
  if (!keyring?.required) return true;
  const req = ctx.extra.request;
  try {
    const secret = connectionSecret(ctx.connectionParams) ?? bearer(req.headers.authorization);
    callers.set(req, keyring.authenticate(secret));
    return true;
  } catch (error) {
    if (!(error instanceof AssayError)) throw error;
    const refused = authFailures?.refusal(error, req.socket.remoteAddress);
    if (refused && refused.error !== error) {
      // 4429: graphql-ws clients take it as final and do not reconnect at once.
      ctx.extra.socket.close(
        4429,
        `Too many failed authentications from this address: retry in ${refused.retryAfterS} s`,
      );
      return false;
    }
    ctx.extra.socket.close(4401, 'Unauthenticated: send connection_init { authorization: "Bearer <key>" }');
    return false;
  }
}

/**
 * What graphql-ws runs for a `subscribe` message: the operation parsed, validated and given
 * its context through Yoga's envelop, or the errors that end this operation (not the socket):
 * a syntax or validation error, the rate limit, a replica that cannot reach the version asked for.
 */
async function operationArgs(
  yoga: AssayYoga,
  ctx: WsContext,
  target: FanoutTarget,
  payload: SubscribePayload,
  limits: WsLimits,
): Promise<ExecutionArgs | readonly GraphQLError[]> {
  const enveloped: Enveloped = yoga.getEnveloped({
    ...ctx,
    req: ctx.extra.request,
    socket: ctx.extra.socket,
    params: payload,
  });
  const { schema, execute, subscribe, contextFactory, parse, validate } = enveloped;
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (error) {
    // A syntax error (or a parser limit) ends this subscription with an `error`, not the socket.
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
  const errors = validate(schema, document);
  if (errors.length) return errors;
  const refused = rateRefusal(limits, ctx.extra.request);
  if (refused) return [refused];
  const stale = await versionRefusal(limits, minVersionOf(payload.extensions, ctx.connectionParams));
  if (stale) return [stale];
  const once = getOperationAST(document, payload.operationName)?.operation !== OperationTypeNode.SUBSCRIPTION;
  const timeoutMs = limits.requestTimeoutMs ?? 0;
  return {
    schema,
    operationName: payload.operationName ?? null,
    document,
    variableValues: payload.variables ?? null,
    contextValue: await contextFactory(),
    rootValue: {
      execute,
      subscribe,
      ...(once && timeoutMs > 0 && { deadline: { socket: ctx.extra.socket, timeoutMs } }),
      ...(!once && { group: { key: groupKey(document, payload, ctx), target } }),
    } satisfies RootValue,
  };
}

/**
 * Subscriptions that may share one execution per event: the same document (printed, so
 * layout does not matter), operation, variables and caller's key. The key decides which
 * events the guard lets through (its projects) and when the stream ends (its revocation).
 */
function groupKey(document: DocumentNode, payload: SubscribePayload, ctx: WsContext): string {
  const keyId = callers.get(ctx.extra.request)?.key.id ?? null;
  return JSON.stringify([print(document), payload.operationName ?? null, payload.variables ?? null, keyId]);
}
