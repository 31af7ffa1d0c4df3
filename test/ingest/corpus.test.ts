import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import { parseReport } from '../../src/ingest/index.ts';
import { chunked, fixture, fold, type Counts } from './support.ts';

const ctx = { project: 'shop', startedAt: new Date('2026-11-20T00:00:00Z') };

// Expected counts, worked out by reading each file (not from the parser's output).
const CORPUS: readonly (Counts & { readonly file: string })[] = [
  { file: 'junit/surefire.xml', tests: 6, attempts: 9, passed: 3, failed: 1, error: 1, skipped: 1, flaky: 2 },
  { file: 'junit/failsafe.xml', tests: 4, attempts: 8, passed: 2, failed: 1, error: 1, skipped: 0, flaky: 1 },
  { file: 'junit/gradle.xml', tests: 6, attempts: 8, passed: 4, failed: 1, error: 0, skipped: 1, flaky: 1 },
  { file: 'junit/pytest.xml', tests: 8, attempts: 8, passed: 3, failed: 1, error: 2, skipped: 2, flaky: 0 },
  {
    file: 'junit/unittest-xmlrunner.xml',
    tests: 5,
    attempts: 5,
    passed: 2,
    failed: 1,
    error: 1,
    skipped: 1,
    flaky: 0,
  },
  {
    file: 'junit/jest-junit.xml',
    tests: 5,
    attempts: 5,
    passed: 3,
    failed: 1,
    error: 0,
    skipped: 1,
    flaky: 0,
  },
  { file: 'junit/mocha.xml', tests: 4, attempts: 4, passed: 2, failed: 1, error: 0, skipped: 1, flaky: 0 },
  { file: 'junit/cypress.xml', tests: 3, attempts: 3, passed: 2, failed: 1, error: 0, skipped: 0, flaky: 0 },
  {
    file: 'junit/gotestsum.xml',
    tests: 6,
    attempts: 6,
    passed: 3,
    failed: 2,
    error: 0,
    skipped: 1,
    flaky: 0,
  },
  {
    file: 'junit/go-junit-report.xml',
    tests: 4,
    attempts: 4,
    passed: 2,
    failed: 1,
    error: 1,
    skipped: 0,
    flaky: 0,
  },
  { file: 'junit/phpunit.xml', tests: 6, attempts: 6, passed: 3, failed: 1, error: 1, skipped: 1, flaky: 0 },
  {
    file: 'junit/dotnet-junit-logger.xml',
    tests: 5,
    attempts: 5,
    passed: 3,
    failed: 1,
    error: 0,
    skipped: 1,
    flaky: 0,
  },
  {
    file: 'junit/nunit-junit.xml',
    tests: 3,
    attempts: 3,
    passed: 1,
    failed: 1,
    error: 0,
    skipped: 1,
    flaky: 0,
  },
  { file: 'junit/swiftpm.xml', tests: 4, attempts: 4, passed: 2, failed: 1, error: 0, skipped: 1, flaky: 0 },
  {
    file: 'junit/xcodebuild-xcbeautify.xml',
    tests: 4,
    attempts: 4,
    passed: 3,
    failed: 1,
    error: 0,
    skipped: 0,
    flaky: 0,
  },
  {
    file: 'junit/odd-times.xml',
    tests: 10,
    attempts: 10,
    passed: 9,
    failed: 0,
    error: 0,
    skipped: 1,
    flaky: 0,
  },
  {
    file: 'junit/nested-suites.xml',
    tests: 2,
    attempts: 2,
    passed: 2,
    failed: 0,
    error: 0,
    skipped: 0,
    flaky: 0,
  },
  {
    file: 'junit/testng-surefire.xml',
    tests: 7,
    attempts: 7,
    passed: 6,
    failed: 1,
    error: 0,
    skipped: 0,
    flaky: 0,
  },
  {
    file: 'junit/pytest-teardown.xml',
    tests: 4,
    attempts: 4,
    passed: 1,
    failed: 0,
    error: 3,
    skipped: 0,
    flaky: 0,
  },
  {
    file: 'junit/phpunit-laravel.xml',
    tests: 3,
    attempts: 3,
    passed: 1,
    failed: 1,
    error: 1,
    skipped: 0,
    flaky: 0,
  },
  {
    file: 'junit/leading-whitespace.xml',
    tests: 2,
    attempts: 2,
    passed: 1,
    failed: 1,
    error: 0,
    skipped: 0,
    flaky: 0,
  },
  {
    file: 'junit/control-characters.xml',
    tests: 2,
    attempts: 2,
    passed: 1,
    failed: 1,
    error: 0,
    skipped: 0,
    flaky: 0,
  },
  {
    file: 'junit/googletest.xml',
    tests: 2,
    attempts: 2,
    passed: 2,
    failed: 0,
    error: 0,
    skipped: 0,
    flaky: 0,
  },
  { file: 'junit/empty.xml', tests: 0, attempts: 0, passed: 0, failed: 0, error: 0, skipped: 0, flaky: 0 },
  {
    file: 'junit/empty-suite.xml',
    tests: 0,
    attempts: 0,
    passed: 0,
    failed: 0,
    error: 0,
    skipped: 0,
    flaky: 0,
  },
  { file: 'ctrf/jest.json', tests: 4, attempts: 4, passed: 1, failed: 1, error: 0, skipped: 2, flaky: 0 },
  {
    file: 'ctrf/playwright.json',
    tests: 6,
    attempts: 10,
    passed: 3,
    failed: 1,
    error: 1,
    skipped: 1,
    flaky: 2,
  },
  { file: 'ctrf/minimal.json', tests: 2, attempts: 2, passed: 1, failed: 0, error: 0, skipped: 1, flaky: 0 },
  {
    file: 'ctrf/pytest-ctrf-seconds.json',
    tests: 3,
    attempts: 3,
    passed: 2,
    failed: 1,
    error: 0,
    skipped: 0,
    flaky: 0,
  },
  {
    file: 'ctrf/older-fields.json',
    tests: 4,
    attempts: 6,
    passed: 2,
    failed: 1,
    error: 1,
    skipped: 0,
    flaky: 1,
  },
  { file: 'ctrf/empty.json', tests: 0, attempts: 0, passed: 0, failed: 0, error: 0, skipped: 0, flaky: 0 },
];

