/**
 * TAP 13/14 (Test Anything Protocol: node:test, node-tap, tape, bats,
 * prove …) → IngestInput: tap-reader.ts reads the lines into test points, this
 * file maps them to results. The mapping rules live in ./README.md.
 */
import type { Status } from '../domain/types.ts';
import { boundedName, nonEmpty, SUITE_SEPARATOR, stripAnsi } from './fields.ts';
import { readLines } from './lines.ts';
import {
  resolveLimits,
  type ParsedReport,
  type ReportContext,
  type ReportLimits,
  type ReportSource,
} from './report-context.ts';
import { ResultList } from './results.ts';
import { buildRun, requireProject } from './run.ts';
import { SourceReader } from './source.ts';
import { TapReader, type Point } from './tap-reader.ts';
import { Warnings } from './warnings.ts';

/** The suite of top-level test points: TAP names no suite. */
const TAP_SUITE = 'TAP';

export async function parseTap(
  source: ReportSource,
  ctx: ReportContext,
  limits?: Partial<ReportLimits>,
): Promise<ParsedReport> {
  const lim = resolveLimits(limits);
  const fileName = nonEmpty(ctx.fileName) ?? 'report.tap';
  const warnings = new Warnings(lim.maxWarnings);
  const reader = new SourceReader(source, requireProject(ctx), lim, fileName);
  const tap = new TapReader(fileName, lim.maxTestCases, warnings);
  for await (const { number, text } of readLines(reader.text(), lim.maxTextNodeChars, fileName)) {
    tap.line(number, text);
  }
  const { top, plan } = tap.end();

  const results = new ResultList(lim.maxAttempts, warnings);
  if (plan !== null && plan.count !== top.length) {
    warnings.add(
      'plan',
      `the plan at line ${plan.line} announces ${plan.count} tests but the report has ${top.length}`,
    );
  }
  for (const p of top) addPoint(p, [], results, warnings);

  const run = buildRun(
    ctx,
    (placement) => reader.runId('tap', placement),
    { startedAt: null, finishedAt: null, branch: null, commit: null, tags: [] },
    warnings,
    fileName,
  );
  return { format: 'tap', input: { run, results: results.results }, warnings: warnings.list() };
}

function statusOf(p: Point): Status {
  if (p.directive === 'SKIP') return 'SKIPPED';
  if (p.directive === 'TODO') return p.ok ? 'PASSED' : 'SKIPPED';
  return p.ok ? 'PASSED' : 'FAILED';
}

const failing = (p: Point): boolean => statusOf(p) === 'FAILED' || p.children.some((c) => failing(c));

/**
 * Records a test point: one with subtests is their suite, and is itself a
 * result only when it failed with no failing subtest (a hook, a plan
 * mismatch): then an ERROR.
 */
function addPoint(p: Point, path: readonly string[], results: ResultList, warnings: Warnings): void {
  if (p.children.length > 0) {
    for (const c of p.children) addPoint(c, [...path, p.name], results, warnings);
    if (statusOf(p) !== 'FAILED' || p.children.some((c) => failing(c))) return;
  }
  const y = p.yaml ?? new Map<string, string>();
  const duration = Number(y.get('duration_ms') ?? p.timeMs ?? Number.NaN);
  const status = p.children.length > 0 ? 'ERROR' : statusOf(p);
  const stack = nonEmpty(y.get('stack'));
  const message =
    nonEmpty(y.get('message')) ??
    nonEmpty(y.get('error')) ??
    (p.directive === null ? null : `${p.directive}${p.reason === null ? '' : `: ${p.reason}`}`);
  results.add({
    suite: boundedName(path.length === 0 ? TAP_SUITE : path.join(SUITE_SEPARATOR), 'suite', warnings),
    className: null,
    name: boundedName(p.name, 'test name', warnings),
    worker: null,
    hardware: null,
    tags: {},
    metrics: [],
    attempts: [
      {
        status,
        durationMs: Number.isFinite(duration) && duration >= 0 ? Math.round(duration * 1e3) / 1e3 : 0,
        message: stripAnsi(message),
        stackTrace: status === 'FAILED' || status === 'ERROR' ? stripAnsi(stack) : null,
        startedAt: null,
      },
    ],
  });
}
