import type { AlertChannel, AlertDelivery, Alert, DeliveryStatus } from '../domain/alerts.ts';

/** Where the ledger writes what went wrong (the dispatcher's logger). */
interface LedgerLog {
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** One channel's delivery of one alert, through its attempts. */
export interface Job {
  readonly alert: Alert;
  readonly channel: AlertChannel;
  /** `host:port` of the webhook: the queue it waits in. */
  readonly destination: string;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  /** Ends a backoff early (close). */
  wake?: () => void;
  /** Told the job's final outcome once it is recorded: false when shutdown cut it short. */
  settled?: (ok: boolean) => void;
}

/**
 * The dispatcher's books: records each delivery's outcome through `onOutcome`, counts
 * deliveries, failures and drops, and wakes `idle()` waiters once nothing is queued,
 * backing off, in flight (`busy`) or being recorded.
 */
export function createLedger(
  onOutcome: (alertId: string, delivery: AlertDelivery) => Promise<void> | void,
  log: LedgerLog | undefined,
  busy: () => boolean,
) {
  let recording = 0;
  let delivered = 0;
  let failed = 0;
  let dropped = 0;
  let idleWaiters: (() => void)[] = [];
  const isIdle = () => !busy() && recording === 0;
  function settle(): void {
    if (!isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Calls onOutcome in a later microtask, so it never runs inside `send` and its errors never escape. */
  function record(job: Job, status: DeliveryStatus): Promise<void> {
    const delivery: AlertDelivery = {
      channel: job.channel,
      status,
      attempts: job.attempts,
      lastError: job.lastError,
      lastAttemptAt: job.lastAttemptAt,
    };
    recording++;
    return Promise.resolve()
      .then(() => onOutcome(job.alert.id, delivery))
      .catch((error: unknown) =>
        log?.error('alert delivery could not be recorded', { alertId: job.alert.id, error }),
      )
      .finally(() => {
        recording--;
        settle();
      });
  }

  function finish(job: Job, status: 'DELIVERED' | 'FAILED'): Promise<void> {
    const settled = (): void => job.settled?.(status === 'DELIVERED' || job.lastError !== 'shutdown');
    if (status === 'DELIVERED') delivered++;
    else {
      failed++;
      log?.warn('alert webhook delivery failed', {
        alertId: job.alert.id,
        webhook: origin(job.channel.webhook),
        attempts: job.attempts,
        error: job.lastError,
      });
    }
    return record(job, status).then(settled);
  }

  function drop(job: Job, reason: string): void {
    dropped++;
    job.lastError = reason;
    void record(job, 'FAILED').then(() => job.settled?.(reason !== 'shutdown'));
  }

  function idle(): Promise<void> {
    if (isIdle()) return Promise.resolve();
    return new Promise((resolve) => idleWaiters.push(resolve));
  }

  return { settle, record, finish, drop, idle, counts: () => ({ delivered, failed, dropped }) };
}

/** Webhook URLs carry secrets (Slack's do, in the path): logs get the origin only. */
function origin(webhook: string): string {
  try {
    return new URL(webhook).origin;
  } catch {
    return '(invalid URL)';
  }
}
