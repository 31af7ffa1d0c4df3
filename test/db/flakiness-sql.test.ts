import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recentSpan } from '../../src/analytics/flakiness.ts';
import { mulberry32 } from '../../src/analytics/random.ts';
import { queryFlakinessAggregates, queryFlakinessRollup } from '../../src/db/flakiness.ts';
import type { FlakinessAggregates } from '../../src/domain/flakiness.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import {
  OPTIONS,
  bothPaths,
  storeOpener,
  bulkReload,
  compareWithReference,
  history,
  ingestAll,
  ingestSplit,
  runsOf,
} from '../support/flakiness.ts';

// Both ways of summing evidence in SQL must give exactly what the reference
// definition in src/analytics/flakiness.ts gives on the same executions: the
// rollup kept at ingest (whole histories, default options) and the sum over
// the execution sequences (any slice).
const open = storeOpener();

describe('flakiness summed in SQL', () => {
  it('takes recent as one half-life, as the definition does', () => {
    expect(OPTIONS.recent).toBe(recentSpan(OPTIONS.halfLife));
  });

  it('equals the reference definition when runs arrive in order', async () => {
    const store = await open();
    await ingestAll(store, history(7, 120, 40));
    expect(await bothPaths(store)).toBe(40);
  });

  it('equals it when runs arrive out of order, retries come late and runs are re-sent', async () => {
    const store = await open();
    // Small (each run is sent twice, in random order), but long enough for every kind of evidence.
    const batches = history(11, 12, 6);
    const rand = mulberry32(3);
    for (const b of [...batches].sort(() => rand() - 0.5)) await ingestSplit(store, b);
    await store.ingest(validateIngest(batches[5]!));
    expect(await bothPaths(store)).toBe(6);
  });

  it('equals it on a time window of the history (the rollup declines, the sequences answer)', async () => {
    const store = await open();
    await ingestAll(store, history(5, 100, 20));
    const from = new Date(Date.UTC(2026, 9, 1) + 40 * 3_600_000);
    expect(await queryFlakinessRollup(store.db, { from })).toBeNull();
    expect(await queryFlakinessRollup(store.db, { to: from })).toBeNull();
    await compareWithReference(store, 'sequences', { from });
    // Every run is on main: a branch filter keeps the same slice but takes the sums over every row.
    await compareWithReference(store, 'sequences', { from, branch: ['main'] });
    // The store routes each query to the path that can answer it.
    const byTest = (rows: readonly FlakinessAggregates[] | null) =>
      [...(rows ?? [])].sort((a, b) => (a.testId < b.testId ? -1 : 1));
    expect(byTest(await store.flakinessAggregates({ from }, OPTIONS))).toEqual(
      byTest(await queryFlakinessAggregates(store.db, { from }, OPTIONS)),
    );
    expect(byTest(await store.flakinessAggregates({}, OPTIONS))).toEqual(
      byTest(await queryFlakinessRollup(store.db, {})),
    );
    expect(byTest(await store.flakinessAggregates({}, { ...OPTIONS, halfLife: 10 }))).toEqual(
      byTest(await queryFlakinessAggregates(store.db, {}, { ...OPTIONS, halfLife: 10 })),
    );
  });

  it('equals it on project, suite and test filters, and on time bounds that cover the whole history', async () => {
    const store = await open();
    const batches = history(9, 40, 12);
    await ingestAll(store, batches);
    await ingestAll(
      store,
      batches.map((b) => ({
        run: { ...b.run, id: `q${b.run.id}`, project: 'q' },
        results: b.results.map((r) => ({ ...r, suite: 'u' })),
      })),
    );
    const [someTest] = await store.db.query<{ id: string }>(
      "SELECT id FROM tests WHERE project = 'q' ORDER BY id LIMIT 1",
    );
    expect(await bothPaths(store, { project: ['q'] })).toBe(12);
    expect(await bothPaths(store, { suite: ['s'] })).toBe(12);
    expect(await bothPaths(store, { testId: [someTest!.id] })).toBe(1);
    expect(
      await bothPaths(store, {
        from: new Date('2000-01-01T00:00:00Z'),
        to: new Date('2100-01-01T00:00:00Z'),
      }),
    ).toBe(24);
  });

  it.each([
    ['tests with one execution', ['a F.', 'b .P']],
    ['a test that fails every time', ['a FP', 'b EP', 'c FP', 'd FP', 'e FP', 'f FP']],
    [
      'failures that a later pass on the same commit makes flaky, past the transient length',
      ['a PP', 'b FP', 'c FP', 'b FP', 'd FF', 'b PP', 'e PP'],
    ],
    [
      'short failure runs ended by a pass (transient), and one no pass has ended yet',
      ['a PP', 'b FP', 'c PF', 'd FF', 'e FP', 'f PP', 'g PF', 'h FF', 'i FP'],
    ],
    [
      'transient failures that a pass on their commit later makes same-commit',
      ['a PP', 'b FP', 'c FP', 'd PP', 'e PP', 'b PP', 'f PP'],
    ],
    [
      'a failure on a commit that already passed, at the end of the history',
      ['a PP', 'b PP', 'c PP', 'd FP', 'd PP', 'e FP', 'd FP', 'd FP'],
    ],
    [
      'retries, skips and runs without a commit (which never share one)',
      ['- FR', '- PF', 'a RP', 'a SF', 'b FS', '- SP', '- FF', 'c PR', 'c RP'],
    ],
    [
      'a test that broke and stays broken after passing on its commit',
      ['a PP', 'b PP', 'c PP', 'd PP', 'e PP', 'f FP', 'f FP', 'g FP', 'h FP'],
    ],
  ])('equals it for %s, in order and reversed with re-sent runs', async (_name, spec) => {
    const batches = runsOf(spec);
    const inOrder = await open();
    await ingestAll(inOrder, batches);
    await bothPaths(inOrder);
    // The sums over every row (any filter; every run here is on main) against the consecutive positions' series.
    await compareWithReference(inOrder, 'sequences', { branch: ['main'] });
    const reversed = await open();
    for (const b of [...batches].reverse()) await ingestSplit(reversed, b);
    await bothPaths(reversed);
  });

  it('equals it on random histories, with some runs late, some re-sent and a bulk rebuild midway', async () => {
    const code = fc.constantFrom('P', 'P', 'P', 'F', 'F', 'E', 'R', 'S', '.');
    const run = fc.record({
      commit: fc.constantFrom('-', 'a', 'b', 'c', 'd', 'e', 'f'),
      codes: fc.array(code, { minLength: 3, maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(run, { minLength: 1, maxLength: 12 }),
        fc.uniqueArray(fc.nat(11), { maxLength: 3 }),
        fc.nat(11),
        fc.option(fc.nat(11)),
        async (runs, late, resent, reloadAfter) => {
          const batches = runsOf(runs.map((r) => `${r.commit} ${r.codes.join('')}`));
          // Mostly in order (the rollup is extended in place), a few runs held back to the end (recomputed).
          const order = [
            ...batches.filter((_, i) => !late.includes(i)),
            ...batches.filter((_, i) => late.includes(i)),
          ];
          const store = await open();
          for (const [i, b] of order.entries()) {
            if (b === batches[resent]) await ingestSplit(store, b);
            else await store.ingest(validateIngest(b));
            // Sometimes the bulk path rebuilds everything midway, and ingest carries on from what it built.
            if (i === reloadAfter) await bulkReload(store);
          }
          await bothPaths(store);
          await store.close();
        },
      ),
      { numRuns: 12, seed: 20261122 },
    );
  }, 240_000);
});
