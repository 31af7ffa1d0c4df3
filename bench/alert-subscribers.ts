/**
 * The client side of bench/alerts.ts, in its own process so that its work (the sockets' reads,
 * frame parsing, JSON, graphql-ws) never shares the gateway's event loop: `subscribers`
 * graphql-ws clients subscribed to alerts, and the ingests that fire them, one failing run at a
 * time over HTTP. Warms up until every client has received one alert (subscriptions register
 * asynchronously), then sends `alerts` measured runs, each once the last one has reached every
 * client (or after `waitMs`). Prints one JSON line: each measured run's receipt times on the
 * clock both processes share (`sharedClock`). With `busy`, other loops ingest passing runs back
 * to back meanwhile. Run by bench/alerts.ts with its plan as the one argument (JSON).
 */
import type { Client } from 'graphql-ws';
import { FAIL_RATE_RULE, sharedClock, subscribeAlertClients } from './alert-clients.ts';

export interface SubscriberPlan {
  /** The gateway's GraphQL address (http://…/graphql). */
  readonly url: string;
  readonly subscribers: number;
  readonly alerts: number;
  /** How long a measured run may take to reach every client before the next is sent. */
  readonly waitMs: number;
  /**
   * While the measured runs are sent, `clients` loops each ingest runs of `batch` passing
   * results into another project, one after another (a busy CI feeding the gateway; none fires
   * the rule).
   */
  readonly busy?: { readonly batch: number; readonly clients: number };
}

export interface SubscriberResult {
  /** Receipt times (sharedClock, ms) per measured run. */
  readonly runs: readonly { readonly runId: string; readonly times: readonly number[] }[];
  /** Runs sent before every client had received one. */
  readonly warmups: number;
  /** Busy runs ingested while the measured ones were sent (0 without `busy`). */
  readonly busyRuns: number;
}

const RULE = `mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }`;
const INGEST = `mutation($input: IngestInput!) { ingest(input: $input) { accepted } }`;
const LIVE = 'subscription { alerts(filter: { minSeverity: WARNING }) { id message } }';

async function post(url: string, query: string, variables: Record<string, unknown>): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
}

/** The ingest of run `n` of `project` (`<project>-<n>`), a minute after run n − 1, from `start` (ms) on. */
const runOf = (project: string, n: number, start: number, results: readonly Record<string, unknown>[]) => ({
  input: {
    run: {
      id: `${project}-${n}`,
      project,
      branch: 'main',
      startedAt: new Date(start + n * 60_000).toISOString(),
    },
    results,
  },
});

/** A run whose only test fails: each one fires the rule. */
const failingRun = (n: number) =>
  runOf('bench', n, Date.UTC(2026, 10, 1), [{ suite: 's', name: 't', status: 'FAILED', durationMs: 1 }]);

/** A run of `size` passing results in a busy client's own project, before the failing runs. */
const passingRun = (client: number, n: number, size: number) =>
  runOf(
    `busy${client}`,
    n,
    Date.UTC(2026, 9, 1),
    Array.from({ length: size }, (_, i) => ({ suite: 's', name: `t${i}`, status: 'PASSED', durationMs: 5 })),
  );

/**
 * `clients` loops ingesting busy runs back to back until `stop` says so, each into a project of
 * its own, so each client's runs arrive in order, as one CI pipeline's do; resolves with how many.
 */
async function ingestBusy(
  url: string,
  { batch, clients }: NonNullable<SubscriberPlan['busy']>,
  stop: () => boolean,
): Promise<number> {
  const loop = async (_: unknown, client: number) => {
    let n = 0;
    while (!stop()) await post(url, INGEST, passingRun(client, n++, batch));
    return n;
  };
  const counts = await Promise.all(Array.from({ length: clients }, loop));
  return counts.reduce((a, b) => a + b, 0);
}

async function drive({ url, subscribers, alerts, waitMs, busy }: SubscriberPlan): Promise<SubscriberResult> {
  await post(url, RULE, { input: FAIL_RATE_RULE });
  const everyone = new Map<string, () => void>();
  const clients: Client[] = [];
  const received = subscribeAlertClients([url], subscribers, LIVE, /run (bench-\d+)/, clients, {
    clock: sharedClock,
    onReceipt: (runId, times) => {
      if (times.length === subscribers) everyone.get(runId)?.();
    },
  });
  let run = 0;
  /** Sends the next failing run; resolves once every client has its alert, or after `ms`. */
  const fire = async (ms: number): Promise<string> => {
    const runId = `bench-${++run}`;
    let timer: NodeJS.Timeout | undefined;
    const reached = new Promise<void>((resolve) => {
      everyone.set(runId, resolve);
      timer = setTimeout(resolve, ms);
    });
    await post(url, INGEST, failingRun(run));
    await reached;
    clearTimeout(timer);
    everyone.delete(runId);
    return runId;
  };
  try {
    let warmups = 0;
    for (; warmups < 200; warmups++) {
      const runId = await fire(1_000);
      if ((received.get(runId)?.length ?? 0) >= subscribers) break;
    }
    const runs: { runId: string; times: number[] }[] = [];
    let measured = false;
    const busyRuns = busy ? ingestBusy(url, busy, () => measured) : Promise.resolve(0);
    try {
      for (let k = 0; k < alerts; k++) {
        const runId = await fire(waitMs);
        runs.push({ runId, times: received.get(runId) ?? [] });
      }
    } finally {
      measured = true;
    }
    return { runs, warmups: warmups + 1, busyRuns: await busyRuns };
  } finally {
    for (const c of clients) await c.dispose();
  }
}

process.stdout.write(
  `${JSON.stringify(await drive(JSON.parse(process.argv[2] ?? '{}') as SubscriberPlan))}\n`,
);
