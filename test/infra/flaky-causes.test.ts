import { describe, expect, it } from 'vitest';
import { queryFlakinessByValue } from '../../src/db/flakiness-cause.ts';
import type { FlakinessByValue } from '../../src/domain/flakiness.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import { OPTIONS, history, ingestAll, storeOpener, type OpenStore } from '../support/flakiness.ts';

const open = storeOpener();
const INCLUDE = { includeInfrastructureFailures: true };
const ids = async (s: OpenStore) =>
  (await s.db.query<{ id: string }>('SELECT id FROM tests ORDER BY id')).map((r) => r.id);
const sorted = ({ values, pools }: FlakinessByValue) => ({
  values: [...values].sort((a, b) =>
    `${a.testId}${a.dimension}${a.value}`.localeCompare(`${b.testId}${b.dimension}${b.value}`),
  ),
  pools: [...pools].sort((a, b) => `${a.dimension}${a.value}`.localeCompare(`${b.dimension}${b.value}`)),
});

describe('flaky causes with includeInfrastructureFailures', () => {
  it('computes the same per-value evidence as the ingest kept, when nothing is marked', async () => {
    const s = await open();
    // Retries, failures on shared commits, short and long failure runs, on three workers.
    const runs = history(11, 25, 8).map((b, r) => ({
      ...b,
      results: b.results.map((x, i) => ({ ...x, worker: `w${(r + i) % 3}` })),
    }));
    await ingestAll(s, runs);
    expect(await s.infrastructureFailures({}, 10)).toEqual([]);
    const tests = await ids(s);
    const kept = sorted(await queryFlakinessByValue(s.db, {}, tests, OPTIONS));
    expect(kept.values.length).toBeGreaterThan(10);
    expect(kept.values.map((v) => v.evidence).reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    const computed = sorted(await queryFlakinessByValue(s.db, INCLUDE, tests, OPTIONS));
    expect(computed.pools).toEqual(
      kept.pools.map((p) => ({ ...p, expected: expect.closeTo(p.expected, 9) })),
    );
    expect(computed.values).toEqual(
      kept.values.map((v) => ({
        ...v,
        sumV: expect.closeTo(v.sumV, 9),
        sumV2: expect.closeTo(v.sumV2, 9),
        sumWF: expect.closeTo(v.sumWF, 9),
      })),
    );
  });

  it("puts a marked worker's failures back as evidence on that worker", async () => {
    const s = await open();
    // Five tests, four runs on their own commits, on w1 but run r2 on w2, where all five error on
    // one message: w2 ran 5 of 5 failed, so r2 is marked. Each test: P P E P.
    for (let r = 0; r < 4; r++) {
      const lost = r === 2;
      await s.ingest(
        validateIngest({
          run: {
            id: `r${r}`,
            project: 'p',
            branch: 'main',
            commit: `c${r}`,
            startedAt: `2026-10-0${r + 1}T10:00:00Z`,
          },
          results: [0, 1, 2, 3, 4].map((t) => ({
            suite: 's',
            name: `t${t}`,
            status: lost ? 'ERROR' : 'PASSED',
            durationMs: 1,
            worker: lost ? 'w2' : 'w1',
            message: lost ? 'database db-7 unreachable' : null,
          })),
        }),
      );
    }
    expect((await s.infrastructureFailures({}, 10)).map((m) => [m.runId, m.worker])).toEqual([
      ['r2', null],
      ['r2', 'w2'],
    ]);
    const tests = await ids(s);
    // Left out: no failure has a place in the sequences, so there is no evidence anywhere.
    expect(await queryFlakinessByValue(s.db, {}, tests, OPTIONS)).toEqual({ values: [], pools: [] });
    // Put back: each test's error (3rd of 4) is a failure run of 1 that the 4th ended: TRANSIENT,
    // run starting at position 3, weighing 2^(−1/100) against the latest's 1 (half-life 100).
    const { values, pools } = sorted(await queryFlakinessByValue(s.db, INCLUDE, tests, OPTIONS));
    const onW2 = values.filter((v) => v.dimension === 'WORKER');
    expect(onW2).toHaveLength(5);
    for (const v of onW2) {
      expect(v).toMatchObject({
        value: 'w2',
        executions: 1,
        evidence: 1,
        testExecutions: 4,
        testEvidence: 1,
      });
      expect(v.sumWF).toBeCloseTo(2 ** (-1 / 100), 12);
      expect(v.strongAge).toBeNull();
      expect(v.transientRuns).toEqual([3]);
    }
    // Pools over the five tests: w2 holds all 5 pieces of evidence, where 5 × 1/4 were expected;
    // w1, 3 of each test's 4 executions, expected 5 × 3/4 and holds none.
    expect(pools).toEqual([
      { dimension: 'WORKER', value: 'w1', evidence: 0, expected: 3.75, trials: 5 },
      { dimension: 'WORKER', value: 'w2', evidence: 5, expected: 1.25, trials: 5 },
    ]);
  });
});
