/**
 * Cold answers timed from outside the gateway's process: `assay serve` in a process of its own on
 * the run's reference set, and each operation with a cold goal (daily trends and per-test
 * flakiness over the full history, compare, the performance view) sent one request at a time
 * with `Cache-Control: no-cache`, which has the gateway compute the answer afresh (neither its
 * response cache nor its answer cache replays one; DuckDB's buffers stay warm, as in the query
 * bench's cold loop). The figures are the server's own: in the query bench the HTTP client, the
 * hand-written SQL and their garbage share the gateway's process and cores.
 *
 *   node --import tsx bench/cold-server.ts [--runs 2000] [--reps 50]
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  GqlClient,
  loadBenchOperations,
  loadContract,
  progress,
  requestLatency,
  type Summary,
} from './lib.ts';
import { queryPlanOn } from './query-plan.ts';
import { ensureReferenceSetInChild } from './reference.ts';
import { type Figure, fmt } from './report.ts';
import { coldGoalMs, triple } from './run-figures.ts';
import { buildDist, startServer } from './server-process.ts';

export interface ColdServerFigure {
  readonly operation: string;
  readonly cold: Summary;
}

/** Asks for the answer afresh (RFC 9111 §5.2.1.4): see README, "Fresh answers on request". */
const FRESH = { 'cache-control': 'no-cache' } as const;

export async function benchColdServer(plan: {
  readonly reference: { readonly tests: number; readonly runs: number; readonly seed: number };
  readonly reps: number;
  readonly budgetMs: number;
}): Promise<{ figures: Figure[]; cold: ColdServerFigure[] }> {
  const reference = await ensureReferenceSetInChild(plan.reference);
  buildDist();
  const queries = (await queryPlanOn(reference.path)).filter((q) => coldGoalMs(q.operation) !== undefined);
  // Nothing is written: the server reads the reference set itself, as the query bench does.
  const server = await startServer(reference.path);
  const cold: ColdServerFigure[] = [];
  try {
    progress(
      `cold answers from a separate process: assay serve (pid ${server.pid}) on ${reference.results.toLocaleString('en-US')} results; ` +
        `load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
    const clients = {
      contract: new GqlClient(server.url, loadContract(), FRESH),
      bench: new GqlClient(server.url, loadBenchOperations(), FRESH),
    };
    for (const { operation, variables, bench } of queries) {
      const client = bench ? clients.bench : clients.contract;
      const body = client.body(operation, variables);
      await client.post(operation, body); // one unmeasured request first, as the query bench sends
      const summary = await requestLatency(client, operation, body, plan.reps, plan.budgetMs);
      progress(`  ${operation}: p50 ${fmt(summary.p50)} / p99 ${fmt(summary.p99)} ms (n ${summary.n})`);
      cold.push({ operation, cold: summary });
    }
  } finally {
    await server.stop();
  }
  const figures = cold.map(({ operation, cold: c }): Figure => {
    const goal = coldGoalMs(operation);
    return {
      figure: `${operation} cold p50 / p95 / p99, the server alone (its own process)`,
      value: c.p99,
      display: triple(c),
      unit: 'ms',
      goal: goal === undefined ? null : { op: '<=', value: goal },
    };
  });
  return { figures, cold };
}

const option = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await benchColdServer({
    reference: { tests: 5_000, runs: Number(option('--runs', '2000')), seed: 42 },
    reps: Number(option('--reps', '50')),
    budgetMs: 30_000,
  });
}
