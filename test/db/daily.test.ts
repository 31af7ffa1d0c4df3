import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/analytics/random.ts';
import { Database } from '../../src/db/database.ts';
import { dailyAnswers } from '../../src/db/daily.ts';
import { generateDemo } from '../../src/db/demo.ts';
import { queryMetrics } from '../../src/db/metrics.ts';
import { openStore } from '../../src/db/store.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import type { Dimension, Granularity, MetricsQuery } from '../../src/domain/types.ts';

// Count measures read from the daily rollup must equal the same measures
// counted from the executions, for every filter, grouping and bucket the
// rollup answers, after bulk loads and after ingests (including re-sent runs).
let db: Database;
beforeAll(async () => {
  db = await Database.open({ path: ':memory:', readers: 2 });
  await generateDemo(db, { days: 10, seed: 3, end: new Date('2026-11-01T00:00:00Z') });
});
afterAll(async () => db.close());

const MEASURES = (
  [
    'executions',
    'passed',
    'failed',
    'errored',
    'skipped',
    'flaky',
    'passRate',
    'failRate',
    'flakyRate',
  ] as const
).map((name) => ({ kind: 'count' as const, name }));

function randomQuery(rand: () => number): MetricsQuery {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const dims = (['PROJECT', 'SUITE', 'TEST', 'BRANCH'] as const).filter(() => rand() < 0.4) as Dimension[];
  const filter: Record<string, unknown> = {};
  if (rand() < 0.5) filter['project'] = [pick(['web', 'api', 'ml'])];
  if (rand() < 0.3) filter['branch'] = ['main'];
  if (rand() < 0.3) filter['suite'] = [pick(['auth', 'checkout', 'billing', 'inference'])];
  if (rand() < 0.2) filter['testName'] = [pick(['pays', 'logs', 'test_'])];
  if (rand() < 0.5) filter['from'] = new Date(Date.UTC(2026, 9, 22 + Math.floor(rand() * 5)));
  if (rand() < 0.3) filter['to'] = new Date(Date.UTC(2026, 9, 27 + Math.floor(rand() * 4)));
  return {
    filter,
    groupBy: dims,
    groupByTags: [],
    bucket: pick(['NONE', 'DAY', 'WEEK', 'MONTH'] as Granularity[]),
    measures: MEASURES,
    orderBy: null,
    limit: 100_000,
  };
}

describe('daily execution counts', () => {
  it('answer 40 random count queries exactly as the executions do', async () => {
    const rand = mulberry32(9);
    for (let i = 0; i < 40; i++) {
      const q = randomQuery(rand);
      expect(dailyAnswers(q, q.measures)).toBe(true);
      expect(await queryMetrics(db, q), JSON.stringify(q)).toEqual(
        await queryMetrics(db, q, { useDaily: false }),
      );
    }
  });

  it('stay exact after ingests, a late retry and a re-sent run', async () => {
    const store = await openStore();
    try {
      const run = { id: 'r1', project: 'web', branch: 'main', startedAt: '2026-11-01T23:59:00Z' };
      await store.ingest(
        validateIngest({
          run,
          results: [
            { suite: 'a', name: 'x', status: 'FAILED', durationMs: 1 },
            { suite: 'a', name: 'y', status: 'SKIPPED', durationMs: 0 },
          ],
        }),
      );
      await store.ingest(
        validateIngest({
          run,
          results: [{ suite: 'a', name: 'x', status: 'PASSED', durationMs: 1, attempt: 2 }],
        }),
      );
      await store.ingest(
        validateIngest({
          run: { id: 'r2', project: 'web', startedAt: '2026-11-02T00:00:01Z' },
          results: [{ suite: 'a', name: 'x', status: 'PASSED', durationMs: 1 }],
        }),
      );
      await store.ingest(
        validateIngest({
          run,
          results: [{ suite: 'a', name: 'x', status: 'PASSED', durationMs: 1, attempt: 2 }],
        }),
      );
      const q: MetricsQuery = {
        filter: {},
        groupBy: ['BRANCH'],
        groupByTags: [],
        bucket: 'DAY',
        measures: MEASURES,
        orderBy: null,
        limit: 100,
      };
      const daily = await store.metrics(q);
      expect(daily).toEqual(await queryMetrics(store.db, q, { useDaily: false }));
      // 11-01 main: x flaky-passed, y skipped; 11-02 (no branch): x passed.
      expect(
        daily.map((r) => [
          r.group.branch,
          r.bucket?.toISOString().slice(0, 10),
          r.values['executions'],
          r.values['passed'],
          r.values['flaky'],
          r.values['skipped'],
        ]),
      ).toEqual([
        ['main', '2026-11-01', 2, 1, 1, 1],
        [null, '2026-11-02', 1, 1, 0, 0],
      ]);
    } finally {
      await store.close();
    }
  });

  it('stay exact when a later batch marks the run an infrastructure failure (no groups of zero executions left)', async () => {
    const store = await openStore();
    try {
      const run = { id: 'r1', project: 'web', branch: 'main', startedAt: '2026-11-01T10:00:00Z' };
      const failed = (names: string[]) =>
        names.map((name) => ({ suite: 'a', name, status: 'FAILED', durationMs: 1, message: 'runner lost' }));
      // Four failures are too few to judge (5 by default); the fifth makes the run an infrastructure failure.
      await store.ingest(validateIngest({ run, results: failed(['t1', 't2', 't3', 't4']) }));
      await store.ingest(validateIngest({ run, results: failed(['t5']) }));
      const q: MetricsQuery = {
        filter: {},
        groupBy: ['TEST'],
        groupByTags: [],
        bucket: 'DAY',
        measures: MEASURES,
        orderBy: null,
        limit: 100,
      };
      // Every execution is of the infrastructure failure, which trends leave out unless asked.
      expect(await store.metrics(q)).toEqual([]);
      expect(await queryMetrics(store.db, q, { useDaily: false })).toEqual([]);
      const withInfra = { ...q, filter: { includeInfrastructureFailures: true } };
      const all = await store.metrics(withInfra);
      expect(all).toEqual(await queryMetrics(store.db, withInfra, { useDaily: false }));
      expect(all.map((r) => r.values['failed'])).toEqual([1, 1, 1, 1, 1]);
    } finally {
      await store.close();
    }
  });

  it('leave queries they cannot answer to the executions', () => {
    const base = { groupByTags: [], measures: MEASURES, orderBy: null, limit: 10 } as const;
    expect(dailyAnswers({ ...base, filter: {}, groupBy: ['WORKER'], bucket: 'DAY' }, MEASURES)).toBe(false);
    expect(
      dailyAnswers({ ...base, filter: { status: ['FAILED'] }, groupBy: [], bucket: 'DAY' }, MEASURES),
    ).toBe(false);
    expect(dailyAnswers({ ...base, filter: {}, groupBy: [], bucket: 'HOUR' }, MEASURES)).toBe(false);
    expect(
      dailyAnswers(
        { ...base, filter: { from: new Date('2026-11-01T12:00:00Z') }, groupBy: [], bucket: 'DAY' },
        MEASURES,
      ),
    ).toBe(false);
    expect(dailyAnswers({ ...base, filter: {}, groupBy: [], bucket: 'DAY' }, [{ kind: 'duration' }])).toBe(
      false,
    );
  });
});
