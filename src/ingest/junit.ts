/**
 * JUnit XML → IngestInput. The dialect rules live in ./README.md.
 */
import { AssayError, badInput } from '../domain/errors.ts';
import { parseTimestamp } from '../domain/time.ts';
import { appendBounded, boundedName, nonEmpty, secondsToMs, SUITE_SEPARATOR } from './fields.ts';
import type { Case, Outcome, OutcomeKind, Suite } from './junit-model.ts';
import { filterJvmProperties } from './junit-properties.ts';
import { addJUnitCases } from './junit-results.ts';
import {
  type ParsedReport,
  type ReportContext,
  type ReportLimits,
  type ReportSource,
} from './report-context.ts';
import { ResultList } from './results.ts';
import { buildRun, type ReportRunFacts } from './run.ts';
import { Warnings } from './warnings.ts';
import type { XmlHandler } from './xml-reader.ts';
import { readXmlReport } from './xml-report.ts';

export async function parseJUnit(
  source: ReportSource,
  ctx: ReportContext,
  limits?: Partial<ReportLimits>,
): Promise<ParsedReport> {
  const { lim, fileName, warnings, reader, mapper, read } = await readXmlReport(
    source,
    ctx,
    limits,
    'report.xml',
    (l, w, n) => new JUnitMapper(l, w, n),
  );
  const results = new ResultList(lim.maxAttempts, warnings, { mergeTeardownErrors: true });
  const facts = await mapper.finish(results, read.replacedEsc);
  const run = buildRun(ctx, (placement) => reader.runId('junit', placement), facts, warnings, fileName);
  return { format: 'junit', input: { run, results: results.results }, warnings: warnings.list() };
}

type Frame =
  | { readonly kind: 'suite'; readonly suite: Suite }
  | { readonly kind: 'case'; readonly c: Case }
  | { readonly kind: 'outcome'; readonly o: Outcome }
  | { readonly kind: 'stackTrace'; readonly o: Outcome }
  | { readonly kind: 'properties'; readonly into: Map<string, string>; readonly read: Map<string, string> }
  | {
      readonly kind: 'property';
      readonly into: Map<string, string>;
      readonly name: string | null;
      readonly value: string | undefined;
      text: string;
    }
  | { readonly kind: 'ignored' };

const OUTCOMES: Readonly<Record<string, { kind: OutcomeKind; list: 'outcomes' | 'flaky' | 'reruns' }>> = {
  failure: { kind: 'failure', list: 'outcomes' },
  error: { kind: 'error', list: 'outcomes' },
  skipped: { kind: 'skipped', list: 'outcomes' },
  disabled: { kind: 'skipped', list: 'outcomes' },
  flakyFailure: { kind: 'failure', list: 'flaky' },
  flakyError: { kind: 'error', list: 'flaky' },
  rerunFailure: { kind: 'failure', list: 'reruns' },
  rerunError: { kind: 'error', list: 'reruns' },
};

/** Root elements of other formats, named in the refusal so the user knows what to convert. */
const OTHER_FORMATS: Readonly<Record<string, string>> = {
  'test-run': "NUnit 3's own XML; send it as format nunit, or let the format be detected",
  'test-results': "NUnit 2's own XML; export JUnit XML instead",
  assemblies: "xUnit.net's own XML; send it as format xunit, or let the format be detected",
  'testng-results': "TestNG's own XML; export JUnit XML instead",
  TestRun: 'Visual Studio TRX; send it as format trx, or let the format be detected',
};

const SKIPPED_STATUS = new Set(['notrun', 'disabled', 'skipped', 'ignored']);
const SKIPPED_RESULT = new Set(['skipped', 'suppressed']);
// unittest-xml-reporting names suites "<class>-<YYYYMMDDhhmmss>"; the stamp would make every run a new suite.
const XMLRUNNER_STAMP =
  /^(.+)-(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])([01]\d|2[0-3])[0-5]\d[0-5]\d$/;

