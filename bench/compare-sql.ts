/**
 * Times `compare` and the performance view straight through their resolvers
 * on a reference set's file (no HTTP, no cache: every call computes), the
 * two analyses the Compare and PerformanceByHardwareModelBatch operations run.
 * The set must exist (bench/reference.ts builds it).
 *   node --import tsx bench/compare-sql.ts [--runs 200] [--reps 7]
 */
import { compare } from '../resolvers/compare.ts';
import { performance as performanceView } from '../resolvers/performance.ts';
import { openStore } from '../src/db/store.ts';
import type { QueryCache } from '../src/domain/ports.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from './reference.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

/** A cache that never keeps anything, so every call is cold as far as Assay is concerned. */
const noCache: QueryCache = {
  get: (_kind, _args, compute) => compute(),
  refreshing: () => noCache,
  stats: () => ({ entries: 0, bytes: 0, hits: 0, misses: 0 }),
  clear: () => undefined,
};

async function time(label: string, reps: number, f: () => Promise<unknown>): Promise<unknown> {
  const ms: number[] = [];
  let last: unknown;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    last = await f();
    ms.push(performance.now() - t0);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  const p50 = sorted[sorted.length >> 1] ?? Number.NaN;
  process.stdout.write(`${label}: p50 ${p50.toFixed(0)} ms (first ${ms[0]?.toFixed(0)} ms, n ${reps})\n`);
  return last;
}

const path = join(DATA_DIR, `reference-5000x${arg('--runs', 200)}-s42.duckdb`);
if (!existsSync(path))
  throw new Error(
    `${path} is missing: build it with node --import tsx bench/reference.ts --runs ${arg('--runs', 200)}`,
  );
const store = await openStore({ path });
const deps = { store, cache: noCache };
const reps = arg('--reps', 7);
const filter = { project: ['ml'] };
const c = await time('Compare', reps, () =>
  compare(deps, {
    series: { metric: 'throughput', stat: 'AVG' },
    filter,
    dimension: 'HARDWARE',
    baseline: 'cpu',
    candidate: 'cuda',
    confidence: 0.95,
  }),
);
process.stdout.write(`${JSON.stringify(c)}\n`);
const p = await time('PerformanceByHardwareModelBatch', reps, () =>
  performanceView(deps, {
    series: { metric: 'throughput', stat: 'P50' },
    filter,
    dimensions: ['HARDWARE'],
    tagKeys: ['model', 'batch_size'],
  }),
);
process.stdout.write(
  `${JSON.stringify(
    (p as { effects: unknown[] }).effects.map((e) => JSON.stringify(e)),
    null,
    1,
  )}\n`,
);
await store.db.close();
