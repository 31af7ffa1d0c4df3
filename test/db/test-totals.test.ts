import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/analytics/random.ts';
import { generateDemo } from '../../src/db/demo.ts';
import { openStore } from '../../src/db/store.ts';
import { testRankSource } from '../../src/db/test-rank.ts';
import type { TestOrderField } from '../../src/domain/slices.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import type { IngestResultInput, IngestRunInput, ResultFilter, Status } from '../../src/domain/types.ts';

// The tests page ranks from the test totals or the daily counts where they answer; every
// page must be the one the executions give. A filter on all four statuses selects every
// execution, so it names the same slice while making the page rank the executions.
type S = Awaited<ReturnType<typeof openStore>>;
let store: S;
beforeAll(async () => {
  store = await openStore();
  await generateDemo(store.db, { days: 8, seed: 5, end: new Date('2026-11-01T00:00:00Z') });
});
afterAll(async () => store.close());

const ALL: Status[] = ['PASSED', 'FAILED', 'ERROR', 'SKIPPED'];
const ORDERS: TestOrderField[] = ['PASS_RATE', 'FAIL_RATE', 'FLAKY_RATE', 'EXECUTIONS', 'NAME'];

/** Every test's totals, counted from the executions. */
const fromExecutions = (s: S) =>
  s.db.query(
    `SELECT test_id, any_value(project) AS project, any_value(suite) AS suite, count(*) AS executions,
            count(*) FILTER (WHERE status = 'PASSED') AS passed, count(*) FILTER (WHERE status = 'FAILED') AS failed,
            count(*) FILTER (WHERE status = 'ERROR') AS errored, count(*) FILTER (WHERE status = 'SKIPPED') AS skipped,
            count(*) FILTER (WHERE flaky) AS flaky
     FROM executions GROUP BY test_id ORDER BY test_id`,
  );
const totals = (s: S) => s.db.query('SELECT * FROM test_totals ORDER BY test_id');

/** Two pages of 7 (the second after the first's cursor) of the slice, in `field` order both ways. */
async function pages(s: S, filter: ResultFilter, field: TestOrderField) {
  const out = [];
  for (const direction of ['ASC', 'DESC'] as const) {
    const first = await s.testsPage(filter, 7, {}, { field, direction });
    const next = await s.testsPage(
      filter,
      7,
      { after: first.nodes.at(-1)?.cursor ?? null },
      { field, direction },
    );
    out.push(first, next);
  }
  return out;
}

function randomFilter(rand: () => number): ResultFilter {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const f: Record<string, unknown> = {};
  if (rand() < 0.4) f['project'] = [pick(['web', 'api', 'ml'])];
  if (rand() < 0.3) f['suite'] = [pick(['auth', 'checkout', 'billing', 'inference'])];
  if (rand() < 0.2) f['testName'] = [pick(['pays', 'logs', 'test_'])];
  if (rand() < 0.3) f['branch'] = ['main'];
  if (rand() < 0.3) f['from'] = new Date(Date.UTC(2026, 9, 25 + Math.floor(rand() * 4)));
  if (rand() < 0.2) f['to'] = new Date(Date.UTC(2026, 9, 29 + Math.floor(rand() * 3)));
  return f;
}

describe('the tests page from rollups of counts', () => {
  it('holds every test’s execution counts after a bulk load', async () => {
    expect(await totals(store)).toEqual(await fromExecutions(store));
    expect((await totals(store)).length).toBeGreaterThan(20);
  });

  it('gives the pages and totals the executions give, for 30 random filters in every count order', async () => {
    const rand = mulberry32(17);
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const filter = randomFilter(rand);
      const field = ORDERS[i % ORDERS.length]!;
      seen.add(testRankSource(filter, field).table);
      const label = JSON.stringify({ filter, field });
      expect(await pages(store, filter, field), label).toEqual(
        await pages(store, { ...filter, status: ALL }, field),
      );
    }
    expect([...seen].sort()).toEqual(['daily_counts', 'test_totals']);
  });

  it('ranks the executions when the rollups cannot say', () => {
    expect(testRankSource({}, 'DURATION_P95').table).toBe('executions');
    expect(testRankSource({ worker: ['w1'] }, 'PASS_RATE').table).toBe('executions');
    expect(testRankSource({ from: new Date('2026-10-30T06:00:00Z') }, 'PASS_RATE').table).toBe('executions');
    expect(testRankSource({ from: new Date('2026-10-30T00:00:00Z') }, 'PASS_RATE').table).toBe(
      'daily_counts',
    );
    expect(testRankSource({ project: ['web'], testName: ['x'] }, 'FAIL_RATE').table).toBe('test_totals');
  });

  it('ranks by totals kept exact through ingests, a late retry, a re-sent run and retention', async () => {
    const s = await openStore();
    try {
      const run = { id: 'r1', project: 'web', startedAt: '2026-10-30T10:00:00Z' };
      const send = (r: IngestRunInput, results: IngestResultInput[]) =>
        s.ingest(validateIngest({ run: r, results }));
      await send(run, [
        { suite: 'a', name: 'x', status: 'FAILED', durationMs: 1 },
        { suite: 'a', name: 'y', status: 'PASSED', durationMs: 1 },
        { suite: 'a', name: 'z', status: 'SKIPPED', durationMs: 0 },
      ]);
      await send(run, [{ suite: 'a', name: 'x', status: 'PASSED', durationMs: 1, attempt: 2 }]);
      const r2 = { id: 'r2', project: 'web', startedAt: '2026-10-31T10:00:00Z' };
      await send(r2, [
        { suite: 'a', name: 'x', status: 'FAILED', durationMs: 1 },
        { suite: 'a', name: 'y', status: 'PASSED', durationMs: 1 },
        { suite: 'a', name: 'z', status: 'FAILED', durationMs: 1 },
      ]);
      await send(r2, [{ suite: 'a', name: 'z', status: 'ERROR', durationMs: 1 }]); // re-sent: its last attempt now errors
      await send({ id: 'r3', project: 'web', startedAt: '2026-11-01T10:00:00Z' }, [
        { suite: 'a', name: 'x', status: 'PASSED', durationMs: 1 },
        { suite: 'a', name: 'z', status: 'PASSED', durationMs: 1 },
      ]);
      expect(await totals(s)).toEqual(await fromExecutions(s));
      const rank = async () =>
        (await s.testsPage({}, 10, {}, { field: 'PASS_RATE', direction: 'ASC' })).nodes.map(({ node }) => [
          node.test.name,
          node.stats.executions,
          node.stats.passRate,
        ]);
      // x: flaky pass, fail, pass → 2/3; y: 2/2; z: skipped, errored, passed → 1/2.
      expect(await rank()).toEqual([
        ['z', 3, 0.5],
        ['x', 3, 2 / 3],
        ['y', 2, 1],
      ]);
      await s.deleteRunsBefore(new Date('2026-10-31T00:00:00Z'));
      expect(await totals(s)).toEqual(await fromExecutions(s));
      // r1 gone: x fail, pass → 1/2; y 1/1; z errored, passed → 1/2 (ties by id).
      const after = await rank();
      expect(after.map(([, n, rate]) => [n, rate])).toEqual([
        [2, 0.5],
        [2, 0.5],
        [1, 1],
      ]);
      await s.deleteRunsBefore(new Date('2026-11-02T00:00:00Z'));
      expect(await totals(s)).toEqual([]);
      expect((await s.testsPage({}, 10, {}, { field: 'PASS_RATE', direction: 'ASC' })).totalCount).toBe(0);
    } finally {
      await s.close();
    }
  });
});
