import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/analytics/random.ts';
import { Database } from '../../src/db/database.ts';
import { generateDemo } from '../../src/db/demo.ts';
import { groupKeys, queryMetrics } from '../../src/db/metrics.ts';
import { dailyRanks } from '../../src/db/metrics-ranked.ts';
import { openStore } from '../../src/db/store.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import type {
  Dimension,
  IngestResultInput,
  IngestRunInput,
  Granularity,
  Measure,
  MetricsOrderField,
  MetricsQuery,
} from '../../src/domain/types.ts';

// A page of groups ranked on counts with duration stats beside them (PassRateByTestAndDay)
// is chosen on the daily counts and gets its durations from those groups' executions alone.
// Its answer must be the plain aggregate's over the executions, row for row.

const COUNTS = (['executions', 'passed', 'failed', 'skipped', 'flaky', 'passRate', 'failRate'] as const).map(
  (name) => ({ kind: 'count' as const, name }),
);
const DURATIONS: Measure[] = [
  { kind: 'duration', stat: 'AVG' },
  { kind: 'duration', stat: 'P95' },
];
const plain = (db: Database, q: MetricsQuery) => queryMetrics(db, q, { useDaily: false });

function randomQuery(rand: () => number): MetricsQuery {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const dims = (['PROJECT', 'SUITE', 'TEST', 'BRANCH'] as const).filter(() => rand() < 0.5) as Dimension[];
  const filter: Record<string, unknown> = {};
  if (rand() < 0.5) filter['project'] = [pick(['web', 'api', 'ml'])];
  if (rand() < 0.3) filter['branch'] = ['main'];
  if (rand() < 0.2) filter['testName'] = [pick(['pays', 'logs', 'test_'])];
  if (rand() < 0.4) filter['from'] = new Date(Date.UTC(2026, 9, 22 + Math.floor(rand() * 5)));
  const field = pick<MetricsOrderField | null>(['PASS_RATE', 'FAIL_RATE', 'EXECUTIONS', 'BUCKET', null]);
  return {
    filter,
    groupBy: dims.length ? dims : ['TEST'],
    groupByTags: [],
    bucket: pick<Granularity>(['NONE', 'DAY', 'WEEK']),
    measures: [...COUNTS.filter(() => rand() < 0.6), ...DURATIONS.filter(() => rand() < 0.7)],
    orderBy: field && { field, direction: rand() < 0.5 ? 'ASC' : 'DESC' },
    limit: pick([1, 7, 50, 100_000]),
  };
}

describe('a page of groups ranked on the daily counts, with duration stats', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open({ path: ':memory:', readers: 2 });
    await generateDemo(db, { days: 10, seed: 5, end: new Date('2026-11-01T00:00:00Z') });
  });
  afterAll(async () => db.close());

  it('answers 40 random pages exactly as the plain aggregate over the executions', async () => {
    const rand = mulberry32(11);
    let ranked = 0;
    for (let i = 0; i < 40; i++) {
      const q = randomQuery(rand);
      if (q.orderBy?.field === 'BUCKET' && q.bucket === 'NONE') continue;
      const order = q.orderBy?.field === 'PASS_RATE' ? COUNTS[5]! : null;
      if (dailyRanks(q, groupKeys(q), q.measures, order)) ranked++;
      const rows = await queryMetrics(db, q);
      expect(rows, JSON.stringify(q)).toEqual(await plain(db, q));
    }
    expect(ranked).toBeGreaterThan(20);
  });

  it('answers pages of time buckets alone (the dashboard’s durations by day) exactly as the plain aggregate', async () => {
    let ranked = 0;
    for (const bucket of ['DAY', 'WEEK'] as const)
      for (const orderBy of [
        null,
        { field: 'BUCKET', direction: 'DESC' },
        { field: 'EXECUTIONS', direction: 'ASC' },
      ] as const)
        for (const limit of [1, 3, 100_000])
          for (const filter of [{}, { project: ['api'], from: new Date(Date.UTC(2026, 9, 25)) }]) {
            const q: MetricsQuery = {
              filter,
              groupBy: [],
              groupByTags: [],
              bucket,
              measures: [COUNTS[0]!, ...DURATIONS],
              orderBy,
              limit,
            };
            if (dailyRanks(q, groupKeys(q), q.measures, null)) ranked++;
            expect(await queryMetrics(db, q), JSON.stringify(q)).toEqual(await plain(db, q));
          }
    expect(ranked).toBe(36);
  });

  it('is not used for an order by a duration stat, a named metric or no grouping', () => {
    const q: MetricsQuery = {
      filter: {},
      groupBy: ['TEST'],
      groupByTags: [],
      bucket: 'DAY',
      measures: [...COUNTS, ...DURATIONS],
      orderBy: null,
      limit: 10,
    };
    expect(dailyRanks(q, groupKeys(q), q.measures, null)).toBe(true);
    expect(dailyRanks(q, groupKeys(q), q.measures, DURATIONS[1]!)).toBe(false);
    const metric: Measure = { kind: 'metric', name: 'throughput', stat: 'AVG' };
    expect(dailyRanks(q, groupKeys(q), [...q.measures, metric], null)).toBe(false);
    const whole = { ...q, groupBy: [], bucket: 'NONE' as const };
    expect(dailyRanks(whole, groupKeys(whole), q.measures, null)).toBe(false);
    const byWorker = { ...q, groupBy: ['WORKER' as const] };
    expect(dailyRanks(byWorker, groupKeys(byWorker), q.measures, null)).toBe(false);
  });
});

