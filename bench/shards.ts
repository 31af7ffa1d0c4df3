/**
 * A run sent in 10 shards (each CI shard posts its own tests to one run id)
 * on a copy of the reference set: each shard's batch time next to a fresh
 * run's batch of the same size (the goal: within 2×). Shard batches take the
 * append path per test (src/db/batch-rollup.ts), as a fresh run does.
 * Run alone: `node --import tsx bench/shards.ts [--tests N --runs N]`
 * (default the quick reference set, ≈ 1M results).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore } from '../src/db/store.ts';
import { validateIngest } from '../src/domain/ingest-batch.ts';
import type { IngestInput } from '../src/domain/types.ts';
import { progress, summarise, timed, type Summary } from './lib.ts';
import { ensureReferenceSetInChild } from './reference.ts';

export interface ShardFigure {
  readonly shards: number;
  readonly perShard: number;
  /** One shard's batch, in ms, over the 10 shards. */
  readonly shardMs: Summary;
  /** A fresh run's batch of the same size, in ms. */
  readonly freshMs: Summary;
  /** Median shard batch over median fresh batch. */
  readonly ratio: number;
}

export async function benchShards(reference: string, shards = 10, freshRuns = 3): Promise<ShardFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-shards-'));
  try {
    const path = join(dir, 'shards.duckdb');
    copyFileSync(reference, path);
    const store = await openStore({ path, readers: 2 });
    try {
      const [p] = await store.db.query<{ project: string; last: Date }>(
        'SELECT project, max(started_at) AS last FROM runs GROUP BY project ORDER BY project LIMIT 1',
      );
      const tests = await store.db.query<{ suite: string; class_name: string | null; name: string }>(
        'SELECT suite, class_name, name FROM tests WHERE project = $1 ORDER BY id',
        [p!.project],
      );
      const perShard = Math.floor(tests.length / shards);
      let hour = 1;
      const run = (id: string, slice: typeof tests): IngestInput => {
        const startedAt = new Date(p!.last.getTime() + hour++ * 3_600_000).toISOString();
        return {
          run: { id, project: p!.project, branch: 'main', commit: id, startedAt },
          results: slice.map((t, i) => ({
            suite: t.suite,
            className: t.class_name,
            name: t.name,
            status: i % 50 === 0 ? 'FAILED' : 'PASSED',
            durationMs: 100 + (i % 17),
            startedAt,
          })),
        };
      };
      const send = async (input: IngestInput) => (await timed(() => store.ingest(validateIngest(input)))).ms;
      const sharded = run('bench-sharded', tests);
      const shardMs: number[] = [];
      for (let k = 0; k < shards; k++) {
        const results = sharded.results!.filter((_, i) => i % shards === k).slice(0, perShard);
        shardMs.push(await send({ run: sharded.run, results }));
      }
      const freshMs: number[] = [];
      for (let k = 0; k < freshRuns; k++)
        freshMs.push(
          await send(run(`bench-fresh-${k}`, tests.filter((_, i) => i % shards === k).slice(0, perShard))),
        );
      const f: ShardFigure = {
        shards,
        perShard,
        shardMs: summarise(shardMs),
        freshMs: summarise(freshMs),
        ratio: Math.round((summarise(shardMs).p50 / summarise(freshMs).p50) * 100) / 100,
      };
      progress(
        `  ${shards} shards of ${perShard} results: shard batch p50 ${f.shardMs.p50} ms (max ${f.shardMs.max}), fresh run's batch p50 ${f.freshMs.p50} ms: ${f.ratio}×`,
      );
      return f;
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  progress(`a run in shards on a copy of the reference set (${set.path})…`);
  process.stdout.write(`${JSON.stringify(await benchShards(set.path), null, 2)}\n`);
}
