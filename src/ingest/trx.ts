/**
 * Visual Studio / VSTest TRX (`dotnet test --logger trx`) → IngestInput.
 * The mapping rules live in ./README.md.
 */
import { badInput } from '../domain/errors.ts';
import type { Status } from '../domain/types.ts';
import { checkCaseCount } from './case-limit.ts';
import { baseName, lf, readTimestamp, Span, timeSpanMs, withoutClass } from './dotnet.ts';
import { appendBounded, boundedName, firstLine, nonEmpty, stripAnsi, TagBag } from './fields.ts';
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

/** TRX `outcome` values (Microsoft.VisualStudio.TestTools TestOutcome) and what each is here. */
const OUTCOMES: Readonly<Record<string, Status>> = {
  passed: 'PASSED',
  passedbutrunaborted: 'PASSED',
  completed: 'PASSED',
  warning: 'PASSED',
  failed: 'FAILED',
  error: 'ERROR',
  timeout: 'ERROR',
  aborted: 'ERROR',
  disconnected: 'ERROR',
  notexecuted: 'SKIPPED',
  notrunnable: 'SKIPPED',
  inconclusive: 'SKIPPED',
  pending: 'SKIPPED',
  inprogress: 'SKIPPED',
};

interface TrxResult {
  readonly line: number;
  readonly testId: string | null;
  readonly testName: string | null;
  readonly status: Status;
  readonly durationMs: number;
  readonly startedAt: Date | null;
  readonly computerName: string | null;
  readonly dataRow: string | null;
  readonly parent: TrxResult | null;
  message: string;
  stackTrace: string;
  inner: number;
}

interface TrxDefinition {
  name: string | null;
  className: string | null;
  storage: string | null;
  codeBase: string | null;
  categories: string[];
}

type Frame =
  | { readonly kind: 'run' | 'results' | 'inner' | 'defs' | 'ignored' | 'output' | 'errorInfo' }
  | { readonly kind: 'result'; readonly r: TrxResult }
  | { readonly kind: 'message' | 'stack'; readonly r: TrxResult }
  | { readonly kind: 'unitTest' | 'category'; readonly d: TrxDefinition };

export async function parseTrx(
  source: ReportSource,
  ctx: ReportContext,
  limits?: Partial<ReportLimits>,
): Promise<ParsedReport> {
  const { lim, fileName, warnings, reader, mapper, read } = await readXmlReport(
    source,
    ctx,
    limits,
    'report.trx',
    (l, w, n) => new TrxMapper(l, w, n),
  );
  const results = new ResultList(lim.maxAttempts, warnings);
  mapper.finish(results, read.replacedEsc);
  const run = buildRun(
    ctx,
    (placement) => reader.runId('trx', placement),
    {
      startedAt: mapper.start ?? mapper.span.start,
      finishedAt: mapper.end ?? mapper.span.end,
      branch: null,
      commit: null,
      tags: [],
    },
    warnings,
    fileName,
  );
  return { format: 'trx', input: { run, results: results.results }, warnings: warnings.list() };
}

class TrxMapper implements XmlHandler {
  readonly #frames: Frame[] = [];
  readonly #results: TrxResult[] = [];
  readonly #defs = new Map<string, TrxDefinition>();
  readonly span = new Span();
  start: Date | null = null;
  end: Date | null = null;

  constructor(
    private readonly limits: ReportLimits,
    private readonly warnings: Warnings,
    private readonly fileName: string,
  ) {}

  open(name: string, a: Readonly<Record<string, string>>, line: number, column: number): void {
    const top = this.#frames[this.#frames.length - 1];
    if (top === undefined) {
      if (name !== 'TestRun') {
        throw badInput(
          `${this.fileName}:${line}:${column}: the root element <${name}> is not a TRX report: expected <TestRun> (what \`dotnet test --logger trx\` writes)`,
        );
      }
      this.#frames.push({ kind: 'run' });
      return;
    }
    this.#frames.push(this.#child(top, name, a, line));
  }

