import { describe, expect, it } from 'vitest';
import { AssayError } from '../../src/domain/errors.ts';
import { detectFormat, parseReport, parseTrx } from '../../src/ingest/index.ts';
import { chunked, fixture, fold, resultNamed } from './support.ts';

const ctx = { project: 'shop', startedAt: new Date('2026-11-20T00:00:00Z') };
const parse = (file: string) => parseReport(fixture(`trx/${file}`), ctx, { filename: file });
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as AssayError,
  );

// Expected counts from each file's own <ResultSummary><Counters> (see test/fixtures/reports/SOURCES.md):
// skipped = total − executed (notExecuted + notRunnable), error = aborted + timeout + error.
const COUNTS = [
  ['xunit-vstest.trx', { tests: 11, passed: 5, failed: 5, error: 0, skipped: 1 }],
  ['xunit-v3.trx', { tests: 4, passed: 1, failed: 3, error: 0, skipped: 0 }],
  ['nunit-adapter.trx', { tests: 6, passed: 2, failed: 3, error: 0, skipped: 1 }],
  ['mstest-pickles.trx', { tests: 4, passed: 3, failed: 1, error: 0, skipped: 0 }],
  ['mstest-2015.trx', { tests: 25, passed: 2, failed: 2, error: 1, skipped: 20 }],
] as const;

