/**
 * xUnit.net v2 XML (`xunit.console -xml`, `dotnet test --logger xunit`) → IngestInput.
 * The mapping rules live in ./README.md.
 */
import { badInput } from '../domain/errors.ts';
import type { Status } from '../domain/types.ts';
import { checkCaseCount } from './case-limit.ts';
import { baseName, lf, readTimestamp, withoutClass } from './dotnet.ts';
import { appendBounded, boundedName, nonEmpty, secondsToMs, stripAnsi, TagBag } from './fields.ts';
import {
  type ParsedReport,
  type ReportContext,
  type ReportLimits,
  type ReportSource,
} from './report-context.ts';
import { ResultList } from './results.ts';
import { buildRun } from './run.ts';
import { Warnings } from './warnings.ts';
import type { XmlHandler } from './xml-reader.ts';
import { readXmlReport } from './xml-report.ts';

const RESULTS: Readonly<Record<string, Status>> = {
  pass: 'PASSED',
  fail: 'FAILED',
  skip: 'SKIPPED',
  notrun: 'SKIPPED',
};

interface XAssembly {
  readonly name: string;
  readonly startedAt: Date | null;
  readonly timeMs: number | null;
}

interface XTest {
  readonly assembly: XAssembly;
  readonly line: number;
  readonly name: string;
  readonly className: string | null;
  readonly status: Status;
  readonly durationMs: number;
  readonly traits: [string, string][];
  message: string;
  stack: string;
  reason: string;
  exceptionType: string | null;
}

type Frame =
  | { readonly kind: 'root' | 'ignored' | 'errors' }
  | { readonly kind: 'assembly' | 'collection'; readonly a: XAssembly }
  | { readonly kind: 'test' | 'failure' | 'message' | 'stack' | 'reason' | 'traits'; readonly t: XTest }
  | { readonly kind: 'error'; readonly t: XTest };

export async function parseXUnit(
  source: ReportSource,
  ctx: ReportContext,
  limits?: Partial<ReportLimits>,
): Promise<ParsedReport> {
  const { lim, fileName, warnings, reader, mapper, read } = await readXmlReport(
    source,
    ctx,
    limits,
    'report.xml',
    (l, w, n) => new XUnitMapper(l, w, n),
  );
  const results = new ResultList(lim.maxAttempts, warnings);
  mapper.finish(results, read.replacedEsc);
  const starts = mapper.assemblies.filter((a) => a.startedAt !== null);
  const first = starts.reduce<XAssembly | null>(
    (best, a) => (best === null || a.startedAt! < best.startedAt! ? a : best),
    null,
  );
  const end = starts.reduce<number | null>((latest, a) => {
    const e = a.startedAt!.getTime() + (a.timeMs ?? 0);
    return latest === null || e > latest ? e : latest;
  }, null);
  const run = buildRun(
    ctx,
    (placement) => reader.runId('xunit', placement),
    {
      startedAt: first?.startedAt ?? null,
      finishedAt: end === null || first?.startedAt?.getTime() === end ? null : new Date(end),
      branch: null,
      commit: null,
      tags: mapper.tool === null ? [] : [['tool', mapper.tool]],
    },
    warnings,
    fileName,
  );
  return { format: 'xunit', input: { run, results: results.results }, warnings: warnings.list() };
}

class XUnitMapper implements XmlHandler {
  readonly #frames: Frame[] = [];
  readonly #tests: XTest[] = [];
  readonly assemblies: XAssembly[] = [];
  tool: string | null = null;
  #unnamed = 0;

  constructor(
    private readonly limits: ReportLimits,
    private readonly warnings: Warnings,
    private readonly fileName: string,
  ) {}

  open(name: string, a: Readonly<Record<string, string>>, line: number, column: number): void {
    const top = this.#frames[this.#frames.length - 1];
    if (top === undefined) {
      if (name === 'assemblies') this.#frames.push({ kind: 'root' });
      else if (name === 'assembly') this.#frames.push(this.#assembly(a, line));
      else {
        throw badInput(
          `${this.fileName}:${line}:${column}: the root element <${name}> is not xUnit.net v2 XML: expected <assemblies> or <assembly>`,
        );
      }
      return;
    }
    this.#frames.push(this.#child(top, name, a, line));
  }

