/**
 * NUnit 3 result XML (`nunit3-console --result`, `dotnet test --logger nunit`) → IngestInput.
 * The mapping rules live in ./README.md.
 */
import { badInput } from '../domain/errors.ts';
import type { Status } from '../domain/types.ts';
import { checkCaseCount } from './case-limit.ts';
import { lf, readTimestamp, Span } from './dotnet.ts';
import { appendBounded, boundedName, nonEmpty, secondsToMs, stripAnsi, TagBag } from './fields.ts';
import {
  type ParsedReport,
  type ReportContext,
  type ReportLimits,
  type ReportSource,
} from './report-context.ts';
import { ResultList, type CaseDraft } from './results.ts';
import { buildRun } from './run.ts';
import { Warnings } from './warnings.ts';
import type { XmlHandler } from './xml-reader.ts';
import { readXmlReport } from './xml-report.ts';

interface NUnitSuite {
  readonly parent: NUnitSuite | null;
  readonly type: string;
  readonly name: string;
  readonly fullname: string | null;
  machine: string | null;
  readonly props: [string, string][];
}

interface NUnitCase {
  readonly suite: NUnitSuite | null;
  readonly line: number;
  readonly name: string;
  readonly className: string | null;
  readonly status: Status;
  readonly durationMs: number;
  readonly startedAt: Date | null;
  readonly asserts: number | null;
  readonly props: [string, string][];
  message: string;
  stack: string;
  reason: string;
}

type Frame =
  | { readonly kind: 'run' | 'ignored' }
  | { readonly kind: 'suite'; readonly s: NUnitSuite }
  | { readonly kind: 'case'; readonly c: NUnitCase }
  | { readonly kind: 'failure' | 'reason'; readonly c: NUnitCase }
  | { readonly kind: 'message' | 'stack' | 'reasonMessage'; readonly c: NUnitCase }
  | { readonly kind: 'properties'; readonly into: [string, string][] };

export async function parseNUnit(
  source: ReportSource,
  ctx: ReportContext,
  limits?: Partial<ReportLimits>,
): Promise<ParsedReport> {
  const { lim, fileName, warnings, reader, mapper, read } = await readXmlReport(
    source,
    ctx,
    limits,
    'report.xml',
    (l, w, n) => new NUnitMapper(l, w, n),
  );
  const results = new ResultList(lim.maxAttempts, warnings);
  mapper.finish(results, read.replacedEsc);
  const run = buildRun(
    ctx,
    (placement) => reader.runId('nunit', placement),
    {
      startedAt: mapper.run.start ?? mapper.cases.start,
      // NUnit writes whole seconds: an end equal to the start leaves the length to `duration`.
      finishedAt: sameTime(mapper.run.start, mapper.run.end) ? null : (mapper.run.end ?? mapper.cases.end),
      durationMs: mapper.runDurationMs,
      branch: null,
      commit: null,
      tags: mapper.runTags,
    },
    warnings,
    fileName,
  );
  return { format: 'nunit', input: { run, results: results.results }, warnings: warnings.list() };
}

/**
 * A test-case's status from `result` and `label`: Passed → PASSED; Failed →
 * FAILED, or ERROR with label Error, Cancelled or Invalid; Warning → PASSED;
 * Skipped and Inconclusive → SKIPPED.
 */
function statusOf(result: string | null, label: string | null): Status | null {
  switch (result?.toLowerCase()) {
    case 'passed':
    case 'warning':
      return 'PASSED';
    case 'failed': {
      const l = label?.toLowerCase();
      return l === 'error' || l === 'cancelled' || l === 'invalid' ? 'ERROR' : 'FAILED';
    }
    case 'skipped':
    case 'inconclusive':
      return 'SKIPPED';
    default:
      return null;
  }
}

class NUnitMapper implements XmlHandler {
  readonly #frames: Frame[] = [];
  readonly #cases: NUnitCase[] = [];
  readonly run = new Span();
  readonly cases = new Span();
  runDurationMs: number | null = null;
  readonly runTags: [string, string][] = [];
  #unnamed = 0;

  constructor(
    private readonly limits: ReportLimits,
    private readonly warnings: Warnings,
    private readonly fileName: string,
  ) {}

