import { describe, expect, it } from 'vitest';
import { AssayError } from '../../src/domain/errors.ts';
import { detectFormat, parseReport } from '../../src/ingest/index.ts';
import { parseJest, projectPath } from '../../src/ingest/jest.ts';
import { fixture, fold } from './support.ts';

const ctx = { project: 'web' };
const parseFile = (file: string) => parseJest(fixture(`jest/${file}`), { ...ctx, fileName: file });

async function refusal(promise: Promise<unknown>): Promise<AssayError> {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AssayError);
  return e as AssayError;
}

const assertion = (over: object) => ({
  ancestorTitles: ['cart'],
  title: 'adds',
  status: 'passed',
  duration: 12,
  failureMessages: [],
  ...over,
});
const report = (assertionResults: object[]) =>
  JSON.stringify({
    numTotalTests: assertionResults.length,
    startTime: 1795000000000,
    testResults: [
      {
        name: '/ci/build/src/cart.test.ts',
        startTime: 1795000000100,
        endTime: 1795000002100,
        status: 'passed',
        assertionResults,
      },
    ],
  });

// Expected counts are Jest's own summary in each file (numTotalTests, numPassedTests, numFailedTests,
// numPendingTests, numTodoTests); pending and todo tests are SKIPPED executions.
describe('parseJest: real reports', () => {
  it.each([
    // file, numTotalTests, numPassedTests, numFailedTests, numPendingTests + numTodoTests
    ['captain-jest.json', 18, 6, 6, 3 + 3],
    ['jest-coverage-report-action-jsonReport.json', 12, 12, 0, 0],
  ])(
    '%s: %i tests, %i passed, %i failed, %i pending or todo',
    async (file, total, passed, failed, skipped) => {
      const { input } = await parseFile(file);
      const c = fold(input.results!);
      expect(c).toMatchObject({ tests: total, attempts: total, passed, failed, skipped, flaky: 0 });
    },
  );

  it('names a test by its file (without the checkout directory) and describe blocks, with its duration and failure', async () => {
    const { input } = await parseFile('captain-jest.json');
    const failing = input.results!.find(
      (r) =>
        r.name === 'is failing' &&
        r.suite === 'app/javascript/controllers/nested/more/nested.test.js / even / more nesting',
    )!;
    expect(failing).toMatchObject({
      status: 'FAILED',
      attempt: 1,
      durationMs: 1,
      message: 'Error: expect(received).toBe(expected) // Object.is equality',
      startedAt: new Date(1665517160298).toISOString(),
      tags: {
        file: '/home/runner/work/captain/captain/app/javascript/controllers/nested/more/nested.test.js',
      },
    });
    expect(failing.stackTrace).toContain('Expected: false\nReceived: true');
    expect(failing.stackTrace).not.toContain('\u001b[');
    const todo = input.results!.find((r) => r.name === 'is top-level pending')!;
    expect(todo).toMatchObject({
      suite: 'app/javascript/controllers/top_level.test.js',
      status: 'SKIPPED',
      durationMs: 0,
    });
  });

  it('reads the run from startTime and the latest file endTime', async () => {
    const { input } = await parseFile('captain-jest.json');
    expect(input.run).toMatchObject({
      id: expect.stringMatching(/^jest-[0-9a-f]{16}$/),
      startedAt: new Date(1665517160011).toISOString(),
      finishedAt: new Date(1665517162135).toISOString(),
      tags: { tool: 'jest' },
    });
  });

  it('turns jest.retryTimes invocations into earlier FAILED attempts carrying their retryReasons', async () => {
    const { input } = await parseJest(
      report([assertion({ invocations: 3, retryReasons: ['Error: first', 'Error: second'], duration: 40 })]),
      ctx,
    );
    expect(input.results!.map((r) => [r.attempt, r.status, r.durationMs, r.message])).toEqual([
      [1, 'FAILED', 0, 'Error: first'],
      [2, 'FAILED', 0, 'Error: second'],
      [3, 'PASSED', 40, null],
    ]);
    expect(fold(input.results!)).toMatchObject({ tests: 1, passed: 1, flaky: 1 });
  });

  it('records a test file that failed to run as one ERROR, not as nothing', async () => {
    const text = JSON.stringify({
      numTotalTests: 0,
      testResults: [
        {
          name: '/ci/src/broken.test.ts',
          status: 'failed',
          startTime: 1795000000000,
          endTime: 1795000000300,
          message: '  ● Test suite failed to run\n\n    SyntaxError: Unexpected token',
          assertionResults: [],
        },
      ],
    });
    const { input, warnings } = await parseJest(text, ctx);
    expect(input.results).toEqual([
      expect.objectContaining({
        suite: 'src/broken.test.ts',
        name: '(test file failed to run)',
        status: 'ERROR',
        durationMs: 300,
        message: '● Test suite failed to run',
      }),
    ]);
    expect(warnings.join('\n')).toMatch(/failed to run/);
  });

  it('keeps a file path from its first usual project directory, else its last two segments', () => {
    expect(projectPath('/home/runner/work/shop/shop/packages/cart/src/a.test.ts')).toBe(
      'packages/cart/src/a.test.ts',
    );
    expect(projectPath('C:\\a\\b\\__tests__\\x.test.js')).toBe('__tests__/x.test.js');
    expect(projectPath('/opt/build/x.test.js')).toBe('build/x.test.js');
  });
});

describe('parseJest: refusals', () => {
  it('refuses JSON that is not a Jest report, saying what it expected', async () => {
    const e = await refusal(parseJest('{"suites": []}', { ...ctx, fileName: 'j.json' }));
    expect(e.message).toMatch(/j\.json: .*must be a Jest JSON report.*"numTotalTests" and "testResults"/);
  });

  it('refuses an unknown status naming its path and the statuses allowed', async () => {
    const e = await refusal(parseJest(report([assertion({ status: 'exploded' })]), ctx));
    expect(e.message).toMatch(
      /testResults\[0\]\.assertionResults\[0\]\.status must be one of passed, failed, skipped, pending, todo, disabled, focused \(got "exploded"\)/,
    );
  });

  it('refuses a report without any time unless the context gives one, and more tests than maxTestCases', async () => {
    const noTime = JSON.stringify({ numTotalTests: 0, testResults: [] });
    expect((await refusal(parseJest(noTime, ctx))).message).toMatch(/carries no timestamp/);
    const big = await refusal(parseJest(fixture('jest/captain-jest.json'), ctx, { maxTestCases: 17 }));
    expect(big.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('Jest detection', () => {
  it('detects Jest output by its first key, and parseReport reads it', async () => {
    const bytes = fixture('jest/captain-jest.json');
    expect(detectFormat(bytes.subarray(0, 1024).toString('utf8'))).toBe('jest');
    expect((await parseReport(bytes, ctx)).format).toBe('jest');
  });
});
