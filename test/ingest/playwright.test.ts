import { describe, expect, it } from 'vitest';
import { AssayError } from '../../src/domain/errors.ts';
import { detectFormat, parseReport } from '../../src/ingest/index.ts';
import { parsePlaywright } from '../../src/ingest/playwright.ts';
import { fixture, fold } from './support.ts';

const ctx = { project: 'web', startedAt: new Date('2026-11-20T00:00:00Z') };
const parseFile = (file: string) =>
  parsePlaywright(fixture(`playwright/${file}`), { ...ctx, fileName: file });

async function refusal(promise: Promise<unknown>): Promise<AssayError> {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AssayError);
  return e as AssayError;
}

// Counts are Playwright's own verdicts: every test's "status" (expected / unexpected / flaky /
// skipped) as the reporter wrote it, tallied in test/fixtures/reports/SOURCES.md (and, for the
// daun fixtures, asserted by that project's own tests). Executions: passed = expected + flaky.
describe('parsePlaywright: real reports', () => {
  it.each([
    // file, tests, expected, unexpected, flaky, skipped
    ['daun-report-valid.json', 14, 10, 2, 1, 1],
    ['daun-report-sharded.json', 27, 22, 1, 1, 3],
    ['daun-report-nested.json', 45, 45, 0, 0, 0],
    ['captain-playwright.json', 64, 36, 16, 4, 8],
    ['captain-playwright-global-error.json', 14, 0, 0, 0, 14],
  ])(
    '%s: %i tests, %i expected, %i unexpected, %i flaky, %i skipped',
    async (file, tests, expected, unexpected, flaky, skipped) => {
      const { input } = await parseFile(file);
      const c = fold(input.results!);
      expect({
        tests: c.tests,
        passed: c.passed,
        failed: c.failed + c.error,
        flaky: c.flaky,
        skipped: c.skipped,
      }).toEqual({
        tests,
        passed: expected + flaky,
        failed: unexpected,
        flaky,
        skipped,
      });
    },
  );

  it('turns retries into attempts in retry order, with their own durations, starts and errors', async () => {
    const { input } = await parseFile('daun-report-valid.json');
    const multiplies = input.results!.filter(
      (r) => r.name === 'multiplies' && r.suite === 'chromium / multiply.spec.ts / multiply',
    );
    expect(multiplies.map((r) => [r.attempt, r.status, r.durationMs, r.startedAt])).toEqual([
      [1, 'FAILED', 7, '2023-09-08T12:31:04.670Z'],
      [2, 'FAILED', 20, '2023-09-08T12:31:04.861Z'],
      [3, 'PASSED', 11, '2023-09-08T12:31:05.059Z'],
    ]);
    expect(multiplies[0]!.message).toBe('expect(received).toBe(expected) // Object.is equality');
    expect(multiplies[0]!.stackTrace).toContain('Expected: 7\nReceived: 6');
    expect(multiplies[2]!.message).toBeNull();
  });

  it('puts the project first in the suite and as a tag, and annotations as tags', async () => {
    const { input } = await parseFile('daun-report-valid.json');
    const skips = input.results!.find((r) => r.name === 'skips')!;
    expect(skips).toMatchObject({
      suite: 'chromium / multiply.spec.ts / multiply',
      status: 'SKIPPED',
      tags: { project: 'chromium', skip: 'true', file: 'multiply.spec.ts' },
    });
    // The same spec in two projects is two tests.
    const returns = input.results!.filter(
      (r) => r.name === 'returns' && r.suite.endsWith('add.spec.ts / add'),
    );
    expect(returns.map((r) => r.suite).sort()).toEqual([
      'chromium / add.spec.ts / add',
      'firefox / add.spec.ts / add',
    ]);
  });

  it('reads test.fail(): a pass of a test expected to fail is FAILED, and says so in a warning', async () => {
    const { input, warnings } = await parseFile('captain-playwright.json');
    const annotated = input.results!.filter(
      (r) => r.name === 'passing w/ fail annotation' && r.suite === 'chromium / example.spec.ts',
    );
    expect(annotated.map((r) => [r.attempt, r.status])).toEqual([
      [1, 'FAILED'],
      [2, 'FAILED'],
      [3, 'FAILED'],
    ]);
    expect(annotated[0]!.tags).toMatchObject({ fail: 'true' });
    expect(warnings.join('\n')).toMatch(/expected to fail/);
  });

  it('reads a timed-out attempt as FAILED with its timeout message', async () => {
    const { input } = await parseFile('captain-playwright.json');
    const t = input.results!.find((r) => r.name === 'times out' && r.suite === 'chromium / example.spec.ts')!;
    expect(t).toMatchObject({
      status: 'FAILED',
      durationMs: 1001,
      message: 'Test timeout of 1000ms exceeded.',
    });
  });

  it('reads the run: start from the earliest result, end from the latest, tool, version and shard', async () => {
    const { input } = await parseFile('daun-report-valid.json');
    expect(input.run).toMatchObject({
      id: expect.stringMatching(/^playwright-[0-9a-f]{16}$/),
      startedAt: '2023-09-08T12:31:04.650Z',
      tags: { tool: 'playwright', 'tool.version': '1.37.1', shard: '1/2' },
    });
    // The latest end: firefox "adds" retry #4 started 12:31:05.582 and took 11 ms.
    expect(input.run.finishedAt).toBe('2023-09-08T12:31:05.593Z');
  });

  it('reads stats (Playwright ≥ 1.40) as the run start and duration', async () => {
    const report = {
      config: { version: '1.48.0' },
      suites: [],
      errors: [],
      stats: {
        startTime: '2026-11-02T08:00:00.000Z',
        duration: 1500.5,
        expected: 0,
        skipped: 0,
        unexpected: 0,
        flaky: 0,
      },
    };
    const { input } = await parsePlaywright(JSON.stringify(report), ctx);
    expect(input.run).toMatchObject({
      startedAt: '2026-11-02T08:00:00.000Z',
      finishedAt: '2026-11-02T08:00:01.500Z',
    });
  });

  it('warns about errors outside any test (a failed global setup)', async () => {
    const { warnings } = await parseFile('captain-playwright-global-error.json');
    expect(warnings.join('\n')).toMatch(/1 error outside any test/);
  });

  it('names --repeat-each copies name [2], … instead of folding them into retries', async () => {
    const result = (status: string, retry: number) => ({
      status,
      retry,
      duration: 5,
      startTime: '2026-11-02T08:00:00.000Z',
      errors: [],
    });
    const report = {
      config: {},
      suites: [
        {
          title: 'a.spec.ts',
          specs: [
            {
              title: 'works',
              tests: [
                {
                  projectName: '',
                  expectedStatus: 'passed',
                  status: 'unexpected',
                  results: [result('failed', 0)],
                },
                {
                  projectName: '',
                  expectedStatus: 'passed',
                  status: 'expected',
                  results: [result('passed', 0)],
                },
              ],
            },
          ],
        },
      ],
    };
    const { input } = await parsePlaywright(JSON.stringify(report), ctx);
    expect(input.results!.map((r) => [r.suite, r.name, r.attempt, r.status])).toEqual([
      ['a.spec.ts', 'works', 1, 'FAILED'],
      ['a.spec.ts', 'works [2]', 1, 'PASSED'],
    ]);
  });
});

