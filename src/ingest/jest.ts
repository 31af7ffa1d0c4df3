/**
 * Jest's `--json` output (also Vitest's `--reporter=json`, which copies it) → IngestInput.
 * The mapping rules live in ./README.md.
 */
import type { Status } from '../domain/types.ts';
import type { Shape } from './ctrf-shape.ts';
import { boundedName, firstLine, nonEmpty, stripAnsi, SUITE_SEPARATOR, TagBag } from './fields.ts';
import { checkTestCount, durationMs, readJsonDocument } from './json-report.ts';
import type { ParsedReport, ReportContext, ReportLimits, ReportSource } from './report-context.ts';
import { ResultList, type AttemptDraft, type CaseDraft } from './results.ts';
import { buildRun } from './run.ts';
import type { Warnings } from './warnings.ts';

const JEST_STATUSES = ['passed', 'failed', 'skipped', 'pending', 'todo', 'disabled', 'focused'] as const;
type JestStatus = (typeof JEST_STATUSES)[number];

const STATUS: Readonly<Record<JestStatus, Status>> = {
  passed: 'PASSED',
  focused: 'PASSED',
  failed: 'FAILED',
  skipped: 'SKIPPED',
  pending: 'SKIPPED',
  todo: 'SKIPPED',
  disabled: 'SKIPPED',
};

/** Directories a project's test files usually sit under; the file path is kept from the first of them. */
const PROJECT_DIRS = new Set([
  'src',
  'test',
  'tests',
  '__tests__',
  'spec',
  'specs',
  'e2e',
  'packages',
  'apps',
  'libs',
  'lib',
  'app',
]);

/**
 * A test file's path without the machine's checkout directory, so a test
 * keeps its identity across machines and shards: from the first segment
 * that is a usual project directory (src, test, __tests__, packages, app, …),
 * else the last two segments.
 */
export function projectPath(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p !== '');
  const i = parts.findIndex((p) => PROJECT_DIRS.has(p));
  return (i >= 0 ? parts.slice(i) : parts.slice(-2)).join('/');
}

const epoch = (n: number | null): number | null => (n !== null && n > 0 ? n : null);

export async function parseJest(
  source: ReportSource,
  ctx: ReportContext,
  limits?: Partial<ReportLimits>,
): Promise<ParsedReport> {
  const json = await readJsonDocument(source, ctx, limits, 'report.json');
  const { doc, reader, warnings, fileName } = json;
  doc.object();
  if (!doc.at('testResults').present || !doc.at('numTotalTests').present) {
    doc.fail(
      'must be a Jest JSON report: an object with "numTotalTests" and "testResults" (jest --json --outputFile=report.json)',
    );
  }
  const files = doc.at('testResults').list();
  let count = 0;
  for (const f of files) count += f.at('assertionResults').optionalList().length;
  checkTestCount(count, json, 'tests');

  const list = new ResultList(json.limits.maxAttempts, warnings);
  let latestEnd: number | null = null;
  let earliestStart: number | null = null;
  for (const f of files) {
    const { start, end } = addFile(f, list, warnings);
    if (start !== null && (earliestStart === null || start < earliestStart)) earliestStart = start;
    if (end !== null && (latestEnd === null || end > latestEnd)) latestEnd = end;
  }

  const start = epoch(doc.at('startTime').optionalNumber()) ?? earliestStart;
  const run = buildRun(
    ctx,
    (placement) => reader.runId('jest', placement),
    {
      startedAt: start === null ? null : new Date(start),
      finishedAt: latestEnd === null ? null : new Date(latestEnd),
      branch: null,
      commit: null,
      tags: [['tool', 'jest']],
    },
    warnings,
    fileName,
  );
  return { format: 'jest', input: { run, results: list.results }, warnings: warnings.list() };
}

