/**
 * What `assay ingest` does with its files: parse every report (and every
 * Allure results directory, one set of files each) before anything is stored,
 * then load CSV/Parquet files one transaction each. Loaded on demand with the
 * parsers, so `assay --help` stays cheap.
 */
import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { executionCounts } from '../../resolvers/import.ts';
import type { ImportSummary } from '../../resolvers/import.ts';
import type { TableLoadSummary } from '../domain/table-file.ts';
import { parseAllureResults, parseReport } from '../ingest/index.ts';
import type { ParsedReport, ReportContext, ReportFormat } from '../ingest/report-context.ts';
import type { AllureSetFiles } from './files.ts';
import type { progressBar } from './progress.ts';
import type { Target } from './target.ts';

type Bar = ReturnType<typeof progressBar>;
type Out = (line: string) => void;

export interface Totals {
  tests: number;
  attempts: number;
  passed: number;
  failed: number;
  flaky: number;
  skipped: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

export const emptyTotals = (): Totals => ({
  tests: 0,
  attempts: 0,
  passed: 0,
  failed: 0,
  flaky: 0,
  skipped: 0,
  accepted: 0,
  duplicates: 0,
  rejected: 0,
});

export const addSummary = (t: Totals, s: ImportSummary): void => {
  for (const k of Object.keys(t) as (keyof Totals)[]) t[k] += s[k];
};

const addTable = (t: Totals, s: TableLoadSummary): void => {
  for (const k of Object.keys(t) as (keyof Totals)[]) if (k !== 'rejected') t[k] += s[k];
};

export const totalsLine = (s: Totals): string =>
  `${s.tests} tests: ${s.passed} passed (${s.flaky} flaky), ${s.failed} failed, ${s.skipped} skipped; ` +
  `${s.accepted} attempts stored, ${s.duplicates} already there, ${s.rejected} rejected`;

/** A file's bytes as a stream, counting them as they are read. */
function counted(path: string, onBytes: (bytes: number) => void): ReadStream {
  let n = 0;
  const s = createReadStream(path, { highWaterMark: 256 * 1024 });
  s.on('data', (chunk) => {
    n += (chunk as Buffer).length;
    onBytes(n);
  });
  return s;
}

function describeParsed(label: string, r: ParsedReport, out: Out): void {
  const c = executionCounts(r.input.results ?? []);
  out(
    `${label} (${r.format}): ${c.tests} tests: ${c.passed} passed (${c.flaky} flaky), ${c.failed} failed, ${c.skipped} skipped; ${r.input.results?.length ?? 0} attempts`,
  );
  for (const w of r.warnings.slice(0, 5)) out(`  warning: ${w}`);
  if (r.warnings.length > 5) out(`  … and ${r.warnings.length - 5} more warnings`);
}

export interface ReadJob {
  readonly reports: readonly string[];
  readonly allureSets: readonly AllureSetFiles[];
  readonly ctx: ReportContext;
  readonly format: ReportFormat | null;
}

/**
 * Parses every report file and Allure directory; a refused one is named in
 * `refused` and stores nothing. Every file is parsed first, so a build's
 * files become one run stored in batches of 50,000.
 */
export async function parseAll(
  job: ReadJob,
  bar: Bar,
  out: Out,
): Promise<{ parsed: ParsedReport[]; refused: string[] }> {
  const parsed: ParsedReport[] = [];
  const refused: string[] = [];
  const total = job.reports.length + job.allureSets.length;
  for (const [i, { dir, files: paths, ignored }] of job.allureSets.entries()) {
    bar.update(i, total, `[${i + 1}/${total}] reading Allure results ${dir}`, 'items');
    try {
      const files = paths.map((path) => ({ name: basename(path), read: () => createReadStream(path) }));
      const r = await parseAllureResults(files, { ...job.ctx, fileName: dir });
      bar.clear();
      parsed.push(r);
      describeParsed(
        `${dir} (${files.length} files${ignored ? `, ${ignored} other file${ignored === 1 ? '' : 's'} not read` : ''})`,
        r,
        out,
      );
    } catch (err) {
      bar.clear();
      refused.push(dir);
      out(`${dir}: refused, nothing stored: ${(err as Error).message}`);
    }
  }
  for (const [i, file] of job.reports.entries()) {
    const { size } = await stat(file);
    const label = `[${job.allureSets.length + i + 1}/${total}] reading ${file}`;
    try {
      const r = await parseReport(
        counted(file, (n) => bar.update(n, size, label)),
        job.ctx,
        { ...(job.format && { format: job.format }), filename: file },
      );
      bar.clear();
      parsed.push(r);
      describeParsed(file, r, out);
    } catch (err) {
      bar.clear();
      refused.push(file);
      out(`${file}: refused, nothing stored: ${(err as Error).message}`);
    }
  }
  return { parsed, refused };
}

/** Bulk-loads each CSV/Parquet file in one transaction: all of it or, when refused, nothing. */
export async function loadTables(
  tables: readonly string[],
  target: Target,
  totals: Totals,
  out: Out,
): Promise<{ runs: number; refused: string[] }> {
  let runs = 0;
  const refused: string[] = [];
  for (const file of tables) {
    const kind = file.toLowerCase().endsWith('.csv') ? 'csv' : 'parquet';
    try {
      if (process.stderr.isTTY) process.stderr.write(`${file}: loading…`);
      const s = await target.loadTable(file, kind);
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      addTable(totals, s);
      runs += s.runs;
      out(`${file} (${kind}): ${s.runs} runs, ${s.accepted} attempts stored, ${s.duplicates} already there`);
    } catch (err) {
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      refused.push(file);
      out(`${file}: refused, nothing stored: ${(err as Error).message}`);
    }
  }
  return { runs, refused };
}
