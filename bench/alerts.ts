import type { Client } from 'graphql-ws';
import { createApp } from '../src/server/app.ts';
import { FAIL_RATE_RULE, subscribeAlertClients } from './alert-clients.ts';
import { progress, summarise, type Summary } from './lib.ts';

export interface DeliveryFigure {
  readonly subscribers: number;
  readonly alerts: number;
  /** Commit of the ingest (its `ingested` event in process) → each subscriber's receipt of the alert, ms. */
  readonly latency: Summary;
}

const RULE = `mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }`;
const INGEST = `mutation($input: IngestInput!) { ingest(input: $input) { accepted } }`;
const LIVE = 'subscription { alerts(filter: { minSeverity: WARNING }) { id message } }';

/**
 * Alert delivery: N graphql-ws clients subscribe to alerts; each measured
 * ingest is a run whose only test fails, which fires the bench's rule (fail
 * rate > 0.5 per run). The clock starts when the ingest's `ingested` event is
 * published in process, right after COMMIT, and stops as each client receives
 * the alert; latency is over every (alert, client) pair.
 */
export async function benchAlertDelivery(
  subscriberCounts: readonly number[],
  reps: number,
): Promise<DeliveryFigure[]> {
  const out: DeliveryFigure[] = [];
  for (const n of subscriberCounts) out.push(await deliveryTo(n, reps));
  return out;
}

type App = Awaited<ReturnType<typeof createApp>>;
type Post = (query: string, variables: Record<string, unknown>) => Promise<void>;

/** One app with the bench's rule and n subscribed clients, warmed up, then `reps` alerts measured. */
async function deliveryTo(n: number, reps: number): Promise<DeliveryFigure> {
  const app = await createApp({ db: ':memory:', port: 0, logLevel: 'silent' });
  const url = await app.listen();
  const post: Post = async (query, variables) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  };
  const clients: Client[] = [];
  try {
    await post(RULE, { input: FAIL_RATE_RULE });
    const received = subscribeAlertClients([url], n, LIVE, /run (bench-\d+)/, clients);
    const receipts = (id: string) => received.get(id)?.length ?? 0;
    const runs = failingRuns(post);
    // Warm-up: fire until every client has received one alert (subscriptions register asynchronously).
    for (let tries = 0; tries < 200; tries++) {
      await runs.fail();
      await app.alerts.idle();
      await new Promise((r) => setTimeout(r, 20));
      if (receipts(`bench-${runs.last()}`) >= n) break;
    }
    const samples = await measure(app, runs, received, n, reps);
    const latency = summarise(samples);
    progress(
      `  ${n} subscribers: p50 ${latency.p50} ms, p99 ${latency.p99} ms over ${samples.length} deliveries`,
    );
    return { subscribers: n, alerts: reps, latency };
  } finally {
    for (const c of clients) await c.dispose();
    await app.close();
  }
}

/** Ingests of a run whose only test fails, each a minute after the last: every one fires the rule. */
function failingRuns(post: Post) {
  let run = 0;
  return {
    last: () => run,
    fail: () =>
      post(INGEST, {
        input: {
          run: {
            id: `bench-${++run}`,
            project: 'bench',
            branch: 'main',
            startedAt: new Date(Date.UTC(2026, 10, 1) + run * 60_000).toISOString(),
          },
          results: [{ suite: 's', name: 't', status: 'FAILED', durationMs: 1 }],
        },
      }),
  };
}

/** Latencies from each measured run's commit (its `ingested` event) to each client's receipt, ms. */
async function measure(
  app: App,
  runs: ReturnType<typeof failingRuns>,
  received: ReadonlyMap<string, number[]>,
  n: number,
  reps: number,
): Promise<number[]> {
  const receipts = (id: string) => received.get(id)?.length ?? 0;
  const commits = new Map<string, number>();
  const ingested = app.pubsub.subscribe('ingested', { bufferSize: 10_000 })[Symbol.asyncIterator]();
  void (async () => {
    for (let e = await ingested.next(); !e.done; e = await ingested.next())
      commits.set(e.value.run.id, performance.now());
  })();
  const samples: number[] = [];
  for (let k = 0; k < reps; k++) {
    const id = `bench-${runs.last() + 1}`;
    await runs.fail();
    await app.alerts.idle();
    for (let wait = 0; wait < 5000 && receipts(id) < n; wait++) await new Promise((r) => setTimeout(r, 2));
    const t0 = commits.get(id);
    if (t0 !== undefined) for (const t of received.get(id) ?? []) samples.push(t - t0);
  }
  await ingested.return?.();
  return samples;
}
