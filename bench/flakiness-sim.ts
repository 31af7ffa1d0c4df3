/**
 * Simulated test histories with known flake rates, for bench/flakiness.ts:
 * what each test's true rate is, and the runs (ingest batches) it produces.
 * Seeded, so one seed always gives the same runs.
 */
import { mulberry32 } from '../src/analytics/random.ts';
import type { IngestInput, IngestResultInput } from '../src/domain/types.ts';
import { FLAKE_RATES } from './reference-shape.ts';

/** flaky: fails with `rate` per attempt; fragile: the reference set's fail rate 0.02 + 0.1u²; stable: its noise; broken: breaks for a while (maybe to the end). */
type SimRole = 'flaky' | 'fragile' | 'stable' | 'broken';

export interface SimTest {
  readonly project: string;
  readonly name: string;
  readonly role: SimRole;
  /** The probability that one attempt fails when nothing changed: what the score should estimate. */
  readonly rate: number;
  /** Runs around which it fails every attempt (a real break, from the first new commit after `from` to the one after `to`), or null. */
  readonly broken: { readonly from: number; readonly to: number } | null;
}

interface SimProject {
  readonly project: string;
  /** retry: a failed first attempt is retried once; rerun: no retries, but a commit runs several times. */
  readonly style: 'retry' | 'rerun';
}

export interface SimOptions {
  readonly seed: number;
  /** Runs per project. */
  readonly runs: number;
  /** Tests per flake rate and project. */
  readonly perRate: number;
  readonly fragile: number;
  readonly stable: number;
  readonly broken: number;
  /** A worker whose attempts fail this often on top of the test's own rate (infrastructure, not the test). */
  readonly sickWorker: { readonly name: string; readonly failure: number };
  /** Workers per project; each execution runs on one, a retry on the same. */
  readonly workers: number;
}

const PROJECTS: readonly SimProject[] = [
  { project: 'retry', style: 'retry' },
  { project: 'rerun', style: 'rerun' },
];

const HOUR = 3_600_000;
/** Runs end well before any wall-clock "now", so a long window covers them all. */
const START = Date.UTC(2025, 0, 1);

export function simulatedTests(o: SimOptions): SimTest[] {
  const rand = mulberry32(o.seed);
  const noise = () => 0.0002 + 0.002 * rand() ** 2;
  const tests: SimTest[] = [];
  for (const { project } of PROJECTS) {
    const add = (role: SimRole, rate: number, broken: SimTest['broken'] = null) =>
      tests.push({
        project,
        name: `${role} ${tests.filter((t) => t.project === project && t.role === role).length}`,
        role,
        rate,
        broken,
      });
    for (const rate of FLAKE_RATES) for (let i = 0; i < o.perRate; i++) add('flaky', rate);
    for (let i = 0; i < o.fragile; i++) add('fragile', 0.02 + 0.1 * rand() ** 2);
    for (let i = 0; i < o.stable; i++) add('stable', noise());
    for (let i = 0; i < o.broken; i++) {
      // Broken for 5 to 60 runs somewhere in the history; every third stays broken to the end.
      const from = Math.floor(o.runs * (0.2 + 0.7 * rand()));
      const to = i % 3 === 2 ? o.runs : Math.min(o.runs, from + 5 + Math.floor(55 * rand()));
      add('broken', noise(), { from, to });
    }
  }
  return tests;
}

/** Every project's runs, interleaved in time order, as ingest batches. */
export function simulatedRuns(o: SimOptions, tests: readonly SimTest[]): IngestInput[] {
  const rand = mulberry32(o.seed + 1);
  const out: { at: number; batch: IngestInput }[] = [];
  for (const [pi, { project, style }] of PROJECTS.entries()) {
    const own = tests.filter((t) => t.project === project);
    // rerun style: a commit runs again (a re-triggered pipeline) with probability 0.6, so about 2.5 runs each.
    const commits: number[] = [];
    for (let r = 0, c = 0; r < o.runs; r++)
      commits.push(style === 'retry' || r === 0 || rand() >= 0.6 ? ++c : c);
    for (let r = 0; r < o.runs; r++) {
      const commit = commits[r]!;
      const results: IngestResultInput[] = [];
      for (const t of own) {
        const worker = `w${1 + Math.floor(rand() * o.workers)}`;
        const sick = worker === o.sickWorker.name ? o.sickWorker.failure : 0;
        // A break comes with a commit: from the first commit after run `from` up to the first after run `to`.
        const broken =
          t.broken !== null &&
          commit > commits[t.broken.from]! &&
          (t.broken.to >= o.runs || commit <= commits[t.broken.to]!);
        const fails = () => broken || rand() < t.rate || rand() < sick;
        const attempt = (n: number, failed: boolean): IngestResultInput => ({
          suite: t.role,
          name: t.name,
          status: failed ? 'FAILED' : 'PASSED',
          durationMs: 10,
          attempt: n,
          worker,
          hardware: 'cpu',
        });
        const first = fails();
        results.push(attempt(1, first));
        if (first && style === 'retry') results.push(attempt(2, fails()));
      }
      const at = START + r * HOUR + pi * 60_000;
      out.push({
        at,
        batch: {
          run: {
            id: `${project}-${r}`,
            project,
            branch: 'main',
            commit: `${project}-c${commit}`,
            startedAt: new Date(at).toISOString(),
          },
          results,
        },
      });
    }
  }
  return out.sort((a, b) => a.at - b.at).map((x) => x.batch);
}
