import type { Alert, AlertDelivery } from '../domain/alerts.ts';
import type { HostLookup } from './destination.ts';

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
  /**
   * Test hook: posts through this instead. By default each POST connects only to the addresses
   * its destination check approved (pinnedFetch), never resolving the host a second time.
   */
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
