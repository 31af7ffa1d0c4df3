/**
 * What the JSON report parsers (CTRF aside) share: read the whole source
 * within the limits, parse it with positions in refusals, and count tests
 * against `maxTestCases`.
 */
import { AssayError } from '../domain/errors.ts';
import { Shape } from './ctrf-shape.ts';
import { nonEmpty } from './fields.ts';
import { parseJson } from './json-text.ts';
import { resolveLimits, type ReportContext, type ReportLimits, type ReportSource } from './report-context.ts';
import { requireProject } from './run.ts';
import { SourceReader } from './source.ts';
import { Warnings } from './warnings.ts';

export interface JsonDocument {
  readonly doc: Shape;
  readonly reader: SourceReader;
  readonly warnings: Warnings;
  readonly limits: ReportLimits;
  readonly fileName: string;
}

/** Reads and parses a JSON report whole (bounded by `maxBytes` and `maxDepth`). */
export async function readJsonDocument(
  source: ReportSource,
  ctx: ReportContext,
  limits: Partial<ReportLimits> | undefined,
  defaultName: string,
): Promise<JsonDocument> {
  const lim = resolveLimits(limits);
  const fileName = nonEmpty(ctx.fileName) ?? defaultName;
  const reader = new SourceReader(source, requireProject(ctx), lim, fileName);
  const parts: string[] = [];
  for await (const chunk of reader.text()) parts.push(chunk);
  const doc = new Shape(parseJson(parts.join(''), fileName, lim.maxDepth), '', fileName);
  return { doc, reader, warnings: new Warnings(lim.maxWarnings), limits: lim, fileName };
}

/**
 * Reads a JSON report that may also come as JSON Lines, one document per line (the
 * OpenTelemetry Collector's file exporter writes one request per line): `docs` holds
 * each line's document, or the one document; `doc` is the first. A line that is no
 * JSON is refused with its line and column in the file.
 */
export async function readJsonDocuments(
  source: ReportSource,
  ctx: ReportContext,
  limits: Partial<ReportLimits> | undefined,
  defaultName: string,
): Promise<JsonDocument & { readonly docs: readonly Shape[] }> {
  const lim = resolveLimits(limits);
  const fileName = nonEmpty(ctx.fileName) ?? defaultName;
  const reader = new SourceReader(source, requireProject(ctx), lim, fileName);
  const parts: string[] = [];
  for await (const chunk of reader.text()) parts.push(chunk);
  const text = parts.join('');
  const lines = jsonLines(text);
  const docs = lines
    ? lines.map(
        ({ line, n }) => new Shape(parseLine(line, n, fileName, lim.maxDepth), '', `${fileName} line ${n}`),
      )
    : [new Shape(parseJson(text, fileName, lim.maxDepth), '', fileName)];
  return { doc: docs[0]!, docs, reader, warnings: new Warnings(lim.maxWarnings), limits: lim, fileName };
}

/** The non-empty lines of JSON Lines text with their line numbers, or null when the text is one JSON document. */
function jsonLines(text: string): { line: string; n: number }[] | null {
  const lines = text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line !== '');
  const first = lines[0]?.line;
  if (lines.length < 2 || first === undefined || !first.startsWith('{') || !first.endsWith('}')) return null;
  try {
    JSON.parse(first);
    return lines;
  } catch {
    // A document printed over several lines whose first line happens to look whole.
    return null;
  }
}

function parseLine(line: string, n: number, fileName: string, maxDepth: number): unknown {
  try {
    return parseJson(line, fileName, maxDepth);
  } catch (err) {
    const e = err as AssayError;
    throw new AssayError(e.code, e.message.replace(`${fileName}:1:`, `${fileName}:${n}:`), e.details);
  }
}

/** Refuses a report with more tests than `maxTestCases`. */
export function checkTestCount(count: number, { limits, fileName }: JsonDocument, what: string): void {
  if (count > limits.maxTestCases) {
    throw new AssayError(
      'PAYLOAD_TOO_LARGE',
      `${fileName}: the report has ${count} ${what}, more than REPORT_LIMITS.maxTestCases (${limits.maxTestCases}); split it into several files`,
    );
  }
}

/** An ISO-8601 time as epoch ms, or null when absent or unreadable. */
export function isoMs(s: string | null): number | null {
  if (s === null) return null;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
}

/** A non-negative finite duration in ms; anything else is 0, warned. */
export function durationMs(value: number | null, path: string, warnings: Warnings): number {
  if (value === null || value < 0) {
    warnings.add(
      `duration:${value === null}`,
      `${path} ${value === null ? 'is missing' : `is negative (${value})`}; read as 0 ms`,
    );
    return 0;
  }
  return value;
}
