/**
 * OTLP/JSON traces (`ExportTraceServiceRequest`) following OpenTelemetry's
 * `test.*` and `cicd.*` semantic conventions → IngestInput. A span with
 * `test.case.name` is one attempt of a test case; the other spans only lend
 * their attributes to the test spans below them. The rules live in ./README.md.
 */
import { createHash } from 'node:crypto';
import { badInput } from '../domain/errors.ts';
import type { Status } from '../domain/types.ts';
import { boundedName, firstLine, stripAnsi, TagBag } from './fields.ts';
import { checkTestCount, readJsonDocuments, type JsonDocument } from './json-report.ts';
import { readSpans, type OtlpSpan } from './otlp-spans.ts';
import type { ParsedReport, ReportContext, ReportLimits, ReportSource } from './report-context.ts';
import { ResultList, type AttemptDraft } from './results.ts';
import { buildRun, requireProject } from './run.ts';
import { Warnings } from './warnings.ts';

/** The spans of a request, grouped by the run they belong to. */
export interface OtlpRuns {
  /** One report per run, in order of first appearance; empty when no span has `test.case.name`. */
  readonly reports: readonly ParsedReport[];
  /** Spans without `test.case.name`: not test results (pipeline, job, step or suite spans). */
  readonly ignoredSpans: number;
  readonly totalSpans: number;
}

/** Suite of a test span whose ancestors name none either. */
const NO_SUITE = 'OpenTelemetry';

/** `test.case.result.status` values read; the conventions define pass and fail, the rest are custom values producers write. */
const CASE_STATUS: Readonly<Record<string, Status>> = {
  pass: 'PASSED',
  passed: 'PASSED',
  success: 'PASSED',
  fail: 'FAILED',
  failed: 'FAILED',
  failure: 'FAILED',
  error: 'ERROR',
  errored: 'ERROR',
  aborted: 'ERROR',
  timed_out: 'ERROR',
  timeout: 'ERROR',
  skip: 'SKIPPED',
  skipped: 'SKIPPED',
  pending: 'SKIPPED',
  ignored: 'SKIPPED',
  disabled: 'SKIPPED',
  todo: 'SKIPPED',
};

/** Reads every run of a request: /v1/traces stores each (a collector batches spans of several pipelines). */
export async function parseOtlpRuns(
  source: ReportSource,
  ctx: ReportContext,
  limits?: Partial<ReportLimits>,
): Promise<OtlpRuns> {
  // One request, or JSON Lines of requests (the Collector's file exporter).
  const json = await readJsonDocuments(source, ctx, limits, 'traces.json');
  const spans = json.docs.flatMap(readSpans);
  const tree = new SpanTree(spans);
  const cases = spans.filter((s) => s.attributes.has('test.case.name'));
  checkTestCount(cases.length, json, 'test case spans');
  const runs = new Map<string, OtlpSpan[]>();
  for (const span of cases) {
    // A run id given by the caller makes every span one run.
    const key = ctx.runId?.trim() ? '' : runKey(span, tree);
    const list = runs.get(key);
    if (list) list.push(span);
    else runs.set(key, [span]);
  }
  const ignoredSpans = spans.length - cases.length;
  const reports = [...runs].map(([key, list]) => buildReport(key, list, tree, json, ctx, ignoredSpans));
  return { reports, ignoredSpans, totalSpans: spans.length };
}

/** One run's traces (`assay ingest`, /ingest/otlp); a request holding several runs is refused, saying how to send it. */
export async function parseOtlp(
  source: ReportSource,
  ctx: ReportContext,
  limits?: Partial<ReportLimits>,
): Promise<ParsedReport> {
  const { reports, totalSpans } = await parseOtlpRuns(source, ctx, limits);
  const name = ctx.fileName?.trim() || 'traces.json';
  const [only, ...more] = reports;
  if (only === undefined) {
    throw badInput(
      `${name}: none of its ${totalSpans} spans carries test.case.name, so it holds no test results: send the spans of test cases (OpenTelemetry's test.* conventions)`,
    );
  }
  if (more.length > 0) {
    const keys = reports.map((r) => r.input.run.tags as Record<string, string>);
    const named = keys.map((t) => t['cicd.pipeline.run.id'] ?? `trace ${t['trace'] ?? '?'}`).slice(0, 5);
    throw badInput(
      `${name}: its test spans belong to ${reports.length} runs (${named.join(', ')}${reports.length > 5 ? ', …' : ''}); send one run per file, give a run id (--run, ?run=) to store them as one run, or POST them to /v1/traces, which stores each run apart`,
    );
  }
  return only;
}

