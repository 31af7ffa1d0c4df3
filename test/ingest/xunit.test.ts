import { describe, expect, it } from 'vitest';
import { AssayError } from '../../src/domain/errors.ts';
import { detectFormat, parseReport, parseXUnit } from '../../src/ingest/index.ts';
import { fixture, fold, resultNamed } from './support.ts';

const ctx = { project: 'shop', startedAt: new Date('2026-11-20T00:00:00Z') };
const parse = (file: string) => parseReport(fixture(`xunit/${file}`), ctx, { filename: file });
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as AssayError,
  );

// Expected counts from each file's <assembly total passed failed skipped> (SOURCES.md).
const COUNTS = [
  ['xunit-2.0.xml', { tests: 3, passed: 1, failed: 1, skipped: 1 }],
  ['xunit-2.3.xml', { tests: 5, passed: 5, failed: 0, skipped: 0 }],
  ['fixie.xml', { tests: 7, passed: 3, failed: 3, skipped: 1 }],
] as const;

describe('xUnit.net v2 XML', () => {
  it.each(COUNTS)('reads %s with the counts of its <assembly>', async (file, counts) => {
    const report = await parse(file);
    expect(report.format).toBe('xunit');
    expect(fold(report.input.results ?? [])).toMatchObject({ ...counts, error: 0, attempts: counts.tests });
  });

  it('maps a test: assembly file as suite, type as class, name without the class, time, message, reason', async () => {
    const { input } = await parse('xunit-2.0.xml');
    expect(resultNamed(input.results, 'FailedTest')).toMatchObject({
      suite: 'MyProject.Tests.DLL',
      className: 'MyProject.Tests.SampleFact',
      status: 'FAILED',
      durationMs: 14,
      message: 'Assert.True() Failure',
      // run-date="2014-12-18" run-time="14:34:32", no zone: UTC
      startedAt: '2014-12-18T14:34:32.000Z',
    });
    expect(resultNamed(input.results, 'FailedTest').stackTrace).toMatch(/SampleFact\.cs:line 16$/);
    expect(resultNamed(input.results, 'SkippedTest')).toMatchObject({
      status: 'SKIPPED',
      message: 'On Purpose',
    });
    expect(input.run.tags).toMatchObject({ tool: 'xUnit.net 2.0.0.2785' });
  });

  it('records an <error> outside any test as an ERROR result', async () => {
    const xml = `<assemblies><assembly name="C:\\a\\T.dll" run-date="2026-01-02" run-time="03:04:05" total="1" passed="1">
<errors><error type="test-class-cleanup" name="T.Fixture"><failure exception-type="System.Exception"><message>boom</message></failure></error></errors>
<collection name="c"><test name="T.Fixture.A" type="T.Fixture" method="A" time="0.5" result="Pass"/></collection></assembly></assemblies>`;
    const { input, warnings } = await parseXUnit(xml, ctx);
    expect(input.results!.map((r) => [r.className, r.name, r.status, r.message])).toEqual([
      ['T.Fixture', '<test-class-cleanup>', 'ERROR', 'boom'],
      ['T.Fixture', 'A', 'PASSED', null],
    ]);
    expect(warnings.join('\n')).toMatch(/outside any test/);
  });

  it('is detected from its <assemblies> root', () => {
    expect(
      detectFormat('<?xml version="1.0" encoding="utf-8"?>\n<assemblies timestamp="06/15/2018 18:09:29">'),
    ).toBe('xunit');
  });

  it('refuses an unknown result and a wrong root, naming the line', async () => {
    const bad = await refusal(
      parseXUnit(
        '<assemblies>\n<assembly name="a.dll">\n<collection>\n<test name="x" result="Maybe"/>\n</collection></assembly></assemblies>',
        ctx,
      ),
    );
    expect(bad.message).toBe(
      'report.xml:4: <test> at line 4 has result "Maybe"; expected Pass, Fail, Skip or NotRun',
    );
    const root = await refusal(parseXUnit('<testsuites/>', ctx));
    expect(root.message).toMatch(/^report\.xml:1:1: the root element <testsuites> is not xUnit\.net v2 XML/);
  });
});