  open(name: string, a: Readonly<Record<string, string>>, line: number, column: number): void {
    const top = this.#frames[this.#frames.length - 1];
    if (top === undefined) {
      if (name === 'test-run') {
        // NUnit 3.0 wrote the date apart: run-date="2011-07-26" start-time="11:34:27".
        const withDate = (t: string | undefined) =>
          t !== undefined && /^\d{1,2}:\d{2}/.test(t.trim()) && a['run-date'] !== undefined
            ? `${a['run-date']}T${t.trim()}`
            : t;
        this.run.add(
          readTimestamp(withDate(a['start-time']), `<test-run> start-time`, this.warnings),
          readTimestamp(withDate(a['end-time']), `<test-run> end-time`, this.warnings),
        );
        const length = a.duration ?? a.time;
        this.runDurationMs = length === undefined ? null : secondsToMs(length).ms;
        const engine = nonEmpty(a['engine-version']);
        if (engine !== null) this.runTags.push(['nunit.engine', engine]);
        this.#frames.push({ kind: 'run' });
        return;
      }
      if (name === 'test-suite') {
        this.#frames.push({ kind: 'suite', s: this.#suite(null, a) });
        return;
      }
      throw badInput(
        `${this.fileName}:${line}:${column}: the root element <${name}> is not NUnit 3 XML: expected <test-run>${name === 'test-results' ? ' (this is NUnit 2 XML; run the tests with NUnit 3, or export JUnit XML)' : ''}`,
      );
    }
    this.#frames.push(this.#child(top, name, a, line));
  }