/** One test file's results (its tests, or one ERROR when it failed before any ran); returns its times. */
function addFile(f: Shape, list: ResultList, warnings: Warnings) {
  f.object();
  const path =
    nonEmpty(f.at('name').optionalString()) ?? f.at('name').fail("must be a string: the test file's path");
  const file = projectPath(path);
  const start = epoch(f.at('startTime').optionalNumber());
  const end = epoch(f.at('endTime').optionalNumber());
  const startedAt = start === null ? null : new Date(start).toISOString();
  const assertions = f.at('assertionResults').optionalList();
  const fileMessage = stripAnsi(nonEmpty(f.at('message').optionalString()));
  if (assertions.length === 0 && f.at('status').optionalString() === 'failed') {
    // The file failed before any test ran (a syntax error, a failing import): one ERROR for the file.
    warnings.add(
      'file-error',
      `${f.path} (${file}) failed to run; recorded as one ERROR test "(test file failed to run)"`,
    );
    list.add({
      suite: boundedName(file, 'suite', warnings),
      className: null,
      name: '(test file failed to run)',
      worker: null,
      hardware: null,
      tags: { file: path },
      metrics: [],
      attempts: [
        {
          status: 'ERROR',
          durationMs: start !== null && end !== null && end >= start ? end - start : 0,
          message: firstLine(fileMessage),
          stackTrace: fileMessage,
          startedAt,
        },
      ],
    });
    return { start, end };
  }
  for (const a of assertions) list.add(assertionDraft(a, path, file, startedAt, warnings));
  return { start, end };
}

/** One assertion result as a test: its describe blocks under the file make its suite. */
function assertionDraft(
  a: Shape,
  path: string,
  file: string,
  startedAt: string | null,
  warnings: Warnings,
): CaseDraft {
  a.object();
  const title = a.at('title').optionalString() ?? a.at('title').fail("must be a string: the test's title");
  const ancestors = a
    .at('ancestorTitles')
    .optionalList()
    .map((t) => nonEmpty(t.optionalString()))
    .filter((t): t is string => t !== null);
  const tags = new TagBag(warnings, a.path);
  tags.set('file', path);
  return {
    suite: boundedName([file, ...ancestors].join(SUITE_SEPARATOR), 'suite', warnings),
    className: null,
    name: boundedName(nonEmpty(title) ?? `<unnamed ${a.path}>`, 'test name', warnings),
    worker: null,
    hardware: null,
    tags: tags.toObject(),
    metrics: [],
    attempts: attemptsOf(a, startedAt, warnings),
  };
}

/**
 * One assertion result's attempts. With `jest.retryTimes(n)` (jest-circus),
 * `invocations` counts the runs and `retryReasons` holds the failures of the
 * runs before the last: those are FAILED attempts of unknown (0) duration.
 */
function attemptsOf(a: Shape, startedAt: string | null, warnings: Warnings): AttemptDraft[] {
  const status = a.at('status').oneOf(JEST_STATUSES);
  const failures = a
    .at('failureMessages')
    .optionalList()
    .map((m) => stripAnsi(nonEmpty(m.optionalString())))
    .filter((m): m is string => m !== null);
  const trace = failures.length > 0 ? failures.join('\n\n') : null;
  const rawDuration = a.at('duration').optionalNumber();
  const ran = status === 'passed' || status === 'failed';
  const final: AttemptDraft = {
    status: STATUS[status],
    durationMs: ran
      ? durationMs(rawDuration, a.at('duration').path, warnings)
      : Math.max(0, rawDuration ?? 0),
    message: firstLine(trace),
    stackTrace: trace,
    startedAt,
  };
  const invocations = a.at('invocations').optionalCount() ?? 1;
  if (invocations <= 1) return [final];
  const reasons = a.at('retryReasons').optionalList();
  const earlier = Array.from({ length: invocations - 1 }, (_, i): AttemptDraft => {
    const reason = stripAnsi(nonEmpty(reasons[i]?.optionalString()));
    return { status: 'FAILED', durationMs: 0, message: firstLine(reason), stackTrace: reason, startedAt };
  });
  return [...earlier, final];
}
