import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_EVIDENCE_OPTIONS, flakiness, flakinessFromAggregates } from '../../src/analytics/flakiness.ts';
import { mulberry32 } from '../../src/analytics/random.ts';
import { openStore } from '../../src/db/store.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import type { Store } from '../../src/domain/ports.ts';
import type { IngestResultInput } from '../../src/domain/types.ts';

// The SQL ranking (execution sequences kept at ingest, evidence summed in one
// statement) must give exactly what the reference definition in
// src/analytics/flakiness.ts gives on the same executions.
const OPTIONS = DEFAULT_EVIDENCE_OPTIONS;
let store: (Store & { close(): Promise<void> }) | undefined;
afterEach(async () => store?.close());

/** Runs over `tests` tests with flaky, broken, fixed and stable behaviour; some commits shared, some results skipped. */
function history(seed: number, runs: number, tests: number) {
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
      results.push({ suite: 's', name: `t${t}`, status: fails ? (rand() < 0.2 ? 'ERROR' : 'FAILED') : 'PASSED', durationMs: 1, attempt: 1 });
      if (retried) results.push({ suite: 's', name: `t${t}`, status: 'PASSED', durationMs: 1, attempt: 2 });
    }
    const startedAt = new Date(Date.UTC(2026, 9, 1) + r * 3_600_000).toISOString();
    return { run: { id: `r${r}`, project: 'p', branch: 'main', commit, startedAt }, results };
  });
}

async function compareWithReference(s: Store, filter = {}) {
  const sums = await s.flakinessAggregates(filter, OPTIONS);
  const histories = await s.flakinessHistory(filter, 1_000_000);
  expect(sums.length).toBe(histories.size);
  for (const a of sums) {
    const execs = histories.get(a.testId)!;
    const ref = flakiness(execs);
    const sql = flakinessFromAggregates(a);
    expect(sql.classification, a.testId).toBe(ref.classification);
    for (const k of ['executions', 'failures', 'flakyExecutions', 'inconsistentCommits'] as const) expect(sql[k], `${a.testId} ${k}`).toBe(ref[k]);
    for (const k of ['score', 'lower', 'upper', 'flipRate'] as const) expect(sql[k], `${a.testId} ${k}`).toBeCloseTo(ref[k], 12);
    expect(a.lastFlakeAt?.getTime() ?? null).toBe(ref.lastFlakeIndex === null ? null : execs[ref.lastFlakeIndex]!.at);
  }
  return sums.length;
}

describe('flakiness summed in SQL', () => {
  it('equals the reference definition when runs arrive in order', async () => {
    store = await openStore();
    for (const batch of history(7, 120, 40)) await store.ingest(validateIngest(batch));
    expect(await compareWithReference(store)).toBe(40);
  });

  it('equals it when runs arrive out of order, retries come late and runs are re-sent', async () => {
    store = await openStore();
    const batches = history(11, 90, 25);
    const rand = mulberry32(3);
    const shuffled = [...batches].sort(() => rand() - 0.5);
    for (const b of shuffled) {
      // Send first attempts, then retries in a second call for the same run.
      await store.ingest(validateIngest({ run: b.run, results: b.results.filter((r) => r.attempt !== 2) }));
      await store.ingest(validateIngest({ run: b.run, results: b.results.filter((r) => r.attempt === 2) }));
    }
    await store.ingest(validateIngest(batches[5]!));
    expect(await compareWithReference(store)).toBe(25);
  });

  it('equals it on a time window of the history', async () => {
    store = await openStore();
    for (const batch of history(5, 100, 20)) await store.ingest(validateIngest(batch));
    await compareWithReference(store, { from: new Date(Date.UTC(2026, 9, 1) + 40 * 3_600_000) });
  });
});
