import type { IngestInput } from '../domain/types.ts';

/** The report formats read, one a line, with how they are named in messages. */
export const REPORT_FILE_FORMATS = {
  junit: 'JUnit XML',
  ctrf: 'CTRF JSON',
  playwright: 'Playwright JSON',
  jest: 'Jest JSON',
  trx: 'VSTest TRX',
  nunit: 'NUnit 3 XML',
  xunit: 'xUnit.net v2 XML',
  tap: 'TAP',
  gotest: 'go test -json',
  otlp: 'OTLP/JSON traces',
  allure: 'Allure 2 results',
} as const;
export type ReportFormat = keyof typeof REPORT_FILE_FORMATS;

/** What the uploader knows about a report that the report itself may not say. */
export interface ReportContext {
  readonly project: string;
  /** Wins over a branch named in the report (CTRF `environment.branchName`). */
  readonly branch?: string | null;
  /** Wins over a commit named in the report (CTRF `environment.commit`). */
  readonly commit?: string | null;
  /** Run id; when absent, derived deterministically from the project, the file bytes, and the run's branch and commit (`SourceReader.runId`), so re-uploading the same file for the same branch is idempotent and for another branch is another run. */
  readonly runId?: string | null;
  /** Fallback run start when the report carries no timestamp. */
  readonly startedAt?: Date | null;
  /** Run tags; they win over tags read from the report. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Name used in refusal messages, e.g. `report.xml:12:5: …`. @default 'report.xml' or 'report.json' */
  readonly fileName?: string | null;
}

export interface ParsedReport {
  readonly format: ReportFormat;
  /** run + results (+ no breaker events); results may exceed 50,000: the caller splits them into batches. */
  readonly input: IngestInput;
  /** What was read leniently, e.g. "testcase at line 40 has no name; named <unnamed 3>". */
  readonly warnings: readonly string[];
}

/** Size bounds of one report; a report past one is refused with the limit named. */
export interface ReportLimits {
  /** Bytes of the file as sent (UTF-8). */
  readonly maxBytes: number;
  /** `<testcase>` elements or CTRF `tests[]` entries. */
  readonly maxTestCases: number;
  /** XML element nesting (JUnit) or JSON nesting (CTRF). */
  readonly maxDepth: number;
  /** Attempts kept per test in one run; later ones are dropped with a warning (ingest accepts attempt ≤ 1000). */
  readonly maxAttempts: number;
  /** Characters of one XML text node held in memory; the rest is dropped (system-out can be huge). */
  readonly maxTextNodeChars: number;
  /** Warnings returned; the rest are counted in a last line. */
  readonly maxWarnings: number;
}

export const REPORT_LIMITS: ReportLimits = Object.freeze({
  maxBytes: 200 * 1024 * 1024,
  maxTestCases: 1_000_000,
  maxDepth: 64,
  maxAttempts: 1_000,
  maxTextNodeChars: 1024 * 1024,
  maxWarnings: 100,
});

/** What every parser accepts as input: a whole file, or chunks of it as they arrive. */
export type ReportSource = string | Uint8Array | AsyncIterable<Uint8Array | string>;

export function resolveLimits(limits: Partial<ReportLimits> | undefined): ReportLimits {
  return { ...REPORT_LIMITS, ...limits };
}
