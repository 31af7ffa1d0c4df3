import { TEST_LIST_FORMATS, formatTestList, type TestListFormat } from '../report/test-list.ts';
import { UsageError, intOption, parse } from './args.ts';
import { openTarget, TARGET_OPTIONS, TARGET_USAGE } from './target.ts';

export const QUARANTINE_USAGE = `assay quarantine list|add|release … [--server URL | --db PATH]

  assay quarantine list [--project P]… [--format ids]
      Prints the tests in quarantine now, for a CI job to leave out, e.g.
      pytest $(assay quarantine list --format pytest --project api --server $ASSAY)
      --format F   ${TEST_LIST_FORMATS.join(', ')} (default ids); the runner formats
                   print an exclusion (pytest --deselect, Surefire !Class#method, Gradle
                   excludeTestsMatching patterns, Jest --testNamePattern, go test -skip);
                   json prints each entry with its reason, owner, since and expiry
  assay quarantine add --test-id ID --reason TEXT --owner WHO [--days N | --expires TIME] [--passes N]
      Quarantines a test by hand (expires in 14 days unless --days or --expires;
      reviewed after N passing executions in a row, default 20)
  assay quarantine release --test-id ID --actor WHO [--reason TEXT]
      Ends a test's quarantine

${TARGET_USAGE}`;

const ENTRY =
  'testId project source ruleId reason owner since expires releaseAfterPasses passStreak test { suite className name }';

interface Entry {
  testId: string;
  project: string;
  source: string;
  ruleId: string | null;
  reason: string;
  owner: string;
  since: string;
  expires: string;
  releaseAfterPasses: number;
  passStreak: number;
  test: { suite: string; className: string | null; name: string } | null;
}

const LIST = `query Quarantined($filter: QuarantineFilter) { quarantined(filter: $filter) { ${ENTRY} } }`;
const ADD = `mutation Quarantine($input: QuarantineTestInput!) { quarantineTest(input: $input) { ${ENTRY} } }`;
const RELEASE = `mutation Release($testId: ID!, $actor: String!, $reason: String) {
  releaseQuarantine(testId: $testId, actor: $actor, reason: $reason) { ${ENTRY} endedAt }
}`;

const describe = (e: Entry): string =>
  `${e.testId} ${e.test ? [e.test.suite, e.test.className, e.test.name].filter(Boolean).join(' › ') : ''} (${e.source.toLowerCase()}, owner ${e.owner}, until ${e.expires}): ${e.reason}`;

/** Oldest first by test, so a CI job's command line does not move between calls. */
const byTest = (a: Entry, b: Entry): number => (a.testId < b.testId ? -1 : a.testId > b.testId ? 1 : 0);

/** One call of the command, read from its arguments: what to change or list, and where. */
type Request =
  | { readonly sub: 'add'; readonly input: Record<string, unknown> }
  | {
      readonly sub: 'release';
      readonly release: { testId: string; actor: string; reason?: string | undefined };
    }
  | {
      readonly sub: 'list';
      readonly project: readonly string[] | undefined;
      readonly format: TestListFormat;
    };

export async function quarantineCommand(
  args: readonly string[],
  out: (line: string) => void,
  now: () => Date,
): Promise<number> {
  const { request, values } = parseQuarantineArgs(args);
  const target = await openTarget(values, { discover: true, create: false, now });
  try {
    if (request.sub === 'add') {
      const e = (await target.graphql<{ quarantineTest: Entry }>(ADD, { input: request.input }))
        .quarantineTest;
      out(`quarantined ${describe(e)}`);
      return 0;
    }
    if (request.sub === 'release') {
      const e = (await target.graphql<{ releaseQuarantine: Entry | null }>(RELEASE, request.release))
        .releaseQuarantine;
      out(e ? `released ${describe(e)}` : `${request.release.testId} was not in quarantine`);
      return 0;
    }
    const filter = request.project?.length ? { project: request.project } : null;
    const entries = (await target.graphql<{ quarantined: Entry[] }>(LIST, { filter })).quarantined.sort(
      byTest,
    );
    process.stderr.write(`${entries.length} test${entries.length === 1 ? '' : 's'} in quarantine\n`);
    const text = listText(entries, request.format);
    if (text) out(text.replace(/\n$/, ''));
    return 0;
  } finally {
    await target.close();
  }
}

/** The subcommand and its options, checked; the target's options are handed on as given. */
function parseQuarantineArgs(args: readonly string[]) {
  const [sub, ...rest] = args;
  if (sub !== 'list' && sub !== 'add' && sub !== 'release')
    throw new UsageError(`give a subcommand: list, add or release${sub ? ` (got "${sub}")` : ''}`);
  const { values, positionals } = parse(rest, {
    ...TARGET_OPTIONS,
    project: { type: 'string', multiple: true },
    format: { type: 'string' },
    'test-id': { type: 'string' },
    reason: { type: 'string' },
    owner: { type: 'string' },
    actor: { type: 'string' },
    days: { type: 'string' },
    expires: { type: 'string' },
    passes: { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const format = (values.format ?? 'ids') as TestListFormat;
  if (!TEST_LIST_FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${TEST_LIST_FORMATS.join(', ')} (got "${values.format}")`);
  const need = (name: 'test-id' | 'reason' | 'owner' | 'actor'): string => {
    const v = values[name];
    if (!v?.trim()) throw new UsageError(`--${name} is required for \`assay quarantine ${sub}\``);
    return v;
  };
  const request: Request =
    sub === 'add'
      ? {
          sub,
          input: {
            testId: need('test-id'),
            reason: need('reason'),
            owner: need('owner'),
            ...(values.days !== undefined && { days: intOption('days', values.days, 14, 1, 90) }),
            ...(values.expires !== undefined && { expiresAt: values.expires }),
            ...(values.passes !== undefined && {
              releaseAfterPasses: intOption('passes', values.passes, 20, 1, 1000),
            }),
          },
        }
      : sub === 'release'
        ? { sub, release: { testId: need('test-id'), actor: need('actor'), reason: values.reason } }
        : { sub, project: values.project, format };
  return { request, values };
}

/** The entries in quarantine as JSON with their reasons, or as a runner's exclusion list. */
function listText(entries: readonly Entry[], format: TestListFormat): string {
  if (format === 'json')
    return `${JSON.stringify(
      entries.map((e) => ({
        id: e.testId,
        project: e.project,
        suite: e.test?.suite ?? '',
        className: e.test?.className ?? null,
        name: e.test?.name ?? e.testId,
        source: e.source,
        ruleId: e.ruleId,
        reason: e.reason,
        owner: e.owner,
        since: e.since,
        expires: e.expires,
      })),
      null,
      2,
    )}\n`;
  return formatTestList(
    entries.map((e) => ({
      id: e.testId,
      suite: e.test?.suite ?? '',
      className: e.test?.className ?? null,
      name: e.test?.name ?? e.testId,
    })),
    format,
    'skip',
  );
}
