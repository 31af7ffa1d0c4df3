import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { flakinessFromAggregates } from '../../src/analytics/flakiness.ts';
import { openStore } from '../../src/db/store.ts';
import { DEFAULT_EVIDENCE_OPTIONS } from '../../src/domain/flakiness.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import type { MetricsQuery } from '../../src/domain/types.ts';
import { TEST_NOW } from '../support/app.ts';
import { demoFile } from '../support/demo.ts';
import { RUN_A, RUN_B } from '../support/fixtures.ts';

// Bulk loads of CSV/Parquet exports (src/db/bulk-load.ts): set-based, one
// transaction, and the same stored state and answers as the history exported.
type S = Awaited<ReturnType<typeof openStore>>;
let dir: string;
let demo: Awaited<ReturnType<typeof demoFile>>;
let source: S;
const stores: S[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'assay-bulk-'));
  demo = await demoFile({ days: 7, end: TEST_NOW });
  source = await openStore({ path: demo.path, readers: 2 });
}, 240_000);
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
afterAll(async () => {
  await source.close();
  demo.remove();
  rmSync(dir, { recursive: true, force: true });
});

async function fresh(): Promise<S> {
  const s = await openStore({ readers: 2 });
  stores.push(s);
  return s;
}

/** What ingest keeps per run and test, keyed by run id (run seqs may differ between databases). */
const derived = async (s: S) => ({
  executions: await s.db.query(
    `SELECT r.id, e.test_id, e.status, e.flaky, e.attempts, e.duration_ms, e.total_duration_ms, e.started_at,
            e.test_seq, e.flipped, e.fail_run, e.ended_fail_run, e.evidence
     FROM executions e JOIN runs r ON r.seq = e.run_seq ORDER BY r.id, e.test_id`,
  ),
  runs: await s.db.query(
    `SELECT id, project, branch, commit_sha, started_at, finished_at, executions, passed, failed, errored, flaky, skipped, duration_ms
     FROM runs ORDER BY id`,
  ),
  tests: await s.db.query('SELECT * FROM tests ORDER BY id'),
  daily: await s.db.query('SELECT * FROM daily_counts ORDER BY ALL'),
  totals: await s.db.query('SELECT * FROM test_totals ORDER BY ALL'),
  sequence: await s.db.query(
    'SELECT s.test_id, s.last_seq, s.last_at, r.id, s.last_failed, s.fail_run FROM test_sequence s JOIN runs r ON r.seq = s.last_run_seq ORDER BY s.test_id',
  ),
});

