import { UsageError, intOption, parse } from './args.ts';
import { openTarget } from './target.ts';

export const CLEANUP_USAGE = `assay cleanup --keep-days N [--dry-run] [--db PATH]

Deletes runs that started more than N days ago (counted from the start of
today, UTC), with their results, executions, breaker events and rollups, and
tests left without results; then checkpoints the file. Alerts stay. Works on
the database file directly: stop the server that holds it first.

  --keep-days N   days of history to keep (≥ 1)
  --dry-run       say what would be deleted, delete nothing
  --db PATH       database file (default data/assay.duckdb)`;

export async function cleanupCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parse(args, { db: { type: 'string' }, 'keep-days': { type: 'string' }, 'dry-run': { type: 'boolean' } });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values['keep-days'] === undefined) throw new UsageError('--keep-days is required, e.g. --keep-days 90');
  const keep = intOption('keep-days', values['keep-days'], 90, 1, 36_500);
  const now = new Date();
  const cutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - keep * 86_400_000);
  const target = await openTarget({ db: values.db });
  try {
    const dry = values['dry-run'] ?? false;
    const r = await target.app!.store.deleteRunsBefore(cutoff, { dryRun: dry });
    out(`${dry ? 'Would delete' : 'Deleted'} ${r.runs} runs started before ${cutoff.toISOString().slice(0, 10)} with ${r.results} results and ${r.tests} tests left without results from ${target.label}${dry || !r.runs ? '.' : ', and checkpointed it.'}`);
  } finally {
    await target.close();
  }
  return 0;
}
