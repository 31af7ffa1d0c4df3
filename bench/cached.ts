/**
 * Cached answers measured from outside the gateway's process: `node --import tsx bench/cached.ts`
 * starts a gateway on the 1M-result quick reference set (built once and reused, as `npm run bench
 * -- --quick` does), primes the response cache with the dashboard mix sent as GET queries, then
 * drives that mix from a separate load-generator process (bench/cached-load.ts) over keep-alive
 * connections. The latencies it reports are the server's figure (plus loopback), not skewed by a
 * client sharing the server's event loop as the in-process bench's are.
 *
 * Options: `--seconds N` per pass (default 10), `--connections 1,8` (default 1 and 8).
 * `npm run bench` runs it too (benchCached: 1 connection, its figures against the 2 ms goal).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { manifestFromDocument } from '../src/server/persisted.ts';
import { createApp } from '../src/server/app.ts';
import { DASHBOARD_MIX, DASHBOARD_MIX_VARIABLES } from './concurrency.ts';
import type { LoadPlan, LoadResult } from './cached-load.ts';
import { loadContract, progress } from './lib.ts';
import { ensureReferenceSetInChild } from './reference.ts';
import { QUICK_REFERENCE } from './plans.ts';
import type { Figure } from './report.ts';
import { GOALS } from './run-figures.ts';

/** What Chromium sends. */
const BROWSER = { 'accept-encoding': 'gzip, deflate, br' } as const;

const option = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

/** One pass of the load generator in its own process (asynchronously: this process serves it). */
async function load(plan: LoadPlan): Promise<LoadResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./cached-load.ts', import.meta.url)), JSON.stringify(plan)],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as LoadResult;
}

export interface CachedPlan {
  readonly reference: { readonly tests: number; readonly runs: number; readonly seed: number };
  readonly seconds: number;
  readonly connections: readonly number[];
}

/** One pass's figure: its label, connections and the load generator's summary. */
interface CachedPass {
  readonly label: string;
  readonly connections: number;
  readonly result: LoadResult;
}

/**
 * The figures of `npm run bench`: each pass at each connection count, p50 / p95 / p99, the
 * 2 ms goal on the p99 of the answers a browser gets (br, and a reload's 304).
 */
export async function benchCached(plan: CachedPlan): Promise<{ figures: Figure[] }> {
  const passes = await measureCached(plan);
  // A failed or uncached answer is never timed as a fast cached one.
  const broken = passes.filter((p) => p.result.errors + p.result.notCached > 0);
  if (broken.length)
    throw new Error(
      `cached answers: ${broken.map((p) => `${p.label} had ${p.result.errors} errors, ${p.result.notCached} not from the cache`).join('; ')}`,
    );
  const figures = passes.map(({ label, connections, result }): Figure => {
    const l = result.latency;
    return {
      figure: `cached GET answers of the dashboard mix from a separate process, ${label}, ${connections} connection${connections === 1 ? '' : 's'} p50 / p95 / p99`,
      value: l.p99,
      display: [l.p50, l.p95, l.p99].map((v) => v.toFixed(2)).join(' / '),
      unit: 'ms',
      goal: { op: '<=', value: GOALS.cachedP99Ms },
    };
  });
  return { figures };
}

async function measureCached({ reference: set, seconds, connections }: CachedPlan): Promise<CachedPass[]> {
  const reference = await ensureReferenceSetInChild(set);
  const app = await createApp({ db: reference.path, port: 0, logLevel: 'silent' });
  try {
    const graphql = await app.listen();
    // The dashboard mix's cacheable queries (Gateway's live counters are never cached), each
    // operation alone as a GET, as a browser would revalidate it.
    const bodies = new Map(manifestFromDocument(loadContract().text).operations.map((o) => [o.name, o.body]));
    const urls = DASHBOARD_MIX.filter((op) => op !== 'Gateway').map((op) => {
      const query = bodies.get(op);
      if (!query) throw new Error(`${op} is not in the contract's operations`);
      const params = new URLSearchParams({
        query,
        variables: JSON.stringify(DASHBOARD_MIX_VARIABLES[op] ?? {}),
      });
      return `${graphql}?${params.toString()}`;
    });
    // Twice each: the first fills the cache, the second must come from it; its ETag is kept.
    const tags: string[] = [];
    for (const url of urls) {
      for (let i = 0; i < 2; i++) {
        const res = await fetch(url, { headers: { accept: 'application/json' } });
        const body = (await res.json()) as { errors?: unknown[] };
        if (body.errors) throw new Error(`priming failed: ${JSON.stringify(body.errors).slice(0, 300)}`);
        if (i === 1 && res.headers.get('x-assay-cache') !== 'hit') throw new Error('the mix is not cached');
        if (i === 1) tags.push(res.headers.get('etag') ?? '');
      }
    }
    progress(
      `cached GET answers of the dashboard mix (${urls.length} queries) on ${reference.results.toLocaleString('en-US')} results, ` +
        `load from a separate process, ${seconds} s per pass; load average before: ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    const plain = urls.map((url) => ({ url }));
    const passes = [
      { label: 'identity', requests: plain, headers: { accept: 'application/json' } },
      {
        label: 'br (as a browser asks)',
        requests: plain,
        headers: { accept: 'application/json', ...BROWSER },
      },
      {
        label: 'revalidated, 304 (a browser reload)',
        requests: urls.map((url, i) => ({ url, headers: { 'if-none-match': tags[i] ?? '' } })),
        headers: { accept: 'application/json', ...BROWSER },
      },
    ];
    const out: CachedPass[] = [];
    for (const pass of passes) {
      for (const c of connections) {
        const r = await load({ ...pass, connections: c, durationMs: seconds * 1000, warmupMs: 1000 });
        out.push({ label: pass.label, connections: c, result: r });
        const l = r.latency;
        progress(
          `  ${pass.label}, ${c} connection${c === 1 ? '' : 's'}: p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms, max ${l.max} ms; ` +
            `${r.requestsPerSecond} requests/s, ${r.bytesPerAnswer} bytes per answer, ${r.notCached} not from the cache, ${r.errors} errors`,
        );
      }
    }
    progress(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    return out;
  } finally {
    await app.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  await measureCached({
    reference: QUICK_REFERENCE,
    seconds: Number(option('--seconds', '10')),
    connections: option('--connections', '1,8').split(',').map(Number),
  });
