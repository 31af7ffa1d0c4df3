/**
 * `go test -json` (test2json) event streams → IngestInput.
 * The mapping rules live in ./README.md.
 */
import { badInput } from '../domain/errors.ts';
import { parseTimestamp } from '../domain/time.ts';
import type { Status } from '../domain/types.ts';
import { checkCaseCount } from './case-limit.ts';
import { Span } from './dotnet.ts';
import { appendBounded, boundedName, nonEmpty, stripAnsi } from './fields.ts';
import { readLines } from './lines.ts';
import {
  resolveLimits,
  type ParsedReport,
  type ReportContext,
  type ReportLimits,
  type ReportSource,
} from './report-context.ts';
import { ResultList, type CaseDraft } from './results.ts';
import { buildRun, requireProject } from './run.ts';
import { SourceReader } from './source.ts';
import { Warnings } from './warnings.ts';

interface GoEvent {
  readonly Time?: unknown;
  readonly Action?: unknown;
  readonly Package?: unknown;
  readonly ImportPath?: unknown;
  readonly Test?: unknown;
  readonly Elapsed?: unknown;
  readonly Output?: unknown;
}

interface OpenTest {
  readonly pkg: string;
  readonly test: string;
  readonly line: number;
  readonly startedAt: Date | null;
  output: string;
}

/** Lines go test writes around a test's own output: its start, pauses, and the verdict lines. */
const FRAMING = /^\s*(?:=== (?:RUN|PAUSE|CONT|NAME)\s|--- (?:PASS|FAIL|SKIP):\s)/;
const TERMINAL: Readonly<Record<string, Status>> = { pass: 'PASSED', fail: 'FAILED', skip: 'SKIPPED' };

