import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';

/** The alert benches' rule: a run whose fail rate exceeds one half fires it, every time (no cooldown). */
export const FAIL_RATE_RULE = {
  name: 'bench',
  kind: 'THRESHOLD',
  series: { measure: 'FAIL_RATE' },
  operator: 'GT',
  threshold: 0.5,
  groupBy: ['RUN'],
  severity: 'CRITICAL',
  cooldownMinutes: 0,
} as const;

/** A clock two processes share (ms): each one's time origin on the wall clock, plus its monotonic time since. */
export const sharedClock = (): number => performance.timeOrigin + performance.now();

export interface ReceiptOptions {
  /**
   * The receipt clock, in ms.
   * @default performance.now
   */
  readonly clock?: () => number;
  /** Called after each receipt with the run's receipt times so far. */
  readonly onReceipt?: (runId: string, times: readonly number[]) => void;
}

/**
 * Subscribes n graphql-ws clients to `query` (an alerts subscription selecting `message`), the
 * i-th on `urls[i % urls.length]`, and adds them to `clients`. Returns each client's receipt
 * time (`clock()`) per run, the run's id read from the alert's message by `runId`.
 */
export function subscribeAlertClients(
  urls: readonly string[],
  n: number,
  query: string,
  runId: RegExp,
  clients: Client[],
  { clock = () => performance.now(), onReceipt }: ReceiptOptions = {},
): Map<string, number[]> {
  const received = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const client = createClient({
      url: urls[i % urls.length]!.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
    });
    clients.push(client);
    client.subscribe<{ alerts: { message: string } }>(
      { query },
      {
        next: (m) => {
          const t = clock();
          const id = runId.exec(m.data?.alerts.message ?? '')?.[1] ?? '';
          // Appended in place: copying the list per receipt is quadratic in the subscribers, on the measured path.
          let times = received.get(id);
          if (times) times.push(t);
          else received.set(id, (times = [t]));
          onReceipt?.(id, times);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }
  return received;
}