/** Spans by id, to find a span's ancestors through `parentSpanId`. */
class SpanTree {
  readonly #byId = new Map<string, OtlpSpan>();
  constructor(spans: readonly OtlpSpan[]) {
    for (const s of spans) this.#byId.set(`${s.traceId}/${s.spanId}`, s);
  }

  /** An attribute of the span, else of its nearest ancestor that has it (cycles and missing parents end the walk). */
  lookup(span: OtlpSpan, key: string): string | null {
    const seen = new Set<OtlpSpan>();
    for (let s: OtlpSpan | undefined = span; s && !seen.has(s); ) {
      seen.add(s);
      const v = s.attributes.get(key)?.trim();
      if (v) return v;
      s = s.parentSpanId === null ? undefined : this.#byId.get(`${s.traceId}/${s.parentSpanId}`);
    }
    return null;
  }

  first(span: OtlpSpan, keys: readonly string[]): string | null {
    for (const k of keys) {
      const v = this.lookup(span, k);
      if (v !== null) return v;
    }
    return null;
  }
}

/** The run a test span belongs to: its pipeline run, else its trace. */
function runKey(span: OtlpSpan, tree: SpanTree): string {
  const run = tree.lookup(span, 'cicd.pipeline.run.id');
  return run === null ? `trace\0${span.traceId}` : `run\0${run}`;
}

const BRANCH = ['vcs.ref.head.name', 'vcs.repository.ref.name'] as const;
const COMMIT = ['vcs.ref.head.revision', 'vcs.repository.ref.revision'] as const;

function buildReport(
  key: string,
  spans: readonly OtlpSpan[],
  tree: SpanTree,
  json: JsonDocument,
  ctx: ReportContext,
  ignoredSpans: number,
): ParsedReport {
  const warnings = new Warnings(json.limits.maxWarnings);
  if (ignoredSpans > 0) {
    warnings.add(
      'ignored-spans',
      `${ignoredSpans} span(s) carry no test.case.name (pipeline, job, step or suite spans); they are not test results and were not stored`,
    );
  }
  const list = new ResultList(json.limits.maxAttempts, warnings);
  for (const attempts of groupAttempts(spans, tree, warnings)) {
    const last = attempts.at(-1);
    if (last === undefined) continue;
    list.add({
      suite: last.suite,
      className: null,
      name: last.name,
      worker: tree.lookup(last.span, 'host.name'),
      hardware: null,
      tags: resultTags(last.span, tree, warnings),
      metrics: [],
      attempts: attempts.map((a) => attemptOf(a.span, tree, warnings)),
    });
  }
  const starts = spans.map((s) => s.startNs).filter((n): n is bigint => n !== null);
  const ends = spans.map((s) => s.endNs).filter((n): n is bigint => n !== null);
  const pick = (keys: readonly string[]): string | null =>
    spans.map((s) => tree.first(s, keys)).find((v) => v !== null) ?? null;
  const distinct = (k: string): string =>
    [...new Set(spans.map((s) => tree.lookup(s, k)).filter((v) => v !== null))].join(',');
  const tags: [string, string][] = [
    ['tool', 'otlp'],
    ['cicd.pipeline.name', pick(['cicd.pipeline.name']) ?? ''],
    ['cicd.pipeline.run.id', pick(['cicd.pipeline.run.id']) ?? ''],
    ['cicd.pipeline.task.run.id', distinct('cicd.pipeline.task.run.id')],
    ['trace', [...new Set(spans.map((s) => s.traceId))].join(',')],
  ];
  const id = `otlp-${createHash('sha256')
    .update(`${requireProject(ctx)}\0${key}`)
    .digest('hex')
    .slice(0, 16)}`;
  const run = buildRun(
    ctx,
    () => id,
    {
      startedAt: starts.length ? nsDate(starts.reduce((a, b) => (b < a ? b : a))) : null,
      finishedAt: ends.length ? nsDate(ends.reduce((a, b) => (b > a ? b : a))) : null,
      branch: pick(BRANCH),
      commit: pick(COMMIT),
      tags: tags.filter(([, v]) => v !== ''),
    },
    warnings,
    json.fileName,
  );
  return { format: 'otlp', input: { run, results: list.results }, warnings: warnings.list() };
}

interface SpanAttempt {
  readonly span: OtlpSpan;
  readonly suite: string;
  readonly name: string;
}

/**
 * The test spans of a run grouped by test (suite, name), each group ordered
 * by start time (document order on ties): repeated spans of one test are its
 * attempts. Groups come in order of their first attempt's start.
 */
