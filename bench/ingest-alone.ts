/**
 * The ingest throughput section alone (bench/ingest.ts, `benchIngest`): `--batches` calls of
 * `--size` results through the GraphQL mutation, into a fresh database or, with `--reference
 * FILE`, into a copy of that file (such as the reference set in bench/data/).
 *
 *   node --import tsx bench/ingest-alone.ts [--size 5000] [--batches 10] [--reference FILE]
 */
import { benchIngest } from './ingest.ts';
import { loadContract } from './lib.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const f = await benchIngest(
  loadContract(),
  Number(arg('size') ?? 5000),
  Number(arg('batches') ?? 10),
  arg('reference') ?? null,
);
console.log(
  `${f.batches} calls of ${f.batchSize} into a ${arg('reference') ? 'copy of the reference set' : 'fresh database'}: ${f.resultsPerSecond.toLocaleString('en-US')} results/s, call p50 ${Math.round(f.call.p50)} ms`,
);