describe('the ranked page on a store written every way', () => {
  const q: MetricsQuery = {
    filter: { project: ['web'] },
    groupBy: ['TEST'],
    groupByTags: [],
    bucket: 'DAY',
    measures: [COUNTS[0]!, COUNTS[5]!, ...DURATIONS],
    orderBy: { field: 'PASS_RATE', direction: 'ASC' },
    limit: 3,
  };
  const page = async (db: Database) => {
    const names = new Map(
      (await db.query<{ id: string; name: string }>('SELECT id, name FROM tests')).map((t) => [t.id, t.name]),
    );
    const rows = await queryMetrics(db, q);
    expect(rows).toEqual(await plain(db, q));
    return rows.map((r) => [
      names.get(r.group.testId ?? ''),
      r.bucket?.toISOString().slice(0, 10),
      r.values['executions'],
      r.values['passRate'],
      r.values['duration:AVG'],
      r.values['duration:P95'],
    ]);
  };

  it('stays the plain answer after a shard adds an attempt, an old run arrives late and retention', async () => {
    const store = await openStore();
    try {
      const send = (run: IngestRunInput, results: IngestResultInput[]) =>
        store.ingest(validateIngest({ run, results }));
      const a = { id: 'a', project: 'web', branch: 'main', startedAt: '2026-11-01T23:00:00Z' };
      const at = (t: string) => ({ startedAt: `2026-${t}Z` });
      await send(a, [
        { suite: 's', name: 'x', status: 'FAILED', durationMs: 10, ...at('11-01T23:59:00') },
        { suite: 's', name: 'y', status: 'PASSED', durationMs: 20, ...at('11-01T23:59:00') },
      ]);
      await send({ id: 'b', project: 'web', startedAt: '2026-11-02T10:00:00Z' }, [
        { suite: 's', name: 'x', status: 'FAILED', durationMs: 50, ...at('11-02T10:00:00') },
        { suite: 's', name: 'y', status: 'PASSED', durationMs: 60, ...at('11-02T10:00:00') },
      ]);
      // Another shard of run a re-ran x after midnight: a further attempt, x passes on retry.
      await send(a, [{ suite: 's', name: 'x', status: 'PASSED', durationMs: 30, ...at('11-02T00:01:00') }]);
      // A run from before both, sent last.
      await send({ id: 'c', project: 'web', branch: 'main', startedAt: '2026-10-31T12:00:00Z' }, [
        { suite: 's', name: 'x', status: 'PASSED', durationMs: 70, ...at('10-31T12:00:00') },
        { suite: 's', name: 'y', status: 'SKIPPED', durationMs: 0, ...at('10-31T12:00:00') },
      ]);
      // The lowest pass rates first, ties by test id (x's sorts before y's), then day. x on
      // 11-01 is run a's execution: it started then, and passed on retry in 30 ms.
      expect(await page(store.db)).toEqual([
        ['x', '2026-11-02', 1, 0, 50, 50],
        ['x', '2026-10-31', 1, 1, 70, 70],
        ['x', '2026-11-01', 1, 1, 30, 30],
      ]);
      await store.deleteRunsBefore(new Date('2026-11-01T00:00:00Z'));
      expect(await page(store.db)).toEqual([
        ['x', '2026-11-02', 1, 0, 50, 50],
        ['x', '2026-11-01', 1, 1, 30, 30],
        ['y', '2026-11-01', 1, 1, 20, 20],
      ]);
    } finally {
      await store.close();
    }
  });
});
