/**
 * Bulk load of an export (`assay export` → `assay ingest file.parquet|csv`):
 * the reference set exported to Parquet and CSV, each loaded into a fresh
 * database file (one transaction, set-based: src/db/bulk-load.ts), then
 * loaded again (all duplicates). Counts are checked equal to the source's.
 * Run alone: `node --import tsx bench/bulk-load.ts [--tests N --runs N]`
 * (default the quick reference set, 5,000 × 200 per project ≈ 1M results).
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore } from '../src/db/store.ts';
import { progress, timed } from './lib.ts';
import { ensureReferenceSetInChild } from './reference.ts';

export interface BulkLoadFigure {
  readonly format: 'parquet' | 'csv';
  readonly rows: number;
  readonly fileMb: number;
  readonly exportMs: number;
  readonly loadMs: number;
  readonly rowsPerSecond: number;
  /** Loading the same file again: every row a duplicate, nothing written. */
  readonly reloadMs: number;
}

export async function benchBulkLoad(reference: string): Promise<BulkLoadFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-bulk-'));
  const out: BulkLoadFigure[] = [];
  try {
    const source = await openStore({ path: reference, readers: 2 });
    const counts = await source.counts();
    try {
      for (const format of ['parquet', 'csv'] as const) {
        const file = join(dir, `export.${format}`);
        const exp = await timed(() => source.exportResults({}, format, file));
        const target = await openStore({ path: join(dir, `load-${format}.duckdb`), readers: 2 });
        try {
          const load = await timed(() => target.loadTableFile(file, format));
          const got = await target.counts();
          if (JSON.stringify(got) !== JSON.stringify(counts))
            throw new Error(`loaded ${JSON.stringify(got)}, the source has ${JSON.stringify(counts)}`);
          const reload = await timed(() => target.loadTableFile(file, format));
          if (reload.value.accepted !== 0) throw new Error(`a re-load stored ${reload.value.accepted} rows`);
          const f: BulkLoadFigure = {
            format,
            rows: exp.value,
            fileMb: Math.round(statSync(file).size / 1e5) / 10,
            exportMs: Math.round(exp.ms),
            loadMs: Math.round(load.ms),
            rowsPerSecond: Math.round(exp.value / (load.ms / 1000)),
            reloadMs: Math.round(reload.ms),
          };
          progress(
            `  ${format}: ${f.rows.toLocaleString('en-US')} rows (${f.fileMb} MB) exported in ${f.exportMs} ms, ` +
              `loaded in ${f.loadMs} ms = ${f.rowsPerSecond.toLocaleString('en-US')} rows/s, re-loaded (all duplicates) in ${f.reloadMs} ms`,
          );
          out.push(f);
        } finally {
          await target.close();
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
