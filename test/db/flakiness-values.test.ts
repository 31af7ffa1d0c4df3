import { describe, expect, it } from 'vitest';
import { queryByValueFromExecutions, queryByValueRollup } from '../../src/db/flakiness-cause.ts';
import { FLAKINESS_VALUES_MIGRATION } from '../../src/db/flakiness-values.ts';
import type { FlakinessByValue } from '../../src/domain/flakiness.ts';
import {
  OPTIONS,
  type Batch,
  type OpenStore,
  bulkReload,
  history,
  ingestAll,
  ingestSplit,
  storeOpener,
} from '../support/flakiness.ts';

// The per-value rollup kept at ingest (src/db/flakiness-values.ts) must answer what the
// candidate tests' executions answer, however the runs arrived and after whatever rewrote them.
const open = storeOpener();

/**
 * `history` with workers and hardware: w0 fails t1 and t3 (its results there always fail, and are
 * retried), so evidence concentrates on it; some results record neither (the NULL value).
 */
function withPlaces(batches: readonly Batch[]): Batch[] {
  return batches.map((b, r) => ({
    ...b,
    results: b.results.map((x, i) => {
      const worker = (r * 7 + i) % 5 === 4 ? undefined : `w${(r + i) % 3}`;
      const hardware = r % 4 === 3 ? undefined : r % 2 ? 'gpu' : 'cpu';
      const sick = worker === 'w0' && (x.name === 't1' || x.name === 't3') && x.attempt === 1;
      return { ...x, worker, hardware, ...(sick && x.status === 'PASSED' ? { status: 'FAILED' } : {}) };
    }),
  }));
}

/** Values and pools in one order, for comparing (transient runs are a set: the attribution counts them). */
function sorted(r: FlakinessByValue): FlakinessByValue {
  const key = (x: { dimension: string; value: string | null }) => `${x.dimension} ${x.value ?? ''}`;
  return {
    values: [...r.values]
      .sort((a, b) => (a.testId + key(a) < b.testId + key(b) ? -1 : 1))
      .map((v) => ({ ...v, transientRuns: [...v.transientRuns].sort((a, b) => a - b) })),
    pools: [...r.pools].sort((a, b) => (key(a) < key(b) ? -1 : 1)),
  };
}

/** The rollup's answer for every test equals the executions'; returns how many value rows it compared. */
async function expectRollupAnswers(s: OpenStore, label: string): Promise<number> {
  const ids = (await s.db.query<{ id: string }>('SELECT id FROM tests ORDER BY id')).map((r) => r.id);
  const plain = sorted(await queryByValueFromExecutions(s.db, {}, ids, OPTIONS));
  const rolled = await queryByValueRollup(s.db, {}, ids, OPTIONS);
  expect(rolled, `${label}: the rollup answers a whole-history query`).not.toBeNull();
  const got = sorted(rolled!);
  expect(got.values.length, label).toBe(plain.values.length);
  expect(got.pools.length, label).toBe(plain.pools.length);
  plain.values.forEach((x, i) => {
    const y = got.values[i]!;
    const tag = `${label} ${x.testId} ${x.dimension} ${x.value}`;
    const { sumV, sumV2, sumWF, ...counts } = x;
    expect({ ...y, sumV: 0, sumV2: 0, sumWF: 0 }, tag).toEqual({ ...counts, sumV: 0, sumV2: 0, sumWF: 0 });
    expect(y.sumV, `${tag} sumV`).toBeCloseTo(sumV, 12);
    expect(y.sumV2, `${tag} sumV2`).toBeCloseTo(sumV2, 12);
    expect(y.sumWF, `${tag} sumWF`).toBeCloseTo(sumWF, 12);
  });
  plain.pools.forEach((x, i) => {
    const y = got.pools[i]!;
    expect({ ...y, expected: 0 }, `${label} pool ${x.dimension} ${x.value}`).toEqual({ ...x, expected: 0 });
    expect(y.expected, `${label} pool ${x.value} expected`).toBeCloseTo(x.expected, 12);
  });
  return plain.values.length;
}

