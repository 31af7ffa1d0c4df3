import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger, LogLevel } from './logger.ts';
import type { Metrics } from './metrics.ts';

/**
 * One structured line per request, when its response ends: id (the client's x-request-id when
 * it is a plain token, else a fresh one; sent back either way), route, status, time, the
 * GraphQL operation and its outcome, a response-cache hit, and whether the client went away.
 */
export function requestLogger(
  log: Logger,
  level: LogLevel,
  metrics: Pick<Metrics, 'operationOf'>,
): (req: IncomingMessage, res: ServerResponse, route: string) => void {
  return (req, res, route) => {
    if (level === 'silent') return;
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', id);
    const started = performance.now();
    res.once('close', () => {
      const op = metrics.operationOf(req);
      log[level]('request', {
        id,
        method: req.method,
        route,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(op && { operation: op.operation, outcome: op.outcome }),
        ...(res.getHeader('x-assay-cache') === 'hit' && { cache: 'hit' }),
        ...(!res.writableFinished && { aborted: true }),
      });
    });
  };
}
