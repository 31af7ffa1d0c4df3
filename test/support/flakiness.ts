/**
 * Histories and checks shared by the flakiness SQL tests: generated and
 * hand-written runs, ingest helpers, and the comparison of SQL-summed evidence
 * with the reference definition (src/analytics/flakiness.ts).
 */
import { afterEach, expect } from 'vitest';
import {
  DEFAULT_EVIDENCE_OPTIONS,
  flakiness,
  flakinessFromAggregates,
} from '../../src/analytics/flakiness.ts';
import { mulberry32 } from '../../src/analytics/random.ts';
import type { Database } from '../../src/db/database.ts';
import { queryFlakinessAggregates, queryFlakinessRollup } from '../../src/db/flakiness.ts';
import { refoldRuns } from '../../src/db/rollups.ts';
import { openStore } from '../../src/db/store.ts';
import { finishBulkLoad } from '../../src/db/staging.ts';
import type { FlakinessAggregates } from '../../src/domain/flakiness.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import type { Store } from '../../src/domain/ports.ts';
import type { IngestResultInput, ResultFilter } from '../../src/domain/types.ts';

export const OPTIONS = DEFAULT_EVIDENCE_OPTIONS;
export type OpenStore = Store & { readonly db: Database; close(): Promise<void> };

/** Opens in-memory stores for a test file, each closed after its test. Call once at the file's top level. */
export function storeOpener(): () => Promise<OpenStore> {
  const opened: OpenStore[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });
  return async () => {
    const s = await openStore();
    opened.push(s);
    return s;
  };
}

export type Batch = {
  run: { id: string; project: string; branch: string; commit: string | null; startedAt: string };
  results: IngestResultInput[];
};
const at = (r: number) => new Date(Date.UTC(2026, 9, 1) + r * 3_600_000).toISOString();

/** Runs over `tests` tests with flaky, broken, fixed and stable behaviour; some commits shared, some results skipped. */
export function history(seed: number, runs: number, tests: number): Batch[] {
  const rand = mulberry32(seed);
  const rate = Array.from({ length: tests }, (_, i) => [0, 0.02, 0.1, 0.3, 0.6][i % 5]!);
  const breaksAt = Array.from({ length: tests }, () => (rand() < 0.2 ? Math.floor(rand() * runs) : -1));
  return Array.from({ length: runs }, (_, r) => {
    const commit = rand() < 0.3 && r > 0 ? `c${r - 1}` : `c${r}`;
    const results: IngestResultInput[] = [];
    for (let t = 0; t < tests; t++) {
      if (rand() < 0.05) {
        results.push({ suite: 's', name: `t${t}`, status: 'SKIPPED', durationMs: 0 });
        continue;
      }
      const broken = breaksAt[t]! >= 0 && r >= breaksAt[t]! && r < breaksAt[t]! + 4 + (t % 3) * 3;
      const fails = broken || rand() < rate[t]!;
      const retried = fails && !broken && rand() < 0.5;
      results.push({
        suite: 's',
        name: `t${t}`,
        status: fails ? (rand() < 0.2 ? 'ERROR' : 'FAILED') : 'PASSED',
        durationMs: 1,
        attempt: 1,
      });
      if (retried) results.push({ suite: 's', name: `t${t}`, status: 'PASSED', durationMs: 1, attempt: 2 });
    }
    return { run: { id: `r${r}`, project: 'p', branch: 'main', commit, startedAt: at(r) }, results };
  });
}

/**
 * Runs from compact histories: each run is a commit ('-' for none) and one
 * code per test: P passed, F failed, E error, R failed then passed on retry,
 * S skipped, . not run. E.g. ['a PF', 'a FP'] is two runs on commit a.
 */