class JUnitMapper implements XmlHandler {
  readonly #frames: Frame[] = [];
  readonly #suites: Suite[] = [];
  readonly #cases: Case[] = [];
  #unnamed = 0;
  #start: Date | null = null;
  #end: Date | null = null;
  /** Some timestamp came with a `time`, so an end equal to the start is a real (zero) length. */
  #endTimed = false;
  #rootTimeMs: number | null = null;
  #topSuiteMaxMs: number | null = null;

  constructor(
    private readonly limits: ReportLimits,
    private readonly warnings: Warnings,
    private readonly fileName: string,
  ) {}

  open(name: string, a: Readonly<Record<string, string>>, line: number, column: number): void {
    const top = this.#frames[this.#frames.length - 1];
    if (top === undefined) {
      this.#frames.push(this.#root(name, a, line, column));
      return;
    }
    this.#frames.push(this.#child(top, name, a, line));
  }

  text(t: string): void {
    const top = this.#frames[this.#frames.length - 1];
    if (top?.kind === 'outcome') top.o.text = appendBounded(top.o.text, t);
    else if (top?.kind === 'stackTrace') top.o.stack = appendBounded(top.o.stack ?? '', t);
    else if (top?.kind === 'property') top.text = appendBounded(top.text, t);
  }

  close(): void {
    const f = this.#frames.pop();
    if (f?.kind === 'case') this.#cases.push(f.c);
    else if (f?.kind === 'property' && f.name !== null) f.into.set(f.name, f.value ?? f.text.trim());
    else if (f?.kind === 'properties') {
      filterJvmProperties(f.read, this.warnings);
      for (const [k, v] of f.read) f.into.set(k, v);
    }
  }

  #root(name: string, a: Readonly<Record<string, string>>, line: number, column: number): Frame {
    if (name === 'testsuite') return { kind: 'suite', suite: this.#suite(null, a, line) };
    if (name !== 'testsuites') {
      const other = OTHER_FORMATS[name];
      throw badInput(
        `${this.fileName}:${line}:${column}: the root element <${name}> is not JUnit XML${other ? ` (it looks like ${other})` : ''}: expected <testsuites> or <testsuite>`,
      );
    }
    this.#rootTimeMs = a.time === undefined ? null : secondsToMs(a.time).ms;
    const suite: Suite = {
      parent: null,
      path: null,
      name: nonEmpty(a.name),
      hostname: nonEmpty(a.hostname),
      file: nonEmpty(a.file),
      startedAt: this.#timestamp(a.timestamp, line, a.time),
      props: new Map(),
    };
    this.#suites.push(suite);
    return { kind: 'suite', suite };
  }

  #child(top: Frame, name: string, a: Readonly<Record<string, string>>, line: number): Frame {
    switch (top.kind) {
      case 'suite':
        if (name === 'testsuite') return { kind: 'suite', suite: this.#suite(top.suite, a, line) };
        if (name === 'testcase') return { kind: 'case', c: this.#case(top.suite, a, line) };
        if (name === 'properties') return { kind: 'properties', into: top.suite.props, read: new Map() };
        return { kind: 'ignored' };
      case 'case': {
        const outcome = OUTCOMES[name];
        if (outcome) {
          const o: Outcome = {
            kind: outcome.kind,
            message: nonEmpty(a.message),
            type: nonEmpty(a.type),
            timeMs: a.time === undefined ? null : secondsToMs(a.time).ms,
            text: '',
            stack: null,
          };
          top.c[outcome.list].push(o);
          return { kind: 'outcome', o };
        }
        if (name === 'properties') return { kind: 'properties', into: top.c.props, read: new Map() };
        return { kind: 'ignored' };
      }
      case 'outcome':
        return name === 'stackTrace' ? { kind: 'stackTrace', o: top.o } : { kind: 'ignored' };
      case 'properties':
        return name === 'property'
          ? { kind: 'property', into: top.read, name: nonEmpty(a.name), value: a.value, text: '' }
          : { kind: 'ignored' };
      default:
        return { kind: 'ignored' };
    }
  }

  #suite(parent: Suite | null, a: Readonly<Record<string, string>>, line: number): Suite {
    let name = nonEmpty(a.name);
    const stamped = name === null ? null : XMLRUNNER_STAMP.exec(name);
    if (stamped) name = stamped[1]!;
    if (name === null) {
      name = nonEmpty(a.file) ?? '(unnamed suite)';
      this.warnings.add('unnamed-suite', `testsuite at line ${line} has no name; named "${name}"`);
    }
    const path = boundedName(
      parent?.path ? `${parent.path}${SUITE_SEPARATOR}${name}` : name,
      'suite',
      this.warnings,
    );
    const time = a.time === undefined ? null : secondsToMs(a.time);
    if (time?.odd) this.warnings.add('suite-time', `testsuite at line ${line} ${time.odd}`);
    if (time && (parent === null || parent.path === null))
      this.#topSuiteMaxMs = Math.max(this.#topSuiteMaxMs ?? 0, time.ms);
    const suite: Suite = {
      parent,
      path,
      name,
      hostname: nonEmpty(a.hostname),
      file: nonEmpty(a.file),
      startedAt: this.#timestamp(a.timestamp, line, a.time),
      props: new Map(),
    };
    this.#suites.push(suite);
    return suite;
  }

