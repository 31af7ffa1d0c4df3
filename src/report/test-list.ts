import { testLabel } from './format.ts';

/** A test as a CI runner's selection needs it. */
export interface ListedTest {
  readonly id: string;
  readonly suite: string;
  readonly className: string | null;
  readonly name: string;
  readonly expectedMs?: number | null;
}

export const TEST_LIST_FORMATS = [
  'ids',
  'names',
  'json',
  'pytest',
  'junit',
  'maven',
  'gradle',
  'jest',
  'go',
] as const;
export type TestListFormat = (typeof TEST_LIST_FORMATS)[number];

/** `run`: the tests a job should run (a shard); `skip`: the tests it should leave out (a quarantine). */
export type ListMode = 'run' | 'skip';

/** Characters with a meaning in a regular expression, escaped for Jest's and Go's patterns. */
const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * pytest's node id from a JUnit test: the class name is the dotted module
 * path, then the class if a segment starts with a capital (pytest's JUnit
 * writes "tests.test_login.TestLogin"), e.g. tests/test_login.py::TestLogin::test_ok.
 */
export function pytestNodeId(t: ListedTest): string {
  const dotted = (t.className ?? t.suite).split('.');
  const at = dotted.findIndex((s) => /^[A-Z]/.test(s));
  const modules = at < 0 ? dotted : dotted.slice(0, at);
  const classes = at < 0 ? [] : dotted.slice(at);
  return [`${modules.join('/')}.py`, ...classes, t.name].join('::');
}

/** JUnit-style class and method: "com.shop.LoginTest" and "logsIn". */
const javaClass = (t: ListedTest): string => t.className ?? t.suite;

/** Go's test name at the top level: subtests ("TestA/case") run with their parent. */
const goTop = (t: ListedTest): string => t.name.split('/')[0]!;

/**
 * The tests as the runner named by `format` takes them: a selection for
 * `run`, an exclusion for `skip`. Plain formats print one test per line;
 * runner formats print what goes on the runner's command line.
 */
export function formatTestList(
  tests: readonly ListedTest[],
  format: TestListFormat,
  mode: ListMode = 'run',
): string {
  const lines = (xs: readonly string[]): string => (xs.length ? `${xs.join('\n')}\n` : '');
  const unique = (xs: readonly string[]): string[] => [...new Set(xs)];
  switch (format) {
    case 'ids':
      return lines(tests.map((t) => t.id));
    case 'names':
      return lines(tests.map((t) => testLabel(t)));
    case 'json':
      return `${JSON.stringify(
        tests.map((t) => ({
          id: t.id,
          suite: t.suite,
          className: t.className,
          name: t.name,
          ...(t.expectedMs !== undefined && { expectedMs: t.expectedMs }),
        })),
        null,
        2,
      )}\n`;
    case 'pytest':
      return lines(
        tests.map((t) => (mode === 'run' ? pytestNodeId(t) : `--deselect ${quote(pytestNodeId(t))}`)),
      );
    // A JUnit pattern list, one Class#method a line: Surefire's includesFile / excludesFile (-Dsurefire.excludesFile=…).
    case 'junit':
      return lines(tests.map((t) => `${javaClass(t)}#${t.name}`));
    // Surefire's -Dtest: Class#method joined by commas; a leading ! excludes.
    case 'maven':
      return tests.length
        ? `-Dtest=${quote(tests.map((t) => `${mode === 'skip' ? '!' : ''}${javaClass(t)}#${t.name}`).join(','))}\n`
        : '';
    // Gradle: --tests filters select; exclusions are patterns for excludeTestsMatching, one a line.
    case 'gradle':
      return mode === 'run'
        ? lines(tests.map((t) => `--tests ${quote(`${javaClass(t)}.${t.name}`)}`))
        : lines(tests.map((t) => `${javaClass(t)}.${t.name}`));
    case 'jest': {
      if (!tests.length) return '';
      const names = unique(tests.map((t) => escapeRegex(t.name))).join('|');
      return `--testNamePattern ${quote(mode === 'run' ? `^(?:${names})$` : `^(?!(?:${names})$)`)}\n`;
    }
    case 'go': {
      if (!tests.length) return '';
      return `${mode === 'run' ? '-run' : '-skip'} ${quote(`^(?:${unique(tests.map((t) => escapeRegex(goTop(t)))).join('|')})$`)}\n`;
    }
  }
}
