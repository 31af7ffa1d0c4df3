import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandFiles, globRegExp } from '../../src/cli/files.ts';
import { main } from '../../src/cli/main.ts';
import { Database } from '../../src/db/database.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(argv, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

async function sql<T>(db: string, q: string): Promise<T[]> {
  const d = await Database.open({ path: db, readers: 1 });
  try {
    return await d.query<T & Record<string, unknown>>(q);
  } finally {
    await d.close();
  }
}

const junit = (suite: string, at: string, cases: string) =>
  `<?xml version="1.0"?>\n<testsuites><testsuite name="${suite}" timestamp="${at}">${cases}</testsuite></testsuites>\n`;

// main: three tests pass on 2026-11-01. feature: "b" fails, "c" is slower (10 s against 1 s).
const reports = join(dir, 'reports');
mkdirSync(join(reports, 'main'), { recursive: true });
mkdirSync(join(reports, 'feature'), { recursive: true });
writeFileSync(
  join(reports, 'main', 'TEST-a.xml'),
  junit(
    'pkg.A',
    '2026-11-01T10:00:00',
    '<testcase classname="pkg.A" name="a" time="1"/><testcase classname="pkg.A" name="b" time="1"/>',
  ),
);
writeFileSync(
  join(reports, 'main', 'TEST-c.xml'),
  junit('pkg.C', '2026-11-01T10:00:05', '<testcase classname="pkg.C" name="c" time="1"/>'),
);
writeFileSync(
  join(reports, 'feature', 'TEST-a.xml'),
  junit(
    'pkg.A',
    '2026-11-02T10:00:00',
    '<testcase classname="pkg.A" name="a" time="1"/><testcase classname="pkg.A" name="b" time="1"><failure message="boom"/></testcase>',
  ),
);
writeFileSync(
  join(reports, 'feature', 'TEST-c.xml'),
  junit('pkg.C', '2026-11-02T10:00:05', '<testcase classname="pkg.C" name="c" time="10"/>'),
);
writeFileSync(join(reports, 'broken.xml'), '<testsuite name="x">\n<testcase name="y">\n');
writeFileSync(
  join(reports, 'results.ctrf.json'),
  JSON.stringify({
    results: {
      tool: { name: 'jest' },
      summary: {
        tests: 2,
        passed: 1,
        failed: 1,
        pending: 0,
        skipped: 0,
        other: 0,
        start: Date.parse('2026-11-02T12:00:00Z'),
        stop: Date.parse('2026-11-02T12:00:01Z'),
      },
      tests: [
        { name: 'renders', status: 'passed', duration: 12, suite: 'ui' },
        { name: 'clicks', status: 'failed', duration: 30, suite: 'ui', message: 'nope' },
      ],
    },
  }),
);
const db = join(dir, 'assay.duckdb');

