import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createApp } from '../src/server/app.ts';
import { sharedClock } from './alert-clients.ts';
import type { SubscriberPlan, SubscriberResult } from './alert-subscribers.ts';
import { progress, summarise, type Summary } from './lib.ts';

export interface DeliveryFigure {
  readonly subscribers: number;
  /** Alerts measured in `latency`, `evaluation` and `fanout`: the ones after the first `FIRST`. */
  readonly alerts: number;
  /** Commit of the ingest (its `ingested` event) → each subscriber's receipt of the alert, ms. */
  readonly latency: Summary;
  /**
   * The same over the first `FIRST` alerts every subscriber receives, which arrive while the
   * gateway's fan-out path and the clients' message handling are still being compiled by V8
   * (on a quiet machine their p99 was 41–67 ms where the steady alerts' was 36–38 ms).
   */
  readonly first: Summary;
  /** Commit → the alert published (the rules' evaluation and the alert stored), ms, one per alert. */
  readonly evaluation: Summary;
  /** The alert published → each subscriber's receipt (execution, serialization, the socket writes, the client), ms. */
  readonly fanout: Summary;
  /** (alert, subscriber) pairs that did not arrive within the wait. */
  readonly missed: number;
  /** The 1-minute load average before and after. */
  readonly load: readonly [number, number];
  /** With busy ingests beside the alerts: their runs' size, how many clients, and how many runs were ingested meanwhile. */
  readonly busy: { readonly batch: number; readonly clients: number; readonly runs: number } | null;
}

/** Alerts after the subscriptions open that are reported apart, as `first`, before the steady ones. */
const FIRST = 3;

/**
 * Alert delivery: N graphql-ws clients, in a process of their own (alert-subscribers.ts),
 * subscribe to alerts; each measured ingest is a run whose only test fails, which fires the
 * bench's rule (fail rate > 0.5 per run). The clock starts when the ingest's `ingested` event is
 * published, right after COMMIT, and stops as each client receives the alert; latency is over
 * every (alert, client) pair, on a clock both processes share. The first `FIRST` alerts are
 * reported apart from the `reps` after them: a gateway that has served for a while, and its
 * dashboards, have their code compiled; one just started does not.
 */
export async function benchAlertDelivery(
  subscriberCounts: readonly number[],
  reps: number,
  busy?: SubscriberPlan['busy'],
): Promise<DeliveryFigure[]> {
  const out: DeliveryFigure[] = [];
  for (const n of subscriberCounts) out.push(await deliveryTo(n, reps, busy));
  return out;
}

/** The clients' process, asynchronously: this process serves it meanwhile. */
async function subscribers(plan: SubscriberPlan): Promise<SubscriberResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./alert-subscribers.ts', import.meta.url)),
      JSON.stringify(plan),
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as SubscriberResult;
}

/** A fresh in-memory gateway, `n` subscribers in their own process, `reps` alerts measured (with busy ingests beside them). */
async function deliveryTo(n: number, reps: number, busy?: SubscriberPlan['busy']): Promise<DeliveryFigure> {
  const app = await createApp({ db: ':memory:', port: 0, logLevel: 'silent' });
  const url = await app.listen();
  // Synchronous observers: each stamps the instant its event is published.
  const commits = new Map<string, number>();
  const published = new Map<string, number>();
  const stop = [
    app.pubsub.observe('ingested', (e) => commits.set(e.run.id, sharedClock())),
    app.pubsub.observe('alert', (a) =>
      published.set(/run (bench-\d+)/.exec(a.message)?.[1] ?? '', sharedClock()),
    ),
  ];
  const before = loadavg()[0] ?? 0;
  try {
    const result = await subscribers({
      url,
      subscribers: n,
      alerts: FIRST + reps,
      waitMs: 10_000,
      ...(busy && { busy }),
    });
    const first: number[] = [];
    const latency: number[] = [];
    const evaluation: number[] = [];
    const fanout: number[] = [];
    let missed = 0;
    for (const [k, { runId, times }] of result.runs.entries()) {
      const t0 = commits.get(runId);
      const t1 = published.get(runId);
      if (t0 === undefined || t1 === undefined) throw new Error(`${runId}: no commit or no alert seen`);
      missed += n - times.length;
      if (k < FIRST) {
        for (const t of times) first.push(t - t0);
        continue;
      }
      evaluation.push(t1 - t0);
      for (const t of times) {
        latency.push(t - t0);
        fanout.push(t - t1);
      }
    }
    const load = [before, loadavg()[0] ?? 0] as const;
    const figure = {
      subscribers: n,
      alerts: reps,
      latency: summarise(latency),
      first: summarise(first),
      evaluation: summarise(evaluation),
      fanout: summarise(fanout),
      missed,
      load,
      busy: busy ? { ...busy, runs: result.busyRuns } : null,
    };
    const beside = figure.busy
      ? `, beside ${figure.busy.runs} runs of ${figure.busy.batch} results from ${figure.busy.clients} busy clients`
      : '';
    progress(
      `  ${n} subscribers${beside}: p50 ${figure.latency.p50} ms, p99 ${figure.latency.p99} ms over ${latency.length} deliveries ` +
        `(the first ${FIRST} alerts: p50 ${figure.first.p50} / p99 ${figure.first.p99} ms) ` +
        `(evaluation p50 ${figure.evaluation.p50} / p99 ${figure.evaluation.p99} ms; fan-out p50 ${figure.fanout.p50} / ` +
        `p99 ${figure.fanout.p99} ms; ${missed} missed; load ${load.map((l) => l.toFixed(1)).join(' → ')})`,
    );
    return figure;
  } finally {
    for (const s of stop) s();
    await app.close();
  }
}

if (process.argv[1]?.endsWith('alerts.ts')) {
  const option = (name: string, fallback: string): string => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
  };
  const counts = option('--subscribers', '1,100,1000').split(',').map(Number);
  // --busy 3x1000: three clients ingesting runs of 1,000 results back to back beside the alerts.
  const [clients, batch] = option('--busy', '0x0').split('x').map(Number);
  const busy = clients && batch ? { clients, batch } : undefined;
  const figures = await benchAlertDelivery(counts, Number(option('--alerts', '20')), busy);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
