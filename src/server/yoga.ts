import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { GraphQLSchema } from 'graphql';
import type { IncomingMessage } from 'node:http';
import { createLoaders } from '../cache/loaders.ts';
import type { Deps } from '../domain/ports.ts';
import { callers, type AuthContext, type Keyring } from './auth.ts';
import { useCompression } from './compression.ts';
import { createMaskError } from './errors.ts';
import { useGraphiQLPage } from './graphiql.ts';
import { useCompiledMutations } from './jit.ts';
import { useOperationLimits, type OperationLimits } from './limits.ts';
import type { Logger } from './logger.ts';
import { useParserLimits } from './parser-limits.ts';
import { useRootFieldLimit, type RootFieldLimits } from './root-fields.ts';
import { usePersistedQueries, type PersistedQueryOptions } from './persisted.ts';
import { useOtlpTraces } from './otlp-traces.ts';
import { useSingleConnectionSse } from './sse.ts';
import { useReportUpload } from './upload.ts';
import { useStreamingUploads } from './graphql-uploads.ts';
import { REPORT_LIMITS } from '../ingest/index.ts';
import { asksFresh, type ResponseCache } from './response-cache.ts';

export interface YogaOptions {
  readonly schema: GraphQLSchema;
  readonly deps: Omit<Deps, 'loaders'>;
  readonly log: Logger;
  readonly limits?: OperationLimits & RootFieldLimits;
  /** The whole-response cache plugin (src/server/response-cache.ts), if any. */
  readonly responses?: ResponseCache;
  /** Automatic persisted queries, and the trusted documents when only those may run. */
  readonly persisted?: PersistedQueryOptions;
  /** More plugins, run after the built-in ones (the metrics). */
  readonly plugins?: readonly Plugin[];
  /** API keys; when they are required, each operation's context names its caller (src/server/auth.ts). */
  readonly keyring?: Keyring;
  /** Origins whose pages may call the API from a browser (CORS); none: no CORS headers at all. */
  readonly corsOrigins?: readonly string[];
}

export type { OperationLimits };
export type AssayYoga = YogaServerInstance<Record<string, unknown>, Deps>;

/**
 * GraphQL over HTTP and SSE (both of graphql-sse's modes, sse.ts), with GraphiQL from local assets
 * (no CDN, graphiql.ts), the whole-response cache (response-cache.ts), the report upload paths
 * (upload.ts), the operation limits, error masking, compressed answers (compression.ts), and
 * fresh DataLoaders for every request.
 */
export function createAssayYoga({
  schema,
  deps,
  log,
  limits = {},
  responses,
  persisted = {},
  plugins = [],
  keyring,
  corsOrigins = [],
}: YogaOptions): AssayYoga {
  return createYoga<Record<string, unknown>, Deps>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // One body limit for every path (REPORT_LIMITS.maxBytes), set by useStreamingUploads: Yoga's
    // own would buffer a multipart body that its resolver reads as it arrives (graphql-uploads.ts).
    maxRequestBodySize: false,
    context: (initial): Deps => {
      const req = initial['req'] as IncomingMessage | undefined;
      const cache = asksFresh((name) => req?.headers[name]) ? deps.cache.refreshing() : deps.cache;
      const ctx: Deps & AuthContext = {
        ...deps,
        cache,
        ...(responses && { responses }),
        loaders: createLoaders(deps.store, cache),
        ...(keyring?.required && {
          auth: { keyring, access: callers.get(req as IncomingMessage) ?? null },
        }),
      };
      return ctx;
    },
    // Only listed origins get CORS headers, and never Allow-Credentials: a key travels in a header, not a cookie.
    cors: corsOrigins.length
      ? (request) => {
          const origin = request.headers.get('origin');
          return origin && corsOrigins.includes(origin)
            ? {
                origin: [origin],
                credentials: false,
                methods: ['GET', 'POST', 'OPTIONS'],
                allowedHeaders: [
                  'authorization',
                  'content-type',
                  'accept',
                  'x-request-id',
                  'x-assay-min-version',
                ],
                exposedHeaders: ['retry-after', 'x-request-id'],
                maxAge: 600,
              }
            : false;
        }
      : false,
    // GraphiQL is served by useGraphiQLPage (rendered and compressed once, revalidated by ETag).
    graphiql: false,
    maskedErrors: { maskError: createMaskError(log) },
    logging: {
      debug: (...a: unknown[]) => log.debug(a.map(String).join(' ')),
      info: (...a: unknown[]) => log.info(a.map(String).join(' ')),
      warn: (...a: unknown[]) => log.warn(a.map(String).join(' ')),
      // Yoga logs every GraphQL error here, expected ones included; the mask logs the unexpected ones.
      error: (...a: unknown[]) => log.debug(a.map(String).join(' ')),
    },
    plugins: [
      useGraphiQLPage(),
      // Single-connection SSE bypasses onParams, where trusted documents are checked: off with them.
      ...(persisted.trusted ? [] : [useSingleConnectionSse()]),
      ...(responses ? [responses] : []),
      usePersistedQueries(persisted),
      useParserLimits(limits),
      useOperationLimits(limits),
      useCompiledMutations(),
      useOtlpTraces(deps, log),
      useRootFieldLimit(limits),
      useReportUpload(deps, log),
      useStreamingUploads(REPORT_LIMITS.maxBytes),
      ...plugins,
      // Last: it compresses the answer every plugin before it settled on.
      useCompression(),
    ],
  });
}
