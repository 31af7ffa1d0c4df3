import type { GqlClient, JsonObject } from './lib.ts';
import { progress, summarise, type Summary } from './lib.ts';

export interface ConcurrencyFigure {
  readonly clients: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latency: Summary;
  readonly errors: number;
}

/** Variables of the mix on the reference set, as bench/query-plan.ts sends them (the others take none). */
export const DASHBOARD_MIX_VARIABLES: Readonly<Record<string, JsonObject>> = {
  ResultsSlice: { first: 100 },
  Runs: { first: 50 },
  Tests: { first: 50 },
  PassRateByTestAndDay: { filter: { project: ['web'] } },
  PerfByHardwareAndModel: { filter: { project: ['ml'] } },
};

/** The dashboard mix: what a team's dashboards ask over and over (the cross-request cache on, as in production). */
export const DASHBOARD_MIX: readonly string[] = [
  'ResultsSlice',
  'Runs',
  'Tests',
  'PassRateByTestAndDay',
  'PerfByHardwareAndModel',
  'Trends',
  'Gateway',
];

/**
 * `clients` concurrent HTTP clients, each sending the next operation of the
 * mix as soon as its previous answer arrives, for `durationMs`. Requests per
 * second and latency over every request.
 */
export async function benchConcurrency(
  client: GqlClient,
  variables: ReadonlyMap<string, JsonObject>,
  clientCounts: readonly number[],
  durationMs: number,
): Promise<ConcurrencyFigure[]> {
  const bodies = DASHBOARD_MIX.map((op) => ({ op, body: client.body(op, variables.get(op) ?? {}) }));
  const out: ConcurrencyFigure[] = [];
  for (const clients of clientCounts) {
    const samples: number[] = [];
    let errors = 0;
    const end = performance.now() + durationMs;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = c; performance.now() < end; i++) {
          const { op, body } = bodies[i % bodies.length]!;
          const t0 = performance.now();
          try {
            await client.post(op, body);
            samples.push(performance.now() - t0);
          } catch {
            errors++;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const latency = summarise(samples);
    const figure = {
      clients,
      requests: samples.length,
      requestsPerSecond: Math.round(samples.length / seconds),
      latency,
      errors,
    };
    out.push(figure);
    progress(
      `  ${clients} concurrent clients: ${figure.requestsPerSecond} requests/s, p50 ${latency.p50} ms, p99 ${latency.p99} ms, ${errors} errors`,
    );
  }
  return out;
}
