import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { TableLoadSummary } from '../domain/table-file.ts';
import type { ImportSummary } from '../../resolvers/import.ts';
import { parseTimestamp } from '../domain/time.ts';
import { REPORT_FILE_FORMATS, type ParsedReport, type ReportFormat } from '../ingest/report-context.ts';
import { UsageError, parse } from './args.ts';
import { expandFiles } from './files.ts';
import { progressBar } from './progress.ts';
import { openTarget, TARGET_OPTIONS, TARGET_USAGE } from './target.ts';

export const INGEST_USAGE = `assay ingest <files, directories or globs…> --project NAME [--branch B] [--commit SHA] [--run-id ID] [--server URL | --db PATH]

Imports test reports: JUnit XML (Surefire, Gradle, pytest, jest-junit, gotestsum,
PHPUnit, Mocha, Cypress, NUnit/xUnit, Swift, …), CTRF JSON, Playwright JSON,
Jest --json (and Vitest's), VSTest TRX, NUnit 3 XML, xUnit.net v2 XML,
TAP 13/14, go test -json, and CSV or Parquet
files in the export layout (bulk migration, --db only). All report files of one
call are read here and stored as one run, in batches of 50,000 (with --server,
through the ingest mutation); each CSV/Parquet row names its own run.
Re-running the same command stores nothing new.

  --project NAME     the project the results belong to (required for reports)
  --branch B         branch of the build, e.g. "$GITHUB_HEAD_REF"
  --commit SHA       commit of the build
  --run-id ID        your CI build id (default: derived from the project and the files' bytes)
  --started-at TIME  when the build started, if the reports do not say (ISO-8601)
  --tag KEY=VALUE    a run tag; repeatable
  --format F         ${Object.keys(REPORT_FILE_FORMATS).join(', ')} or auto (default auto: by content)
${TARGET_USAGE}

Exits 0 when every file was imported (rows refused inside a file are listed as
warnings), 1 when a file was refused (malformed, hostile or too large), 2 on a
bad command line.`;

const TABLE = /\.(csv|parquet)$/i;

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

