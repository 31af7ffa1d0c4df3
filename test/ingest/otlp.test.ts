import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AssayError } from '../../src/domain/errors.ts';
import { detectFormat, parseOtlpRuns, parseReport } from '../../src/ingest/index.ts';
import { parseOtlp } from '../../src/ingest/otlp.ts';
import { fixture, fold } from './support.ts';

const ctx = { project: 'web' };

async function refusal(promise: Promise<unknown>): Promise<AssayError> {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AssayError);
  return e as AssayError;
}

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const T1 = '0af7651916cd43dd8448eb211c80319c';
const T2 = '4bf92f3577b34da6a3ce929d0e0e4736';
/** A test span starting `startMs` after 2026-01-01T00:00:00Z (1767225600 s), lasting `ms`. */
const testSpan = (
  name: string,
  startMs: number,
  ms: number,
  attributes: object[] = [],
  over: object = {},
) => ({
  traceId: T1,
  spanId: (startMs + 1).toString(16).padStart(16, '0'),
  name,
  startTimeUnixNano: `${1767225600000 + startMs}000000`,
  endTimeUnixNano: `${1767225600000 + startMs + ms}000000`,
  attributes: [str('test.case.name', name), str('test.suite.name', 'unit'), ...attributes],
  ...over,
});
const request = (spans: object[], resource: object[] = []) =>
  JSON.stringify({ resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ spans }] }] });
const runIdOf = (key: string) =>
  `otlp-${createHash('sha256').update(`web\0${key}`).digest('hex').slice(0, 16)}`;

