import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/analytics/random.ts';
import { rebuildFlakinessRollup } from '../../src/db/flakiness-rollup.ts';
import { queryFlakinessRollup } from '../../src/db/flakiness.ts';
import type { FlakinessAggregates } from '../../src/domain/flakiness.ts';
import {
  OPTIONS,
  type OpenStore,
  bulkReload,
  storeOpener,
  compareWithReference,
  history,
  ingestAll,
  ingestSplit,
  runsOf,
  sums,
} from '../support/flakiness.ts';

// The rollup kept at ingest (src/db/flakiness-rollup.ts) must not depend on
// how the data arrived, must equal what the bulk path builds set-based, and
// must survive anchor moves and rebuilds after deletions.
const open = storeOpener();

type RollupState = {
  sums: Map<string, FlakinessAggregates>;
  evidence: { run: string; test_id: string; evidence: string | null }[];
  tails: { test_id: string; tail: unknown }[];
};

/** What a rollup read says per test, and each execution's evidence kind, for comparing rollups built different ways. */
async function rollupState(s: OpenStore): Promise<RollupState> {
  const rows = await sums(s, 'rollup');
  const evidence = await s.db.query<{ run: string; test_id: string; evidence: string | null }>(
    'SELECT r.id AS run, e.test_id, e.evidence FROM executions e JOIN runs r ON r.seq = e.run_seq ORDER BY r.id, e.test_id',
  );
  // The failure run each test is on: what the next pass turns into transient evidence.
  const tails = await s.db.query<{ test_id: string; tail: unknown }>(
    'SELECT test_id, list_transform(list_sort(tail), lambda t: struct_pack(seq := t.seq, same := t.same_commit)) AS tail FROM flakiness_rollup ORDER BY test_id',
  );
  return { sums: new Map(rows.map((r) => [r.testId, r])), evidence, tails };
}

function expectSameRollup(a: RollupState, b: RollupState, label: string): void {
  expect(b.evidence, `${label}: evidence per execution`).toEqual(a.evidence);
  expect(b.tails, `${label}: failure runs not yet ended`).toEqual(a.tails);
  expect([...b.sums.keys()].sort(), label).toEqual([...a.sums.keys()].sort());
  for (const [id, x] of a.sums) {
    const y = b.sums.get(id)!;
    for (const k of [
      'executions',
      'failures',
      'flakyExecutions',
      'inconsistentCommits',
      'failingNow',
      'recentStrongEvidence',
      'recentTransientRuns',
      'lastFlakeAt',
    ] as const) {
      expect(y[k], `${label} ${id} ${k}`).toEqual(x[k]);
    }
    for (const k of ['sumW', 'sumW2', 'sumV', 'sumV2', 'sumWF', 'flipW', 'flipSum'] as const)
      expect(y[k], `${label} ${id} ${k}`).toBeCloseTo(x[k], 11);
  }
}

