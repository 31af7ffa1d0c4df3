import type { FetchAPI } from 'graphql-yoga';
import { parseTagArgs, reportContext } from '../../resolvers/report-context.ts';
import { AssayError, badInput } from '../domain/errors.ts';
import { parseTimestamp } from '../domain/time.ts';
import type { Logger } from './logger.ts';

/** Reads the query string of an upload: where the report belongs. */
export function placement(url: URL, now: Date) {
  const q = url.searchParams;
  const startedAt = q.get('startedAt');
  let started: Date | null = null;
  if (startedAt) {
    const d = parseTimestamp(startedAt);
    if (typeof d === 'string') throw badInput(`startedAt ${d}`, { field: 'startedAt' });
    started = d;
  }
  const tags = parseTagArgs(q.getAll('tag'));
  return reportContext(
    {
      project: q.get('project') ?? '',
      branch: q.get('branch'),
      commit: q.get('commit'),
      runId: q.get('run') ?? q.get('runId'),
      startedAt: started,
      tags,
    },
    now,
  );
}

/** An upload's answer: its HTTP status and JSON body. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A reply as the server's own Response (Yoga's `fetchAPI`): its JSON indented for a person reading
 * curl's output, or `compact` for a machine's (OTLP exporters).
 */
export const json = ({ Response }: FetchAPI, { status, body }: Reply, compact = false): Response =>
  new Response(compact ? JSON.stringify(body) : `${JSON.stringify(body, null, 2)}\n`, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });

/** An upload's failure as its answer: an AssayError's code and message, anything else logged and masked. */
export function errorBody(error: unknown, log: Logger): { code: string; message: string; status: number } {
  if (error instanceof AssayError) {
    const status = error.code === 'PAYLOAD_TOO_LARGE' ? 413 : error.code === 'UNAVAILABLE' ? 503 : 400;
    return { code: error.code, message: error.message, status, ...error.details };
  }
  log.error('unexpected error while importing a report', {
    error: error instanceof Error ? error : new Error(String(error)),
  });
  return {
    code: 'INTERNAL_SERVER_ERROR',
    message: 'Unexpected error while importing the report; the server log has the details.',
    status: 500,
  };
}
