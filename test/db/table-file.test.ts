import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import { RUN_A, RUN_B } from '../support/fixtures.ts';

type S = Awaited<ReturnType<typeof openStore>>;
let dir: string;
let source: S;
const stores: S[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'assay-table-'));
  source = await openStore({ readers: 2 });
  for (const i of [RUN_A, RUN_B]) await source.ingest(validateIngest(i));
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
afterAll(async () => {
  await source.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every stored attempt with its run and test, in a comparable form. */
const attempts = (s: S) =>
  s.db.query(
    `SELECT ru.id AS run, ru.project, ru.branch, ru.commit_sha, ru.started_at AS run_started, ru.finished_at, t.suite, t.class_name, t.name,
          r.attempt, r.status, r.duration_ms, r.started_at, r.worker, r.hardware, r.message, r.stack_trace, r.tags, r.metrics
   FROM results r JOIN runs ru ON ru.seq = r.run_seq JOIN tests t ON t.id = r.test_id ORDER BY run, t.suite, t.name, r.attempt`,
  );

async function fresh(): Promise<S> {
  const s = await openStore({ readers: 2 });
  stores.push(s);
  return s;
}

async function load(file: string, format: 'csv' | 'parquet'): Promise<S> {
  const s = await fresh();
  await s.loadTableFile(file, format);
  return s;
}

describe('CSV and Parquet: export and bulk load', () => {
  it.each(['csv', 'parquet'] as const)(
    'an export in %s loads back into the same attempts, runs and tests',
    async (format) => {
      const file = join(dir, `all.${format}`);
      // RUN_A has 6 attempts, RUN_B 5.
      expect(await source.exportResults({}, format, file)).toBe(11);
      const copy = await load(file, format);
      expect(await attempts(copy)).toEqual(await attempts(source));
      expect(await copy.counts()).toEqual({ runs: 2, tests: 5, results: 11 });
    },
  );

  it('exports a slice only', async () => {
    const file = join(dir, 'a1.csv');
    expect(await source.exportResults({ runId: ['a1'], status: ['FAILED', 'ERROR'] }, 'csv', file)).toBe(3);
    const copy = await load(file, 'csv');
    expect((await copy.counts()).results).toBe(3);
  });

  it('loads a hand-written CSV from another tool, with optional columns left out', async () => {
    const file = join(dir, 'other-tool.csv');
    writeFileSync(
      file,
      [
        'run_id,project,suite,name,status,duration_ms,started_at,tags',
        'r2,api,users,creates a user,passed,12.5,2026-11-05T10:00:02Z,"{""os"": ""linux""}"',
        'r1,api,users,creates a user,failed,30,2026-11-04T09:00:00Z,',
        'r2,api,users,deletes a user,skipped,0,2026-11-05T10:00:01Z,',
      ].join('\n'),
    );
    const copy = await load(file, 'csv');
    const runs = await copy.db.query<{
      id: string;
      started_at: Date;
      passed: number;
      failed: number;
      skipped: number;
    }>('SELECT id, started_at, passed, failed, skipped FROM runs ORDER BY id');
    // A run without run_started_at starts at its earliest attempt.
    expect(runs).toEqual([
      { id: 'r1', started_at: new Date('2026-11-04T09:00:00Z'), passed: 0, failed: 1, skipped: 0 },
      { id: 'r2', started_at: new Date('2026-11-05T10:00:01Z'), passed: 1, failed: 0, skipped: 1 },
    ]);
    const [r] = await copy.db.query<{ tags: unknown }>('SELECT tags FROM results WHERE duration_ms = 12.5');
    expect(r!.tags).toEqual([{ key: 'os', value: 'linux' }]);
  });

  it('refuses a whole file for one out-of-range duration or metric value, naming the file, row and column', async () => {
    const file = join(dir, 'extreme.csv');
    writeFileSync(
      file,
      [
        'run_id,project,suite,name,status,duration_ms,started_at,metrics',
        'r1,api,users,a,passed,5,2026-11-05T10:00:01Z,',
        'r1,api,users,b,passed,1e999,2026-11-05T10:00:02Z,',
        'r1,api,users,c,passed,5,2026-11-05T10:00:03Z,"[{""name"": ""m"", ""value"": 1e300, ""unit"": null}]"',
        'r1,api,users,d,passed,5,2026-11-05T10:00:04Z,',
      ].join('\n'),
    );
    const s = await fresh();
    const err = await s.loadTableFile(file, 'csv').then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toContain(file);
    expect(err?.message).toContain('2 rows are invalid, so nothing was loaded');
    expect(err?.message).toContain(
      'Row 2 (the header not counted), column duration_ms: must be a number of milliseconds',
    );
    expect(err?.message).toContain(
      'Row 3 (the header not counted), column metrics: metrics[0].value must be a finite number',
    );
    expect(await s.counts()).toEqual({ runs: 0, tests: 0, results: 0 });
    expect(s.dataVersion).toBe(0);
  });

  it.each([
    ['{x', 'tags: is not valid JSON'],
    ['{""a"": 8}', 'tags: values must be strings'],
    ['[1]', 'tags: must be an object'],
  ])('refuses tags %s with the row and what is wrong', async (tags, message) => {
    const file = join(dir, 'tags.csv');
    writeFileSync(
      file,
      [
        'run_id,project,suite,name,status,duration_ms,started_at,tags',
        `r1,api,users,a,passed,5,2026-11-05T10:00:01Z,"${tags}"`,
      ].join('\n'),
    );
    const s = await fresh();
    await expect(s.loadTableFile(file, 'csv')).rejects.toThrow(
      `Row 1 (the header not counted), column ${message}`,
    );
  });

  it('refuses a file that lacks required columns, naming them', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'run,project,suite,name\nx,api,s,n\n');
    const s = await openStore({ readers: 2 });
    stores.push(s);
    await expect(s.loadTableFile(file, 'csv')).rejects.toThrow(
      /lacks the columns run_id, status, duration_ms/,
    );
    await expect(s.loadTableFile(join(dir, 'missing.parquet'), 'parquet')).rejects.toThrow(/cannot read/);
  });
});
