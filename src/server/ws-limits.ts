import type { IncomingMessage } from 'node:http';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';
import { requestSignal } from '../db/database.ts';
import { AssayError } from '../domain/errors.ts';
import { callers } from './auth.ts';
import type { RateLimiter } from './rate-limit.ts';

/**
 * The limits HTTP requests have (src/server/http-pipeline.ts), for operations over
 * graphql-ws: each operation a socket starts takes a token from its caller's
 * rate-limit bucket (the same bucket as the key's HTTP requests), a query or
 * mutation runs under the request deadline (its DuckDB statements are
 * interrupted past it, or when the socket closes), and a replica waits for
 * the version a client asks for (read-your-writes). A refusal is an `error`
 * for that operation id; the socket stays open.
 */
export interface WsLimits {
  readonly limiter?: RateLimiter | null;
  /** Requests a second the limiter allows, for the message. */
  readonly perSecond?: number;
  /** @default 0 (no deadline) */
  readonly requestTimeoutMs?: number;
  /** A replica's wait for a dataVersion or stream position (Cluster.waitFor). */
  readonly waitFor?: (minVersion: string) => Promise<void>;
}

const gqlError = (e: AssayError): GraphQLError =>
  new GraphQLError(e.message, { extensions: { ...e.details, code: e.code } });

/** The rate-limit refusal for an operation on this connection, or null when it may run. */
export function rateRefusal(limits: WsLimits, req: IncomingMessage): GraphQLError | null {
  if (!limits.limiter) return null;
  const access = callers.get(req);
  const caller = access ? `key ${access.key.id}` : `address ${req.socket.remoteAddress ?? '?'}`;
  const waitMs = limits.limiter.take(caller);
  if (waitMs <= 0) return null;
  return gqlError(
    new AssayError(
      'RATE_LIMITED',
      `Too many requests from this ${caller.split(' ')[0]}: at most ${limits.perSecond ?? '?'} a second. Retry in ${Math.ceil(waitMs / 1000)} s.`,
      { retryAfterSeconds: Math.ceil(waitMs / 1000) },
    ),
  );
}

/**
 * The version an operation asks to read at least: its `extensions["x-assay-min-version"]`,
 * else the connection_init payload's (as the HTTP header of that name).
 */
export function minVersionOf(extensions: unknown, connectionParams: unknown): string | null {
  for (const bag of [extensions, connectionParams]) {
    const v =
      typeof bag === 'object' && bag !== null
        ? (bag as Record<string, unknown>)['x-assay-min-version']
        : null;
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return null;
}

/** Waits until a replica has the version asked for; the refusal when it cannot (bad version, stale). */
export async function versionRefusal(
  limits: WsLimits,
  minVersion: string | null,
): Promise<GraphQLError | null> {
  if (!limits.waitFor || minVersion === null) return null;
  try {
    await limits.waitFor(minVersion);
    return null;
  } catch (error) {
    if (error instanceof AssayError) return gqlError(error);
    throw error;
  }
}

/**
 * Runs one query or mutation under a signal that aborts at the deadline or when
 * the socket closes (reads for it are interrupted, src/db/database.ts); past the
 * deadline the operation's answer is a TIMEOUT error at once.
 */
export async function withWsDeadline(
  timeoutMs: number,
  socket: WebSocket,
  run: () => Promise<ExecutionResult> | ExecutionResult,
): Promise<ExecutionResult> {
  const controller = new AbortController();
  const closed = (): void =>
    controller.abort(new AssayError('TIMEOUT', 'The client went away before the answer was sent.'));
  socket.once('close', closed);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<ExecutionResult>((resolve) => {
    if (timeoutMs <= 0) return;
    timer = setTimeout(() => {
      const error = new AssayError(
        'TIMEOUT',
        `The request ran longer than its deadline of ${timeoutMs / 1000} s and was stopped. Narrow the slice (a shorter from/to, fewer projects), group by fewer dimensions or ask for fewer fields.`,
      );
      controller.abort(error);
      resolve({ errors: [gqlError(error)] });
    }, timeoutMs);
  });
  try {
    return await Promise.race([requestSignal.run(controller.signal, run), deadline]);
  } finally {
    clearTimeout(timer);
    socket.off('close', closed);
  }
}
