/**
 * Test-report parsers (issue #5): JUnit XML and CTRF JSON in, the `IngestInput`
 * of the `ingest` mutation out. Pure: no database, no HTTP. See ./README.md.
 */
import { badInput } from '../domain/errors.ts';
import { parseCtrf } from './ctrf.ts';
import { parseJUnit } from './junit.ts';
import type {
  ParsedReport,
  ReportContext,
  ReportFormat,
  ReportLimits,
  ReportSource,
} from './report-context.ts';

export { splitIngestInput } from './batches.ts';
export { REPORT_LIMITS } from './report-context.ts';
export type { ParsedReport, ReportContext, ReportFormat, ReportSource } from './report-context.ts';

/**
 * The format of a report from its first bytes: '<' is JUnit XML, '{' (or '[') is CTRF
 * JSON (a BOM and leading whitespace are skipped). The content decides; the
 * file name (`.xml`, `.json`) only when the content says nothing.
 */
export function detectFormat(firstBytes: string, filename?: string): ReportFormat | null {
  const head = firstBytes.replace(/^[\uFEFF\s]+/, '');
  if (head.startsWith('<')) return 'junit';
  if (head.startsWith('{') || head.startsWith('[')) return 'ctrf';
  if (head === '' && filename !== undefined) {
    const lower = filename.toLowerCase();
    if (lower.endsWith('.xml')) return 'junit';
    if (lower.endsWith('.json')) return 'ctrf';
  }
  return null;
}

export interface ParseReportOptions {
  readonly format?: ReportFormat;
  /** Used to detect the format of an empty or whitespace-only head, and in refusal messages. */
  readonly filename?: string;
  readonly limits?: Partial<ReportLimits>;
}

/** Parses a JUnit or CTRF report, detecting which unless `opts.format` says. */
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
        `${opts.filename ?? 'the report'}: cannot tell its format: JUnit XML starts with '<' and CTRF JSON with '{'; pass the format explicitly`,
      );
    }
  }
  return format === 'junit'
    ? parseJUnit(input, context, opts.limits)
    : parseCtrf(input, context, opts.limits);
}

const PEEK_CHARS = 1024;

/** Reads chunks until the first non-blank character (or 1 KiB), and gives back a source that replays them. */
async function peek(source: ReportSource): Promise<{ head: string; source: ReportSource }> {
  if (typeof source === 'string') return { head: source.slice(0, PEEK_CHARS), source };
  const lenient = new TextDecoder('utf-8');
  if (source instanceof Uint8Array) return { head: lenient.decode(source.subarray(0, PEEK_CHARS)), source };
  const it = source[Symbol.asyncIterator]();
  const buffered: (Uint8Array | string)[] = [];
  let head = '';
  let done = false;
  while (head.replace(/^[\uFEFF\s]+/, '') === '' && head.length < PEEK_CHARS) {
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
