/**
 * `go test -json` (test2json) event streams → IngestInput.
 * The mapping rules live in ./README.md.
 */
import type { Status } from '../domain/types.ts';
import { checkCaseCount } from './case-limit.ts';
import { Span } from './dotnet.ts';
import { appendBounded, boundedName, nonEmpty, stripAnsi } from './fields.ts';
import { readGoEvents, type GoEvent } from './gotest-events.ts';
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
  const tests = new GoTests(new ResultList(lim.maxAttempts, warnings), warnings, lim.maxTestCases, fileName);
  const span = new Span();
  const lines = readLines(reader.text(), lim.maxTextNodeChars, fileName);
  for await (const e of readGoEvents(lines, fileName, warnings)) {
    span.add(e.time);
    if (e.test === null) tests.packageEvent(e);
    else tests.testEvent(e, e.test);
  }
  const results = tests.finish();
  const run = buildRun(
    ctx,
    (placement) => reader.runId('gotest', placement),
    { startedAt: span.start, finishedAt: span.end, branch: null, commit: null, tags: [] },
    warnings,
    fileName,
  );
  return { format: 'gotest', input: { run, results }, warnings: warnings.list() };
}

/** The tests of the stream as its events arrive: running ones with their output, and each package's. */
class GoTests {
  readonly #open = new Map<string, OpenTest>();
  readonly #packageOutput = new Map<string, string>();
  readonly #packageFailed = new Set<string>();
  readonly #failingTests = new Map<string, number>();
  #cases = 0;

  constructor(
    private readonly results: ResultList,
    private readonly warnings: Warnings,
    private readonly maxTestCases: number,
    private readonly fileName: string,
  ) {}

  /** A package's own event: its output, or its failure, which ends the tests it left running as errors. */
  packageEvent(e: GoEvent): void {
    const { pkg } = e;
    if (e.action === 'output' || e.action === 'build-output') {
      this.#packageOutput.set(pkg, appendBounded(this.#packageOutput.get(pkg) ?? '', e.output));
    } else if (e.action === 'fail' || e.action === 'build-fail') {
      this.#packageFailed.add(pkg);
      // Tests the package never finished (a timeout or a panic): errors.
      for (const [k, t] of this.#open) {
        if (t.pkg !== pkg) continue;
        this.#open.delete(k);
        this.#record(
          t,
          'ERROR',
          0,
          `did not finish: the package failed (${firstVerdict(t.output, this.#packageOutput.get(pkg))})`,
        );
      }
    }
  }

  /** A test's event: it starts, writes output, or ends with a verdict. */
  testEvent(e: GoEvent, test: string): void {
    const { pkg, number } = e;
    const key = `${pkg}\u001f${test}`;
    if (e.action === 'run') {
      this.#count(number);
      this.#open.set(key, { pkg, test, line: number, startedAt: e.time, output: '' });
      return;
    }
    let t = this.#open.get(key);
    if (t === undefined && e.action in TERMINAL) {
      // A verdict without a "run" event (a stream cut at its start): the test still counts.
      this.#count(number);
      t = { pkg, test, line: number, startedAt: e.time, output: '' };
    }
    // Output of a test that is not running (go attributes late lines of parallel tests to a finished one): dropped.
    if (t === undefined) return;
    if (e.action === 'output') {
      t.output = appendBounded(t.output, e.output);
      return;
    }
    const status = TERMINAL[e.action];
    if (status === undefined) return;
    this.#open.delete(key);
    let elapsed = 0;
    if (typeof e.elapsed === 'number' && Number.isFinite(e.elapsed) && e.elapsed >= 0) {
      elapsed = Math.round(e.elapsed * 1e6) / 1e3;
    } else if (e.elapsed !== undefined) {
      this.warnings.add(
        'elapsed',
        `line ${number}: Elapsed ${JSON.stringify(e.elapsed)} is not seconds; read as 0 ms`,
      );
    }
    this.#record(t, status, elapsed);
  }

  /** Records the tests still running as errors, and a failed package with no failing test as one. */
  finish() {
    for (const t of this.#open.values()) {
      this.warnings.add(
        'unfinished',
        `test "${t.test}" (${t.pkg}) started at line ${t.line} has no pass, fail or skip event; recorded as ERROR`,
      );
      this.#record(t, 'ERROR', 0, 'did not finish: the stream ends before its result');
    }
    for (const pkg of this.#packageFailed) {
      if ((this.#failingTests.get(pkg) ?? 0) > 0) continue;
      this.#packageError(pkg);
    }
    return this.results.results;
  }

  #count(line: number): void {
    checkCaseCount(this.#cases, this.maxTestCases, `${this.fileName}:${line}`, 'tests');
    this.#cases += 1;
  }

  /** A package that failed with no failing test (a build error, a failing TestMain): one ERROR result. */
  #packageError(pkg: string): void {
    const out = nonEmpty(this.#packageOutput.get(pkg) ?? '');
    this.results.add({
      suite: boundedName(pkg || '(no package)', 'suite', this.warnings),
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
    this.warnings.add(
      'package-failed',
      `package ${pkg} failed with no failing test; recorded as an ERROR result named <package>`,
    );
  }

  /** A finished test as one result: its output without go's framing lines, the first line its message. */
  #record(t: OpenTest, status: Status, elapsed: number, note: string | null = null): void {
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
      suite: boundedName(t.pkg, 'suite', this.warnings),
      className: null,
      name: boundedName(t.test, 'test name', this.warnings),
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
    this.results.add(draft);
    if (status === 'FAILED' || status === 'ERROR')
      this.#failingTests.set(t.pkg, (this.#failingTests.get(t.pkg) ?? 0) + 1);
  }
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
