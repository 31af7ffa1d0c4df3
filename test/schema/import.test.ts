import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionCounts, importInput, mergeReports } from '../../resolvers/import.ts';
import type { App } from '../../src/server/app.ts';
import { testApp } from '../support/app.ts';

describe('importing a report in batches', () => {
  let app: App;
  beforeAll(async () => {
    app = await testApp();
  });
  afterAll(() => app.close());

  it('sums the batches, with rejected rows indexed into the whole report', async () => {
    // 7 attempts in batches of 2: [0 1] [2 3] [4 5] [6]. Row 3 has a negative duration, row 6 an unknown status.
    // Executions by hand: a PASSED; b FAILED then PASSED (flaky); c row 3 rejected, so none; d SKIPPED; e FAILED; f rejected:
    // 4 tests (= passed + failed + skipped), 7 attempts (= accepted 5 + duplicates 0 + rejected 2).
    const rows = [
      { suite: 's', name: 'a', status: 'PASSED', durationMs: 1 },
      { suite: 's', name: 'b', status: 'FAILED', durationMs: 1, attempt: 1 },
      { suite: 's', name: 'b', status: 'PASSED', durationMs: 1, attempt: 2 },
      { suite: 's', name: 'c', status: 'PASSED', durationMs: -5 },
      { suite: 's', name: 'd', status: 'SKIPPED', durationMs: 0 },
      { suite: 's', name: 'e', status: 'FAILED', durationMs: 2 },
      { suite: 's', name: 'f', status: 'MAYBE', durationMs: 2 },
    ];
    const progress: number[] = [];
    const s = await importInput(
      app,
      { run: { id: 'r', project: 'p', startedAt: '2026-11-01T00:00:00Z' }, results: rows },
      { format: 'junit', batchSize: 2 },
      (done) => progress.push(done),
    );
    expect(progress).toEqual([2, 4, 6, 7]);
    expect(s).toMatchObject({
      tests: 4,
      attempts: 7,
      accepted: 5,
      duplicates: 0,
      rejected: 2,
      passed: 2,
      flaky: 1,
      failed: 1,
      skipped: 1,
    });
    expect(s.errors.map((e) => [e.index, e.field])).toEqual([
      [3, 'durationMs'],
      [6, 'status'],
    ]);
    expect(s.run).toMatchObject({ id: 'r', executions: 4 });
  });
});

describe('merging a build’s report files into one run', () => {
  const report = (rows: { name: string; status: string; attempt?: number }[]) => ({
    format: 'junit' as const,
    warnings: [],
    input: {
      run: { id: 'x', project: 'p', startedAt: '2026-11-01T00:00:00Z' as never },
      results: rows.map((r) => ({ suite: 's', durationMs: 1, ...r })),
    },
  });

  it('keeps a test that two files hold as they would be in one file', () => {
    // File 1: a passes, b fails. File 2: a fails (after a pass: a distinct case, "a [2]"),
    // b passes (after a failure: a retry, attempt 2), c is new.
    const m = mergeReports([
      report([
        { name: 'a', status: 'PASSED' },
        { name: 'b', status: 'FAILED' },
      ]),
      report([
        { name: 'a', status: 'FAILED' },
        { name: 'b', status: 'PASSED' },
        { name: 'c', status: 'PASSED' },
      ]),
    ]);
    expect(m.input.results!.map((r) => [r.name, r.status, r.attempt ?? 1])).toEqual([
      ['a', 'PASSED', 1],
      ['b', 'FAILED', 1],
      ['a [2]', 'FAILED', 1],
      ['b', 'PASSED', 2],
      ['c', 'PASSED', 1],
    ]);
    // By hand: a, b (flaky), a [2] failed, c: 4 tests, 3 passed of which 1 flaky, 1 failed.
    expect(executionCounts(m.input.results!)).toEqual({
      tests: 4,
      passed: 3,
      failed: 1,
      flaky: 1,
      skipped: 0,
    });
  });
});
