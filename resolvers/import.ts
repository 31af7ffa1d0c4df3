import { createHash } from 'node:crypto';
import { ingest } from './ingest.ts';
import type { IngestStore } from '../src/domain/ingest.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import type { IngestError, IngestInput, IngestOutcome, IngestResultInput, Run } from '../src/domain/types.ts';
import {
  parseReport,
  splitIngestInput,
  type ParsedReport,
  type ReportContext,
  type ReportFormat,
  type ReportSource,
} from '../src/ingest/index.ts';

export type { ReportFormat };

/** What importing one report file stored. Counts are of the report's own rows. */
export interface ImportSummary {
  readonly run: Run;
  /** The file's format: junit, ctrf, playwright, jest, … or table (CSV/Parquet). */
  readonly format: string;
  /** Tests of the accepted rows (= passed + failed + skipped), and every attempt of the report (= accepted + duplicates + rejected). */
  readonly tests: number;
  readonly attempts: number;
  readonly accepted: number;
  /** Attempts already stored (a re-upload of the same file is all duplicates). */
  readonly duplicates: number;
  readonly rejected: number;
  /** Executions of the report (attempts folded): passed includes flaky. */
  readonly passed: number;
  readonly failed: number;
  readonly flaky: number;
  readonly skipped: number;
  /** Rejected rows by index into the report's results, with the reason; at most ERRORS_SHOWN. */
  readonly errors: readonly IngestError[];
  readonly warnings: readonly string[];
  readonly dataVersion: number;
}

/** Rejections listed in a summary; the count is always complete. */
const ERRORS_SHOWN = 100;

/** Executions of a report's accepted rows: per test, the highest attempt's status, flaky when an earlier attempt failed. */
export function executionCounts(
  results: readonly IngestResultInput[],
  rejected: ReadonlySet<number> = new Set(),
) {
  const tests = new Map<string, { attempt: number; status: string; failedBefore: boolean }>();
  results.forEach((r, i) => {
    if (rejected.has(i)) return;
    const key = `${r.suite}\u0000${r.className ?? ''}\u0000${r.name}`;
    const status = String(r.status).toUpperCase();
    const attempt = r.attempt ?? 1;
    const t = tests.get(key);
    if (!t) return void tests.set(key, { attempt, status, failedBefore: false });
    const failed = (s: string) => s === 'FAILED' || s === 'ERROR';
    if (attempt >= t.attempt)
      tests.set(key, { attempt, status, failedBefore: t.failedBefore || failed(t.status) });
    else t.failedBefore ||= failed(status);
  });
  const c = { tests: tests.size, passed: 0, failed: 0, flaky: 0, skipped: 0 };
  for (const t of tests.values()) {
    if (t.status === 'PASSED') {
      c.passed++;
      if (t.failedBefore) c.flaky++;
    } else if (t.status === 'SKIPPED') c.skipped++;
    else c.failed++;
  }
  return c;
}

/**
 * Stores one run's results of any size through the `ingest` path (validation,
 * one transaction per batch, `ingested` events, alert rules), in batches of
 * 50,000 (splitIngestInput; breaker events are not carried: reports have none). Each batch is atomic and idempotent on run + test
 * + attempt, so an interrupted import is completed by importing again.
 */
export function importInput(
  deps: FeatureDeps<IngestStore, 'pubsub' | 'alerts' | 'now'>,
  input: IngestInput,
  meta: { readonly format: string; readonly warnings?: readonly string[]; readonly batchSize?: number },
  onProgress?: (done: number, total: number) => void,
): Promise<ImportSummary> {
  return importBatches((batch) => ingest(deps, batch), input, meta, onProgress);
}

/**
 * importInput over any way of storing one batch: the in-process `ingest`, or
 * (for the CLI talking to a server) the `ingest` mutation over HTTP.
 */
export async function importBatches(
  send: (batch: IngestInput) => Promise<IngestOutcome>,
  input: IngestInput,
  meta: { readonly format: string; readonly warnings?: readonly string[]; readonly batchSize?: number },
  onProgress?: (done: number, total: number) => void,
): Promise<ImportSummary> {
  const results = input.results ?? [];
  const errors: IngestError[] = [];
  const rejected = new Set<number>();
  let accepted = 0;
  let duplicates = 0;
  let last: IngestOutcome | null = null;
  let start = 0;
  for (const batch of splitIngestInput(input, meta.batchSize)) {
    last = await send(batch);
    accepted += last.accepted;
    duplicates += last.duplicates;
    for (const e of last.errors) {
      if (e.index >= 0) rejected.add(start + e.index);
      if (errors.length < ERRORS_SHOWN)
        errors.push({ ...e, index: e.index >= 0 ? start + e.index : e.index });
    }
    start += batch.results?.length ?? 0;
    onProgress?.(start, results.length);
  }
  const c = executionCounts(results, rejected);
  return {
    run: last!.run,
    format: meta.format,
    tests: c.tests,
    attempts: results.length,
    accepted,
    duplicates,
    rejected: rejected.size,
    passed: c.passed,
    failed: c.failed,
    flaky: c.flaky,
    skipped: c.skipped,
    errors,
    warnings: meta.warnings ?? [],
    dataVersion: last!.dataVersion,
  };
}

