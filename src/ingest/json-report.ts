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