describe('the flakiness rollup kept at ingest', () => {
  it('is the same whichever order and batches the runs arrive in, and the same as a bulk load builds', async () => {
    // Small enough to stay cheap (three ingests of every run), long enough for transient and same-commit evidence.
    const batches = history(13, 12, 6);
    const inOrder = await open();
    await ingestAll(inOrder, batches);
    const expected = await rollupState(inOrder);
    expect(
      expected.evidence.some((e) => e.evidence === 'TRANSIENT') &&
        expected.evidence.some((e) => e.evidence === 'SAME_COMMIT'),
    ).toBe(true);

    const rand = mulberry32(17);
    const shuffled = await open();
    for (const b of [...batches].sort(() => rand() - 0.5)) await ingestSplit(shuffled, b);
    expectSameRollup(expected, await rollupState(shuffled), 'shuffled and split');

    const halves = await open();
    await ingestAll(halves, batches.slice(6));
    await ingestAll(halves, batches.slice(0, 6)); // the older half arrives late
    expectSameRollup(expected, await rollupState(halves), 'newer half first');

    await bulkReload(inOrder);
    expectSameRollup(expected, await rollupState(inOrder), 'bulk load');
    await compareWithReference(inOrder, 'rollup');
  });

  it('carries on from what a bulk load built, through failure runs a later pass ends', async () => {
    const store = await open();
    // After the bulk build, t0 and t1 are on failure runs (t0's second failure on the commit the first pass comes on).
    const batches = runsOf([
      'a PPP',
      'b PFP',
      'c FFP',
      'd FFF',
      'e PFF',
      'd PPF',
      'f PPP',
      'd PPP',
      'g FPF',
      'h PPP',
    ]);
    await ingestAll(store, batches.slice(0, 5));
    await bulkReload(store);
    await ingestAll(store, batches.slice(5));
    await compareWithReference(store, 'rollup');
  });

  it('rescales its sums when the anchor moves, without changing any answer', async () => {
    const store = await open();
    const batches = history(19, 30, 6);
    await ingestAll(store, batches.slice(0, 22));
    const before = await rollupState(store);
    // The same sums relative to an anchor 995 positions back: the next few runs push the latest position past ANCHOR_SPAN.
    const shift = 995;
    const h = OPTIONS.halfLife;
    await store.db.write((tx) =>
      tx.query(
        `UPDATE flakiness_rollup SET anchor = anchor - ${shift}, sum_w = sum_w * pow(2.0, ${shift} / ${h}), sum_w2 = sum_w2 * pow(2.0, ${2 * shift} / ${h}),
         sum_wf = sum_wf * pow(2.0, ${shift} / ${h}), flip_w = flip_w * pow(2.0, ${shift} / ${h}),
         sum_v = sum_v * pow(2.0, ${shift} / ${h}), sum_v2 = sum_v2 * pow(2.0, ${2 * shift} / ${h})`,
      ),
    );
    expectSameRollup(before, await rollupState(store), 'older anchor');
    await ingestAll(store, batches.slice(22));
    const [spread] = await store.db.query<{ moved: boolean }>(
      'SELECT bool_and(s.last_seq - r.anchor < 20) AS moved FROM flakiness_rollup r JOIN test_sequence s ON s.test_id = r.test_id',
    );
    expect(spread?.moved).toBe(true);
    await compareWithReference(store, 'rollup');
  });

  it('is rebuilt by rebuildFlakinessRollup after runs are deleted, for the tests named or for all', async () => {
    const store = await open();
    // t2 only runs in the first five runs, so deleting them leaves it without executions.
    await ingestAll(store, [
      ...runsOf(['a PFP', 'a FPF', 'b FFP', 'c PFF', 'c PPF']),
      ...history(23, 40, 2).map((b, i) => ({
        ...b,
        run: {
          ...b.run,
          id: `h${i}`,
          startedAt: new Date(Date.UTC(2026, 9, 2) + i * 3_600_000).toISOString(),
        },
      })),
    ]);
    const deleteRuns = (ids: string[]) =>
      store.db.write(async (tx) => {
        const affected = (
          await tx.query<{ test_id: string }>(
            `SELECT DISTINCT e.test_id FROM executions e JOIN runs r ON r.seq = e.run_seq WHERE r.id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`,
            ids,
          )
        ).map((r) => r.test_id);
        for (const t of ['results', 'executions'])
          await tx.query(
            `DELETE FROM ${t} WHERE run_seq IN (SELECT seq FROM runs WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')}))`,
            ids,
          );
        await tx.query(`DELETE FROM runs WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`, ids);
        await rebuildFlakinessRollup(tx, affected);
      });
    await deleteRuns(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(await compareWithReference(store, 'rollup')).toBe(2);
    // t2 runs again: its positions start afresh, as if its deleted executions had never been.
    await ingestAll(
      store,
      runsOf(['x ..F', 'y ..P']).map((b, i) => ({
        ...b,
        run: {
          ...b.run,
          id: `again${i}`,
          startedAt: new Date(Date.UTC(2026, 10, 1) + i * 3_600_000).toISOString(),
        },
      })),
    );
    expect(await compareWithReference(store, 'rollup')).toBe(3);
    expect(await compareWithReference(store, 'sequences')).toBe(3);
    await deleteRuns(['h0', 'h1', 'h2', 'again0', 'again1']);
    expect(await compareWithReference(store, 'rollup')).toBe(2);
    // Everything, from scratch.
    await store.db.write((tx) => rebuildFlakinessRollup(tx));
    expect(await compareWithReference(store, 'rollup')).toBe(2);
    expect(await queryFlakinessRollup(store.db, {})).toHaveLength(2);
  });
});
