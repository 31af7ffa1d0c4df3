import type { Alert, AlertDelivery } from '../domain/alerts.ts';
import { createLedger, type Job } from './delivery-ledger.ts';
import { DestinationQueues } from './destination-queues.ts';
import {
  checkDestination,
  destinationKey,
  parseAllowList,
  systemLookup,
  type HostLookup,
} from './destination.ts';
import { postAlert, type InFlightPost } from './post.ts';
import { backoffDelay } from './retry.ts';

export { jsonPayload, slackPayload } from './payloads.ts';
export { USER_AGENT } from './post.ts';

/** What the dispatcher logs with; src/server's Logger fits (src/alerts may not import it). */
export interface WebhookLogger {
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface WebhookOptions {
  /**
   * Records a channel's delivery on the alert (the store's recordDelivery).
   * Called after every attempt (PENDING while retries remain, then DELIVERED
   * or FAILED) and for deliveries dropped without an attempt; calls for one
   * delivery are sequential, never concurrent.
   */
  readonly onOutcome: (alertId: string, delivery: AlertDelivery) => Promise<void> | void;
  /** Errors of `onOutcome` and final failures are logged here, never thrown. */
  readonly log?: WebhookLogger;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** Per attempt, response body included. @default 5000 */
  readonly timeoutMs?: number;
  /** Tries per delivery, the first included. @default 5 */
  readonly attempts?: number;
  /** Ceiling of the first retry's delay; it doubles per retry, with full jitter. @default 500 */
  readonly backoffMs?: number;
  /** Ceiling of any retry delay, `Retry-After` included. @default 30000 */
  readonly maxBackoffMs?: number;
  /** Deliveries in flight at once, over all destinations. @default 8 */
  readonly concurrency?: number;
  /**
   * Deliveries in flight at once to one destination (host and port): each destination has
   * its own queue, so a slow receiver holds at most this many slots, never the others'.
   * @default 2
   */
  readonly perHostConcurrency?: number;
  /**
   * Destinations (`HOST` or `HOST:PORT`) webhooks may reach although they resolve to a
   * loopback, private, link-local or metadata address; every other such destination is
   * refused at send time. Operator configuration (`--webhook-allow`), never API input.
   * @default []
   */
  readonly allow?: string | readonly string[];
  /** Resolves a webhook's host to all its addresses before each attempt. @default node:dns lookup */
  readonly lookup?: HostLookup;
  /** Deliveries waiting (queued or backing off) beyond which new ones are recorded FAILED 'queue full'. @default 10000 */
  readonly maxQueue?: number;
  /** Waits before a retry. @default a timer that `close()` cancels */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Jitter source, uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** The gateway's own URL, linked from Slack messages. */
  readonly baseUrl?: string;
}

interface WebhookStats {
  /** Waiting for a slot, first tries and retries alike, or backing off before a retry. */
  readonly queued: number;
  readonly inFlight: number;
  readonly delivered: number;
  /** Ended FAILED after being accepted (out of tries, not retryable, or abandoned by close). */
  readonly failed: number;
  /** Refused by `send`: queue full or dispatcher closed (also recorded FAILED). */
  readonly dropped: number;
}

export interface WebhookDispatcher {
  /** Queues one POST per channel of the alert's rule and returns at once; never throws. */
  send(alert: Alert): void;
  /**
   * Queues like `send`, and resolves once every channel has its outcome: true when each ended
   * DELIVERED or FAILED on its own account, false when one was cut short by `close()` (so a
   * replica leaves the alert for another to deliver). Never rejects.
   */
  deliver(alert: Alert): Promise<boolean>;
  /** Resolves when nothing is queued, backing off, in flight or being recorded. */
  idle(): Promise<void>;
  /**
   * Stops accepting, records queued and backing-off deliveries FAILED 'shutdown',
   * lets attempts in flight finish for up to `graceMs` (then aborts them) and
   * records those that would retry FAILED 'shutdown'. `graceMs` defaults to `timeoutMs`.
   */
  close(graceMs?: number): Promise<void>;
  readonly stats: () => WebhookStats;
}

/**
 * Posts alerts to their rule's webhooks off the caller's path: `send` only
 * queues, one queue per destination served in turn; a bounded pool of workers
 * (and a bound per destination) checks where each webhook resolves to, posts,
 * retries with backoff and reports every attempt through `onOutcome`.
 * @throws RangeError when attempts, concurrency, timeoutMs or maxQueue is below 1.
 */
export function createWebhookDispatcher(options: WebhookOptions): WebhookDispatcher {
  const {
    onOutcome,
    log,
    fetch = globalThis.fetch,
    timeoutMs = 5000,
    attempts: maxAttempts = 5,
    backoffMs = 500,
    maxBackoffMs = 30_000,
    concurrency = 8,
    perHostConcurrency = 2,
    maxQueue = 10_000,
    sleep,
    now = () => new Date(),
    random = Math.random,
    baseUrl,
    lookup = systemLookup,
  } = options;
  for (const [name, v] of Object.entries({
    attempts: maxAttempts,
    concurrency,
    perHostConcurrency,
    timeoutMs,
    maxQueue,
  })) {
    if (!(v >= 1)) throw new RangeError(`webhook option ${name} must be at least 1, got ${v}`);
  }
  const allow = parseAllowList(options.allow);

  const queues = new DestinationQueues<Job>(perHostConcurrency);
  const backingOff = new Set<Job>();
  const running = new Set<InFlightPost>();
  let inFlight = 0;
  let pumpScheduled = false;
  let closed = false;
  const ledger = createLedger(
    onOutcome,
    log,
    () => queues.waiting !== 0 || backingOff.size !== 0 || inFlight !== 0 || pumpScheduled,
  );
  const { settle, record, finish, drop, idle } = ledger;

  /** Queues one job per channel of the alert's rule; `settled` hears each job's final outcome. */
  function enqueue(alert: Alert, settled?: (ok: boolean) => void): number {
    let jobs = 0;
    for (const channel of alert.rule.channels) {
      const job: Job = {
        alert,
        channel,
        destination: destinationOf(channel.webhook),
        attempts: 0,
        lastError: null,
        lastAttemptAt: null,
        ...(settled && { settled }),
      };
      jobs++;
      if (closed) drop(job, 'shutdown');
      else if (queues.waiting + backingOff.size >= maxQueue) drop(job, 'queue full');
      else queues.push(job);
    }
    schedulePump();
    return jobs;
  }

  function schedulePump(): void {
    if (pumpScheduled) return;
    pumpScheduled = true;
    // After the caller's own I/O callbacks and promise chains: the ingest answers first.
    setImmediate(() => {
      pumpScheduled = false;
      for (let job: Job | undefined; !closed && inFlight < concurrency && (job = queues.start()); )
        void run(job);
      settle();
    });
  }

  /** Resolves the webhook's host and refuses internal addresses the allow-list does not name. */
  async function attempt(job: Job): ReturnType<typeof postAlert> {
    let url: URL | null = null;
    try {
      url = new URL(job.channel.webhook);
    } catch {
      // postAlert reports the invalid URL
    }
    if (url && (url.protocol === 'http:' || url.protocol === 'https:')) {
      const verdict = await checkDestination(url, allow, lookup);
      if (!verdict.ok) return verdict;
    }
    return postAlert({ alert: job.alert, channel: job.channel, fetch, timeoutMs, now, baseUrl, running });
  }

  async function run(job: Job): Promise<void> {
    inFlight++;
    try {
      job.attempts++;
      job.lastAttemptAt = now();
      const outcome = await attempt(job);
      if (outcome.ok) return await finish(job, 'DELIVERED');
      job.lastError = outcome.error;
      if (!outcome.retry || job.attempts >= maxAttempts) return await finish(job, 'FAILED');
      if (closed) {
        job.lastError = 'shutdown';
        return await finish(job, 'FAILED');
      }
      await record(job, 'PENDING');
      const delay =
        outcome.retryAfterMs != null
          ? Math.min(outcome.retryAfterMs, maxBackoffMs)
          : backoffDelay(job.attempts, backoffMs, maxBackoffMs, random);
      backingOff.add(job);
      void backOff(job, delay);
    } catch (error) {
      // A bug here must not take the process down: record what is known.
      log?.error('alert webhook worker failed', { alertId: job.alert.id, error });
      job.lastError = error instanceof Error ? error.message : String(error);
      await finish(job, 'FAILED');
    } finally {
      inFlight--;
      queues.finish(job);
      schedulePump();
      settle();
    }
  }

  async function backOff(job: Job, ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      if (sleep) {
        job.wake = resolve;
        sleep(ms).then(resolve, resolve);
      } else {
        const timer = setTimeout(resolve, ms);
        job.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }
    });
    // close() has already recorded it.
    if (!backingOff.delete(job)) return;
    queues.push(job);
    schedulePump();
  }

  return {
    send(alert) {
      try {
        enqueue(alert);
      } catch (error) {
        log?.error('alert could not be queued for its webhooks', { alertId: alert.id, error });
      }
    },

    deliver(alert) {
      return new Promise<boolean>((resolve) => {
        let left = 0;
        let all = true;
        try {
          left = enqueue(alert, (ok) => {
            all &&= ok;
            if (--left === 0) resolve(all);
          });
        } catch (error) {
          log?.error('alert could not be queued for its webhooks', { alertId: alert.id, error });
          resolve(true);
          return;
        }
        if (left === 0) resolve(true);
      });
    },

    idle,

    async close(graceMs = timeoutMs) {
      if (!closed) {
        closed = true;
        const abandoned = [...queues.drain(), ...backingOff];
        backingOff.clear();
        for (const job of abandoned) {
          job.wake?.();
          job.lastError = 'shutdown';
          void finish(job, 'FAILED');
        }
        const grace = setTimeout(() => {
          for (const a of running) {
            a.why ??= 'shutdown';
            a.controller.abort();
          }
        }, graceMs);
        await idle();
        clearTimeout(grace);
      }
      await idle();
    },

    stats: () => ({ queued: queues.waiting + backingOff.size, inFlight, ...ledger.counts() }),
  };
}

/** The queue a webhook waits in; an unreadable URL gets its own (postAlert refuses it). */
function destinationOf(webhook: string): string {
  try {
    return destinationKey(new URL(webhook));
  } catch {
    return '(invalid URL)';
  }
}
