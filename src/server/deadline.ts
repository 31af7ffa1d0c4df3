import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestSignal } from '../db/database.ts';
import { AssayError } from '../domain/errors.ts';

/** A GraphQL multipart request (the multipart request spec: a `File` upload). */
const isMultipart = (req: IncomingMessage): boolean =>
  req.method === 'POST' && /^multipart\/form-data\s*(;|$)/i.test(req.headers['content-type'] ?? '');

/** Answers 504 TIMEOUT and aborts the request's work when its deadline passes. */
function expire(controller: AbortController, res: ServerResponse, timeoutMs: number): void {
  const error = new AssayError(
    'TIMEOUT',
    `The request ran longer than its deadline of ${timeoutMs / 1000} s and was stopped. Narrow the slice (a shorter from/to, fewer projects), group by fewer dimensions or ask for fewer fields.`,
  );
  controller.abort(error);
  if (!res.headersSent)
    res
      .writeHead(504, { 'content-type': 'application/json' })
      .end(JSON.stringify({ errors: [{ message: error.message, extensions: { code: 'TIMEOUT' } }] }));
}

/**
 * Runs a GraphQL request under a signal that aborts when its deadline passes or its client
 * goes away; reads for it (src/db/database.ts) are then interrupted. A request still unanswered
 * at the deadline gets 504 TIMEOUT at once, whatever it was doing (parsing, executing,
 * serialising). Subscriptions over SSE live as long as their client and have no deadline.
 * A multipart request's deadline starts when its body has been read to the end (its resolver
 * reads the file as it arrives): the transfer is bounded by the body limit instead, as the
 * `/ingest/*` uploads are, and what the resolver does after the last byte is bounded by the deadline.
 */
export function withDeadline(
  req: IncomingMessage,
  res: ServerResponse,
  timeoutMs: number,
  handle: () => unknown,
): void {
  if (String(req.headers.accept ?? '').includes('text/event-stream')) {
    void handle();
    return;
  }
  const controller = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  const start = (): void => {
    if (timeoutMs > 0 && !res.writableEnded)
      timer = setTimeout(() => expire(controller, res, timeoutMs), timeoutMs);
  };
  if (isMultipart(req)) req.once('end', start);
  else start();
  res.once('close', () => {
    req.off('end', start);
    if (timer) clearTimeout(timer);
    if (!res.writableFinished)
      controller.abort(new AssayError('TIMEOUT', 'The client went away before the answer was sent.'));
  });
  void requestSignal.run(controller.signal, handle);
}