describe('assay ingest', () => {
  it('imports a directory of JUnit files as one run, and again as duplicates', async () => {
    const first = await cli(
      'ingest',
      join(reports, 'main'),
      '--project',
      'shop',
      '--branch',
      'main',
      '--commit',
      'm1',
      '--db',
      db,
    );
    expect(first.code).toBe(0);
    expect(first.out).toContain('Imported 2 of 2 files');
    expect(first.out).toContain('as 1 run');
    expect(first.out).toContain(
      '3 tests: 3 passed (0 flaky), 0 failed, 0 skipped; 3 attempts stored, 0 already there, 0 rejected',
    );
    // Both files went in as one batch of one run: one commit, so dataVersion is 1.
    expect(await sql(db, "SELECT value::INTEGER AS v FROM meta WHERE key = 'data_version'")).toEqual([
      { v: 1 },
    ]);
    const again = await cli(
      'ingest',
      join(reports, 'main', '*.xml'),
      '--project',
      'shop',
      '--branch',
      'main',
      '--commit',
      'm1',
      '--db',
      db,
    );
    expect(again.out).toContain('0 attempts stored, 3 already there');
    expect(await sql(db, 'SELECT count(*)::INTEGER AS n FROM runs')).toEqual([{ n: 1 }]);
  });

  it('refuses a malformed file by line and column, imports the rest, and exits 1', async () => {
    const r = await cli(
      'ingest',
      join(reports, 'feature'),
      join(reports, 'broken.xml'),
      '--project',
      'shop',
      '--branch',
      'feature',
      '--commit',
      'f1',
      '--db',
      db,
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/broken\.xml: refused, nothing stored: .*broken\.xml:\d+:\d+/);
    expect(r.out).toContain('Imported 2 of 3 files');
  });

  it('imports CTRF JSON', async () => {
    const r = await cli('ingest', join(reports, 'results.ctrf.json'), '--project', 'web', '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toContain('(ctrf): 2 tests: 1 passed (0 flaky), 1 failed');
  });

  it('says what is wrong with the command line', async () => {
    expect((await cli('ingest', '--project', 'x', '--db', db)).code).toBe(2);
    expect((await cli('ingest', join(reports, 'nothing-*.xml'), '--project', 'x', '--db', db)).code).toBe(2);
    expect((await cli('ingest', join(reports, 'main'), '--db', db)).code).toBe(2);
  });
});

describe('assay gate', () => {
  it('fails the feature build on a new failure and a slowdown, exit 1, and prints each check', async () => {
    const r = await cli(
      'gate',
      '--project',
      'shop',
      '--branch',
      'feature',
      '--commit',
      'f1',
      '--max-new-failures',
      '0',
      '--max-duration-regression',
      '50',
      '--db',
      db,
    );
    expect(r.code).toBe(1);
    // b passed on main and fails here: 1 new failure. Durations: 1 + 1 + 10 = 12 s against 3 s: +300 %.
    expect(r.out).toMatch(/✘ FAIL {2}maxNewFailures +actual +1 +threshold +0/);
    expect(r.out).toMatch(/✘ FAIL {2}maxDurationRegressionPct +actual +\+300\.0 %/);
    expect(r.out).toContain('Quality gate FAILED: maxNewFailures, maxDurationRegressionPct.');
  });

  it('passes the main build, exit 0', async () => {
    const r = await cli(
      'gate',
      '--project',
      'shop',
      '--branch',
      'main',
      '--commit',
      'm1',
      '--min-pass-rate',
      '1',
      '--db',
      db,
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/✔ pass {2}minPassRate +actual +100\.00 %/);
  });

  it('exits 2 without a project or with a bad threshold', async () => {
    expect((await cli('gate', '--db', db)).code).toBe(2);
    expect((await cli('gate', '--project', 'shop', '--min-pass-rate', 'high', '--db', db)).code).toBe(2);
  });
});

describe('assay report, export and cleanup', () => {
  it('writes a self-contained HTML report and a JSON one', async () => {
    const html = join(dir, 'out', 'report.html');
    const r = await cli(
      'report',
      '--project',
      'shop',
      '--from',
      '2026-10-01T00:00:00Z',
      '--format',
      'html',
      '--out',
      html,
      '--db',
      db,
    );
    expect(r.code).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>[\s\S]*<svg/);
    const json = await cli(
      'report',
      '--project',
      'shop',
      '--from',
      '2026-10-01T00:00:00Z',
      '--format',
      'json',
      '--db',
      db,
    );
    expect(JSON.parse(json.out).summary).toMatchObject({
      runs: 2,
      tests: 3,
      executions: 6,
      passed: 5,
      failed: 1,
    });
  });

  it('exports CSV that loads back into another database', async () => {
    const out = join(dir, 'export');
    const r = await cli('export', '--format', 'csv', '--out', out, '--project', 'shop', '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Exported 6 results');
    const copy = join(dir, 'copy.duckdb');
    expect((await cli('ingest', join(out, 'results.csv'), '--db', copy)).code).toBe(0);
    expect(
      await sql(
        copy,
        'SELECT count(*)::INTEGER AS runs, sum(executions)::INTEGER AS executions, sum(failed)::INTEGER AS failed FROM runs',
      ),
    ).toEqual([{ runs: 2, executions: 6, failed: 1 }]);
  });

  it('deletes runs older than the kept days, after a dry run that deletes nothing', async () => {
    // Every run here is from November 2026; keeping a day before today keeps none of them (today is later).
    const dry = await cli('cleanup', '--keep-days', '1', '--dry-run', '--db', db);
    expect(dry.out).toMatch(/Would delete 3 runs .* with 8 results and 5 tests/);
    const before = statSync(db).size;
    const r = await cli('cleanup', '--keep-days', '1', '--db', db);
    expect(r.code).toBe(0);
    // Compacted by default: the file shrinks, and the sizes are printed.
    const after = statSync(db).size;
    expect(after).toBeLessThan(before);
    expect(r.out).toContain(
      `Compacted ${db}: ${(before / 1048576).toFixed(1)} MB before the cleanup, ${(after / 1048576).toFixed(1)} MB after.`,
    );
    expect(existsSync(`${db}.compact`)).toBe(false);
    expect(
      await sql(
        db,
        'SELECT (SELECT count(*) FROM runs)::INTEGER AS runs, (SELECT count(*) FROM results)::INTEGER AS results',
      ),
    ).toEqual([{ runs: 0, results: 0 }]);
    expect((await cli('cleanup', '--db', db)).code).toBe(2);
  });
});

describe('file arguments', () => {
  it('expands globs with ** and * as a shell would not', () => {
    expect(globRegExp('**/*.xml').test('a/b/TEST-x.xml')).toBe(true);
    expect(globRegExp('**/*.xml').test('TEST-x.xml')).toBe(true);
    expect(globRegExp('*.xml').test('a/TEST-x.xml')).toBe(false);
    expect(expandFiles([`${reports}/**/TEST-*.xml`]).map((f) => f.slice(reports.length + 1))).toEqual([
      'feature/TEST-a.xml',
      'feature/TEST-c.xml',
      'main/TEST-a.xml',
      'main/TEST-c.xml',
    ]);
  });
});
