import { UsageError, parse } from './args.ts';
import { openTarget } from './target.ts';

export const SNAPSHOT_USAGE = `assay snapshot --dir PATH [--db PATH]

Writes a snapshot of a database file (every table as Parquet, with the position
in the replicas' shared log it holds) under --dir, as a replica with
--snapshot-dir does every hour. A replica started on a database file that does
not exist yet starts from the newest snapshot there. The file must not be held
by a running server: stop it, or let the replicas write their own.

  --dir PATH   the snapshot directory the replicas share (--snapshot-dir)
  --db PATH    the database file (default $ASSAY_DB or data/assay.duckdb)`;

export async function snapshotCommand(
  args: readonly string[],
  out: (line: string) => void,
  now: () => Date,
): Promise<number> {
  const { values, positionals } = parse(args, { dir: { type: 'string' }, db: { type: 'string' } });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.dir)
    throw new UsageError(
      '--dir is required: the snapshot directory the replicas share, e.g. --dir data/snapshots',
    );
  const target = await openTarget({ db: values.db }, { now });
  try {
    const { writeSnapshot } = await import('../db/snapshot.ts');
    const started = performance.now();
    const { path, position } = await writeSnapshot(target.app!.store.db, values.dir);
    out(
      `Snapshot of ${target.label} at log position ${position} written to ${path} in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    await target.close();
  }
  return 0;
}