describe('TRX', () => {
  it.each(COUNTS)('reads %s with the counts of its ResultSummary', async (file, counts) => {
    const report = await parse(file);
    expect(report.format).toBe('trx');
    expect(fold(report.input.results ?? [])).toMatchObject({ ...counts, attempts: counts.tests, flaky: 0 });
  });

  it('maps a result: class from TestDefinitions, name without the class, duration, start, worker, message', async () => {
    const { input } = await parse('xunit-vstest.trx');
    const failing = resultNamed(input.results, 'Failing_Test');
    expect(failing).toMatchObject({
      suite: 'DotnetTests.XUnitTests.dll',
      className: 'DotnetTests.XUnitTests.CalculatorTests',
      status: 'FAILED',
      attempt: 1,
      // duration="00:00:00.0038697"
      durationMs: 3.87,
      startedAt: '2021-04-20T06:31:32.974Z',
      worker: 'DORNY-PC',
      message: 'Assert.Equal() Failure\nExpected: 3\nActual:   2',
    });
    expect(failing.stackTrace).toMatch(/^ {3}at DotnetTests\.XUnitTests\.CalculatorTests\.Failing_Test\(\)/);
    // A display name that does not start with the class is kept whole.
    expect(resultNamed(input.results, 'Should be even number(i: 3)').status).toBe('FAILED');
    expect(resultNamed(input.results, 'Skipped_Test').status).toBe('SKIPPED');
    // <Times start=… finish=…>
    expect(input.run).toMatchObject({
      startedAt: '2021-04-20T06:31:31.986Z',
      finishedAt: '2021-04-20T06:31:33.102Z',
    });
  });

  it('reads old MSTest outcomes: Aborted is an error, NotRunnable and NotExecuted are skipped', async () => {
    const { input } = await parse('mstest-2015.trx');
    expect(resultNamed(input.results, 'EST_SEG_TEMPTest')).toMatchObject({
      status: 'ERROR',
      durationMs: 4649.266,
    });
    expect(resultNamed(input.results, 'CompareTest').status).toBe('SKIPPED');
    // className="Prueba_Sistema.SIARAlgorithmTest, Prueba_Sistema, Version=1.0.0.0, …" keeps the class only;
    // the suite is the file name of codeBase="E:/TMC/Prueba_Sistema/bin/Debug/Prueba_Sistema.DLL".
    expect(resultNamed(input.results, 'EST_SEG_TEMPTest')).toMatchObject({
      className: 'Prueba_Sistema.SIARAlgorithmTest',
      suite: 'Prueba_Sistema.DLL',
    });
  });

  it('reads data-driven rows as the results, and a failed test listed again as its retry', async () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <Times start="2026-03-01T10:00:00.000Z" finish="2026-03-01T10:00:05.000Z"/>
  <Results>
    <UnitTestResult testId="d1" testName="Adds" outcome="Failed" duration="00:00:00.5000000" resultType="DataDrivenTest">
      <InnerResults>
        <UnitTestResult testId="d1" testName="Adds" outcome="Passed" duration="00:00:00.2000000" dataRowInfo="1" resultType="DataDrivenDataRow"/>
        <UnitTestResult testId="d1" testName="Adds" outcome="Failed" duration="00:00:00.3000000" dataRowInfo="2" resultType="DataDrivenDataRow">
          <Output><ErrorInfo><Message>row 2 is wrong</Message></ErrorInfo></Output>
        </UnitTestResult>
      </InnerResults>
    </UnitTestResult>
    <UnitTestResult testId="f1" testName="Shop.Cart.Flaky" outcome="Failed" duration="00:00:01.0000000"/>
    <UnitTestResult testId="f1" testName="Shop.Cart.Flaky" outcome="Passed" duration="00:00:00.2500000"/>
  </Results>
  <TestDefinitions>
    <UnitTest name="Adds" storage="c:\\b\\shop.tests.dll" id="d1"><TestMethod codeBase="C:\\b\\Shop.Tests.dll" className="Shop.Math" name="Adds"/></UnitTest>
    <UnitTest name="Flaky" storage="c:\\b\\shop.tests.dll" id="f1"><TestMethod codeBase="C:\\b\\Shop.Tests.dll" className="Shop.Cart" name="Flaky"/><TestCategory><TestCategoryItem TestCategory="slow"/><TestCategoryItem TestCategory="cart"/></TestCategory></UnitTest>
  </TestDefinitions>
</TestRun>`;
    const { input } = await parseTrx(xml, ctx);
    expect(
      input.results!.map((r) => [
        r.suite,
        r.className,
        r.name,
        r.attempt,
        r.status,
        r.durationMs,
        r.message ?? null,
      ]),
    ).toEqual([
      ['Shop.Tests.dll', 'Shop.Math', 'Adds (row 1)', 1, 'PASSED', 200, null],
      ['Shop.Tests.dll', 'Shop.Math', 'Adds (row 2)', 1, 'FAILED', 300, 'row 2 is wrong'],
      ['Shop.Tests.dll', 'Shop.Cart', 'Flaky', 1, 'FAILED', 1000, null],
      ['Shop.Tests.dll', 'Shop.Cart', 'Flaky', 2, 'PASSED', 250, null],
    ]);
    expect(input.results![2]!.tags).toEqual({ category: 'slow,cart' });
    expect(fold(input.results!)).toMatchObject({ tests: 3, flaky: 1 });
  });

  it('reads the same results from a stream in small chunks', async () => {
    const bytes = fixture('trx/xunit-vstest.trx');
    const whole = await parseReport(bytes, ctx);
    const streamed = await parseReport(chunked(bytes, [7, 1, 300]), ctx);
    expect(streamed.input).toEqual(whole.input);
  });

  it('is detected from its root element, after a BOM, the XML declaration and comments', () => {
    expect(detectFormat(fixture('trx/xunit-vstest.trx').toString('utf8').slice(0, 300))).toBe('trx');
    expect(
      detectFormat(
        '<?xml version="1.0"?>\n<!-- x -->\n<TestRun id="1" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">',
      ),
    ).toBe('trx');
    expect(detectFormat('', 'results.trx')).toBe('trx');
  });

  it('refuses an unknown outcome, naming the element and its line', async () => {
    const xml = `<TestRun>\n<Results>\n<UnitTestResult testId="a" testName="t" outcome="Exploded"/>\n</Results>\n</TestRun>`;
    const e = await refusal(parseTrx(xml, ctx));
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.message).toMatch(
      /^report\.trx:3: <UnitTestResult> at line 3 has outcome "Exploded"; expected one of Passed, Failed/,
    );
  });

  it('refuses malformed XML with line and column, and entities, storing nothing', async () => {
    const e = await refusal(
      parseTrx('<TestRun>\n<Results>\n<UnitTestResult outcome="Passed">\n</TestRun>', ctx),
    );
    expect(e.message).toMatch(/^report\.trx:\d+:\d+: /);
    const laughs = await refusal(
      parseTrx('<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY a "aaaa">]>\n<TestRun/>', ctx),
    );
    expect(laughs.message).toMatch(/DOCTYPE declares entities/);
    const other = await refusal(parseTrx('<testsuites/>', ctx));
    expect(other.message).toBe(
      'report.trx:1:1: the root element <testsuites> is not a TRX report: expected <TestRun> (what `dotnet test --logger trx` writes)',
    );
  });

  it('refuses more results than maxTestCases as too large', async () => {
    const e = await refusal(
      parseReport(fixture('trx/xunit-vstest.trx'), ctx, { limits: { maxTestCases: 3 } }),
    );
    expect(e.code).toBe('PAYLOAD_TOO_LARGE');
    expect(e.message).toMatch(/REPORT_LIMITS\.maxTestCases \(3\)/);
  });
});