interface Totals {
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

const add = (t: Totals, s: ImportSummary): void => {
  for (const k of Object.keys(t) as (keyof Totals)[]) t[k] += s[k];
};

const addTable = (t: Totals, s: TableLoadSummary): void => {
  for (const k of Object.keys(t) as (keyof Totals)[]) if (k !== 'rejected') t[k] += s[k];
};

const line = (
  s: Pick<
    Totals,
    'tests' | 'passed' | 'failed' | 'flaky' | 'skipped' | 'accepted' | 'duplicates' | 'rejected'
  >,
): string =>
  `${s.tests} tests: ${s.passed} passed (${s.flaky} flaky), ${s.failed} failed, ${s.skipped} skipped; ` +
  `${s.accepted} attempts stored, ${s.duplicates} already there, ${s.rejected} rejected`;

export async function ingestCommand(
  args: readonly string[],
  out: (line: string) => void,
  now: () => Date,
): Promise<number> {
  // The parsers (saxes) load here, not with the module: `assay --help` stays cheap.
  const [{ executionCounts, mergeBuild }, { parseTagArgs, reportContext }, { parseReport }] =
    await Promise.all([
      import('../../resolvers/import.ts'),
      import('../../resolvers/report-context.ts'),
      import('../ingest/index.ts'),
    ]);
  const { values, positionals } = parse(args, {
    ...TARGET_OPTIONS,
    project: { type: 'string' },
    branch: { type: 'string' },
    commit: { type: 'string' },
    'run-id': { type: 'string' },
    'started-at': { type: 'string' },
    tag: { type: 'string', multiple: true },
    format: { type: 'string' },
  });
  if (!positionals.length)
    throw new UsageError(
      'name at least one report file, directory or glob, e.g. "build/test-results/**/*.xml"',
    );
  const format = values.format ?? 'auto';
  if (format !== 'auto' && !Object.hasOwn(REPORT_FILE_FORMATS, format))
    throw new UsageError(
      `--format must be ${Object.keys(REPORT_FILE_FORMATS).join(', ')} or auto (got "${format}")`,
    );
  let startedAt: Date | null = null;
  if (values['started-at']) {
    const d = parseTimestamp(values['started-at']);
    if (typeof d === 'string') throw new UsageError(`--started-at ${d}`);
    startedAt = d;
  }
  let tags: Record<string, string>;
  try {
    tags = parseTagArgs(values.tag ?? [], '--tag');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let files: string[];
  try {
    files = expandFiles(positionals);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const reports = files.filter((f) => !TABLE.test(f));
  const tables = files.filter((f) => TABLE.test(f));
  if (reports.length && !values.project)
    throw new UsageError('--project is required for test reports: the project the results belong to');

  const runId = values['run-id'] ?? null;
  const ctx = reports.length
    ? reportContext(
        { project: values.project!, branch: values.branch, commit: values.commit, runId, startedAt, tags },
        now(),
      )
    : null;
  const target = await openTarget(values, { discover: true, create: true, now });
  const bar = progressBar();
  const totals: Totals = {
    tests: 0,
    attempts: 0,
    passed: 0,
    failed: 0,
    flaky: 0,
    skipped: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
  };
  const refused: string[] = [];
  const runs = new Set<string>();
  let tableRuns = 0;
  const started = performance.now();
  try {
    // Every report file is parsed here first, so a build's files become one run stored in
    // batches of 50,000 (not one batch per file: a later batch of a run re-sorts its tests).
    const parsed: ParsedReport[] = [];
    for (const [i, file] of reports.entries()) {
      const { size } = await stat(file);
      const label = `[${i + 1}/${reports.length}] reading ${file}`;
      try {
        const r = await parseReport(
          counted(file, (n) => bar.update(n, size, label)),
          ctx!,
          {
            ...(format !== 'auto' && { format: format as ReportFormat }),
            filename: file,
          },
        );
        bar.clear();
        parsed.push(r);
        const c = executionCounts(r.input.results ?? []);
        out(
          `${file} (${r.format}): ${c.tests} tests: ${c.passed} passed (${c.flaky} flaky), ${c.failed} failed, ${c.skipped} skipped; ${r.input.results?.length ?? 0} attempts`,
        );
        for (const w of r.warnings.slice(0, 5)) out(`  warning: ${w}`);
        if (r.warnings.length > 5) out(`  … and ${r.warnings.length - 5} more warnings`);
      } catch (err) {
        bar.clear();
        refused.push(file);
        out(`${file}: refused, nothing stored: ${(err as Error).message}`);
      }
    }
    if (parsed.length) {
      const merged = mergeBuild(parsed, runId);
      const s = await target.importRun(merged.input, merged, (done, total) =>
        bar.update(done, total, 'storing attempts', 'items'),
      );
      bar.clear();
      add(totals, s);
      runs.add(s.run.id);
      for (const e of s.errors.slice(0, 10)) out(`  rejected #${e.index} ${e.field}: ${e.message}`);
      if (s.rejected > 10) out(`  … and ${s.rejected - 10} more rejected`);
    }
    // Each CSV/Parquet file is bulk-loaded in one transaction: all of it or, when refused, nothing.
    for (const file of tables) {
      const kind = file.toLowerCase().endsWith('.csv') ? 'csv' : 'parquet';
      try {
        if (process.stderr.isTTY) process.stderr.write(`${file}: loading…`);
        const s = await target.loadTable(file, kind);
        if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
        addTable(totals, s);
        tableRuns += s.runs;
        out(
          `${file} (${kind}): ${s.runs} runs, ${s.accepted} attempts stored, ${s.duplicates} already there`,
        );
      } catch (err) {
        if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
        refused.push(file);
        out(`${file}: refused, nothing stored: ${(err as Error).message}`);
      }
    }
  } finally {
    bar.clear();
    await target.close();
  }
  const secs = (performance.now() - started) / 1000;
  out('');
  out(
    `Imported ${files.length - refused.length} of ${files.length} files into ${target.label} as ${runs.size + tableRuns} run${runs.size + tableRuns === 1 ? '' : 's'}${runs.size ? ` (${[...runs].slice(0, 3).join(', ')}${runs.size > 3 || tableRuns ? ', …' : ''})` : ''} in ${secs.toFixed(1)} s`,
  );
  out(`  ${line(totals)}`);
  if (refused.length) out(`  refused: ${refused.join(', ')}`);
  return refused.length ? 1 : 0;
}
