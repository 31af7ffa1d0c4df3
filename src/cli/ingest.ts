import { parseTimestamp } from '../domain/time.ts';
import { REPORT_FILE_FORMATS, type ReportFormat } from '../ingest/report-context.ts';
import { UsageError, parse } from './args.ts';
import { expandFiles, groupAllureSets } from './files.ts';
import { progressBar } from './progress.ts';
import { openTarget, TARGET_OPTIONS, TARGET_USAGE } from './target.ts';

export const INGEST_USAGE = `assay ingest <files, directories or globs…> --project NAME [--branch B] [--commit SHA] [--run-id ID] [--server URL | --db PATH]

Imports test reports: JUnit XML (Surefire, Gradle, pytest, jest-junit, gotestsum,
PHPUnit, Mocha, Cypress, NUnit/xUnit, Swift, …), CTRF JSON, Playwright JSON,
Jest --json (and Vitest's), VSTest TRX, NUnit 3 XML, xUnit.net v2 XML,
TAP 13/14, go test -json, Allure 2 results (each directory holding
*-result.json files, e.g. allure-results/, is read as one set: retries by
historyId, fixtures by container), and CSV or Parquet
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

const OPTIONS = {
  ...TARGET_OPTIONS,
  project: { type: 'string' },
  branch: { type: 'string' },
  commit: { type: 'string' },
  'run-id': { type: 'string' },
  'started-at': { type: 'string' },
  tag: { type: 'string', multiple: true },
  format: { type: 'string' },
} as const;

/** The command line, checked: what to read and where it belongs. */
function readArgs(
  args: readonly string[],
  parseTagArgs: (tags: readonly string[], what: string) => Record<string, string>,
) {
  const { values, positionals } = parse(args, OPTIONS);
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
  let files: string[];
  try {
    tags = parseTagArgs(values.tag ?? [], '--tag');
    files = expandFiles(positionals);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { sets: allure, rest } = groupAllureSets(files);
  const reports = rest.filter((f) => !TABLE.test(f));
  const tables = rest.filter((f) => TABLE.test(f));
  if ((reports.length || allure.length) && !values.project)
    throw new UsageError('--project is required for test reports: the project the results belong to');
  return {
    values,
    format: format === 'auto' ? null : (format as ReportFormat),
    startedAt,
    tags,
    reports,
    tables,
    allure,
  };
}

export async function ingestCommand(
  args: readonly string[],
  out: (line: string) => void,
  now: () => Date,
): Promise<number> {
  // The parsers (saxes) load here, not with the module: `assay --help` stays cheap.
  const [{ mergeBuild }, { parseTagArgs, reportContext }, read] = await Promise.all([
    import('../../resolvers/import.ts'),
    import('../../resolvers/report-context.ts'),
    import('./ingest-read.ts'),
  ]);
  const a = readArgs(args, parseTagArgs);
  const runId = a.values['run-id'] ?? null;
  const hasReports = a.reports.length > 0 || a.allure.length > 0;
  // Only tables: no project needed (each CSV/Parquet row names its own run).
  const ctx = hasReports
    ? reportContext(
        {
          project: a.values.project ?? '',
          branch: a.values.branch,
          commit: a.values.commit,
          runId,
          startedAt: a.startedAt,
          tags: a.tags,
        },
        now(),
      )
    : null;
  const target = await openTarget(a.values, { discover: true, create: true, now });
  const bar = progressBar();
  const totals = read.emptyTotals();
  const runs = new Set<string>();
  const refused: string[] = [];
  let tableRuns = 0;
  const started = performance.now();
  try {
    const { parsed, refused: bad } = ctx
      ? await read.parseAll({ reports: a.reports, allureSets: a.allure, ctx, format: a.format }, bar, out)
      : { parsed: [], refused: [] };
    refused.push(...bad);
    if (parsed.length) {
      const merged = mergeBuild(parsed, runId);
      const s = await target.importRun(merged.input, merged, (done, total) =>
        bar.update(done, total, 'storing attempts', 'items'),
      );
      bar.clear();
      read.addSummary(totals, s);
      runs.add(s.run.id);
      for (const e of s.errors.slice(0, 10)) out(`  rejected #${e.index} ${e.field}: ${e.message}`);
      if (s.rejected > 10) out(`  … and ${s.rejected - 10} more rejected`);
    }
    const t = await read.loadTables(a.tables, target, totals, out);
    tableRuns = t.runs;
    refused.push(...t.refused);
  } finally {
    bar.clear();
    await target.close();
  }
  const count = a.reports.length + a.allure.length + a.tables.length;
  const secs = (performance.now() - started) / 1000;
  const n = runs.size + tableRuns;
  const ids = runs.size
    ? ` (${[...runs].slice(0, 3).join(', ')}${runs.size > 3 || tableRuns ? ', …' : ''})`
    : '';
  out('');
  out(
    `Imported ${count - refused.length} of ${count} files into ${target.label} as ${n} run${n === 1 ? '' : 's'}${ids} in ${secs.toFixed(1)} s`,
  );
  out(`  ${read.totalsLine(totals)}`);
  if (refused.length) out(`  refused: ${refused.join(', ')}`);
  return refused.length ? 1 : 0;
}
