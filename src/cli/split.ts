import { TEST_LIST_FORMATS, formatTestList, type TestListFormat } from '../report/test-list.ts';
import { UsageError, intOption, parse } from './args.ts';
import { SLICE_OPTIONS, SLICE_USAGE, sliceFilter } from './slice.ts';
import { openTarget, TARGET_OPTIONS, TARGET_USAGE } from './target.ts';

export const SPLIT_USAGE = `assay split --shards N --index K [--format ids] [--stat P90] [--test-id ID]… [slice] [--server URL | --db PATH]

Prints the tests shard K of N should run, split so the shards take about the
same time by each test's recent durations (the last 14 days unless --from or
--days), for a CI matrix: e.g. \`pytest $(assay split --shards 4 --index $I --format pytest --project api)\`.
With --test-id, only the named tests are split; those without history yet are
spread by count.
A summary of the split goes to stderr.

  --shards N     number of shards (1 to 256)
  --index K      which shard to print, 0-based (0 to N − 1)
  --format F     ${TEST_LIST_FORMATS.join(', ')} (default ids)
  --stat S       duration statistic per test: P90 (default), P50, P95, P99, AVG, MAX
  --test-id ID   split only these tests, placing those without history too (repeatable)
${SLICE_USAGE}
${TARGET_USAGE}`;

const QUERY = `query Split($filter: ResultFilter, $shards: Int!, $stat: Stat) {
  testShards(filter: $filter, shards: $shards, stat: $stat) {
    makespanMs lowerBoundMs imbalance
    shards { index expectedMs tests { testId expectedMs test { suite className name } } }
  }
}`;

interface Plan {
  testShards: {
    makespanMs: number;
    lowerBoundMs: number;
    imbalance: number | null;
    shards: {
      index: number;
      expectedMs: number;
      tests: {
        testId: string;
        expectedMs: number | null;
        test: { suite: string; className: string | null; name: string } | null;
      }[];
    }[];
  };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export async function splitCommand(
  args: readonly string[],
  out: (line: string) => void,
  now: () => Date,
): Promise<number> {
  const { values, positionals } = parse(args, {
    ...TARGET_OPTIONS,
    ...SLICE_OPTIONS,
    shards: { type: 'string' },
    index: { type: 'string' },
    format: { type: 'string' },
    stat: { type: 'string' },
    'test-id': { type: 'string', multiple: true },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.shards === undefined || values.index === undefined)
    throw new UsageError('--shards and --index are required, e.g. --shards 4 --index 0');
  const shards = intOption('shards', values.shards, 1, 1, 256);
  const index = intOption('index', values.index, 0, 0, shards - 1);
  const format = (values.format ?? 'ids') as TestListFormat;
  if (!TEST_LIST_FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${TEST_LIST_FORMATS.join(', ')} (got "${values.format}")`);
  const stat = values.stat?.toUpperCase() ?? null;
  if (stat !== null && !['P50', 'P90', 'P95', 'P99', 'AVG', 'MIN', 'MAX'].includes(stat))
    throw new UsageError(`--stat must be P50, P90, P95, P99, AVG, MIN or MAX (got "${values.stat}")`);
  const filter = {
    ...sliceFilter(values, now()),
    ...(values['test-id']?.length && { testId: values['test-id'] }),
  };
  const target = await openTarget(values, { discover: true, now });
  let plan: Plan['testShards'];
  try {
    plan = (await target.graphql<Plan>(QUERY, { filter, shards, stat })).testShards;
  } finally {
    await target.close();
  }
  const shard = plan.shards[index]!;
  const tests = shard.tests.map((t) => ({
    id: t.testId,
    suite: t.test?.suite ?? '',
    className: t.test?.className ?? null,
    name: t.test?.name ?? t.testId,
    expectedMs: t.expectedMs,
  }));
  const fresh = tests.filter((t) => t.expectedMs === null).length;
  process.stderr.write(
    `shard ${index} of ${shards}: ${tests.length} tests${fresh ? ` (${fresh} without history)` : ''}, expected ${seconds(shard.expectedMs)}; ` +
      `the longest shard ${seconds(plan.makespanMs)}, no split under ${seconds(plan.lowerBoundMs)}\n`,
  );
  const text = formatTestList(tests, format);
  if (text) out(text.replace(/\n$/, ''));
  return 0;
}
