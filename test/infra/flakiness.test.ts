import { describe, expect, it } from 'vitest';
import { flakinessFromAggregates } from '../../src/analytics/flakiness.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import {
  OPTIONS,
  bothPaths,
  bulkReload,
  compareWithReference,
  ingestAll,
  runsOf,
  storeOpener,
  sums,
  type OpenStore,
} from '../support/flakiness.ts';

// Six tests over six runs on their own commits; in run 4 every test errors (a lost runner):
// 6 of 6 failed, at least 5 executions, so the run is an infrastructure failure.
// Left out, each test passed 5 of 5: nothing flaky. Put back, each test's one failure is a
// failure run of length 1 that a pass ended: transient evidence, 1 flaky execution of 6.
const SPEC = ['a PPPPPP', 'b PPPPPP', 'c PPPPPP', 'd EEEEEE', 'e PPPPPP', 'f PPPPPP'];
const open = storeOpener();
const INCLUDE = { includeInfrastructureFailures: true };

async function expectOnlyInfraFlips(s: OpenStore): Promise<void> {
  const marks = await s.infrastructureFailures({}, 10);
  expect(marks.map((m) => [m.runId, m.worker, m.failures])).toEqual([['r3', null, 6]]);
  for (const path of ['rollup', 'sequences'] as const) {
    const rows = await sums(s, path);
    expect(rows).toHaveLength(6);
    for (const a of rows) {
      expect([a.executions, a.failures, a.flakyExecutions], `${path} ${a.testId}`).toEqual([5, 0, 0]);
      expect(flakinessFromAggregates(a, OPTIONS).score).toBe(0);
    }
  }
  const included = await sums(s, 'sequences', INCLUDE);
  expect(included).toHaveLength(6);
  for (const a of included) {
    expect([a.executions, a.failures, a.flakyExecutions], a.testId).toEqual([6, 1, 1]);
    expect(flakinessFromAggregates(a, OPTIONS).score).toBeGreaterThan(0);
  }
  // Both ways equal the reference definition over the same executions.
  expect(await bothPaths(s)).toBe(6);
  expect(await compareWithReference(s, 'sequences', INCLUDE)).toBe(6);
}

describe('flakiness without infrastructure failures', () => {
  it('finds nothing flaky in tests that failed only in a marked run, and the flips with includeInfrastructureFailures', async () => {
    const s = await open();
    await ingestAll(s, runsOf(SPEC));
    await expectOnlyInfraFlips(s);
  });

  it('gives the same when the marked run arrives in two shards, the first too small to judge, and after a bulk rebuild', async () => {
    const s = await open();
    const runs = runsOf(SPEC);
    const infra = runs[3]!;
    await ingestAll(s, runs.slice(0, 3));
    // 3 errors: fewer than 5 executions, not marked yet, so these failures enter the sequences…
    await s.ingest(validateIngest({ run: infra.run, results: infra.results.slice(0, 3) }));
    expect(await s.infrastructureFailures({}, 10)).toEqual([]);
    // …until the second shard makes the run 6 of 6 failed; the first shard's tests are recomputed.
    await s.ingest(validateIngest({ run: infra.run, results: infra.results.slice(3) }));
    await ingestAll(s, runs.slice(4));
    await expectOnlyInfraFlips(s);
    await bulkReload(s);
    await expectOnlyInfraFlips(s);
  });
});