describe('parsePlaywright: refusals', () => {
  it('refuses JSON that is not a Playwright report, saying what it expected', async () => {
    const e = await refusal(parsePlaywright('{"results": {"tests": []}}', { ...ctx, fileName: 'r.json' }));
    expect(e.message).toMatch(/r\.json: .*must be a Playwright JSON report.*"config" and "suites"/);
  });

  it('refuses a wrong field naming its path', async () => {
    const bad = {
      config: {},
      suites: [{ title: 'a', specs: [{ title: 't', tests: [{ results: [{ status: 'exploded' }] }] }] }],
    };
    const e = await refusal(parsePlaywright(JSON.stringify(bad), ctx));
    expect(e.message).toMatch(
      /suites\[0\]\.specs\[0\]\.tests\[0\]\.results\[0\]\.status must be one of passed, failed, timedOut, skipped, interrupted \(got "exploded"\)/,
    );
  });

  it('refuses malformed JSON with line and column, and more tests than maxTestCases', async () => {
    const e = await refusal(parsePlaywright('{\n  "config": {,\n}', { ...ctx, fileName: 'p.json' }));
    expect(e.message).toMatch(/^p\.json:2:14: not valid JSON/);
    const big = await refusal(
      parsePlaywright(fixture('playwright/daun-report-valid.json'), ctx, { maxTestCases: 13 }),
    );
    expect(big.code).toBe('PAYLOAD_TOO_LARGE');
    expect(big.message).toMatch(/14 tests, more than REPORT_LIMITS\.maxTestCases \(13\)/);
  });
});

describe('Playwright detection', () => {
  it('detects a Playwright report by its first key, and parseReport reads it', async () => {
    const bytes = fixture('playwright/captain-playwright.json');
    expect(detectFormat(bytes.subarray(0, 1024).toString('utf8'))).toBe('playwright');
    expect(detectFormat('{"results": {"tests": []}}')).toBe('ctrf');
    const r = await parseReport(bytes, ctx);
    expect(r.format).toBe('playwright');
  });
});
