import { describe, expect, it } from 'vitest';
import { queryFlakinessByValue } from '../../src/db/flakiness-cause.ts';
import { DEFAULT_EVIDENCE_OPTIONS } from '../../src/domain/flakiness.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import type { IngestResultInput } from '../../src/domain/types.ts';
import { storeOpener } from '../support/flakiness.ts';

const open = storeOpener();
const at = (h: number) => new Date(Date.UTC(2026, 9, 1) + h * 3_600_000);

describe('flakiness per worker and hardware value', () => {
  it("counts and weighs one test's executions per value, relative to its latest in the slice", async () => {
    const store = await open();
    // t0 passes on w1 and fails then passes on retry on w2: P(w1) R(w2) P(w1) R(w2) P(w1), one commit each.
    for (let r = 0; r < 5; r++) {
      const worker = r % 2 ? 'w2' : 'w1';
      const attempt = (n: number, status: string): IngestResultInput => ({
        suite: 's',
        name: 't0',
        status,
        durationMs: 1,
        attempt: n,
        worker,
        hardware: 'cpu',
      });
      const results = r % 2 ? [attempt(1, 'FAILED'), attempt(2, 'PASSED')] : [attempt(1, 'PASSED')];
      await store.ingest(
        validateIngest({
          run: { id: `r${r}`, project: 'p', branch: 'main', commit: `c${r}`, startedAt: at(r).toISOString() },
          results,
        }),
      );
    }
    const [{ id }] = (await store.db.query<{ id: string }>("SELECT id FROM tests WHERE name = 't0'")) as [
      { id: string },
    ];
    // Half-life 100: the execution k places before the latest weighs 2^(−k/100).
    const w = (k: number) => 2 ** (-k / 100);
    const { values, pools } = await queryFlakinessByValue(store.db, {}, [id], DEFAULT_EVIDENCE_OPTIONS);
    const get = (d: string, v: string) => values.find((r) => r.dimension === d && r.value === v)!;
    // Rows only where the test has evidence: w2 and cpu, not w1.
    expect(values.map((r) => `${r.dimension} ${r.value}`).sort()).toEqual(['HARDWARE cpu', 'WORKER w2']);
    expect(get('WORKER', 'w2')).toMatchObject({
      testExecutions: 5,
      testEvidence: 2,
      executions: 2,
      evidence: 2,
      strongAge: 1,
      transientRuns: [],
    });
    expect(get('WORKER', 'w2').sumV).toBeCloseTo(w(1) + w(3), 12);
    expect(get('WORKER', 'w2').sumV2).toBeCloseTo(w(1) ** 2 + w(3) ** 2, 12);
    expect(get('WORKER', 'w2').sumWF).toBeCloseTo(w(1) + w(3), 12);
    expect(get('HARDWARE', 'cpu')).toMatchObject({ executions: 5, evidence: 2 });
    expect(get('HARDWARE', 'cpu').sumV).toBeCloseTo(w(0) + w(1) + w(2) + w(3) + w(4), 12);
    // Pooled: expected = the test's 2 evidence × the value's share of its 5 executions.
    const pool = (d: string, v: string) => pools.find((r) => r.dimension === d && r.value === v);
    expect(pool('WORKER', 'w1')).toMatchObject({ evidence: 0, trials: 2 });
    expect(pool('WORKER', 'w1')?.expected).toBeCloseTo(1.2, 12);
    expect(pool('WORKER', 'w2')).toMatchObject({ evidence: 2, trials: 2 });
    expect(pool('WORKER', 'w2')?.expected).toBeCloseTo(0.8, 12);
    expect(pool('HARDWARE', 'cpu')?.expected).toBeCloseTo(2, 12);

    // A slice ending before the last run: its latest execution (r3, the retry on w2) weighs 1.
    const cut = await queryFlakinessByValue(store.db, { to: at(4) }, [id], DEFAULT_EVIDENCE_OPTIONS);
    const w2 = cut.values.find((r) => r.dimension === 'WORKER' && r.value === 'w2')!;
    expect(w2).toMatchObject({ testExecutions: 4, executions: 2, evidence: 2, strongAge: 0 });
    expect(w2.sumWF).toBeCloseTo(w(0) + w(2), 12);
    expect(await queryFlakinessByValue(store.db, {}, [], DEFAULT_EVIDENCE_OPTIONS)).toEqual({
      values: [],
      pools: [],
    });
  });
});