  #assembly(a: Readonly<Record<string, string>>, line: number): Frame {
    this.tool ??= nonEmpty(a['test-framework']);
    const date = nonEmpty(a['run-date']);
    const time = nonEmpty(a['run-time']);
    const startedAt =
      date === null
        ? null
        : readTimestamp(
            time === null ? date : `${date}T${time}`,
            `<assembly> at line ${line} run-date/run-time`,
            this.warnings,
          );
    const assembly: XAssembly = {
      name: baseName(nonEmpty(a.name)) ?? '(unnamed assembly)',
      startedAt,
      timeMs: a.time === undefined ? null : secondsToMs(a.time).ms,
    };
    this.assemblies.push(assembly);
    return { kind: 'assembly', a: assembly };
  }

  #child(top: Frame, name: string, a: Readonly<Record<string, string>>, line: number): Frame {
    switch (top.kind) {
      case 'root':
        return name === 'assembly' ? this.#assembly(a, line) : { kind: 'ignored' };
      case 'assembly':
        if (name === 'collection') return { kind: 'collection', a: top.a };
        if (name === 'errors') return { kind: 'errors' };
        return { kind: 'ignored' };
      case 'collection':
        return name === 'test' ? { kind: 'test', t: this.#test(top.a, a, line) } : { kind: 'ignored' };
      case 'errors': {
        if (name !== 'error') return { kind: 'ignored' };
        // An error outside any test (a fixture's or class's cleanup): an ERROR result of its own.
        const assembly = this.assemblies[this.assemblies.length - 1]!;
        const t = this.#push({
          assembly,
          line,
          name: `<${nonEmpty(a.type) ?? 'error'}>`,
          className: nonEmpty(a.name),
          status: 'ERROR',
          durationMs: 0,
          traits: [],
          message: '',
          stack: '',
          reason: '',
          exceptionType: null,
        });
        this.warnings.add(
          'assembly-error',
          `<error> at line ${line} (${a.type ?? 'no type'}) is outside any test; recorded as an ERROR result named ${t.name}`,
        );
        return { kind: 'error', t };
      }
      case 'test':
      case 'error':
        if (name === 'failure') {
          top.t.exceptionType = nonEmpty(a['exception-type']);
          return { kind: 'failure', t: top.t };
        }
        if (name === 'reason') return { kind: 'reason', t: top.t };
        if (name === 'traits') return { kind: 'traits', t: top.t };
        return { kind: 'ignored' };
      case 'failure':
        if (name === 'message') return { kind: 'message', t: top.t };
        if (name === 'stack-trace') return { kind: 'stack', t: top.t };
        return { kind: 'ignored' };
      case 'traits': {
        const key = nonEmpty(a.name);
        if (name === 'trait' && key !== null) top.t.traits.push([key, a.value ?? '']);
        return { kind: 'ignored' };
      }
      default:
        return { kind: 'ignored' };
    }
  }

  #push(t: XTest): XTest {
    checkCaseCount(this.#tests.length, this.limits.maxTestCases, `${this.fileName}:${t.line}`, 'tests');
    this.#tests.push(t);
    return t;
  }

  #test(assembly: XAssembly, a: Readonly<Record<string, string>>, line: number): XTest {
    const result = nonEmpty(a.result);
    const status = result === null ? undefined : RESULTS[result.toLowerCase()];
    if (status === undefined) {
      throw badInput(
        `${this.fileName}:${line}: <test> at line ${line} has ${result === null ? 'no result' : `result "${result}"`}; expected Pass, Fail, Skip or NotRun`,
      );
    }
    const className = nonEmpty(a.type);
    let name = nonEmpty(a.name);
    if (name === null) {
      this.#unnamed += 1;
      name = `<unnamed ${this.#unnamed}>`;
      this.warnings.add('unnamed-case', `test at line ${line} has no name; named ${name}`);
    }
    const time = secondsToMs(a.time);
    if (time.odd) this.warnings.add('case-time', `test at line ${line} ${time.odd}`);
    return this.#push({
      assembly,
      line,
      name: withoutClass(name, className),
      className,
      status,
      durationMs: time.ms,
      traits: [],
      message: '',
      stack: '',
      reason: '',
      exceptionType: null,
    });
  }

  text(t: string): void {
    const top = this.#frames[this.#frames.length - 1];
    if (top?.kind === 'message') top.t.message = appendBounded(top.t.message, t);
    else if (top?.kind === 'stack') top.t.stack = appendBounded(top.t.stack, t);
    else if (top?.kind === 'reason') top.t.reason = appendBounded(top.t.reason, t);
  }

  close(): void {
    this.#frames.pop();
  }

  finish(results: ResultList, replacedEsc: boolean): void {
    for (const t of this.#tests) {
      const tags = new TagBag(this.warnings, `test "${t.name}"`);
      const joined = new Map<string, string[]>();
      for (const [k, v] of t.traits) joined.set(k, [...(joined.get(k) ?? []), v]);
      for (const [k, vs] of joined) tags.set(k, vs.join(','));
      const message = nonEmpty(t.message) ?? nonEmpty(t.reason) ?? t.exceptionType;
      results.add({
        suite: boundedName(t.assembly.name, 'suite', this.warnings),
        className: t.className === null ? null : boundedName(t.className, 'classname', this.warnings),
        name: boundedName(t.name, 'test name', this.warnings),
        worker: null,
        hardware: null,
        tags: tags.toObject(),
        metrics: [],
        attempts: [
          {
            status: t.status,
            durationMs: t.durationMs,
            message: stripAnsi(message === null ? null : lf(message), replacedEsc),
            stackTrace: stripAnsi(nonEmpty(t.stack) === null ? null : lf(t.stack), replacedEsc),
            startedAt: t.assembly.startedAt?.toISOString() ?? null,
          },
        ],
      });
    }
  }
}
