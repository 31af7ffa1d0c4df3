/**
 * The bench's sections beside the speed figures: how right Assay is on public data (forecasts,
 * NAB, flakiness), how quick its command starts, its dashboard in Chromium, replicas, and the
 * peer (only when asked). Each runs in a whole run or alone (`npm run bench -- --nab`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchCli } from './cli.ts';
import { benchDashboard } from './dashboard.ts';
import { benchFlakiness, flakinessMarkdown } from './flakiness.ts';
import { benchForecast, forecastTable } from './forecast.ts';
import { benchNab, nabTable } from './nab.ts';
import { loadBenchOperations, loadContract, progress } from './lib.ts';
import { benchPeer } from './peer.ts';
import { PLANS, QUICK_REFERENCE } from './plans.ts';
import { ensureReferenceSetInChild } from './reference.ts';
import type { Figure } from './report.ts';

/** Sections that judge how right (or how quick to start) Assay is, each also runnable alone: `npm run bench -- --nab`. */
export const SECTIONS = ['--forecast', '--nab', '--flakiness', '--cli', '--dashboard', '--replicas'] as const;
/**
 * Only when asked: `--peer` (PostgreSQL + PostGraphile next to Assay, bench/peer.ts) needs a PostgreSQL
 * server and installs its own packages; on the 1M set, or the 10M one with `--peer --full`.
 */
export const OPT_IN = ['--peer'] as const;
export type Section = (typeof SECTIONS)[number] | (typeof OPT_IN)[number];

/** Runs the named sections (all of them in a whole run), prints each one's table, and returns their figures. */
export async function runSections(
  which: readonly Section[],
  mode: 'quick' | 'full',
  peerFull: boolean,
): Promise<{ figures: Figure[]; tables: string[]; extra: Record<string, unknown> }> {
  const figures: Figure[] = [];
  const tables: string[] = [];
  /** Details a section adds to latest.json beside its figures (the peer's whole report). */
  const extra: Record<string, unknown> = {};
  if (which.includes('--forecast')) {
    progress('forecast accuracy against R on the reference series…');
    const f = await benchForecast();
    figures.push(...f.figures);
    tables.push(
      `### Forecasts next to R (held-out points of ../shared/reference/forecast)\n\n${forecastTable(f.rows)}`,
    );
  }
  if (which.includes('--nab')) {
    progress('anomaly events on the Numenta Anomaly Benchmark (dev subset)…');
    const n = await benchNab();
    figures.push(...n.figures);
    tables.push(`### Anomaly detection, NAB standard profile (dev subset)\n\n${nabTable(n)}`);
  }
  if (which.includes('--flakiness')) {
    progress('flakiness score against simulated histories with known flake rates…');
    const f = await benchFlakiness();
    figures.push(...f.figures);
    tables.push(
      `### Flakiness score against known flake rates (simulated histories)\n\n${flakinessMarkdown(f)}`,
    );
  }
  if (which.includes('--dashboard')) {
    progress('the dashboard in Chromium on the demo…');
    figures.push(...(await benchDashboard()).figures);
    // And on the 1M-result quick set (built once and reused), and in a full run on the 10M set the goal is for.
    const sets = mode === 'full' ? [QUICK_REFERENCE, PLANS.full.reference] : [QUICK_REFERENCE];
    for (const set of sets) {
      const built = await ensureReferenceSetInChild(set);
      const label = `${built.results.toLocaleString('en-US')}-result reference set`;
      progress(`the dashboard in Chromium on the ${label}…`);
      const reference = { path: built.path, end: new Date(built.to), label };
      figures.push(...(await benchDashboard({ reference, loads: 5 })).figures);
    }
  }
  if (which.includes('--replicas')) {
    // Its own process: it starts a redis-server and several replicas, and prints one table.
    progress('replicas through Redis: throughput and replication lag with 1, 2 and 3 replicas…');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./replicas.ts', import.meta.url))],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (r.status !== 0) throw new Error(`bench/replicas.ts exited ${r.status}`);
    tables.push(
      `### Replicas through Redis (all in one process on this machine: the overhead, not the scaling)\n\n${r.stdout.trim()}`,
    );
  }
  if (which.includes('--cli')) {
    progress("the assay command's start-up…");
    figures.push(...(await benchCli()).figures);
  }
  if (which.includes('--peer')) {
    const p = await peerSection(peerFull ? PLANS.full : PLANS.quick);
    figures.push(...p.figures);
    tables.push(...p.tables);
    extra['peer'] = p.extra;
  }
  return { figures, tables, extra };
}

/** Assay next to PostgreSQL + PostGraphile on the plan's reference set: its figures, tables and whole report. */
async function peerSection(plan: (typeof PLANS)[keyof typeof PLANS]) {
  progress(
    `peer: PostgreSQL + PostGraphile next to Assay on ${plan.reference.tests} tests × ${plan.reference.runs} runs…`,
  );
  const p = await benchPeer(loadContract(), loadBenchOperations(), {
    reference: plan.reference,
    // PostGraphile has no answer cache, so its repeats are as slow as its cold requests: fewer of them.
    coldReps: Math.min(plan.coldReps, 10),
    warmReps: Math.min(plan.warmReps, 20),
    budgetMs: Math.min(plan.budgetMs, 5_000),
    ingestRuns: 50,
  });
  const extra = {
    dataSet: p.reference,
    loadAverage: p.loadAverage,
    peer: p.peer,
    assayIngest: p.assayIngest,
    assay: p.assay,
  };
  return { figures: p.figures, tables: p.tables, extra };
}