/** Each test's flakiness over the whole history (the ranking's input), by test id. */
async function ranking(s: S) {
  const rows = await s.flakinessAggregates({}, DEFAULT_EVIDENCE_OPTIONS);
  return rows
    .map((a) => ({ id: a.testId, ...flakinessFromAggregates(a) }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

const METRICS: MetricsQuery = {
  filter: {},
  groupBy: ['PROJECT', 'BRANCH'],
  groupByTags: [],
  bucket: 'DAY',
  measures: [
    { kind: 'count', name: 'executions' },
    { kind: 'count', name: 'flakyRate' },
    { kind: 'count', name: 'passRate' },
    { kind: 'duration', stat: 'P95' },
  ],
  orderBy: null,
  limit: 10_000,
};

describe('bulk load of a CSV or Parquet export', () => {
  it.each(['parquet', 'csv'] as const)(
    'loads the demo history exported as %s into a fresh database with the same counts, rollups and answers',
    async (format) => {
      const file = join(dir, `demo.${format}`);
      const rows = await source.exportResults({}, format, file);
      const copy = await fresh();
      const summary = await copy.loadTableFile(file, format);
      expect(summary.attempts).toBe(rows);
      expect(summary.accepted).toBe(rows);
      expect(summary.duplicates).toBe(0);
      expect(await copy.counts()).toEqual(await source.counts());
      expect(await derived(copy)).toEqual(await derived(source));
      const [want, got] = [await ranking(source), await ranking(copy)];
      expect(got.map((r) => r.id)).toEqual(want.map((r) => r.id));
      expect(got.slice(0, 20).map((r) => r.classification)).toEqual(
        want.slice(0, 20).map((r) => r.classification),
      );
      got.forEach((r, i) => expect(r.score).toBeCloseTo(want[i]!.score, 12));
      expect(await copy.metrics(METRICS)).toEqual(await source.metrics(METRICS));
      // The rollup path answered (whole histories), not the sequences: its rows exist for every test with executions.
      const [n] = await copy.db.query<{ n: bigint }>('SELECT count(*) AS n FROM flakiness_rollup');
      expect(Number(n!.n)).toBe(want.length);
    },
    240_000,
  );

  it('folds every column of the executions as grouping the results does, for one attempt and for several', async () => {
    // The demo's executions were folded by grouping every result (refoldRuns); the bulk load copies
    // the executions with one row in the file and groups only the others (bulk_several).
    const file = join(dir, 'fold.parquet');
    await source.exportResults({}, 'parquet', file);
    const copy = await fresh();
    await copy.loadTableFile(file, 'parquet');
    const folded = (s: S) =>
      s.db.query(
        `SELECT r.id, e.* EXCLUDE (run_seq), e.tags::VARCHAR AS tags FROM executions e JOIN runs r ON r.seq = e.run_seq
         ORDER BY r.id, e.test_id`,
      );
    const want = await folded(source);
    expect(await folded(copy)).toEqual(want);
    // Both kinds are there: retried executions (flaky or not) and single attempts, failed ones with a message.
    const kinds = new Set(
      want.map((e) => `${Number(e['attempts']) > 1}/${String(e['flaky'])}/${e['message'] !== null}`),
    );
    expect(kinds).toEqual(
      new Set(['false/false/false', 'false/false/true', 'true/true/true', 'true/false/true']),
    );
  }, 240_000);

  it('stores nothing new when the same file is loaded again, and keeps the data version', async () => {
    const file = join(dir, 'ab.parquet');
    const small = await fresh();
    for (const i of [RUN_A, RUN_B]) await small.ingest(validateIngest(i));
    await small.exportResults({}, 'parquet', file);
    const copy = await fresh();
    const first = await copy.loadTableFile(file, 'parquet');
    const before = await derived(copy);
    const again = await copy.loadTableFile(file, 'parquet');
    expect(again).toMatchObject({ attempts: first.attempts, accepted: 0, duplicates: first.attempts });
    expect(again.dataVersion).toBe(first.dataVersion);
    expect(copy.dataVersion).toBe(first.dataVersion);
    expect(await derived(copy)).toEqual(before);
    // Ingest after a bulk load knows the loaded runs and tests: a re-sent run is all duplicates.
    const out = await copy.ingest(validateIngest(RUN_A));
    expect(out.accepted).toBe(0);
  });

  it('adds a file to a history already stored: new attempts of a stored run, and new runs, as ingest would', async () => {
    const whole = join(dir, 'whole.csv');
    const part = join(dir, 'part.csv');
    await source.exportResults({}, 'csv', whole);
    // A part of the history: one project's passing attempts only (the retries' earlier failures come later).
    const [first] = await source.db.query<{ p: string }>('SELECT min(project) AS p FROM runs');
    await source.exportResults({ project: [first!.p], status: ['PASSED'] }, 'csv', part);
    const copy = await fresh();
    const p = await copy.loadTableFile(part, 'csv');
    expect(p.accepted).toBeGreaterThan(0);
    const w = await copy.loadTableFile(whole, 'csv');
    expect(w.duplicates).toBe(p.accepted);
    expect(await copy.counts()).toEqual(await source.counts());
    expect(await derived(copy)).toEqual(await derived(source));
  }, 240_000);

  it('refuses a run whose rows disagree, or that disagrees with the stored run, and writes nothing', async () => {
    const file = join(dir, 'mixed.csv');
    writeFileSync(
      file,
      [
        'run_id,project,branch,suite,name,status,duration_ms,started_at',
        'r1,api,main,users,a,passed,5,2026-11-05T10:00:01Z',
        'r1,api,dev,users,b,passed,5,2026-11-05T10:00:02Z',
      ].join('\n'),
    );
    const s = await fresh();
    await expect(s.loadTableFile(file, 'csv')).rejects.toThrow(
      `${file}: nothing was loaded. Row 2 (the header not counted), run "r1", column branch: differs from row 1 of the same run`,
    );
    writeFileSync(
      file,
      [
        'run_id,project,branch,suite,name,status,duration_ms,started_at',
        'r1,api,main,users,a,passed,5,2026-11-05T10:00:01Z',
        'r2,api,main,users,a,bogus,5,2026-11-06T10:00:01Z',
      ].join('\n'),
    );
    await expect(s.loadTableFile(file, 'csv')).rejects.toThrow(
      'Row 2 (the header not counted), column status: "bogus" is not a status; use one of PASSED, FAILED, ERROR, SKIPPED',
    );
    expect(await s.counts()).toEqual({ runs: 0, tests: 0, results: 0 });
    await s.ingest(
      validateIngest({
        run: { id: 'r1', project: 'api', branch: 'release', startedAt: '2026-11-05T10:00:00Z' },
        results: [{ suite: 'users', name: 'a', status: 'PASSED', durationMs: 1 }],
      }),
    );
    writeFileSync(
      file,
      [
        'run_id,project,branch,suite,name,status,duration_ms,started_at',
        'r0,api,main,users,a,passed,5,2026-11-04T10:00:01Z',
        'r1,api,main,users,b,passed,5,2026-11-05T10:00:02Z',
      ].join('\n'),
    );
    await expect(s.loadTableFile(file, 'csv')).rejects.toThrow(
      'Row 2 (the header not counted), run "r1", column branch: differs from the stored run (release)',
    );
    expect(await s.counts()).toEqual({ runs: 1, tests: 1, results: 1 });
  });

  it('names the file, row and column of every kind of bad row the set-based checks find, and writes nothing', async () => {
    const file = join(dir, 'bad-rows.csv');
    const twice = '"[{""name"": ""m"", ""value"": 1}, {""name"": ""m"", ""value"": 2}]"';
    writeFileSync(
      file,
      [
        'run_id,project,suite,name,status,duration_ms,started_at,attempt,metrics',
        'r1,api,users,a,passed,5,2026-11-05T10:00:01Z,1,',
        'r1,api,users,b,passed,5,yesterday,1,',
        'r1,api,users,c,passed,5,2026-11-05T10:00:03Z,1e10,',
        `r1,api,users,d,passed,5,2026-11-05T10:00:04Z,1,${twice}`,
        `r1,api,users,e,passed,5,2026-11-05T10:00:05Z,1,${twice}`,
      ].join('\n'),
    );
    const s = await fresh();
    const err = await s.loadTableFile(file, 'csv').then(
      () => null,
      (e: unknown) => e as Error & { extensions?: unknown },
    );
    expect(err?.message).toBe(
      `${file}: 4 rows are invalid, so nothing was loaded; fix them and load the file again. ` +
        'Row 2 (the header not counted), column started_at: "yesterday" is not an ISO-8601 timestamp; use a form such as 2026-11-01T10:00:00Z; ' +
        'Row 3 (the header not counted), column attempt: must be a whole number from 1 (the first try) to 1000 (got 1e10); ' +
        'Row 4 (the header not counted), column metrics: names a metric twice; send each name once; ' +
        'Row 5 (the header not counted), column metrics: names a metric twice; send each name once',
    );
    expect(await s.counts()).toEqual({ runs: 0, tests: 0, results: 0 });
    expect(s.dataVersion).toBe(0);
  });

  it('stores a file out of run order with a row repeated as it stores the same rows in run order', async () => {
    const header = 'run_id,project,suite,name,status,duration_ms,started_at,attempt';
    const rows = {
      a1: 'r1,api,users,a,failed,5,2026-11-05T10:00:01Z,1',
      a2: 'r1,api,users,a,passed,6,2026-11-05T10:00:02Z,2',
      b: 'r1,api,users,b,passed,7,2026-11-05T10:00:03Z,1',
      c: 'r2,api,users,a,passed,8,2026-11-06T10:00:01Z,1',
      d: 'r2,api,users,b,skipped,0,2026-11-06T10:00:02Z,1',
    };
    const mixed = join(dir, 'mixed-order.csv');
    const sorted = join(dir, 'run-order.csv');
    writeFileSync(mixed, [header, rows.c, rows.a1, rows.d, rows.a2, rows.c, rows.b].join('\n'));
    writeFileSync(sorted, [header, rows.a1, rows.a2, rows.b, rows.c, rows.d].join('\n'));
    const [m, o] = [await fresh(), await fresh()];
    expect(await m.loadTableFile(mixed, 'csv')).toMatchObject({ attempts: 6, accepted: 5, duplicates: 1 });
    expect(await o.loadTableFile(sorted, 'csv')).toMatchObject({ attempts: 5, accepted: 5, duplicates: 0 });
    const stored = (s: S) =>
      s.db.query(
        `SELECT r.id, ru.id AS run, t.name, r.attempt, r.status, r.duration_ms
         FROM results r JOIN runs ru ON ru.seq = r.run_seq JOIN tests t ON t.id = r.test_id ORDER BY r.id`,
      );
    expect(await stored(m)).toEqual(await stored(o));
    expect(await derived(m)).toEqual(await derived(o));
  });
});
