import type { Alert } from '../domain/alerts.ts';
import { createLedger, type Job } from './delivery-ledger.ts';
import { DestinationQueues } from './destination-queues.ts';
import { checkDestination, destinationKey, parseAllowList, systemLookup } from './destination.ts';
import { pinnedFetch } from './pinned-fetch.ts';
import { postAlert, type InFlightPost, type PostOutcome } from './post.ts';
import { backoffDelay } from './retry.ts';
import type { WebhookDispatcher, WebhookOptions } from './webhook-types.ts';

export { jsonPayload, slackPayload } from './payloads.ts';
export { USER_AGENT } from './post.ts';
export type { WebhookDispatcher, WebhookLogger, WebhookOptions } from './webhook-types.ts';

/**
 * Posts alerts to their rule's webhooks off the caller's path: `send` only
 * queues, one queue per destination served in turn; a bounded pool of workers
 * (and a bound per destination) checks where each webhook resolves to, posts
 * to exactly the addresses checked, retries with backoff and reports every
 * attempt through `onOutcome`.
 * @throws RangeError when attempts, concurrency, timeoutMs or maxQueue is below 1.
 */
export function createWebhookDispatcher(options: WebhookOptions): WebhookDispatcher {
  const dispatcher = new Dispatcher(options);
  return {
    send: (alert) => dispatcher.send(alert),
    deliver: (alert) => dispatcher.deliver(alert),
    idle: () => dispatcher.ledger.idle(),
    close: (graceMs) => dispatcher.close(graceMs),
    stats: () => dispatcher.stats(),
  };
}

/** Settings with their defaults filled in. */
function settings(options: WebhookOptions) {
  const s = {
    timeoutMs: options.timeoutMs ?? 5000,
    maxAttempts: options.attempts ?? 5,
    backoffMs: options.backoffMs ?? 500,
    maxBackoffMs: options.maxBackoffMs ?? 30_000,
    concurrency: options.concurrency ?? 8,
    perHostConcurrency: options.perHostConcurrency ?? 2,
    maxQueue: options.maxQueue ?? 10_000,
    now: options.now ?? (() => new Date()),
    random: options.random ?? Math.random,
    lookup: options.lookup ?? systemLookup,
    allow: parseAllowList(options.allow),
  };
  for (const [name, v] of Object.entries({
    attempts: s.maxAttempts,
    concurrency: s.concurrency,
    perHostConcurrency: s.perHostConcurrency,
    timeoutMs: s.timeoutMs,
    maxQueue: s.maxQueue,
  })) {
    if (!(v >= 1)) throw new RangeError(`webhook option ${name} must be at least 1, got ${v}`);
  }
  return s;
}

class Dispatcher {
  readonly #options: WebhookOptions;
  readonly #s: ReturnType<typeof settings>;
  readonly #queues: DestinationQueues<Job>;
  readonly #backingOff = new Set<Job>();
  readonly #running = new Set<InFlightPost>();
  #inFlight = 0;
  #pumpScheduled = false;
  #closed = false;
  readonly ledger: ReturnType<typeof createLedger>;

  constructor(options: WebhookOptions) {
    this.#options = options;
    this.#s = settings(options);
    this.#queues = new DestinationQueues<Job>(this.#s.perHostConcurrency);
    this.ledger = createLedger(
      options.onOutcome,
      options.log,
      () =>
        this.#queues.waiting !== 0 ||
        this.#backingOff.size !== 0 ||
        this.#inFlight !== 0 ||
        this.#pumpScheduled,
    );
  }

  send(alert: Alert): void {
    try {
      this.#enqueue(alert);
    } catch (error) {
      this.#options.log?.error('alert could not be queued for its webhooks', { alertId: alert.id, error });
    }
  }

