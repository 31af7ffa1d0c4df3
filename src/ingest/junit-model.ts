import type { Status } from '../domain/types.ts';
import { nonEmpty } from './fields.ts';
import type { AttemptDraft } from './results.ts';

/** A `<testsuites>` root or a `<testsuite>`; nested suites point at their parent. */
export interface Suite {
  readonly parent: Suite | null;
  /** Names from the outermost `<testsuite>` down, joined; null for the `<testsuites>` root. */
  readonly path: string | null;
  /** The root's `name`, used only for testcases written straight under `<testsuites>`. */
  readonly name: string | null;
  readonly hostname: string | null;
  readonly file: string | null;
  readonly startedAt: Date | null;
  /** Properties declared by this element itself (filtered), in document order. */
  readonly props: Map<string, string>;
}

export type OutcomeKind = 'failure' | 'error' | 'skipped';

/** A `<failure>`, `<error>`, `<skipped>`, or a Surefire `<flaky*>` / `<rerun*>` element. */
export interface Outcome {
  readonly kind: OutcomeKind;
  readonly message: string | null;
  readonly type: string | null;
  readonly timeMs: number | null;
  /** Element text (bounded). */
  text: string;
  /** Text of a Surefire `<stackTrace>` child, if any (bounded). */
  stack: string | null;
}

export interface Case {
  readonly suite: Suite;
  readonly line: number;
  readonly name: string;
  readonly className: string | null;
  readonly file: string | null;
  readonly timeMs: number;
  readonly startedAt: Date | null;
  /** `status="notrun"` (Google Test), `result="skipped"`, … with no outcome element. */
  readonly skippedByAttribute: boolean;
  readonly assertions: number | null;
  readonly props: Map<string, string>;
  readonly outcomes: Outcome[];
  /** Surefire `flakyFailure` / `flakyError`: earlier failed attempts of a test that then passed. */
  readonly flaky: Outcome[];
  /** Surefire `rerunFailure` / `rerunError`: further failed attempts after the first failure. */
  readonly reruns: Outcome[];
}

const STATUS_OF: Readonly<Record<OutcomeKind, Status>> = {
  error: 'ERROR',
  failure: 'FAILED',
  skipped: 'SKIPPED',
};

const details = (o: Outcome): string | null => nonEmpty(o.stack) ?? nonEmpty(o.text);

/**
 * The message of an outcome element: its `message`, else the first non-blank
 * line of its text, else its `type`. PHPUnit writes no message and starts the
 * text with the test's own `Class::method` line (then "Failed asserting …"),
 * and some runners start with a bare progress letter `F`: such a first line
 * is skipped for the next non-blank one.
 */
function messageOf(o: Outcome, testName: string): string | null {
  if (o.message !== null) return o.message;
  const text = details(o);
  const lines =
    text === null
      ? []
      : text
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '');
  const own = (l: string) => l === 'F' || (/^\S+::/.test(l) && l.endsWith(`::${testName}`));
  if (lines[0] !== undefined && own(lines[0])) return lines[1] ?? o.type ?? lines[0];
  return lines[0] ?? o.type;
}

/** The nearest suite (this one or an ancestor) for which `pick` gives a value. */
export function inherited<T>(suite: Suite | null, pick: (s: Suite) => T | null): T | null {
  for (let s = suite; s; s = s.parent) {
    const v = pick(s);
    if (v !== null) return v;
  }
  return null;
}

/**
 * A testcase's attempts in the order they ran: Surefire's flaky* elements
 * (earlier failed attempts), then the testcase's own outcome, then its rerun*
 * elements (further failed attempts). The own outcome is the strongest of its
 * outcome elements: error > failure > skipped > passed; its message comes
 * from the first such element, and every failing element's text goes into
 * the stack trace (pytest writes a teardown <error> beside a <failure>).
 */
export function attemptsOf(c: Case): AttemptDraft[] {
  const startedAt = (c.startedAt ?? inherited(c.suite, (s) => s.startedAt))?.toISOString() ?? null;
  const extra = (o: Outcome): AttemptDraft => ({
    status: o.kind === 'error' ? 'ERROR' : 'FAILED',
    durationMs: o.timeMs ?? 0,
    message: messageOf(o, c.name),
    stackTrace: details(o),
    startedAt,
  });
  const kind: OutcomeKind | null =
    (['error', 'failure', 'skipped'] as const).find((k) => c.outcomes.some((o) => o.kind === k)) ??
    (c.skippedByAttribute ? 'skipped' : null);
  let primary: AttemptDraft;
  if (kind === null) {
    primary = { status: 'PASSED', durationMs: c.timeMs, message: null, stackTrace: null, startedAt };
  } else {
    const first = c.outcomes.find((o) => o.kind === kind);
    const texts =
      kind === 'skipped'
        ? []
        : c.outcomes
            .filter((o) => o.kind !== 'skipped')
            .map(details)
            .filter((t): t is string => t !== null);
    primary = {
      status: STATUS_OF[kind],
      durationMs: c.timeMs,
      message: first ? messageOf(first, c.name) : null,
      stackTrace: texts.length > 0 ? texts.join('\n\n') : null,
      startedAt,
    };
  }
  return [...c.flaky.map(extra), primary, ...c.reruns.map(extra)];
}