export async function parseGoTest(
  source: ReportSource,
  ctx: ReportContext,
  limits?: Partial<ReportLimits>,
): Promise<ParsedReport> {
  const lim = resolveLimits(limits);
  const fileName = nonEmpty(ctx.fileName) ?? 'report.json';
  const warnings = new Warnings(lim.maxWarnings);
  const reader = new SourceReader(source, requireProject(ctx), lim, fileName);
  const results = new ResultList(lim.maxAttempts, warnings);
  const open = new Map<string, OpenTest>();
  const packageOutput = new Map<string, string>();
  const packageFailed = new Set<string>();
  const failingTests = new Map<string, number>();
  const span = new Span();
  let cases = 0;

  const record = (t: OpenTest, status: Status, elapsed: number, note: string | null = null) => {
    const kept = t.output
      .split('\n')
      .filter((l) => !FRAMING.test(l))
      .join('\n');
    const body = nonEmpty(kept);
    const first =
      body === null
        ? null
        : body
            .split('\n')
            .find((l) => l.trim() !== '')!
            .trim();
    const draft: CaseDraft = {
      suite: boundedName(t.pkg, 'suite', warnings),
      className: null,
      name: boundedName(t.test, 'test name', warnings),
      worker: null,
      hardware: null,
      tags: {},
      metrics: [],
      attempts: [
        {
          status,
          durationMs: elapsed,
          message: stripAnsi(note ?? (status === 'PASSED' ? null : first)),
          stackTrace: status === 'FAILED' || status === 'ERROR' ? stripAnsi(body) : null,
          startedAt: t.startedAt?.toISOString() ?? null,
        },
      ],
    };
    results.add(draft);
    if (status === 'FAILED' || status === 'ERROR')
      failingTests.set(t.pkg, (failingTests.get(t.pkg) ?? 0) + 1);
  };

  for await (const { number, text } of readLines(reader.text(), lim.maxTextNodeChars, fileName)) {
    const line = text.trim();
    if (line === '') continue;
    if (!line.startsWith('{')) {
      warnings.add(
        'not-json',
        `line ${number} is not a go test -json event (build output mixed into the stream?); ignored: ${line.slice(0, 80)}`,
      );
      continue;
    }
    let e: GoEvent;
    try {
      e = JSON.parse(line) as GoEvent;
    } catch (err) {
      throw badInput(
        `${fileName}:${number}: not a JSON object (${err instanceof Error ? err.message : String(err)}); go test -json writes one event object per line`,
      );
    }
    if (typeof e !== 'object' || e === null || typeof e.Action !== 'string') {
      throw badInput(
        `${fileName}:${number}: the event has no "Action" string; go test -json events look like {"Time":"…","Action":"pass","Package":"…","Test":"…","Elapsed":0.01}`,
      );
    }
    const pkg =
      typeof e.Package === 'string' ? e.Package : typeof e.ImportPath === 'string' ? e.ImportPath : '';
    let time: Date | null = null;
    if (typeof e.Time === 'string') {
      const t = parseTimestamp(e.Time);
      if (typeof t === 'string') warnings.add('timestamp', `line ${number}: Time ${t}; ignored`);
      else time = t;
    }
    span.add(time);
    const test = typeof e.Test === 'string' && e.Test !== '' ? e.Test : null;
    const key = `${pkg}\u001f${test ?? ''}`;
    const output = typeof e.Output === 'string' ? e.Output : '';

    if (test === null) {
      if (e.Action === 'output' || e.Action === 'build-output') {
        packageOutput.set(pkg, appendBounded(packageOutput.get(pkg) ?? '', output));
      } else if (e.Action === 'fail' || e.Action === 'build-fail') {
        packageFailed.add(pkg);
        // Tests the package never finished (a timeout or a panic): errors.
        for (const [k, t] of open) {
          if (t.pkg !== pkg) continue;
          open.delete(k);
          record(
            t,
            'ERROR',
            0,
            `did not finish: the package failed (${firstVerdict(t.output, packageOutput.get(pkg))})`,
          );
        }
      }
      continue;
    }
    if (e.Action === 'run') {
      checkCaseCount(cases, lim.maxTestCases, `${fileName}:${number}`, 'tests');
      cases += 1;
      open.set(key, { pkg, test, line: number, startedAt: time, output: '' });
      continue;
    }
    let t = open.get(key);
    if (t === undefined && e.Action in TERMINAL) {
      // A verdict without a "run" event (a stream cut at its start): the test still counts.
      checkCaseCount(cases, lim.maxTestCases, `${fileName}:${number}`, 'tests');
      cases += 1;
      t = { pkg, test, line: number, startedAt: time, output: '' };
    }
    // Output of a test that is not running (go attributes late lines of parallel tests to a finished one): dropped.
    if (t === undefined) continue;
    if (e.Action === 'output') {
      t.output = appendBounded(t.output, output);
      continue;
    }
    const status = TERMINAL[e.Action];
    if (status === undefined) continue;
    open.delete(key);
    let elapsed = 0;
    if (typeof e.Elapsed === 'number' && Number.isFinite(e.Elapsed) && e.Elapsed >= 0) {
      elapsed = Math.round(e.Elapsed * 1e6) / 1e3;
    } else if (e.Elapsed !== undefined) {
      warnings.add(
        'elapsed',
        `line ${number}: Elapsed ${JSON.stringify(e.Elapsed)} is not seconds; read as 0 ms`,
      );
    }
    record(t, status, elapsed);
  }

  for (const t of open.values()) {
    warnings.add(
      'unfinished',
      `test "${t.test}" (${t.pkg}) started at line ${t.line} has no pass, fail or skip event; recorded as ERROR`,
    );
    record(t, 'ERROR', 0, 'did not finish: the stream ends before its result');
  }
  for (const pkg of packageFailed) {
    if ((failingTests.get(pkg) ?? 0) > 0) continue;
    // A package that failed with no failing test (a build error, a failing TestMain): one ERROR result.
    const out = nonEmpty(packageOutput.get(pkg) ?? '');
    results.add({
      suite: boundedName(pkg || '(no package)', 'suite', warnings),
      className: null,
      name: '<package>',
      worker: null,
      hardware: null,
      tags: {},
      metrics: [],
      attempts: [
        {
          status: 'ERROR',
          durationMs: 0,
          message: `the package failed with no failing test${out === null ? '' : `: ${firstVerdict('', out)}`}`,
          stackTrace: stripAnsi(out),
          startedAt: null,
        },
      ],
    });
    warnings.add(
      'package-failed',
      `package ${pkg} failed with no failing test; recorded as an ERROR result named <package>`,
    );
  }

  const run = buildRun(
    ctx,
    (placement) => reader.runId('gotest', placement),
    { startedAt: span.start, finishedAt: span.end, branch: null, commit: null, tags: [] },
    warnings,
    fileName,
  );
  return { format: 'gotest', input: { run, results: results.results }, warnings: warnings.list() };
}

/** The first telling line of a test's or package's output: a panic, a timeout, else the first line. */
function firstVerdict(testOutput: string, packageOutput: string | undefined): string {
  const lines = `${testOutput}\n${packageOutput ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !FRAMING.test(l));
  return (
    lines.find((l) => /^panic:|test timed out|build failed|\[setup failed\]/.test(l)) ??
    lines[0] ??
    'no output'
  );
}