export function runsOf(spec: readonly string[]): Batch[] {
  return spec.map((line, r) => {
    const [commit = '-', codes = ''] = line.split(' ');
    const results: IngestResultInput[] = [];
    [...codes].forEach((c, t) => {
      const name = `t${t}`;
      if (c === '.') return;
      if (c === 'R') {
        results.push({ suite: 's', name, status: 'FAILED', durationMs: 1, attempt: 1 });
        results.push({ suite: 's', name, status: 'PASSED', durationMs: 1, attempt: 2 });
      } else {
        const status = ({ P: 'PASSED', F: 'FAILED', E: 'ERROR', S: 'SKIPPED' } as const)[c as 'P'];
        results.push({ suite: 's', name, status, durationMs: 1, attempt: 1 });
      }
    });
    return {
      run: {
        id: `r${r}`,
        project: 'p',
        branch: 'main',
        commit: commit === '-' ? null : commit,
        startedAt: at(r),
      },
      results,
    };
  });
}

export const ingestAll = async (s: Store, batches: readonly Batch[]) => {
  for (const b of batches) await s.ingest(validateIngest(b));
};

/** Evidence by one of the two SQL paths; the rollup path must answer (no time bound cuts a history here). */
export async function sums(
  s: OpenStore,
  path: 'rollup' | 'sequences',
  filter: ResultFilter = {},
): Promise<FlakinessAggregates[]> {
  if (path === 'sequences') return queryFlakinessAggregates(s.db, filter, OPTIONS);
  const rows = await queryFlakinessRollup(s.db, filter);
  expect(rows, 'the rollup answers a whole-history query').not.toBeNull();
  return rows!;
}

export async function compareWithReference(
  s: OpenStore,
  path: 'rollup' | 'sequences',
  filter: ResultFilter = {},
): Promise<number> {
  const got = await sums(s, path, filter);
  const histories = await s.flakinessHistory(filter, 1_000_000);
  expect(got.length).toBe(histories.size);
  for (const a of got) {
    const execs = histories.get(a.testId)!;
    const ref = flakiness(execs);
    const sql = flakinessFromAggregates(a);
    const tag = `${path} ${a.testId}`;
    expect(sql.classification, tag).toBe(ref.classification);
    for (const k of ['executions', 'failures', 'flakyExecutions', 'inconsistentCommits'] as const)
      expect(sql[k], `${tag} ${k}`).toBe(ref[k]);
    for (const k of ['score', 'lower', 'upper', 'flipRate'] as const)
      expect(sql[k], `${tag} ${k}`).toBeCloseTo(ref[k], 12);
    expect(a.lastFlakeAt?.getTime() ?? null, `${tag} lastFlakeAt`).toBe(
      ref.lastFlakeIndex === null ? null : execs[ref.lastFlakeIndex]!.at,
    );
  }
  return got.length;
}

export const bothPaths = async (s: OpenStore, filter: ResultFilter = {}) => {
  const n = await compareWithReference(s, 'rollup', filter);
  expect(await compareWithReference(s, 'sequences', filter)).toBe(n);
  return n;
};

/** Sends a run's first attempts, then its retries as a second call for the same run (a re-sent run). */
export async function ingestSplit(s: Store, b: Batch): Promise<void> {
  await s.ingest(validateIngest({ run: b.run, results: b.results.filter((r) => r.attempt !== 2) }));
  const retries = b.results.filter((r) => r.attempt === 2);
  if (retries.length) await s.ingest(validateIngest({ run: b.run, results: retries }));
}

/** The bulk path (demo, reference set): executions refolded from the results, then finishBulkLoad builds the rollups set-based. */
export async function bulkReload(s: OpenStore): Promise<void> {
  await s.db.write(async (tx) => {
    for (const t of ['flakiness_rollup', 'test_sequence', 'daily_counts', 'test_totals'])
      await tx.query(`DELETE FROM ${t}`);
    const [last] = await tx.query<{ n: bigint }>('SELECT max(seq) AS n FROM runs');
    await refoldRuns(tx, 1, Number(last!.n));
    await finishBulkLoad(tx);
  });
}