/** Parses a report of any format src/ingest reads (JUnit, CTRF, Playwright, Jest, TRX, NUnit, xUnit.net, TAP, go test -json) and imports it as one run. */
export async function importReport(
  deps: FeatureDeps<IngestStore, 'pubsub' | 'alerts' | 'now'>,
  source: ReportSource,
  ctx: ReportContext,
  options: {
    readonly format?: ReportFormat | null | undefined;
    readonly filename?: string | null | undefined;
  } = {},
  onProgress?: (done: number, total: number) => void,
): Promise<ImportSummary> {
  const parsed = await parseReport(source, ctx, {
    ...(options.format ? { format: options.format } : {}),
    ...(options.filename ? { filename: options.filename } : {}),
  });
  return importInput(deps, parsed.input, { format: parsed.format, warnings: parsed.warnings }, onProgress);
}

const failing = (status: string): boolean => {
  const s = status.toUpperCase();
  return s === 'FAILED' || s === 'ERROR';
};

/**
 * Several parsed reports of one build as one run's input: the results one
 * after another, the run from the first report with the earliest start, the
 * latest finish and every report's tags (earlier reports win). A test that
 * an earlier file already holds follows the parsers' rule for a repeated
 * testcase (src/ingest/results.ts): after a failure it is a retry (its
 * attempts continue the earlier ones), after a pass or skip a distinct case
 * `name [2]`, `name [3]`, …, so no file's rows collide with another's.
 * The run id is the caller's to set.
 */
export function mergeReports(reports: readonly ParsedReport[]): {
  input: IngestInput;
  format: string;
  warnings: string[];
} {
  const first = reports[0];
  if (!first) throw new RangeError('mergeReports needs at least one report');
  const runs = reports.map((r) => r.input.run);
  const time = (v: unknown): number =>
    v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : Number.NaN;
  const starts = runs.map((r) => r.startedAt).filter((v) => Number.isFinite(time(v)));
  const ends = runs.map((r) => r.finishedAt).filter((v) => Number.isFinite(time(v)));
  const earliest = starts.reduce((a, b) => (time(b) < time(a) ? b : a), first.input.run.startedAt);
  const latest = ends.length ? ends.reduce((a, b) => (time(b) > time(a) ? b : a)) : null;
  const tags = Object.assign(
    {},
    ...[...runs].reverse().map((r) => (r.tags ?? {}) as Record<string, string>),
  ) as Record<string, string>;

  const keyOf = (r: { suite: string; className?: string | null | undefined }, name: string) =>
    `${r.suite}\u001f${r.className ?? ''}\u001f${name}`;
  const seen = new Map<string, { name: string; copies: number; nextAttempt: number; lastFailed: boolean }>();
  const recorded = new Set<string>();
  const results: IngestResultInput[] = [];
  for (const report of reports) {
    const groups = new Map<string, IngestResultInput[]>();
    for (const r of report.input.results ?? []) {
      const k = keyOf(r, r.name);
      const g = groups.get(k);
      if (g) g.push(r);
      else groups.set(k, [r]);
    }
    for (const [key, rows] of groups) {
      const top = rows.reduce((a, b) => ((b.attempt ?? 1) >= (a.attempt ?? 1) ? b : a));
      const attempts = top.attempt ?? 1;
      const prev = seen.get(key);
      if (!prev) {
        results.push(...rows);
        seen.set(key, {
          name: top.name,
          copies: 1,
          nextAttempt: attempts + 1,
          lastFailed: failing(top.status),
        });
        recorded.add(key);
      } else if (prev.lastFailed) {
        const shift = prev.nextAttempt - 1;
        results.push(...rows.map((r) => ({ ...r, name: prev.name, attempt: (r.attempt ?? 1) + shift })));
        seen.set(key, { ...prev, nextAttempt: prev.nextAttempt + attempts, lastFailed: failing(top.status) });
      } else {
        const base = top.name;
        let n = prev.copies + 1;
        while (recorded.has(keyOf(top, `${base} [${n}]`))) n++;
        const name = `${base} [${n}]`;
        recorded.add(keyOf(top, name));
        results.push(...rows.map((r) => ({ ...r, name })));
        seen.set(key, { name, copies: n, nextAttempt: attempts + 1, lastFailed: failing(top.status) });
      }
    }
  }
  return {
    input: { run: { ...first.input.run, startedAt: earliest, finishedAt: latest, tags }, results },
    format: [...new Set(reports.map((r) => r.format))].join('+'),
    warnings: reports.flatMap((r) => r.warnings),
  };
}

/**
 * One build's parsed report files as one run: merged (mergeReports) under
 * `runId`, or without one under an id made from the ids the parser derived
 * from each file's bytes (one file keeps its own), so the same files give
 * the same run and a refused file does not count.
 */
export function mergeBuild(
  reports: readonly ParsedReport[],
  runId: string | null,
): { input: IngestInput; format: string; warnings: string[] } {
  const merged = mergeReports(reports);
  let id = runId;
  if (id === null) {
    if (reports.length === 1) id = reports[0]!.input.run.id;
    else {
      const h = createHash('sha256');
      for (const r of reports.map((x) => x.input.run.id).sort()) h.update(r).update('\0');
      id = `reports-${h.digest('hex').slice(0, 16)}`;
    }
  }
  return { ...merged, input: { ...merged.input, run: { ...merged.input.run, id } } };
}