function groupAttempts(spans: readonly OtlpSpan[], tree: SpanTree, warnings: Warnings): SpanAttempt[][] {
  const byStart = (a: SpanAttempt, b: SpanAttempt): number => {
    const x = a.span.startNs ?? 0n;
    const y = b.span.startNs ?? 0n;
    return x < y ? -1 : x > y ? 1 : a.span.index - b.span.index;
  };
  const groups = new Map<string, SpanAttempt[]>();
  for (const span of spans) {
    let suite = tree.lookup(span, 'test.suite.name');
    if (suite === null) {
      warnings.add(
        'no-suite',
        `${span.path} (${span.attributes.get('test.case.name')}) has no test.suite.name, nor has any span above it; suite "${NO_SUITE}"`,
      );
      suite = NO_SUITE;
    }
    const attempt: SpanAttempt = {
      span,
      suite: boundedName(suite, 'suite', warnings),
      name: boundedName(
        span.attributes.get('test.case.name')?.trim() || `<unnamed ${span.path}>`,
        'test name',
        warnings,
      ),
    };
    const key = `${attempt.suite}\u001f${attempt.name}`;
    const g = groups.get(key);
    if (g) g.push(attempt);
    else groups.set(key, [attempt]);
  }
  const out = [...groups.values()].map((g) => g.sort(byStart));
  const repeated = out.filter((g) => g.length > 1).length;
  if (repeated > 0) {
    warnings.add(
      'otlp-attempts',
      `${repeated} test(s) have several spans in the run; read as attempts in order of start time (a retry)`,
    );
  }
  // Every group holds at least one attempt; order the groups by their first.
  return out.sort((a, b) => (a[0] && b[0] ? byStart(a[0], b[0]) : 0));
}

/** One span as one attempt: status, duration, start, failure text. */
function attemptOf(span: OtlpSpan, tree: SpanTree, warnings: Warnings): AttemptDraft {
  const status = statusOf(span, tree, warnings);
  let durationMs = 0;
  if (span.startNs === null || span.endNs === null || span.endNs < span.startNs) {
    warnings.add(
      'otlp-duration',
      `${span.path} has no start or end time, or ends before it starts; duration read as 0 ms`,
    );
  } else {
    // To the microsecond, rounded: times sent as JSON numbers are off by up to 128 ns.
    durationMs = Number((span.endNs - span.startNs + 500n) / 1000n) / 1000;
  }
  const traces = span.exceptions
    .map((e) => e.stacktrace)
    .filter((t): t is string => t !== null && t.trim() !== '');
  const stackTrace = stripAnsi(traces.length ? traces.join('\n\n') : null);
  const exception = span.exceptions.find((e) => e.message !== null || e.type !== null);
  const message =
    status === 'PASSED'
      ? null
      : stripAnsi(span.statusMessage ?? exception?.message ?? exception?.type ?? firstLine(stackTrace));
  return {
    status,
    durationMs,
    message: firstLine(message) === null ? null : message,
    stackTrace: status === 'PASSED' ? null : stackTrace,
    startedAt: span.startNs === null ? null : nsDate(span.startNs).toISOString(),
  };
}

/**
 * `test.case.result.status` (pass, fail, or a custom value such as skipped);
 * without it, SKIPPED when the suite's `test.suite.run.status` is skipped,
 * else FAILED when the span's status is ERROR, else PASSED.
 */
function statusOf(span: OtlpSpan, tree: SpanTree, warnings: Warnings): Status {
  const raw = span.attributes.get('test.case.result.status')?.trim().toLowerCase();
  if (raw) {
    const status = CASE_STATUS[raw];
    if (status) return status;
    warnings.add(
      'otlp-status',
      `${span.path} has test.case.result.status "${raw.slice(0, 40)}", which is not pass or fail; read from the span's status`,
    );
  } else if (tree.lookup(span, 'test.suite.run.status')?.toLowerCase() === 'skipped') {
    return 'SKIPPED';
  }
  return span.statusCode === 2 ? 'FAILED' : 'PASSED';
}

function resultTags(span: OtlpSpan, tree: SpanTree, warnings: Warnings): Record<string, string> {
  const tags = new TagBag(warnings, span.path);
  for (const [tag, keys] of [
    ['cicd.pipeline.task.name', ['cicd.pipeline.task.name']],
    ['shard', ['cicd.pipeline.task.run.id']],
    ['file', ['code.file.path', 'code.filepath']],
  ] as const) {
    const v = tree.first(span, keys);
    if (v !== null) tags.set(tag, v);
  }
  return tags.toObject();
}

const nsDate = (ns: bigint): Date => new Date(Number(ns / 1_000_000n));
