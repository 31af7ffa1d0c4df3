import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TABLE_COLUMNS } from '../db/table-layout.ts';
import { UsageError, parse } from './args.ts';
import { SLICE_OPTIONS, SLICE_USAGE, sliceFilter } from './slice.ts';
import { openTarget } from './target.ts';

export const EXPORT_USAGE = `assay export --format parquet|csv --out DIR [slice] [--db PATH]

Writes the slice's results, one row per attempt with its run and test, to
DIR/results.parquet or DIR/results.csv. The columns are those
\`assay ingest\` bulk-loads, so an export loads back unchanged:
${TABLE_COLUMNS.join(', ')}.

  --format F   parquet (default) or csv
  --out DIR    directory to write into (created if missing)
${SLICE_USAGE}
  --db PATH    database file (default $ASSAY_DB or data/assay.duckdb; it must exist)`;

export async function exportCommand(
  args: readonly string[],
  out: (line: string) => void,
  now: () => Date,
): Promise<number> {
  const { values, positionals } = parse(args, {
    ...SLICE_OPTIONS,
    db: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const format = (values.format ?? 'parquet').toLowerCase();
  if (format !== 'parquet' && format !== 'csv')
    throw new UsageError(`--format must be parquet or csv (got "${values.format}")`);
  if (!values.out)
    throw new UsageError('--out DIR is required: the directory to write results.' + format + ' into');
  const filter = sliceFilter(values, now());
  const file = join(values.out, `results.${format}`);
  const target = await openTarget({ db: values.db }, { now });
  try {
    mkdirSync(resolve(values.out), { recursive: true });
    // One COPY statement: no finer progress to show than its start.
    process.stderr.write(`Exporting results from ${target.label} to ${file}…\n`);
    const n = await target.app!.store.exportResults(filter, format, file);
    out(`Exported ${n} results from ${target.label} to ${file}`);
  } finally {
    await target.close();
  }
  return 0;
}
