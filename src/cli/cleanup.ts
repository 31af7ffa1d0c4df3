import { startOfDayUtc } from '../domain/time.ts';
import { UsageError, intOption, parse } from './args.ts';
import { openTarget } from './target.ts';

export const CLEANUP_USAGE = `assay cleanup --keep-days N [--dry-run] [--no-compact] [--db PATH]

Deletes runs that started more than N days ago (counted from the start of
today, UTC), with their results, executions, breaker events and rollups, and
tests left without results. Then, by default, compacts the file: DuckDB never
shrinks a file in place, so the database is copied into a fresh file that
replaces the old one (it needs free disk space for the copy). The file's size
before the cleanup and after is printed. Alerts stay. Works on the database file
directly: stop the server that holds it first.

  --keep-days N   days of history to keep (≥ 1)
  --dry-run       say what would be deleted, delete nothing
  --no-compact    delete and checkpoint only; the file keeps its size
  --db PATH       database file (default data/assay.duckdb)`;

const MB = 1024 * 1024;
const megabytes = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

export async function cleanupCommand(
  args: readonly string[],
  out: (line: string) => void,
  now: () => Date,
): Promise<number> {
  const { values, positionals } = parse(args, {
    db: { type: 'string' },
    'keep-days': { type: 'string' },
    'dry-run': { type: 'boolean' },
    'no-compact': { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values['keep-days'] === undefined) throw new UsageError('--keep-days is required, e.g. --keep-days 90');
  const keep = intOption('keep-days', values['keep-days'], 90, 1, 36_500);
  const at = now();
  const cutoff = new Date(startOfDayUtc(at).getTime() - keep * 86_400_000);
  const target = await openTarget({ db: values.db }, { now });
  // DuckDB loads when the command runs, not with its help.
  const { compactDatabaseFile, databaseBytes } = await import('../db/compact.ts');
  const path = target.app!.store.db.path;
  const bytesBefore = databaseBytes(path);
  const dry = values['dry-run'] ?? false;
  let deleted = 0;
  try {
    const r = await target.app!.store.deleteRunsBefore(cutoff, { dryRun: dry });
    deleted = r.runs;
    out(
      `${dry ? 'Would delete' : 'Deleted'} ${r.runs} runs started before ${cutoff.toISOString().slice(0, 10)} with ${r.results} results and ${r.tests} tests left without results from ${target.label}${dry || !r.runs ? '.' : ', and checkpointed it.'}`,
    );
  } finally {
    await target.close();
  }
  if (dry || deleted === 0 || path === ':memory:') return 0;
  // Compacted once closed: the copy must see everything committed, and this process must not hold the file twice.
  if (values['no-compact']) {
    out(
      `${path}: ${megabytes(bytesBefore)} before the cleanup, ${megabytes(databaseBytes(path))} after (not compacted; DuckDB reuses the freed space).`,
    );
    return 0;
  }
  try {
    const { bytesAfter } = await compactDatabaseFile(path);
    out(`Compacted ${path}: ${megabytes(bytesBefore)} before the cleanup, ${megabytes(bytesAfter)} after.`);
  } catch (err) {
    throw new Error(
      `the runs were deleted, but compacting ${path} failed and left it as it was: ${(err as Error).message}`,
    );
  }
  return 0;
}