  #child(top: Frame, name: string, a: Readonly<Record<string, string>>, line: number): Frame {
    switch (top.kind) {
      case 'run':
        if (name === 'Results') return { kind: 'results' };
        if (name === 'TestDefinitions') return { kind: 'defs' };
        if (name === 'Times') {
          this.start = readTimestamp(a.start ?? a.creation, `<Times> at line ${line} start`, this.warnings);
          this.end = readTimestamp(a.finish, `<Times> at line ${line} finish`, this.warnings);
        }
        return { kind: 'ignored' };
      case 'results':
        return name.endsWith('Result') ? this.#result(name, a, line, null) : { kind: 'ignored' };
      case 'result':
        if (name === 'InnerResults') return { kind: 'inner' };
        if (name === 'Output') return { kind: 'output' };
        return { kind: 'ignored' };
      case 'inner': {
        const parent = this.#frames.findLast((f) => f.kind === 'result');
        return name.endsWith('Result') && parent?.kind === 'result'
          ? this.#result(name, a, line, parent.r)
          : { kind: 'ignored' };
      }
      case 'output':
        return name === 'ErrorInfo' ? { kind: 'errorInfo' } : { kind: 'ignored' };
      case 'errorInfo': {
        const owner = this.#frames.findLast((f) => f.kind === 'result');
        if (owner?.kind !== 'result') return { kind: 'ignored' };
        if (name === 'Message') return { kind: 'message', r: owner.r };
        if (name === 'StackTrace') return { kind: 'stack', r: owner.r };
        return { kind: 'ignored' };
      }
      case 'defs': {
        const id = nonEmpty(a.id);
        if (id === null || !name.endsWith('Test')) return { kind: 'ignored' };
        const d: TrxDefinition = {
          name: nonEmpty(a.name),
          className: null,
          storage: nonEmpty(a.storage),
          codeBase: null,
          categories: [],
        };
        this.#defs.set(id.toLowerCase(), d);
        return { kind: 'unitTest', d };
      }
      case 'unitTest':
        if (name === 'TestMethod') {
          // Old MSTest writes an assembly-qualified class: "Ns.Class, Assembly, Version=…".
          const cls = nonEmpty(a.className);
          top.d.className = cls === null ? null : nonEmpty(cls.split(',')[0]);
          top.d.codeBase = nonEmpty(a.codeBase);
        }
        return name === 'TestCategory' ? { kind: 'category', d: top.d } : { kind: 'ignored' };
      case 'category': {
        const c = nonEmpty(a.TestCategory);
        if (name === 'TestCategoryItem' && c !== null) top.d.categories.push(c);
        return { kind: 'ignored' };
      }
      default:
        return { kind: 'ignored' };
    }
  }

  #result(name: string, a: Readonly<Record<string, string>>, line: number, parent: TrxResult | null): Frame {
    checkCaseCount(
      this.#results.length,
      this.limits.maxTestCases,
      `${this.fileName}:${line}`,
      'test results',
    );
    const where = `<${name}> at line ${line}`;
    const outcome = nonEmpty(a.outcome);
    const status = outcome === null ? undefined : OUTCOMES[outcome.toLowerCase()];
    if (status === undefined) {
      throw badInput(
        `${this.fileName}:${line}: ${where} has ${outcome === null ? 'no outcome' : `outcome "${outcome}"`}; expected one of Passed, Failed, Error, Timeout, Aborted, NotExecuted, Inconclusive, NotRunnable, Warning, Completed, PassedButRunAborted, Disconnected, Pending, InProgress`,
      );
    }
    const startedAt = readTimestamp(a.startTime, `${where} startTime`, this.warnings);
    const endedAt = readTimestamp(a.endTime, `${where} endTime`, this.warnings);
    this.span.add(startedAt, endedAt);
    let durationMs = timeSpanMs(a.duration);
    if (durationMs === null) {
      durationMs =
        startedAt !== null && endedAt !== null && endedAt >= startedAt
          ? endedAt.getTime() - startedAt.getTime()
          : 0;
      this.warnings.add(
        'duration',
        `${where} has ${a.duration === undefined ? 'no duration' : `duration "${a.duration}", which is not hh:mm:ss.fffffff`}; read as ${durationMs} ms (endTime − startTime, else 0)`,
      );
    }
    if (parent !== null) parent.inner += 1;
    const r: TrxResult = {
      line,
      testId: nonEmpty(a.testId)?.toLowerCase() ?? null,
      testName: nonEmpty(a.testName),
      status,
      durationMs,
      startedAt,
      computerName: nonEmpty(a.computerName),
      dataRow: nonEmpty(a.dataRowInfo),
      parent,
      message: '',
      stackTrace: '',
      inner: 0,
    };
    this.#results.push(r);
    return { kind: 'result', r };
  }

  text(t: string): void {
    const top = this.#frames[this.#frames.length - 1];
    if (top?.kind === 'message') top.r.message = appendBounded(top.r.message, t);
    else if (top?.kind === 'stack') top.r.stackTrace = appendBounded(top.r.stackTrace, t);
  }

  close(): void {
    this.#frames.pop();
  }

  finish(results: ResultList, replacedEsc: boolean): void {
    let unnamed = 0;
    for (const r of this.#results) {
      // A data-driven test's own result sums its rows; the rows are the results.
      if (r.inner > 0) continue;
      const def = r.testId === null ? undefined : this.#defs.get(r.testId);
      if (r.testId !== null && def === undefined) {
        this.warnings.add(
          'no-definition',
          `result at line ${r.line} has testId ${r.testId}, which <TestDefinitions> does not define; it has no class`,
        );
      }
      const className = def?.className ?? null;
      let name = r.testName ?? def?.name ?? null;
      if (name === null) {
        unnamed += 1;
        name = `<unnamed ${unnamed}>`;
        this.warnings.add('unnamed-case', `result at line ${r.line} has no testName; named ${name}`);
      }
      name = withoutClass(name, className);
      if (r.parent !== null && r.dataRow !== null && r.testName === r.parent.testName) {
        name = `${name} (row ${r.dataRow})`;
      }
      const suite =
        baseName(def?.codeBase ?? null) ?? baseName(def?.storage ?? null) ?? className ?? '(no assembly)';
      const tags = new TagBag(this.warnings, `test "${name}"`);
      if (def !== undefined && def.categories.length > 0) tags.set('category', def.categories.join(','));
      const stack = stripAnsi(nonEmpty(r.stackTrace) === null ? null : lf(r.stackTrace), replacedEsc);
      results.add({
        suite: boundedName(suite, 'suite', this.warnings),
        className: className === null ? null : boundedName(className, 'classname', this.warnings),
        name: boundedName(name, 'test name', this.warnings),
        worker: r.computerName,
        hardware: null,
        tags: tags.toObject(),
        metrics: [],
        attempts: [
          {
            status: r.status,
            durationMs: r.durationMs,
            message: stripAnsi(firstLine(r.message) === null ? null : lf(r.message.trim()), replacedEsc),
            stackTrace: stack,
            startedAt: r.startedAt?.toISOString() ?? null,
          },
        ],
      });
    }
  }
}