  deliver(alert: Alert): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let left = 0;
      let all = true;
      try {
        left = this.#enqueue(alert, (ok) => {
          all &&= ok;
          if (--left === 0) resolve(all);
        });
      } catch (error) {
        this.#options.log?.error('alert could not be queued for its webhooks', { alertId: alert.id, error });
        resolve(true);
        return;
      }
      if (left === 0) resolve(true);
    });
  }

  stats() {
    return {
      queued: this.#queues.waiting + this.#backingOff.size,
      inFlight: this.#inFlight,
      ...this.ledger.counts(),
    };
  }

  async close(graceMs = this.#s.timeoutMs): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      const abandoned = [...this.#queues.drain(), ...this.#backingOff];
      this.#backingOff.clear();
      for (const job of abandoned) {
        job.wake?.();
        job.lastError = 'shutdown';
        void this.ledger.finish(job, 'FAILED');
      }
      const grace = setTimeout(() => {
        for (const a of this.#running) {
          a.why ??= 'shutdown';
          a.controller.abort();
        }
      }, graceMs);
      await this.ledger.idle();
      clearTimeout(grace);
    }
    await this.ledger.idle();
  }

  /** Queues one job per channel of the alert's rule; `settled` hears each job's final outcome. */
  #enqueue(alert: Alert, settled?: (ok: boolean) => void): number {
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
      if (this.#closed) this.ledger.drop(job, 'shutdown');
      else if (this.#queues.waiting + this.#backingOff.size >= this.#s.maxQueue)
        this.ledger.drop(job, 'queue full');
      else this.#queues.push(job);
    }
    this.#schedulePump();
    return jobs;
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    // After the caller's own I/O callbacks and promise chains: the ingest answers first.
    setImmediate(() => {
      this.#pumpScheduled = false;
      for (
        let job: Job | undefined;
        !this.#closed && this.#inFlight < this.#s.concurrency && (job = this.#queues.start());

      )
        void this.#run(job);
      this.ledger.settle();
    });
  }

  /**
   * Resolves the webhook's host, refuses internal addresses the allow-list does not name,
   * and posts to the addresses it checked (never to what a second resolution would answer).
   */
  async #attempt(job: Job): Promise<PostOutcome> {
    const { allow, lookup, timeoutMs, now } = this.#s;
    let url: URL | null = null;
    try {
      url = new URL(job.channel.webhook);
    } catch {
      // postAlert reports the invalid URL
    }
    let addresses: readonly string[] | null = null;
    if (url && (url.protocol === 'http:' || url.protocol === 'https:')) {
      const verdict = await checkDestination(url, allow, lookup);
      if (!verdict.ok) return verdict;
      addresses = verdict.addresses;
    }
    const fetch = this.#options.fetch ?? pinnedFetch(addresses);
    const { baseUrl } = this.#options;
    return postAlert({
      alert: job.alert,
      channel: job.channel,
      fetch,
      timeoutMs,
      now,
      baseUrl,
      running: this.#running,
    });
  }

  async #run(job: Job): Promise<void> {
    const { maxAttempts, maxBackoffMs, backoffMs, random, now } = this.#s;
    const { finish, record } = this.ledger;
    this.#inFlight++;
    try {
      job.attempts++;
      job.lastAttemptAt = now();
      const outcome = await this.#attempt(job);
      if (outcome.ok) return await finish(job, 'DELIVERED');
      job.lastError = outcome.error;
      if (!outcome.retry || job.attempts >= maxAttempts) return await finish(job, 'FAILED');
      if (this.#closed) {
        job.lastError = 'shutdown';
        return await finish(job, 'FAILED');
      }
      await record(job, 'PENDING');
      const delay =
        outcome.retryAfterMs != null
          ? Math.min(outcome.retryAfterMs, maxBackoffMs)
          : backoffDelay(job.attempts, backoffMs, maxBackoffMs, random);
      this.#backingOff.add(job);
      void this.#backOff(job, delay);
    } catch (error) {
      // A bug here must not take the process down: record what is known.
      this.#options.log?.error('alert webhook worker failed', { alertId: job.alert.id, error });
      job.lastError = error instanceof Error ? error.message : String(error);
      await finish(job, 'FAILED');
    } finally {
      this.#inFlight--;
      this.#queues.finish(job);
      this.#schedulePump();
      this.ledger.settle();
    }
  }

  async #backOff(job: Job, ms: number): Promise<void> {
    const { sleep } = this.#options;
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
    if (!this.#backingOff.delete(job)) return;
    this.#queues.push(job);
    this.#schedulePump();
  }
}

/** The queue a webhook waits in; an unreadable URL gets its own (postAlert refuses it). */
function destinationOf(webhook: string): string {
  try {
    return destinationKey(new URL(webhook));
  } catch {
    return '(invalid URL)';
  }
}
