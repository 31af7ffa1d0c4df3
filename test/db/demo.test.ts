import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.ts';
import { generateDemo, type DemoFacts } from '../../src/db/demo.ts';
import { ts } from '../../src/db/values.ts';
import { testId } from '../../src/domain/ids.ts';

const END = new Date('2025-03-15T00:00:00Z');
// Two weeks, not one: the rarest planted flake (5% per attempt, retried) needs
// a few hundred executions before it fails both attempts at least once.
const DAYS = 14;

const n = (v: unknown): number => Number(v);

describe('generateDemo', () => {
  let db: Database;
  let facts: DemoFacts;

  beforeAll(async () => {
    db = await Database.open({ path: ':memory:', readers: 1 });
    facts = await generateDemo(db, { days: DAYS, end: END });
  });
  afterAll(async () => {
    await db.close();
  });

  it('fills a plausible history and returns its size and span', async () => {
    const [c] = await db.query(
      `SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM tests) AS tests, (SELECT count(*) FROM results) AS results,
              (SELECT count(*) FROM executions) AS executions, (SELECT count(*) FROM breaker_events) AS breakers,
              (SELECT count(*) FROM results WHERE status = 'SKIPPED') AS skipped, (SELECT count(*) FROM results WHERE attempt = 2) AS retries,
              (SELECT count(DISTINCT project) FROM runs) AS projects, (SELECT min(started_at) FROM runs) AS first, (SELECT max(started_at) FROM runs) AS last`,
    );
    expect(facts.runs).toBe(n(c!['runs']));
    expect(facts.tests).toBe(n(c!['tests']));
    expect(facts.results).toBe(n(c!['results']));
    expect(facts.runs).toBeGreaterThan(DAYS * 30);
    expect(facts.runs).toBeLessThan(DAYS * 100);
    expect(facts.tests).toBeGreaterThanOrEqual(200);
    expect(facts.tests).toBeLessThanOrEqual(300);
    expect(facts.results).toBeGreaterThan(DAYS * 3000);
    expect(facts.results).toBeLessThan(DAYS * 10000);
    expect(n(c!['executions'])).toBe(facts.results - n(c!['retries']));
    expect(n(c!['retries'])).toBeGreaterThan(0);
    expect(n(c!['skipped'])).toBeGreaterThan(0);
    expect(n(c!['breakers'])).toBeGreaterThan(0);
    expect(n(c!['projects'])).toBe(3);
    expect(facts.from).toEqual(new Date(END.getTime() - DAYS * 86_400_000));
    expect(facts.to).toEqual(END);
    expect((c!['first'] as Date).getTime()).toBeGreaterThanOrEqual(facts.from.getTime());
    expect((c!['last'] as Date).getTime()).toBeLessThan(END.getTime());
  });

  it('leaves meta ready for the next ingest', async () => {
    const rows = await db.query<{ key: string; value: bigint }>('SELECT key, value FROM meta');
    const meta = Object.fromEntries(rows.map((r) => [r.key, n(r.value)]));
    const [max] = await db.query(
      'SELECT (SELECT max(id) FROM results) AS id, (SELECT max(seq) FROM runs) AS seq',
    );
    expect(meta).toEqual({
      data_version: 1,
      next_result_id: n(max!['id']) + 1,
      next_run_seq: n(max!['seq']) + 1,
    });
  });

  it('computes test ids in SQL exactly like testId()', async () => {
    const tests = await db.query<{
      id: string;
      project: string;
      suite: string;
      class_name: string | null;
      name: string;
    }>('SELECT id, project, suite, class_name, name FROM tests');
    for (const t of tests)
      expect(t.id).toBe(
        testId({ project: t.project, suite: t.suite, className: t.class_name, name: t.name }),
      );
    const ids = new Set(tests.map((t) => t.id));
    for (const id of [...facts.flakyTests.map((t) => t.id), facts.brokenTest.id, facts.slowedTest.id])
      expect(ids.has(id)).toBe(true);
  });

  it('plants flaky tests that pass, fail, and fail then pass on retry', async () => {
    expect(facts.flakyTests.length).toBeGreaterThanOrEqual(3);
    for (const t of facts.flakyTests) {
      const [e] = await db.query(
        `SELECT count(*) FILTER (WHERE status = 'PASSED') AS passed, count(*) FILTER (WHERE status IN ('FAILED', 'ERROR')) AS failed,
                count(*) FILTER (WHERE flaky) AS flaky
         FROM executions WHERE test_id = $1`,
        [t.id],
      );
      expect({
        name: t.name,
        passed: n(e!['passed']) > 0,
        failed: n(e!['failed']) > 0,
        flaky: n(e!['flaky']) > 0,
      }).toEqual({ name: t.name, passed: true, failed: true, flaky: true });
    }
  });

  it('breaks one test on a known day: it passes before and fails every execution after', async () => {
    const rows = await db.query<{ is_after: boolean; status: string }>(
      'SELECT DISTINCT started_at >= $2 AS is_after, status FROM executions WHERE test_id = $1 ORDER BY ALL',
      [facts.brokenTest.id, ts(facts.brokenTest.since)],
    );
    expect(rows.map((r) => [r.is_after, r.status])).toEqual([
      [false, 'PASSED'],
      [true, 'FAILED'],
    ]);
    const since = facts.brokenTest.since.getTime();
    expect(since).toBeGreaterThan(facts.from.getTime());
    expect(since).toBeLessThan(END.getTime());
  });

  it('slows one test down from a known day', async () => {
    const [m] = await db.query(
      `SELECT median(duration_ms) FILTER (WHERE started_at < $2) AS before, median(duration_ms) FILTER (WHERE started_at >= $2) AS since
       FROM results WHERE test_id = $1 AND status = 'PASSED'`,
      [facts.slowedTest.id, ts(facts.slowedTest.since)],
    );
    expect(n(m!['since'])).toBeGreaterThanOrEqual(1.5 * n(m!['before']));
  });

  it('gives the flaky worker a higher failure rate than any other worker', async () => {
    // Without the run where w5 lost its database (a planted infrastructure failure, left out as Assay does).
    const rows = await db.query<{ worker: string; rate: number }>(
      `SELECT worker, avg((status IN ('FAILED', 'ERROR'))::INTEGER) AS rate FROM results r WHERE status <> 'SKIPPED'
         AND NOT EXISTS (SELECT 1 FROM infra_failures f WHERE f.run_seq = r.run_seq AND f.worker = r.worker)
       GROUP BY worker`,
    );
    const flaky = rows.find((r) => r.worker === facts.flakyWorker);
    const others = rows.filter((r) => r.worker !== facts.flakyWorker);
    expect(others.length).toBeGreaterThan(4);
    for (const o of others) expect(flaky!.rate).toBeGreaterThan(2 * o.rate);
  });

  it('keeps ordinary tests passing 99.5% of the time or more', async () => {
    const planted = [...facts.flakyTests.map((t) => t.id), facts.brokenTest.id];
    const [r] = await db.query(
      `SELECT median(rate) AS median FROM (
         SELECT test_id, avg((status = 'PASSED')::INTEGER) AS rate FROM executions
         WHERE status <> 'SKIPPED' AND test_id NOT IN (SELECT unnest(string_split($1, ','))) GROUP BY test_id)`,
      [planted.join(',')],
    );
    expect(n(r!['median'])).toBeGreaterThanOrEqual(0.995);
  });

  it("keeps each run's counters equal to its folded executions", async () => {
    const [r] = await db.query(
      `SELECT count(*) AS mismatches FROM runs r
       LEFT JOIN (SELECT run_seq, count(*) AS executions, count(*) FILTER (WHERE flaky) AS flaky FROM executions GROUP BY run_seq) e ON e.run_seq = r.seq
       WHERE r.executions IS DISTINCT FROM e.executions OR r.flaky IS DISTINCT FROM e.flaky OR r.executions = 0 OR r.finished_at <= r.started_at`,
    );
    expect(n(r!['mismatches'])).toBe(0);
  });

  it('overlays run tags with result tags and measures cuda faster than cpu', async () => {
    const [t] = await db.query(
      `SELECT count(*) FILTER (WHERE map_keys(tags) <> ['ci', 'os', 'model', 'batch_size']) AS bad, count(*) AS total
       FROM results WHERE project = 'ml' AND suite = 'inference'`,
    );
    expect(n(t!['total'])).toBeGreaterThan(0);
    expect(n(t!['bad'])).toBe(0);
    const rows = await db.query<{ model: string; cpu: number; cuda: number }>(
      `SELECT tags['model'] AS model, avg(m.value) FILTER (WHERE hardware = 'cpu') AS cpu, avg(m.value) FILTER (WHERE hardware = 'cuda') AS cuda
       FROM results, unnest(metrics) AS u(m) WHERE m.name = 'throughput' GROUP BY ALL ORDER BY model`,
    );
    expect(rows.map((r) => r.model)).toEqual(['bert-base', 'gpt2-small', 'resnet50']);
    for (const r of rows) expect(r.cuda).toBeGreaterThan(3 * r.cpu);
  });

  it('records breaker episodes that go CLOSED→OPEN→HALF_OPEN→CLOSED, re-tripping most on the flaky worker', async () => {
    const episodes = await db.query<{ name: string; states: string[] }>(
      `SELECT name, list(from_state || '>' || to_state ORDER BY occurred_at) AS states FROM breaker_events GROUP BY run_seq, name`,
    );
    let retrips = 0;
    for (const e of episodes) {
      expect(e.states[0]).toBe('CLOSED>OPEN');
      expect(e.states.at(-1)).toBe('HALF_OPEN>CLOSED');
      for (let i = 1; i < e.states.length; i++)
        expect(e.states[i]!.split('>')[0]).toBe(e.states[i - 1]!.split('>')[1]);
      retrips += e.states.filter((s) => s === 'HALF_OPEN>OPEN').length;
    }
    expect(retrips).toBeGreaterThan(0);
    const trips = new Map<string, number>();
    for (const e of episodes) trips.set(e.name, (trips.get(e.name) ?? 0) + 1);
    const top = [...trips].sort((a, b) => b[1] - a[1]);
    expect(top[0]?.[0]).toBe(`worker:${facts.flakyWorker}`);
  });

  it('plants one worker that lost its database in one run: the only infrastructure failure, every execution on it errored', async () => {
    const marks = await db.query<{
      id: string;
      worker: string | null;
      reason: string;
      executions: bigint;
      failures: bigint;
    }>(
      'SELECT r.id, f.worker, f.reason, f.executions, f.failures FROM infra_failures f JOIN runs r ON r.seq = f.run_seq',
    );
    expect(marks.map((m) => [m.id, m.worker, m.reason])).toEqual([
      [facts.lostWorker.runId, facts.lostWorker.worker, 'SHARED_PATTERN'],
    ]);
    expect(n(marks[0]!.executions)).toBeGreaterThanOrEqual(5);
    expect(n(marks[0]!.failures)).toBe(n(marks[0]!.executions));
    const [run] = await db.query<{ project: string; branch: string; started_at: Date; later: bigint }>(
      `SELECT r.project, r.branch, r.started_at,
              (SELECT count(*) FROM runs x WHERE x.project = 'api' AND x.branch = 'main'
                 AND x.started_at > r.started_at AND x.started_at < $1) AS later
       FROM runs r WHERE r.id = $2`,
      [ts(facts.lostWorker.at), facts.lostWorker.runId],
    );
    // The last api run on main before `at`: one day before the end of 14 days (14 / 15 rounds to 1).
    expect(run).toMatchObject({ project: 'api', branch: 'main', later: 0n });
    expect(run!.started_at.getTime()).toBeLessThan(facts.lostWorker.at.getTime());
    const messages = await db.query<{ message: string }>(
      `SELECT DISTINCT e.message FROM executions e JOIN runs r ON r.seq = e.run_seq WHERE r.id = $1 AND e.worker = $2`,
      [facts.lostWorker.runId, facts.lostWorker.worker],
    );
    expect(messages.map((m) => m.message)).toEqual([
      'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "10.0.3.17", port 5432 failed: Connection refused',
    ]);
  });

  it('refuses a database that already holds runs', async () => {
    await expect(generateDemo(db, { days: 3, end: END })).rejects.toThrow(/empty database/);
  });
});

describe('generateDemo with a seed', () => {
  async function fingerprint(seed: number): Promise<Record<string, unknown>> {
    const db = await Database.open({ path: ':memory:', readers: 1 });
    try {
      await generateDemo(db, { days: 3, seed, end: END });
      const [row] = await db.query(
        `SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM results) AS results, (SELECT count(*) FROM executions) AS executions,
                (SELECT count(*) FROM breaker_events) AS breakers, (SELECT sum(duration_ms) FROM results) AS duration,
                (SELECT count(*) FROM results WHERE status <> 'PASSED') AS not_passed`,
      );
      return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, n(v)]));
    } finally {
      await db.close();
    }
  }

  it('gives identical rows for the same seed and different rows for another', async () => {
    const a = await fingerprint(7);
    expect(await fingerprint(7)).toEqual(a);
    expect(await fingerprint(8)).not.toEqual(a);
  });
});
