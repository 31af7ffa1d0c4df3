import { describe, expect, it } from 'vitest';
import { AssayError } from '../../src/domain/errors.ts';
import { detectFormat, parseNUnit, parseReport } from '../../src/ingest/index.ts';
import { chunked, fixture, fold, resultNamed } from './support.ts';

const ctx = { project: 'shop', startedAt: new Date('2026-11-20T00:00:00Z') };
const parse = (file: string) => parseReport(fixture(`nunit/${file}`), ctx, { filename: file });
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as AssayError,
  );

// Expected counts from each file's <test-run total passed failed inconclusive skipped> (SOURCES.md).
// failed + error = the run's `failed` (label="Error" is ERROR); skipped = skipped + inconclusive.
const COUNTS = [
  ['dotnet-nunit.xml', { tests: 9, passed: 3, failed: 3, error: 2, skipped: 1 }],
  ['mock-assembly.xml', { tests: 18, passed: 12, failed: 1, error: 1, skipped: 4 }],
  ['jenkins-issue50162.xml', { tests: 6, passed: 3, failed: 3, error: 0, skipped: 0 }],
  ['jenkins-issue17521.xml', { tests: 2, passed: 1, failed: 0, error: 0, skipped: 1 }],
] as const;

describe('NUnit 3 XML', () => {
  it.each(COUNTS)('reads %s with the counts of its <test-run>', async (file, counts) => {
    const report = await parse(file);
    expect(report.format).toBe('nunit');
    expect(fold(report.input.results ?? [])).toMatchObject({ ...counts, attempts: counts.tests, flaky: 0 });
  });

  it('maps a test-case: assembly as suite, classname, result and label, duration, message and stack', async () => {
    const { input } = await parse('dotnet-nunit.xml');
    const error = resultNamed(input.results, 'Exception_In_TargetTest');
    expect(error).toMatchObject({
      suite: 'DotnetTests.NUnitV3Tests.dll',
      className: 'DotnetTests.XUnitTests.CalculatorTests',
      status: 'ERROR',
      worker: 'DORNY-PC',
      message: 'System.DivideByZeroException : Attempted to divide by zero.',
    });
    expect(error.stackTrace).toMatch(/^ {3}at DotnetTests\.Unit\.Calculator\.Div/);
    const failed = resultNamed(input.results, 'Failing_Test');
    expect(failed).toMatchObject({ status: 'FAILED', message: 'Expected: 3\n  But was:  2' });
    expect(resultNamed(input.results, 'Is_Even_Number(2)').status).toBe('PASSED');
    // start-time="2021-06-28 20:23:41Z" (whole seconds, end the same) with duration="0.230308"
    expect(input.run).toMatchObject({
      startedAt: '2021-06-28T20:23:41.000Z',
      finishedAt: '2021-06-28T20:23:41.230Z',
    });
  });

  it('reads properties as tags (Category joined), skip reasons as messages, NUnit 3.0 `time`', async () => {
    const { input } = await parse('mock-assembly.xml');
    const inconclusive = resultNamed(input.results, 'InconclusiveTest');
    expect(inconclusive.status).toBe('SKIPPED');
    const mock1 = resultNamed(input.results, 'MockTest1');
    expect(mock1.tags).toMatchObject({ Category: 'FixtureCategory' });
    expect(mock1.className).toBe('NUnit.Tests.Assemblies.MockTestFixture');
    // run-date="2011-07-26" start-time="11:34:27"
    expect(input.run.startedAt).toBe('2011-07-26T11:34:27.000Z');
  });

  it('reads the same results from a stream in small chunks', async () => {
    const bytes = fixture('nunit/dotnet-nunit.xml');
    expect((await parseReport(chunked(bytes, [5, 1, 200]), ctx)).input).toEqual(
      (await parseReport(bytes, ctx)).input,
    );
  });

  it('is detected from its <test-run> root', () => {
    expect(
      detectFormat('\uFEFF<?xml version="1.0" encoding="utf-8" standalone="no"?>\n<test-run id="2">'),
    ).toBe('nunit');
  });

  it('refuses an unknown result and NUnit 2 XML, naming line and element', async () => {
    const bad = await refusal(
      parseNUnit(
        '<test-run>\n  <test-suite type="Assembly" name="a.dll">\n    <test-case name="x" result="Exploded"/>\n  </test-suite>\n</test-run>',
        ctx,
      ),
    );
    expect(bad.message).toBe(
      'report.xml:3: <test-case> at line 3 has result "Exploded"; expected Passed, Failed, Skipped, Inconclusive or Warning',
    );
    const v2 = await refusal(parseNUnit('<?xml version="1.0"?>\n<test-results name="x"/>', ctx));
    expect(v2.message).toMatch(
      /^report\.xml:2:1: the root element <test-results> is not NUnit 3 XML: expected <test-run> \(this is NUnit 2 XML/,
    );
    const unclosed = await refusal(
      parseNUnit('<test-run>\n<test-case name="a" result="Passed">\n</test-run>', ctx),
    );
    expect(unclosed.message).toMatch(/^report\.xml:\d+:\d+: /);
  });
});
