import { describe, expect, it } from 'vitest';
import { AssayError } from '../../src/domain/errors.ts';
import { detectFormat, parseReport, REPORT_LIMITS, splitIngestInput } from '../../src/ingest/index.ts';
import { chunked, fixture } from './support.ts';

const ctx = { project: 'shop', startedAt: new Date('2026-11-20T00:00:00Z') };

describe('detectFormat', () => {
  it.each([
    ['<?xml version="1.0"?><testsuites/>', undefined, 'junit'],
    ['\uFEFF\n  <testsuite name="x"/>', 'report.json', 'junit'],
    ['{"results": {}}', 'report.xml', 'ctrf'],
    ['  \n', 'TEST-com.acme.FooTest.xml', 'junit'],
    ['', 'ctrf-report.JSON', 'ctrf'],
    ['', 'report.txt', null],
    ['PASS src/cart.test.ts', 'out.xml', null],
  ] as const)('reads %j (file %s) as %s', (head, filename, expected) => {
    expect(detectFormat(head, filename)).toBe(expected);
  });
});

describe('parseReport', () => {
  it('detects the format from the first chunks of a stream, even when they are blank', async () => {
    const bytes = Buffer.concat([Buffer.from('\n\n   '), fixture('ctrf/jest.json')]);
    const report = await parseReport(chunked(bytes, [1, 2, 3]), ctx);
    expect(report.format).toBe('ctrf');
    expect(report.input.results).toHaveLength(4);
  });

  it('uses the given format over detection', async () => {
    const e = await parseReport(fixture('ctrf/jest.json'), ctx, {
      format: 'junit',
      filename: 'jest.json',
    }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AssayError);
    expect((e as AssayError).message).toBe(
      'jest.json:1:1: not XML: a JUnit report starts with an element such as <testsuites> (found "{")',
    );
  });

  it('refuses a report whose format it cannot tell', async () => {
    const e = await parseReport('PASS src/cart.test.ts', ctx, { filename: 'out.txt' }).catch(
      (err: unknown) => err,
    );
    expect((e as AssayError).message).toBe(
      'out.txt: cannot tell its format: XML reports (JUnit, TRX, NUnit, xUnit.net) start with \'<\', JSON ones (CTRF, go test -json) with \'{\', TAP with "TAP version 13" or "1..N"; pass the format explicitly',
    );
  });

  it('refuses TeamCity service messages naming them, whatever the file is called', async () => {
    const e = await parseReport(fixture('junit/teamcity.xml'), ctx, { filename: 'report.xml' }).catch(
      (err: unknown) => err,
    );
    expect((e as AssayError).message).toBe(
      'report.xml: these are TeamCity service messages (##teamcity[…]), not JUnit XML or CTRF JSON: have the test runner write a JUnit XML report instead (Codeception: --xml)',
    );
  });

  it('refuses a context without a project', async () => {
    const e = await parseReport(fixture('junit/mocha.xml'), { project: ' ' }).catch((err: unknown) => err);
    expect((e as AssayError).message).toBe(
      'ReportContext.project is required: the project the report belongs to',
    );
  });

  it('names its limits', () => {
    expect(REPORT_LIMITS).toMatchObject({
      maxBytes: 200 * 1024 * 1024,
      maxTestCases: 1_000_000,
      maxDepth: 64,
    });
  });
});

describe('splitIngestInput', () => {
  it('cuts results into batches of at most maxResults, each with the same run', async () => {
    const { input } = await parseReport(fixture('junit/surefire.xml'), ctx);
    const batches = splitIngestInput(input, 4);
    expect(batches.map((b) => b.results!.length)).toEqual([4, 4, 1]);
    expect(batches.every((b) => b.run === input.run)).toBe(true);
    expect(batches.flatMap((b) => b.results)).toEqual(input.results);
  });

  it('gives an empty report one batch so its run is stored', async () => {
    const { input } = await parseReport(fixture('junit/empty.xml'), ctx);
    expect(splitIngestInput(input)).toEqual([{ run: input.run, results: [] }]);
  });
});
