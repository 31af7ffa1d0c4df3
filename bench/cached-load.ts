/**
 * The load generator of bench/cached.ts, in its own process so that its work (HTTP parsing,
 * timers, garbage) never shares the gateway's event loop: `connections` keep-alive connections,
 * each sending the next GET of the list as soon as its previous answer has fully arrived, for
 * `durationMs` after a `warmupMs` not counted (a 304 counts as an answer). Prints one JSON line: the latency summary in ms.
 * Run by bench/cached.ts with its plan as the one argument (JSON).
 */
import { Agent, request } from 'node:http';
import { summarise, type Summary } from './lib.ts';

export interface LoadPlan {
  /** Each request's URL, and headers of its own (an If-None-Match) over the plan's. */
  readonly requests: readonly { readonly url: string; readonly headers?: Readonly<Record<string, string>> }[];
  readonly connections: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly headers: Readonly<Record<string, string>>;
}

export interface LoadResult {
  readonly latency: Summary;
  readonly requestsPerSecond: number;
  /** Answers that were not 200 or 304, or not from the response cache (x-assay-cache: hit). */
  readonly notCached: number;
  readonly errors: number;
  readonly bytesPerAnswer: number;
}

function once(agent: Agent, url: string, headers: Readonly<Record<string, string>>) {
  return new Promise<{ ok: boolean; bytes: number }>((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () =>
        resolve({
          ok: (res.statusCode === 200 || res.statusCode === 304) && res.headers['x-assay-cache'] === 'hit',
          bytes,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.connections });
  const samples: number[] = [];
  let notCached = 0;
  let errors = 0;
  let bytes = 0;
  const start = performance.now();
  const measureFrom = start + plan.warmupMs;
  const end = measureFrom + plan.durationMs;
  await Promise.all(
    Array.from({ length: plan.connections }, async (_, c) => {
      for (let i = c; performance.now() < end; i++) {
        const t0 = performance.now();
        try {
          const next = plan.requests[i % plan.requests.length]!;
          const r = await once(agent, next.url, { ...plan.headers, ...next.headers });
          if (t0 < measureFrom) continue;
          samples.push(performance.now() - t0);
          bytes += r.bytes;
          if (!r.ok) notCached++;
        } catch {
          errors++;
        }
      }
    }),
  );
  agent.destroy();
  return {
    latency: summarise(samples),
    requestsPerSecond: Math.round(samples.length / (plan.durationMs / 1000)),
    notCached,
    errors,
    bytesPerAnswer: Math.round(bytes / Math.max(1, samples.length)),
  };
}

const arg = process.argv[2];
if (arg) process.stdout.write(`${JSON.stringify(await run(JSON.parse(arg) as LoadPlan))}\n`);