  #case(suite: Suite, a: Readonly<Record<string, string>>, line: number): Case {
    if (this.#cases.length >= this.limits.maxTestCases) {
      throw new AssayError(
        'PAYLOAD_TOO_LARGE',
        `${this.fileName}:${line}: the report has more than REPORT_LIMITS.maxTestCases (${this.limits.maxTestCases}) testcases; split it into several files`,
      );
    }
    let name = nonEmpty(a.name);
    if (name === null) {
      this.#unnamed += 1;
      name = `<unnamed ${this.#unnamed}>`;
      this.warnings.add('unnamed-case', `testcase at line ${line} has no name; named ${name}`);
    }
    const time = secondsToMs(a.time);
    if (time.odd)
      this.warnings.add(`case-time:${time.odd.replace(/".*"/, '')}`, `testcase at line ${line} ${time.odd}`);
    const className = nonEmpty(a.classname) ?? nonEmpty(a.class);
    const assertions = a.assertions === undefined ? Number.NaN : Number(a.assertions);
    return {
      suite,
      line,
      name: boundedName(name, 'test name', this.warnings),
      className: className === null ? null : boundedName(className, 'classname', this.warnings),
      file: nonEmpty(a.file),
      timeMs: time.ms,
      startedAt: this.#timestamp(a.timestamp, line, a.time),
      skippedByAttribute:
        SKIPPED_STATUS.has((a.status ?? '').toLowerCase()) ||
        SKIPPED_RESULT.has((a.result ?? '').toLowerCase()),
      assertions: Number.isInteger(assertions) && assertions >= 0 ? assertions : null,
      props: new Map(),
      outcomes: [],
      flaky: [],
      reruns: [],
    };
  }

  /** A `timestamp` attribute (ISO-8601; without a zone it is UTC), widening the run's start and end. */
  #timestamp(raw: string | undefined, line: number, time: string | undefined): Date | null {
    if (raw === undefined || raw.trim() === '') return null;
    const t = parseTimestamp(raw);
    if (typeof t === 'string') {
      this.warnings.add('timestamp', `timestamp at line ${line} ${t}; ignored`);
      return null;
    }
    if (this.#start === null || t < this.#start) this.#start = t;
    const end = new Date(t.getTime() + (time === undefined ? 0 : secondsToMs(time).ms));
    if (this.#end === null || end > this.#end) this.#end = end;
    if (time !== undefined) this.#endTimed = true;
    return t;
  }

  /** Adds every testcase to `results` and returns what the report says about its run. */
  async finish(results: ResultList, replacedEsc: boolean): Promise<ReportRunFacts> {
    const runProps = await addJUnitCases(this.#cases, this.#suites, results, this.warnings, replacedEsc);
    const durationMs = this.#rootTimeMs ?? this.#topSuiteMaxMs;
    const end = this.#end;
    // Timestamps with time="0" (Google Test) end the run as it started, unless the root gives a length.
    const zeroLength = end !== null && this.#endTimed && !durationMs;
    return {
      startedAt: this.#start,
      finishedAt: end !== null && (end > (this.#start ?? end) || zeroLength) ? end : null,
      durationMs,
      branch: null,
      commit: null,
      tags: [...runProps],
    };
  }
}