describe('the flakiness rollup per worker and hardware value', () => {
  it('answers as the executions do after a re-sent run and shards out of order', async () => {
    const batches = withPlaces(history(31, 16, 6));
    // Each run's retries sent again as a second call for the run; the newer half of the runs first.
    const resent = await open();
    for (const b of [...batches.slice(8), ...batches.slice(0, 8)]) await ingestSplit(resent, b);
    await expectRollupAnswers(resent, 're-sent and out of order');
  });

  it('answers as the executions do after appends and a bulk load', async () => {
    const batches = withPlaces(history(31, 16, 6));
    const inOrder = await open();
    await ingestAll(inOrder, batches);
    const rows = await expectRollupAnswers(inOrder, 'in order');
    // Not vacuous: evidence on the sick worker, on no worker, transient and strong evidence.
    const { values } = await queryByValueRollup(
      inOrder.db,
      {},
      (await inOrder.db.query<{ id: string }>('SELECT id FROM tests')).map((r) => r.id),
      OPTIONS,
    ).then((r) => r!);
    expect(rows).toBeGreaterThan(10);
    expect(values.some((v) => v.value === 'w0' && v.evidence >= 3)).toBe(true);
    expect(values.some((v) => v.value === null)).toBe(true);
    expect(values.some((v) => v.transientRuns.length > 0)).toBe(true);
    expect(values.some((v) => v.strongAge !== null)).toBe(true);

    await bulkReload(inOrder);
    await expectRollupAnswers(inOrder, 'bulk load');
    await ingestAll(
      inOrder,
      withPlaces(history(37, 20, 6))
        .slice(16)
        .map((b, i) => ({
          ...b,
          run: {
            ...b.run,
            id: `late${i}`,
            startedAt: new Date(Date.UTC(2026, 9, 3) + i * 3_600_000).toISOString(),
          },
        })),
    );
    await expectRollupAnswers(inOrder, 'appends after a bulk load');
  });

  it('answers as the executions do after migration 14 builds it, and after retention deletes old runs', async () => {
    const store = await open();
    await ingestAll(store, withPlaces(history(41, 18, 5)));
    // A database from before the rollup: the migration creates the table and builds it from what is stored.
    await store.db.write(async (tx) => {
      await tx.query('DROP TABLE flakiness_value_rollup');
      await tx.query(FLAKINESS_VALUES_MIGRATION.sql);
      await FLAKINESS_VALUES_MIGRATION.backfill(tx);
    });
    await expectRollupAnswers(store, 'migration 14');
    const removed = await store.deleteRunsBefore(new Date(Date.UTC(2026, 9, 1, 6)));
    expect(removed.runs).toBe(6);
    await expectRollupAnswers(store, 'after retention');
  });

  it("declines a time window that cuts a candidate test's history, and answers one that cuts only other tests", async () => {
    const store = await open();
    // Every test runs from the first run on; `late` only from run 10, failing and passing on retry on w0.
    const batches = withPlaces(history(31, 16, 6)).map((b, r) =>
      r < 10
        ? b
        : {
            ...b,
            results: [
              ...b.results,
              {
                suite: 's',
                name: 'late',
                status: 'FAILED' as const,
                durationMs: 1,
                attempt: 1,
                worker: 'w0',
              },
              {
                suite: 's',
                name: 'late',
                status: 'PASSED' as const,
                durationMs: 1,
                attempt: 2,
                worker: 'w0',
              },
            ],
          },
    );
    await ingestAll(store, batches);
    const ids = (await store.db.query<{ id: string; name: string }>('SELECT id, name FROM tests')).map(
      (r) => r,
    );
    const late = ids.filter((t) => t.name === 'late').map((t) => t.id);
    const from = new Date(batches[10]!.run.startedAt);
    expect(late).toHaveLength(1);
    // The window starts where `late` does: its history is whole, every other test's is cut.
    expect(
      await queryByValueRollup(
        store.db,
        { from },
        ids.map((t) => t.id),
        OPTIONS,
      ),
    ).toBeNull();
    const rolled = await queryByValueRollup(store.db, { from }, late, OPTIONS);
    expect(rolled).not.toBeNull();
    const plain = sorted(await queryByValueFromExecutions(store.db, { from }, late, OPTIONS));
    // In one order (the rows come in none): each value's counts.
    expect(sorted(rolled!).values.map((v) => [v.dimension, v.value, v.executions, v.evidence])).toEqual(
      plain.values.map((v) => [v.dimension, v.value, v.executions, v.evidence]),
    );
    expect(rolled!.values.some((v) => v.value === 'w0' && v.evidence === 6)).toBe(true);
  });

  it('rescales its sums when the anchor moves, without changing any answer', async () => {
    const store = await open();
    const batches = withPlaces(history(43, 24, 5));
    await ingestAll(store, batches.slice(0, 18));
    // The same sums relative to an anchor 995 positions back: the next runs push the latest position past ANCHOR_SPAN.
    const shift = 995;
    const h = OPTIONS.halfLife;
    await store.db.write((tx) =>
      tx.query(
        `UPDATE flakiness_value_rollup SET anchor = anchor - ${shift}, sum_v = sum_v * pow(2.0, ${shift} / ${h}),
         sum_v2 = sum_v2 * pow(2.0, ${2 * shift} / ${h}), sum_wf = sum_wf * pow(2.0, ${shift} / ${h})`,
      ),
    );
    await expectRollupAnswers(store, 'older anchor');
    await ingestAll(store, batches.slice(18));
    const [moved] = await store.db.query<{ n: bigint }>(
      'SELECT count(*) AS n FROM flakiness_value_rollup r JOIN test_sequence s USING (test_id) WHERE s.last_seq - r.anchor < 20',
    );
    expect(Number(moved!.n)).toBeGreaterThan(0);
    await expectRollupAnswers(store, 'anchor moved');
  });
});