describe('OTLP/JSON traces: a hand-worked CI pipeline (fixture ci-pipeline.json)', () => {
  it('reads the Collector file exporter’s JSON Lines (a request per line) as the same spans', async () => {
    type Request = { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
    const whole = JSON.parse(fixture('otlp/ci-pipeline.json').toString()) as Request;
    // Each span in a request of its own, as a collector batching one span at a time writes them.
    const [resource] = whole.resourceSpans;
    const [scope] = resource!.scopeSpans;
    const lines = scope!.spans.map((span) =>
      JSON.stringify({ resourceSpans: [{ ...resource, scopeSpans: [{ ...scope, spans: [span] }] }] }),
    );
    expect(lines).toHaveLength(9);
    const split = await parseOtlp(`${lines.join('\n')}\n`, { ...ctx, fileName: 'traces.jsonl' });
    const one = await parseOtlp(fixture('otlp/ci-pipeline.json'), ctx);
    expect(split.input.results).toEqual(one.input.results);
    expect(detectFormat(lines.join('\n'), 'traces.jsonl')).toBe('otlp');

    const bad = [lines[0], lines[1], '{"resourceSpans": [}'].join('\n');
    const e = await refusal(parseOtlp(bad, { ...ctx, fileName: 'traces.jsonl' }));
    expect(e.message).toMatch(/^traces\.jsonl:3:20: not valid JSON/);
  });

  it('reads 5 test spans as 4 tests, 5 attempts: 2 passed (1 flaky), 1 failed, 1 skipped', async () => {
    const r = await parseOtlp(fixture('otlp/ci-pipeline.json'), { ...ctx, fileName: 'ci-pipeline.json' });
    expect(r.format).toBe('otlp');
    expect(fold(r.input.results ?? [])).toEqual({
      tests: 4,
      attempts: 5,
      passed: 2,
      failed: 1,
      error: 0,
      skipped: 1,
      flaky: 1,
    });
    // The pipeline, job and two suite spans are not test results.
    expect(r.warnings).toContain(
      '4 span(s) carry no test.case.name (pipeline, job, step or suite spans); they are not test results and were not stored',
    );
  });

  it('takes the run from cicd.pipeline.run.id, branch and commit from vcs.ref.head.*, times from the test spans', async () => {
    const { input } = await parseOtlp(fixture('otlp/ci-pipeline.json'), ctx);
    expect(input.run).toEqual({
      id: runIdOf('run\x009753949763'),
      project: 'web',
      branch: 'main',
      commit: '3f2c1a9e8b7d6c5f4a3b2c1d0e9f8a7b6c5d4e3f',
      // 2025-12-02T10:00:00Z + 2 s (the first test span) … + 41 s (the last one's end).
      startedAt: '2025-12-02T10:00:02.000Z',
      finishedAt: '2025-12-02T10:00:41.000Z',
      tags: {
        tool: 'otlp',
        'cicd.pipeline.name': 'CI',
        'cicd.pipeline.run.id': '9753949763',
        'cicd.pipeline.task.run.id': '26920038674',
        trace: '5b8efff798038103d269b633813fc60c',
      },
    });
  });

  it('reads repeated spans of one test as attempts ordered by start time, not document order', async () => {
    const { input } = await parseOtlp(fixture('otlp/ci-pipeline.json'), ctx);
    const discount = (input.results ?? []).filter((r) => r.name === 'cart applies a discount');
    // The passing span is listed first but started at +9 s; the failing one at +5 s, lasting 3 s.
    expect(discount.map((r) => [r.attempt, r.status, r.durationMs, r.startedAt, r.message])).toEqual([
      [1, 'FAILED', 3000, '2025-12-02T10:00:05.000Z', 'timeout after 3000 ms'],
      [2, 'PASSED', 300, '2025-12-02T10:00:09.000Z', null],
    ]);
  });

  it('keeps the suite from the parent span, the worker from host.name, the failure text from the exception event', async () => {
    const { input } = await parseOtlp(fixture('otlp/ci-pipeline.json'), ctx);
    const removes = (input.results ?? []).find((r) => r.name === 'cart removes an item');
    expect(removes).toMatchObject({
      suite: 'cart',
      className: null,
      status: 'FAILED',
      durationMs: 1250,
      worker: 'runner-7',
      message: 'expected 0 items, got 1',
      stackTrace: 'AssertionError: expected 0 items, got 1\n    at cart.test.ts:42:7',
      tags: { 'cicd.pipeline.task.name': 'test (shard 1/2)', shard: '26920038674' },
    });
    const pays = (input.results ?? []).find((r) => r.name === 'checkout pays by card');
    // No test.case.result.status; its suite span says test.suite.run.status = skipped.
    expect(pays).toMatchObject({ suite: 'checkout', status: 'SKIPPED', durationMs: 0 });
  });

  it('is detected by content: the first key "resourceSpans"', async () => {
    expect(detectFormat('{"resourceSpans":[{"resource":{}}]}')).toBe('otlp');
    expect(detectFormat('{\n  "resourceSpans": [')).toBe('otlp');
    const r = await parseReport(fixture('otlp/ci-pipeline.json'), ctx, { filename: 'traces.json' });
    expect(r.format).toBe('otlp');
  });
});

describe('OTLP/JSON traces: a real CI trace without test spans (githubreceiver)', () => {
  it('counts its 10 job and step spans as not test results, and a single-run parse refuses it', async () => {
    const file = fixture('otlp/githubreceiver-workflow-job.json');
    const runs = await parseOtlpRuns(file, ctx);
    expect(runs).toEqual({ reports: [], ignoredSpans: 10, totalSpans: 10 });
    const e = await refusal(parseOtlp(file, { ...ctx, fileName: 'job.json' }));
    expect(e.message).toMatch(/^job\.json: none of its 10 spans carries test\.case\.name/);
  });
});

describe('OTLP/JSON traces: statuses', () => {
  const statuses = async (spans: object[]) =>
    ((await parseOtlp(request(spans), ctx)).input.results ?? []).map((r) => [r.name, r.status, r.message]);

  it('reads pass and fail, custom skipped and error values, and the span status when the attribute is absent', async () => {
    expect(
      await statuses([
        testSpan('a', 0, 5, [str('test.case.result.status', 'pass')]),
        testSpan('b', 10, 5, [str('test.case.result.status', 'fail')], {
          status: { code: 2, message: 'boom' },
        }),
        testSpan('c', 20, 5, [str('test.case.result.status', 'skipped')]),
        testSpan('d', 30, 5, [str('test.case.result.status', 'timed_out')]),
        testSpan('e', 40, 5, [], { status: { code: 'STATUS_CODE_ERROR' } }),
        testSpan('f', 50, 5, [], {
          events: [{ name: 'exception', attributes: [str('exception.type', 'TypeError')] }],
          status: { code: 2 },
        }),
        testSpan('g', 60, 5, [], { status: { code: 1 } }),
      ]),
    ).toEqual([
      ['a', 'PASSED', null],
      ['b', 'FAILED', 'boom'],
      ['c', 'SKIPPED', null],
      ['d', 'ERROR', null],
      ['e', 'FAILED', null],
      ['f', 'FAILED', 'TypeError'],
      ['g', 'PASSED', null],
    ]);
  });

  it('warns about an unknown test.case.result.status and reads the span status instead', async () => {
    const r = await parseOtlp(
      request([testSpan('a', 0, 5, [str('test.case.result.status', 'flaky')], { status: { code: 2 } })]),
      ctx,
    );
    expect(r.input.results?.[0]?.status).toBe('FAILED');
    expect(r.warnings.join('\n')).toContain('has test.case.result.status "flaky", which is not pass or fail');
  });

  it('merges resource attributes under span attributes (the span wins)', async () => {
    const r = await parseOtlp(
      request(
        [testSpan('a', 0, 5, [str('host.name', 'span-host')]), testSpan('b', 10, 5)],
        [str('host.name', 'resource-host'), str('test.suite.name', 'from-resource')],
      ),
      ctx,
    );
    expect(r.input.results?.map((x) => [x.name, x.worker, x.suite])).toEqual([
      ['a', 'span-host', 'unit'],
      ['b', 'resource-host', 'unit'],
    ]);
  });
});

describe('OTLP/JSON traces: run identity', () => {
  const twoTraces = request([testSpan('a', 0, 5), { ...testSpan('b', 10, 5), traceId: T2 }]);

  it('without cicd.pipeline.run.id, a trace is a run; two traces are refused by a single-run parse', async () => {
    const e = await refusal(parseOtlp(twoTraces, { ...ctx, fileName: 'two.json' }));
    expect(e.message).toContain(`two.json: its test spans belong to 2 runs (trace ${T1}, trace ${T2})`);
    const { reports } = await parseOtlpRuns(twoTraces, ctx);
    expect(reports.map((r) => [r.input.run.id, r.input.results?.map((x) => x.name)])).toEqual([
      [runIdOf(`trace\0${T1}`), ['a']],
      [runIdOf(`trace\0${T2}`), ['b']],
    ]);
  });

  it('a run id given by the caller makes every span one run', async () => {
    const r = await parseOtlp(twoTraces, { ...ctx, runId: 'build-7' });
    expect(r.input.run.id).toBe('build-7');
    expect(r.input.results).toHaveLength(2);
  });

  it('spans of several traces with one cicd.pipeline.run.id are one run', async () => {
    const pipeline = [str('cicd.pipeline.run.id', '42')];
    const r = await parseOtlp(
      request([testSpan('a', 0, 5, pipeline), { ...testSpan('b', 10, 5, pipeline), traceId: T2 }]),
      ctx,
    );
    expect(r.input.run.id).toBe(runIdOf('run\x0042'));
    expect(r.input.run.tags).toMatchObject({ 'cicd.pipeline.run.id': '42', trace: `${T1},${T2}` });
  });
});

describe('OTLP/JSON traces: refusals', () => {
  it('refuses malformed JSON with line and column, and a document that is not a trace export', async () => {
    expect((await refusal(parseOtlp('{"resourceSpans": [}', ctx))).message).toMatch(
      /^traces\.json:1:20: not valid JSON/,
    );
    expect((await refusal(parseOtlp('{"spans": []}', ctx))).message).toContain(
      'must be an OTLP/JSON ExportTraceServiceRequest',
    );
    expect((await refusal(parseOtlp('{"resourceSpans": {}}', ctx))).message).toBe(
      'traces.json: resourceSpans must be a list (got an object)',
    );
  });

  it('names the path of a timestamp that is not a number of nanoseconds', async () => {
    const e = await refusal(
      parseOtlp(request([testSpan('a', 0, 5, [], { startTimeUnixNano: '2026-01-01' })]), ctx),
    );
    expect(e.message).toBe(
      'traces.json: resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano must be a whole number of nanoseconds since the Unix epoch, written as a string ("1700000000000000000") (got "2026-01-01")',
    );
  });

  it('reads nanosecond times written as JSON numbers too', async () => {
    const span = testSpan('a', 0, 5, [], {
      startTimeUnixNano: 1767225600000000000,
      endTimeUnixNano: 1767225600250000000,
    });
    const r = await parseOtlp(request([span]), ctx);
    expect(r.input.results?.map((x) => [x.startedAt, x.durationMs])).toEqual([
      ['2026-01-01T00:00:00.000Z', 250],
    ]);
  });

  it('refuses more test spans than maxTestCases and more bytes than maxBytes', async () => {
    const body = request([testSpan('a', 0, 5), testSpan('b', 10, 5)]);
    const many = await refusal(parseOtlp(body, ctx, { maxTestCases: 1 }));
    expect(many.code).toBe('PAYLOAD_TOO_LARGE');
    expect(many.message).toContain(
      'the report has 2 test case spans, more than REPORT_LIMITS.maxTestCases (1)',
    );
    const big = await refusal(parseOtlp(body, ctx, { maxBytes: 100 }));
    expect(big.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
