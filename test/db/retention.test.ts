import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.ts';
import { DEFAULT_EVIDENCE_OPTIONS } from '../../src/domain/flakiness.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import type { IngestInput } from '../../src/domain/types.ts';
import { RUN_A, RUN_B } from '../support/fixtures.ts';

// a1 (11-01) also runs a test nothing later runs; c1 (11-03) fails t3 again.
const A1 = {
  ...RUN_A,
  results: [...RUN_A.results, { suite: 'legacy', name: 'old test', status: 'PASSED', durationMs: 5 }],
} as IngestInput;
const C1 = {
  run: { id: 'c1', project: 'web', branch: 'main', commit: 'c3', startedAt: '2026-11-03T10:00:00Z' },
  results: RUN_B.results.map((r) => ({
    ...r,
    startedAt: r.startedAt.replace('11-02', '11-03'),
    ...(r.name === 'resets password' && { status: 'FAILED' }),
  })),
} as IngestInput;

type S = Awaited<ReturnType<typeof openStore>>;
const stores: S[] = [];
async function storeWith(...inputs: IngestInput[]): Promise<S> {
  const s = await openStore({ readers: 2 });
  stores.push(s);
  for (const i of inputs) await s.ingest(validateIngest(i));
  return s;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

/** Everything derived from the runs, in a comparable order. */
async function derived(s: S) {
  return {
    runs: await s.db.query('SELECT id FROM runs ORDER BY id'),
    tests: await s.db.query('SELECT id FROM tests ORDER BY id'),
    results: await s.db.query('SELECT count(*) AS n FROM results'),
    executions: await s.db.query(
      `SELECT r.id AS run, e.test_id, e.status, e.test_seq, e.flipped, e.fail_run, e.ended_fail_run
       FROM executions e JOIN runs r ON r.seq = e.run_seq ORDER BY e.test_id, e.started_at`,
    ),
    sequences: await s.db.query(
      'SELECT test_id, last_seq, last_failed, fail_run FROM test_sequence ORDER BY test_id',
    ),
    daily: await s.db.query('SELECT * FROM daily_counts ORDER BY started_at, test_id, branch_key'),
    totals: await s.db.query('SELECT * FROM test_totals ORDER BY test_id'),
    evidence: await s.db.query(
      'SELECT test_id, test_seq, evidence FROM executions ORDER BY test_id, test_seq',
    ),
    // The flakiness the rollup answers (its sums are relative to an anchor, so compare what they mean).
    flakiness: JSON.parse(
      JSON.stringify(
        (await s.flakinessAggregates({}, DEFAULT_EVIDENCE_OPTIONS)).sort((a, b) =>
          a.testId < b.testId ? -1 : 1,
        ),
        (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v),
      ),
    ) as unknown,
  };
}

describe('retention: deleting old runs', () => {
  it('leaves exactly what ingesting only the kept runs gives', async () => {
    const pruned = await storeWith(A1, RUN_B, C1);
    const fresh = await storeWith(RUN_B, C1);
    const before = pruned.dataVersion;
    const removed = await pruned.deleteRunsBefore(new Date('2026-11-02T00:00:00Z'));
    // a1: 7 attempts (t2 twice, and the legacy test), 1 run, 1 test left without results.
    expect(removed).toEqual({ runs: 1, results: 7, tests: 1 });
    expect(pruned.dataVersion).toBe(before + 1);
    expect(await derived(pruned)).toEqual(await derived(fresh));
    // The writer's memory follows: re-sending a1 stores it again as a new run.
    const again = await pruned.ingest(validateIngest(A1));
    expect(again.accepted).toBe(7);
  });

  it('counts without deleting on a dry run, and does nothing when nothing is old enough', async () => {
    const s = await storeWith(A1, RUN_B);
    const snapshot = await derived(s);
    expect(await s.deleteRunsBefore(new Date('2026-11-03T00:00:00Z'), { dryRun: true })).toEqual({
      runs: 2,
      results: 12,
      tests: 6,
    });
    expect(await derived(s)).toEqual(snapshot);
    const v = s.dataVersion;
    expect(await s.deleteRunsBefore(new Date('2026-10-01T00:00:00Z'))).toEqual({
      runs: 0,
      results: 0,
      tests: 0,
    });
    expect(s.dataVersion).toBe(v);
  });
});
