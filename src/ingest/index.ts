/**
 * Test-report parsers: JUnit XML, CTRF, Playwright and Jest JSON, TRX, NUnit 3, xUnit.net v2, TAP, go test -json and OTLP/JSON traces in, the `IngestInput`
 * of the `ingest` mutation out. Pure: no database, no HTTP. See ./README.md.
 */
import { badInput } from '../domain/errors.ts';
import { parseAllure } from './allure.ts';
import { parseCtrf } from './ctrf.ts';
import { GO_TEST_JSON, TAP_START, XML_ROOTS, xmlRootName } from './detect-head.ts';
import { detectJsonFormat } from './detect-json.ts';
import { parseGoTest } from './gotest.ts';
import { parseJest } from './jest.ts';
import { parseJUnit } from './junit.ts';
import { parseNUnit } from './nunit.ts';
import { parseOtlp } from './otlp.ts';
import { parsePlaywright } from './playwright.ts';
import { parseTap } from './tap.ts';
import { parseTrx } from './trx.ts';
import { parseXUnit } from './xunit.ts';
import type {
  ParsedReport,
  ReportContext,
  ReportFormat,
  ReportLimits,
  ReportSource,
} from './report-context.ts';

type Parser = (
  source: ReportSource,
  ctx: ReportContext,
  limits?: Partial<ReportLimits>,
) => Promise<ParsedReport>;

/** The parser of each format, one a line. */
const PARSERS: Readonly<Record<ReportFormat, Parser>> = {
  junit: parseJUnit,
  ctrf: parseCtrf,
  playwright: parsePlaywright,
  jest: parseJest,
  trx: parseTrx,
  nunit: parseNUnit,
  xunit: parseXUnit,
  tap: parseTap,
  gotest: parseGoTest,
  otlp: parseOtlp,
  allure: parseAllure,
};

export { parseAllureResults } from './allure.ts';
export { allureFileKind } from './allure-model.ts';
export { splitIngestInput } from './batches.ts';
export { parseGoTest } from './gotest.ts';
export { parseNUnit } from './nunit.ts';
export { parseOtlpRuns } from './otlp.ts';
export { parseTap } from './tap.ts';
export { parseTrx } from './trx.ts';
export { parseXUnit } from './xunit.ts';
export { REPORT_LIMITS } from './report-context.ts';
export type { ParsedReport, ReportContext, ReportFormat, ReportSource } from './report-context.ts';

/**
 * The format of a report from its first bytes (a BOM and leading whitespace
 * are skipped). XML by its root element: `<TestRun>` is TRX, `<test-run>`
 * NUnit 3, `<assemblies>` xUnit.net v2, anything else JUnit. JSON: a first
 * object starting `{"Time":` or `{"Action":` is `go test -json`; otherwise
 * Playwright's (first key "config"), Jest's (first key "num…Tests"), OTLP
 * traces (first key "resourceSpans"), an Allure result's (first key "uuid"),
 * else CTRF.
 * Text starting like TAP (`TAP version 13`, `1..N`, `ok`, `not ok`) is TAP.
 * The content decides; the file name only when the content says nothing.
 */
export function detectFormat(firstBytes: string, filename?: string): ReportFormat | null {
  const head = firstBytes.replace(/^[\uFEFF\s]+/, '');
  if (head.startsWith('<')) return XML_ROOTS[xmlRootName(head) ?? ''] ?? 'junit';
  if (GO_TEST_JSON.test(head)) return 'gotest';
  if (head.startsWith('{') || head.startsWith('[')) return detectJsonFormat(head);
  if (TAP_START.test(head)) return 'tap';
  if (head === '' && filename !== undefined) {
    const lower = filename.toLowerCase();
    if (lower.endsWith('.xml')) return 'junit';
    if (lower.endsWith('.json')) return 'ctrf';
    if (lower.endsWith('.trx')) return 'trx';
    if (lower.endsWith('.tap')) return 'tap';
  }
  return null;
}

export interface ParseReportOptions {
  readonly format?: ReportFormat;
  /** Used to detect the format of an empty or whitespace-only head, and in refusal messages. */
  readonly filename?: string;
  readonly limits?: Partial<ReportLimits>;
}

/** Parses a report of any format read (REPORT_FILE_FORMATS), detecting which unless `opts.format` says. */
export async function parseReport(
  source: ReportSource,
  ctx: ReportContext,
  opts: ParseReportOptions = {},
): Promise<ParsedReport> {
  const context = ctx.fileName || opts.filename === undefined ? ctx : { ...ctx, fileName: opts.filename };
  let input = source;
  let format = opts.format ?? null;
  if (format === null) {
    const peeked = await peek(source);
    input = peeked.source;
    format = detectFormat(peeked.head, opts.filename);
    if (format === null) {
      if (/^[\uFEFF\s]*##teamcity\[/.test(peeked.head)) {
        throw badInput(
          `${opts.filename ?? 'the report'}: these are TeamCity service messages (##teamcity[…]), not JUnit XML or CTRF JSON: have the test runner write a JUnit XML report instead (Codeception: --xml)`,
        );
      }
      throw badInput(
        `${opts.filename ?? 'the report'}: cannot tell its format: XML reports (JUnit, TRX, NUnit, xUnit.net) start with '<', JSON ones (CTRF, go test -json) with '{', TAP with "TAP version 13" or "1..N"; pass the format explicitly`,
      );
    }
  }
  return PARSERS[format](input, context, opts.limits);
}

const PEEK_CHARS = 64 * 1024;

/** Whether a head says enough to tell the format: an XML root element, or a first line. */
function decidable(head: string): boolean {
  const h = head.replace(/^[\uFEFF\s]+/, '');
  if (h === '') return false;
  if (h.startsWith('<')) return xmlRootName(h) !== null;
  return h.includes('\n') || h.length >= 64;
}

/** Reads chunks until the head tells the format (or 64 KiB), and gives back a source that replays them. */
export async function peek(source: ReportSource): Promise<{ head: string; source: ReportSource }> {
  if (typeof source === 'string') return { head: source.slice(0, PEEK_CHARS), source };
  const lenient = new TextDecoder('utf-8');
  if (source instanceof Uint8Array) return { head: lenient.decode(source.subarray(0, PEEK_CHARS)), source };
  const it = source[Symbol.asyncIterator]();
  const buffered: (Uint8Array | string)[] = [];
  let head = '';
  let done = false;
  while (!decidable(head) && head.length < PEEK_CHARS) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    buffered.push(r.value);
    head += typeof r.value === 'string' ? r.value : lenient.decode(r.value, { stream: true });
  }
  async function* replay(): AsyncGenerator<Uint8Array | string> {
    let finished = done;
    try {
      yield* buffered;
      if (done) return;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      finished = true;
    } finally {
      // A refused report stops reading early: close the source (a file, an upload) too.
      if (!finished) await it.return?.();
    }
  }
  return { head, source: replay() };
}
