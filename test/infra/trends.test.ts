import { afterEach, describe, expect, it } from 'vitest';
import { queryMetrics } from '../../src/db/metrics.ts';
import { openStore } from '../../src/db/store.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import type { Measure, MetricsQuery, ResultFilter } from '../../src/domain/types.ts';

// Pass rate by day with and without infrastructure failures, from the executions and from the
// daily counts. Day 1: run a, 10 tests, 9 passed. Day 2: run b, 10 tests, 8 passed; run c, a lost
// runner, 10 tests all errored on one message (marked). Day 3: run d, 10 tests; 5 pass on w1, 5 on
// w2 error out of disk space, so only w2 is marked (the run is 50 % failed).
// Left out:  day 1 9/10 = 0.9; day 2 8/10 = 0.8; day 3 5/5 = 1.
// Included:  day 1 0.9;        day 2 8/20 = 0.4; day 3 5/10 = 0.5.
const stores: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

const day = (d: number, h = 9) => new Date(Date.UTC(2026, 10, d, h)).toISOString();
function run(
  id: string,
  d: number,
  statuses: string,
  o: { worker?: (i: number) => string; message?: string } = {},
) {
  return validateIngest({
    run: { id, project: 'p', branch: 'main', commit: id, startedAt: day(d) },
    results: [...statuses].map((c, i) => ({
      suite: 's',
      name: `t${i}`,
      status: c === 'P' ? 'PASSED' : 'ERROR',
      durationMs: 5,
      // a minute apart, so no run fails in a burst
      startedAt: new Date(Date.parse(day(d)) + i * 60_000).toISOString(),
      worker: o.worker?.(i) ?? 'w1',
      message: c === 'P' ? null : (o.message ?? `assertion ${'abcdefghij'[i]!} failed`),
    })),
  });
}

const MEASURES: Measure[] = (['executions', 'passed', 'failed', 'errored', 'passRate'] as const).map(
  (name) => ({
    kind: 'count',
    name,
  }),
);
const query = (filter: ResultFilter): MetricsQuery => ({
  filter,
  groupBy: [],
  groupByTags: [],
  bucket: 'DAY',
  measures: MEASURES,
  orderBy: { field: 'BUCKET', direction: 'ASC' },
  limit: 100,
});

describe('pass-rate trends without infrastructure failures', () => {
  it('leave marked runs and workers out by default, the same from executions and daily counts', async () => {
    const s = await openStore();
    stores.push(s);
    await s.ingest(run('a', 1, 'PPPPPPPPPE'));
    await s.ingest(run('b', 2, 'PPPPPPPPEE'));
    await s.ingest(run('c', 2, 'EEEEEEEEEE', { message: 'runner lost' }));
    await s.ingest(
      run('d', 3, 'PPPPPEEEEE', { worker: (i) => (i < 5 ? 'w1' : 'w2'), message: 'No space left on device' }),
    );
    expect((await s.infrastructureFailures({}, 10)).map((m) => [m.runId, m.worker])).toEqual([
      ['d', 'w2'],
      ['c', null],
      ['c', 'w1'],
    ]);
    for (const [filter, rates, executions] of [
      [{}, [0.9, 0.8, 1], [10, 10, 5]],
      [{ includeInfrastructureFailures: true }, [0.9, 0.4, 0.5], [10, 20, 10]],
    ] as const) {
      for (const useDaily of [true, false]) {
        const rows = await queryMetrics(s.db, query(filter), { useDaily });
        const tag = `${JSON.stringify(filter)} daily=${useDaily}`;
        expect(
          rows.map((r) => r.values['passRate']),
          tag,
        ).toEqual(rates.map((x) => expect.closeTo(x, 12)));
        expect(
          rows.map((r) => r.values['executions']),
          tag,
        ).toEqual(executions);
      }
    }
  });
});