/**
 * CTRF reports that name their build (src/ingest/ctrf.ts, buildIdentity): their run id is the
 * build's, so every shard of it lands in one run, not their bytes'. By hand from each file's environment.
 */
const BUILDS: Readonly<Record<string, string>> = { 'ctrf/jest.json': 'build\0\u00001187' };
const buildId = (project: string, build: string, branch: string, commit: string): string =>
  `ctrf-${createHash('sha256').update(`${project}\0build\0${build}\0branch\0${branch}\0commit\0${commit}`).digest('hex').slice(0, 16)}`;

describe('the report corpus', () => {
  it.each(CORPUS)('reads $file into the executions and attempts it holds', async ({ file, ...expected }) => {
    const report = await parseReport(fixture(file), ctx, { filename: file });
    expect(report.format).toBe(file.startsWith('junit/') ? 'junit' : 'ctrf');
    expect(fold(report.input.results ?? [])).toEqual(expected);
  });

  it.each(CORPUS)(
    'gives results from $file that validateIngest accepts with no errors',
    async ({ file, attempts }) => {
      const report = await parseReport(fixture(file), ctx, { filename: file });
      const batch = validateIngest(report.input);
      expect(batch.errors).toEqual([]);
      expect(batch.results).toHaveLength(attempts);
      expect(batch.breakerEvents).toEqual([]);
    },
  );

  it.each(CORPUS)(
    'parses $file identically from awkward byte chunks as from the whole file',
    async ({ file }) => {
      const bytes = fixture(file);
      const whole = await parseReport(bytes, ctx, { filename: file });
      for (const sizes of [[1], [7, 3, 13], [4096, 1, 2]]) {
        expect(await parseReport(chunked(bytes, sizes), ctx, { filename: file })).toEqual(whole);
      }
    },
  );

  it.each(CORPUS)(
    'derives the run id of $file from the project and the file bytes, the same on every parse',
    async ({ file }) => {
      const bytes = fixture(file);
      const format = file.startsWith('junit/') ? 'junit' : 'ctrf';
      const first = await parseReport(bytes, ctx);
      // A CTRF report may name its branch and commit; the run is stored under them, so the id holds them.
      const { branch, commit } = first.input.run;
      const placed =
        branch == null && commit == null ? '' : `\0branch\0${branch ?? ''}\0commit\0${commit ?? ''}`;
      const build = BUILDS[file];
      const expected =
        build === undefined
          ? `${format}-${createHash('sha256').update('shop\0').update(bytes).update(placed).digest('hex').slice(0, 16)}`
          : buildId('shop', build, branch ?? '', commit ?? '');
      const second = await parseReport(bytes.toString('utf8'), ctx);
      expect(first.input.run.id).toBe(expected);
      expect(second.input.run.id).toBe(expected);
      expect((await parseReport(bytes, { ...ctx, project: 'other' })).input.run.id).not.toBe(expected);
    },
  );

  it.each(CORPUS)(
    'derives a different run id for $file on another branch or commit, the same for the same one',
    async ({ file }) => {
      const bytes = fixture(file);
      const format = file.startsWith('junit/') ? 'junit' : 'ctrf';
      const build = BUILDS[file];
      const withPlacement = (branch: string, commit: string) =>
        build !== undefined
          ? buildId('shop', build, branch, commit)
          : `${format}-${createHash('sha256').update('shop\0').update(bytes).update(`\0branch\0${branch}\0commit\0${commit}`).digest('hex').slice(0, 16)}`;
      const main = await parseReport(bytes, { ...ctx, branch: 'main', commit: 'abc' });
      const feature = await parseReport(bytes, { ...ctx, branch: 'feature/x', commit: 'abc' });
      const otherCommit = await parseReport(bytes, { ...ctx, branch: 'main', commit: 'def' });
      expect(main.input.run.id).toBe(withPlacement('main', 'abc'));
      expect(feature.input.run.id).toBe(withPlacement('feature/x', 'abc'));
      expect(otherCommit.input.run.id).toBe(withPlacement('main', 'def'));
      expect(
        (await parseReport(bytes.toString('utf8'), { ...ctx, branch: 'main', commit: 'abc' })).input.run.id,
      ).toBe(main.input.run.id);
    },
  );
});
