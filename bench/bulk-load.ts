/**
 * Bulk load of an export (`assay export` → `assay ingest file.parquet|csv`):
 * the reference set exported to Parquet and CSV, each loaded (one transaction,
 * set-based: src/db/bulk-load.ts) into a fresh database file, into a database
 * already holding another history (the demo's, `npm start`), and again (every
 * row a duplicate). Counts are checked equal to the sources'. Also the demo
 * history's round trip: exported, loaded into a fresh file, the same counts
 * and answers. Run alone: `node --import tsx bench/bulk-load.ts [--tests N --runs N]`
 * (default the quick reference set, 5,000 × 200 per project ≈ 1M results).
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { flakinessFromAggregates } from '../src/analytics/flakiness.ts';
import { Database } from '../src/db/database.ts';
import { generateDemo } from '../src/db/demo.ts';
import { openStore } from '../src/db/store.ts';
import { DEFAULT_EVIDENCE_OPTIONS } from '../src/domain/flakiness.ts';
import type { TableFormat } from '../src/domain/table-file.ts';
import type { MetricsQuery } from '../src/domain/types.ts';
import { progress, timed } from './lib.ts';
import { ensureReferenceSetInChild } from './reference.ts';
import { GOALS } from './run-figures.ts';
import type { Figure } from './report.ts';

type Store = Awaited<ReturnType<typeof openStore>>;
type Into = 'fresh' | 'non-empty' | 'reload';

export interface BulkLoadFigure {
  readonly format: TableFormat;
  /** A fresh database; one already holding the demo history; the same file again (all duplicates). */
  readonly into: Into;
  readonly rows: number;
  readonly fileMb: number;
  readonly loadMs: number;
  readonly rowsPerSecond: number;
  /** CPU time of the process over the load (DuckDB's threads included): steadier than wall time on a busy machine. */
  readonly cpuMs: number;
}

const INTO: Readonly<Record<Into, string>> = {
  fresh: 'into a fresh database',
  'non-empty': 'into a database holding another history',
  reload: 'again (every row a duplicate)',
};

/** Per project and day: executions, pass and flaky rates, p95 duration; the demo's answers compared across the round trip. */
const METRICS: MetricsQuery = {
  filter: {},
  groupBy: ['PROJECT'],
  groupByTags: [],
  bucket: 'DAY',
  measures: [
    { kind: 'count', name: 'executions' },
    { kind: 'count', name: 'passRate' },
    { kind: 'count', name: 'flakyRate' },
    { kind: 'duration', stat: 'P95' },
  ],
  orderBy: null,
  limit: 100_000,
};

/** The answers the round trip must keep: counts, daily metrics, and the 20 flakiest tests with their scores. */
async function answers(s: Store) {
  const ranked = (await s.flakinessAggregates({}, DEFAULT_EVIDENCE_OPTIONS))
    .map((a) => ({ id: a.testId, ...flakinessFromAggregates(a) }))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, 20)
    .map((r) => [r.id, r.classification, r.score.toFixed(9)]);
  return JSON.stringify({ counts: await s.counts(), metrics: await s.metrics(METRICS), ranked });
}

const sum = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v + (b[k] ?? 0)]));

/** The demo history (30 days) in a file of its own, exported to `format`; checked to round-trip. */
async function demoRoundTrip(dir: string, format: TableFormat) {
  const path = join(dir, 'demo.duckdb');
  if (!existsSync(path)) {
    const db = await Database.open({ path, readers: 1 });
    await generateDemo(db, { end: new Date('2026-11-01T00:00:00Z') }).finally(() => db.close());
  }
  const source = await openStore({ path, readers: 2 });
  const file = join(dir, `demo.${format}`);
  try {
    const rows = await source.exportResults({}, format, file);
    const copy = await openStore({ path: join(dir, `demo-copy-${format}.duckdb`), readers: 2 });
    try {
      await copy.loadTableFile(file, format);
      const [want, got] = [await answers(source), await answers(copy)];
      if (got !== want) throw new Error(`the demo's ${format} round trip answers differently`);
      progress(
        `  demo history (${rows.toLocaleString('en-US')} rows) round-trips through ${format}: same counts and answers`,
      );
      return { file, counts: await source.counts() };
    } finally {
      await copy.close();
    }
  } finally {
    await source.close();
  }
}

export async function benchBulkLoad(reference: string): Promise<BulkLoadFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-bulk-'));
  const out: BulkLoadFigure[] = [];
  try {
    const source = await openStore({ path: reference, readers: 2 });
    const counts = await source.counts();
    try {
      for (const format of ['parquet', 'csv'] as const) {
        const demo = await demoRoundTrip(dir, format);
        const file = join(dir, `export.${format}`);
        const rows = await source.exportResults({}, format, file);
        const fileMb = Math.round(statSync(file).size / 1e5) / 10;
        const load = async (target: Store, into: Into, expected: Record<string, number>) => {
          const cpu = process.cpuUsage();
          const t = await timed(() => target.loadTableFile(file, format));
          const used = process.cpuUsage(cpu);
          const got = await target.counts();
          if (JSON.stringify(got) !== JSON.stringify(expected))
            throw new Error(
              `loaded ${JSON.stringify(got)} ${INTO[into]}, expected ${JSON.stringify(expected)}`,
            );
          if (t.value.accepted !== (into === 'reload' ? 0 : rows))
            throw new Error(`stored ${t.value.accepted} of ${rows} rows ${INTO[into]}`);
          const f = {
            format,
            into,
            rows,
            fileMb,
            loadMs: Math.round(t.ms),
            rowsPerSecond: Math.round(rows / (t.ms / 1000)),
            cpuMs: Math.round((used.user + used.system) / 1000),
          };
          progress(
            `  ${format} (${fileMb} MB) ${INTO[into]}: ${rows.toLocaleString('en-US')} rows in ${f.loadMs} ms = ${f.rowsPerSecond.toLocaleString('en-US')} rows/s (${f.cpuMs} ms of CPU)`,
          );
          out.push(f);
        };
        const fresh = await openStore({ path: join(dir, `load-${format}.duckdb`), readers: 2 });
        try {
          await load(fresh, 'fresh', counts);
        } finally {
          await fresh.close();
        }
        const other = await openStore({ path: join(dir, `load-${format}-onto-demo.duckdb`), readers: 2 });
        try {
          await other.loadTableFile(demo.file, format);
          await load(other, 'non-empty', sum(counts, demo.counts));
          await load(other, 'reload', sum(counts, demo.counts));
        } finally {
          await other.close();
        }
      }
    } finally {
      await source.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** The bulk-load rows of the bench's table, each with the goal of 300,000 rows/s. */
export async function bulkLoadFigures(reference: string): Promise<Figure[]> {
  progress(`bulk load of the reference set's export (${reference}):`);
  return (await benchBulkLoad(reference)).map((f) => ({
    figure: `bulk load of a ${f.format === 'csv' ? 'CSV' : 'Parquet'} export (${f.rows.toLocaleString('en-US')} rows) ${INTO[f.into]}`,
    value: f.rowsPerSecond,
    unit: 'rows/s',
    goal: { op: '>=', value: GOALS.bulkRowsPerSecond },
  }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string, d: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : d;
  };
  const set = await ensureReferenceSetInChild({
    tests: arg('--tests', 5000),
    runs: arg('--runs', 200),
    seed: 42,
  });
  if (!existsSync(set.path)) throw new Error(`no reference set at ${set.path}`);
  progress(`bulk load of the reference set's export (${set.path})…`);
  const figures = await benchBulkLoad(set.path);
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}