  #suite(parent: NUnitSuite | null, a: Readonly<Record<string, string>>): NUnitSuite {
    return {
      parent,
      type: a.type ?? '',
      name: nonEmpty(a.name) ?? '(unnamed suite)',
      fullname: nonEmpty(a.fullname),
      machine: null,
      props: [],
    };
  }

  #child(top: Frame, name: string, a: Readonly<Record<string, string>>, line: number): Frame {
    switch (top.kind) {
      case 'run':
        if (name === 'test-suite') return { kind: 'suite', s: this.#suite(null, a) };
        if (name === 'test-case') return { kind: 'case', c: this.#case(null, a, line) };
        return { kind: 'ignored' };
      case 'suite':
        if (name === 'test-suite') return { kind: 'suite', s: this.#suite(top.s, a) };
        if (name === 'test-case') return { kind: 'case', c: this.#case(top.s, a, line) };
        if (name === 'properties') return { kind: 'properties', into: top.s.props };
        if (name === 'environment') top.s.machine = nonEmpty(a['machine-name']);
        return { kind: 'ignored' };
      case 'case':
        if (name === 'failure') return { kind: 'failure', c: top.c };
        if (name === 'reason') return { kind: 'reason', c: top.c };
        if (name === 'properties') return { kind: 'properties', into: top.c.props };
        return { kind: 'ignored' };
      case 'failure':
        if (name === 'message') return { kind: 'message', c: top.c };
        if (name === 'stack-trace') return { kind: 'stack', c: top.c };
        return { kind: 'ignored' };
      case 'reason':
        return name === 'message' ? { kind: 'reasonMessage', c: top.c } : { kind: 'ignored' };
      case 'properties': {
        const key = nonEmpty(a.name);
        if (name === 'property' && key !== null) top.into.push([key, a.value ?? '']);
        return { kind: 'ignored' };
      }
      default:
        return { kind: 'ignored' };
    }
  }

  #case(suite: NUnitSuite | null, a: Readonly<Record<string, string>>, line: number): NUnitCase {
    checkCaseCount(this.#cases.length, this.limits.maxTestCases, `${this.fileName}:${line}`, 'test-cases');
    const result = nonEmpty(a.result);
    const status = statusOf(result, nonEmpty(a.label));
    if (status === null) {
      throw badInput(
        `${this.fileName}:${line}: <test-case> at line ${line} has ${result === null ? 'no result' : `result "${result}"`}; expected Passed, Failed, Skipped, Inconclusive or Warning`,
      );
    }
    let name = nonEmpty(a.name);
    if (name === null) {
      this.#unnamed += 1;
      name = `<unnamed ${this.#unnamed}>`;
      this.warnings.add('unnamed-case', `test-case at line ${line} has no name; named ${name}`);
    }
    const startedAt = readTimestamp(a['start-time'], `test-case at line ${line} start-time`, this.warnings);
    const endedAt = readTimestamp(a['end-time'], `test-case at line ${line} end-time`, this.warnings);
    this.cases.add(startedAt, endedAt);
    let durationMs: number;
    // NUnit 3.0 wrote `time`, later versions `duration`: seconds either way.
    const length = a.duration ?? a.time;
    if (length !== undefined) {
      const d = secondsToMs(length);
      if (d.odd) this.warnings.add('case-time', `test-case at line ${line} ${d.odd}`);
      durationMs = d.ms;
    } else {
      durationMs =
        startedAt !== null && endedAt !== null && endedAt >= startedAt
          ? endedAt.getTime() - startedAt.getTime()
          : 0;
    }
    const asserts = a.asserts === undefined ? Number.NaN : Number(a.asserts);
    const fixture = inheritedFixture(suite);
    const c: NUnitCase = {
      suite,
      line,
      name,
      className: nonEmpty(a.classname) ?? fixture,
      status,
      durationMs,
      startedAt,
      asserts: Number.isInteger(asserts) && asserts >= 0 ? asserts : null,
      props: [],
      message: '',
      stack: '',
      reason: '',
    };
    this.#cases.push(c);
    return c;
  }

  text(t: string): void {
    const top = this.#frames[this.#frames.length - 1];
    if (top?.kind === 'message') top.c.message = appendBounded(top.c.message, t);
    else if (top?.kind === 'stack') top.c.stack = appendBounded(top.c.stack, t);
    else if (top?.kind === 'reasonMessage') top.c.reason = appendBounded(top.c.reason, t);
  }

  close(): void {
    this.#frames.pop();
  }

  finish(results: ResultList, replacedEsc: boolean): void {
    for (const c of this.#cases) {
      const assembly = assemblyOf(c.suite);
      const suite = assembly?.name ?? c.suite?.name ?? '(no assembly)';
      const tags = new TagBag(this.warnings, `test-case "${c.name}"`);
      addProps(tags, c.props, true);
      for (let s = c.suite; s; s = s.parent) addProps(tags, s.props, false);
      const message = nonEmpty(c.message) ?? nonEmpty(c.reason) ?? skipReason(c.props);
      const draft: CaseDraft = {
        suite: boundedName(suite, 'suite', this.warnings),
        className: c.className === null ? null : boundedName(c.className, 'classname', this.warnings),
        name: boundedName(c.name, 'test name', this.warnings),
        worker: machineOf(c.suite),
        hardware: null,
        tags: tags.toObject(),
        metrics: c.asserts === null ? [] : [{ name: 'assertions', value: c.asserts }],
        attempts: [
          {
            status: c.status,
            durationMs: c.durationMs,
            message: stripAnsi(message === null ? null : lf(message), replacedEsc),
            stackTrace: stripAnsi(nonEmpty(c.stack) === null ? null : lf(c.stack), replacedEsc),
            startedAt: c.startedAt?.toISOString() ?? null,
          },
        ],
      };
      results.add(draft);
    }
  }
}

function inheritedFixture(suite: NUnitSuite | null): string | null {
  for (let s = suite; s; s = s.parent) {
    if (s.type === 'TestFixture' || s.type === 'GenericFixture') return s.fullname ?? s.name;
  }
  return null;
}

function assemblyOf(suite: NUnitSuite | null): NUnitSuite | null {
  let outermost: NUnitSuite | null = null;
  for (let s = suite; s; s = s.parent) {
    if (s.type === 'Assembly') return s;
    outermost = s;
  }
  return outermost;
}

function machineOf(suite: NUnitSuite | null): string | null {
  for (let s = suite; s; s = s.parent) if (s.machine !== null) return s.machine;
  return null;
}

function skipReason(props: readonly [string, string][]): string | null {
  return nonEmpty(props.find(([k]) => k === '_SKIPREASON')?.[1]);
}

/**
 * Properties as tags: names starting with `_` are NUnit's own (`_PID`,
 * `_APPDOMAIN`, `_SKIPREASON`, `_JOINTYPE`) and are dropped; a name given
 * more than once (`Category`) joins its values with ",". A test-case's own
 * properties win over its suites'.
 */
function addProps(tags: TagBag, props: readonly [string, string][], override: boolean): void {
  const joined = new Map<string, string[]>();
  for (const [k, v] of props) {
    if (k.startsWith('_')) continue;
    joined.set(k, [...(joined.get(k) ?? []), v]);
  }
  for (const [k, vs] of joined) tags.set(k, vs.join(','), override);
}

const sameTime = (a: Date | null, b: Date | null): boolean =>
  a !== null && b !== null && a.getTime() === b.getTime();
