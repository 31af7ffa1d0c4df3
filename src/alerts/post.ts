import type { Alert, AlertChannel } from '../domain/alerts.ts';
import { jsonPayload, slackPayload } from './payloads.ts';
import { retryAfterMs, retryableStatus } from './retry.ts';

export const USER_AGENT = 'assay-alerts/1';

/** How one POST went: delivered, or the error and whether another try may help. */
export type PostOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly error: string;
      readonly retry: boolean;
      readonly retryAfterMs?: number | null;
    };

/** A POST in flight; `why` says who aborted it (its own timeout or the dispatcher's close). */
export interface InFlightPost {
  readonly controller: AbortController;
  why: 'timeout' | 'shutdown' | null;
}

export interface PostRequest {
  readonly alert: Alert;
  readonly channel: AlertChannel;
  readonly fetch: typeof globalThis.fetch;
  /** Covers the whole attempt, the response body included. */
  readonly timeoutMs: number;
  readonly now: () => Date;
  readonly baseUrl: string | undefined;
  /** Holds the POST while it runs, so close() can abort it. */
  readonly running: Set<InFlightPost>;
}

/**
 * One attempt to post an alert to one channel. Never throws: a bad URL or
 * payload and non-retryable statuses come back with retry false; network
 * errors, timeouts, 429 and 5xx with retry true (and the Retry-After of a 429 or 503).
 */
export async function postAlert(req: PostRequest): Promise<PostOutcome> {
  const { alert, channel, timeoutMs } = req;
  let url: URL;
  let body: string;
  try {
    url = new URL(channel.webhook);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(`unsupported protocol ${url.protocol}`);
  } catch (err) {
    return { ok: false, retry: false, error: `invalid webhook URL: ${message(err)}` };
  }
  try {
    body = JSON.stringify(channel.format === 'SLACK' ? slackPayload(alert, req.baseUrl) : jsonPayload(alert));
  } catch (err) {
    return { ok: false, retry: false, error: `payload: ${message(err)}` };
  }

  const current: InFlightPost = { controller: new AbortController(), why: null };
  const timer = setTimeout(() => {
    current.why ??= 'timeout';
    current.controller.abort();
  }, timeoutMs);
  req.running.add(current);
  try {
    const res = await req.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, 'x-assay-alert-id': alert.id },
      body,
      signal: current.controller.signal,
      // A webhook that redirects is misconfigured; following would turn the POST into a GET.
      redirect: 'manual',
    });
    if (res.status >= 200 && res.status < 300) {
      res.body?.cancel().catch(() => undefined);
      return { ok: true };
    }
    const snippet = await bodySnippet(res);
    const error = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${snippet ? `: ${snippet}` : ''}`;
    if (!retryableStatus(res.status)) return { ok: false, retry: false, error };
    const after =
      res.status === 429 || res.status === 503
        ? retryAfterMs(res.headers.get('retry-after'), req.now())
        : null;
    return { ok: false, retry: true, error, retryAfterMs: after };
  } catch (err) {
    if (current.why === 'timeout')
      return { ok: false, retry: true, error: `timed out after ${timeoutMs} ms` };
    if (current.why === 'shutdown') return { ok: false, retry: false, error: 'shutdown' };
    return { ok: false, retry: true, error: networkError(err) };
  } finally {
    clearTimeout(timer);
    req.running.delete(current);
  }
}

/** The error of a failed fetch, with the cause undici hides behind "fetch failed" (e.g. "connect ECONNREFUSED 127.0.0.1:9"). */
function networkError(err: unknown): string {
  if (!(err instanceof Error)) return `network error: ${String(err)}`;
  const cause = err.cause;
  const detail = cause instanceof Error ? cause.message : cause !== undefined ? String(cause) : '';
  return `network error: ${detail && detail !== err.message ? `${err.message} (${detail})` : err.message}`;
}

/** Up to `max` characters of a response body, whitespace collapsed, for the error of a failed attempt. */
async function bodySnippet(res: Response, max = 200): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max * 4) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks)).replace(/\s+/g, ' ').trim();
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
