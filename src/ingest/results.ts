import type { IngestResultInput, Status } from '../domain/types.ts';
import type { Warnings } from './warnings.ts';

/** One attempt as read from a report. */
export interface AttemptDraft {
  readonly status: Status;
  readonly durationMs: number;
  readonly message: string | null;
  readonly stackTrace: string | null;
  /** ISO-8601, or null for the run's start. */
  readonly startedAt: string | null;
  /** This attempt's own metrics, when they differ by attempt (Allure's steps); else the case's. */
  readonly metrics?: readonly { readonly name: string; readonly value: number; readonly unit?: string }[];
}

/** One test in a report with its attempts in the order they ran. */
export interface CaseDraft {
  readonly suite: string;
  readonly className: string | null;
  readonly name: string;
  readonly worker: string | null;
  readonly hardware: string | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly metrics: readonly { readonly name: string; readonly value: number }[];
  readonly attempts: readonly AttemptDraft[];
}

/** What the list remembers of the latest appearance of a test (suite, className, name). */
interface Latest {
  /** The name it was recorded under: the test's own, or `name [n]` for a repetition after a pass. */
  readonly name: string;
  /** How many distinct cases carry this test's name so far (1, then 2 for `name [2]`, …). */
  readonly copies: number;
  readonly nextAttempt: number;
  readonly lastStatus: Status;
  /** The appearance had exactly one attempt: its index in `results`. */
  readonly singleIndex: number | null;
}

const failing = (s: Status): boolean => s === 'FAILED' || s === 'ERROR';
const TEARDOWN = /\bteardown\b/i;

export interface ResultListOptions {
  /**
   * pytest writes a failed call and a failed teardown of one test as two
   * testcases (a `<failure>`, then an `<error message="failed on teardown
   * with …">`): merge them into one ERROR attempt (JUnit only).
   */
  readonly mergeTeardownErrors?: boolean;
}

/**
 * The results of a report. A test (suite, className, name) that appears
 * again in the same report:
 * - after its latest appearance **failed or errored**, is a retry (Gradle's
 *   retry plugin, `go test -count=N`): it continues that appearance's attempt
 *   numbers, so fail-then-pass folds into one flaky execution;
 * - after a **pass or skip**, is a distinct case (TestNG data providers,
 *   mocha/JUnit runners repeating a parametrised name): it is recorded as
 *   `name [2]`, `name [3]`, … in order of appearance;
 * - with `mergeTeardownErrors`, a lone ERROR right after a lone FAILED of the
 *   same test (or anywhere after it, when the error mentions "teardown") is
 *   pytest's call failure + teardown error: one ERROR attempt, like both
 *   elements inside one testcase.
 */
export class ResultList {
  readonly results: IngestResultInput[] = [];
  readonly #latest = new Map<string, Latest>();
  /** Every (suite, className, name) recorded, renamed ones included, so `name [2]` never collides. */
  readonly #recorded = new Set<string>();
  #lastKey: string | null = null;

  constructor(
    private readonly maxAttempts: number,
    private readonly warnings: Warnings,
    private readonly options: ResultListOptions = {},
  ) {}

  add(draft: CaseDraft): void {
    const key = this.#keyOf(draft, draft.name);
    const latest = this.#latest.get(key);
    const adjacent = this.#lastKey === key;
    this.#lastKey = key;
    if (latest && this.#mergedTeardown(draft, key, latest, adjacent)) return;
    const placed = this.#placement(draft, latest);
    const { name, copies } = placed;
    let attempt = placed.attempt;
    const first = this.results.length;
    let lastStatus: Status = latest?.lastStatus ?? 'PASSED';
    for (const a of draft.attempts) {
      if (attempt > this.maxAttempts) {
        this.warnings.add(
          'attempts',
          `test "${draft.name}" has more than ${this.maxAttempts} attempts (REPORT_LIMITS.maxAttempts); later ones dropped`,
        );
        break;
      }
      this.results.push({
        suite: draft.suite,
        className: draft.className,
        name,
        status: a.status,
        durationMs: a.durationMs,
        attempt,
        startedAt: a.startedAt,
        worker: draft.worker,
        hardware: draft.hardware,
        message: a.message,
        stackTrace: a.stackTrace,
        tags: draft.tags,
        metrics: a.metrics ?? draft.metrics,
      });
      lastStatus = a.status;
      attempt += 1;
    }
    const now: Latest = {
      name,
      copies,
      nextAttempt: attempt,
      lastStatus,
      singleIndex: this.results.length === first + 1 && draft.attempts.length === 1 ? first : null,
    };
    this.#latest.set(key, now);
    // A later testcase literally named "name [2]" is a repetition of this one, not a second test of that name.
    if (name !== draft.name) this.#latest.set(this.#keyOf(draft, name), { ...now, copies: 1 });
  }

  #keyOf(draft: CaseDraft, name: string): string {
    return `${draft.suite}\u001f${draft.className ?? ''}\u001f${name}`;
  }

  /** pytest's call failure then teardown error of one test: folded into the failure's row as one ERROR. */
  #mergedTeardown(draft: CaseDraft, key: string, latest: Latest, adjacent: boolean): boolean {
    const only = draft.attempts.length === 1 ? draft.attempts[0]! : null;
    if (
      !this.options.mergeTeardownErrors ||
      latest.singleIndex === null ||
      latest.lastStatus !== 'FAILED' ||
      only?.status !== 'ERROR' ||
      !(adjacent || TEARDOWN.test(only.message ?? ''))
    )
      return false;
    const prev = this.results[latest.singleIndex]!;
    const traces = [prev.stackTrace, only.stackTrace].filter(
      (t): t is string => t !== null && t !== undefined,
    );
    this.results[latest.singleIndex] = {
      ...prev,
      status: 'ERROR',
      durationMs: prev.durationMs + only.durationMs,
      message: only.message ?? prev.message ?? null,
      stackTrace: traces.length > 0 ? traces.join('\n\n') : null,
    };
    this.#latest.set(key, { ...latest, lastStatus: 'ERROR', singleIndex: null });
    this.warnings.add(
      'teardown-error',
      `${this.#what(draft)} appears twice, a failure then an error (pytest's call failure and teardown error); recorded as one ERROR attempt with both texts`,
    );
    return true;
  }

  #what(draft: CaseDraft): string {
    return `test "${draft.name}" (${draft.className ?? draft.suite})`;
  }

  /** The name and first attempt number a test's appearance is recorded under (see the class comment). */
  #placement(
    draft: CaseDraft,
    latest: Latest | undefined,
  ): { name: string; copies: number; attempt: number } {
    if (latest && latest.nextAttempt > 1 && failing(latest.lastStatus)) {
      this.warnings.add(
        'repeated-test',
        `${this.#what(draft)} appears again after failing; recorded as a retry (further attempts of the same execution)`,
      );
      return { name: latest.name, copies: latest.copies, attempt: latest.nextAttempt };
    }
    if (!latest) return { name: draft.name, copies: 1, attempt: 1 };
    let copies = latest.copies;
    let name: string;
    do {
      copies += 1;
      name = `${draft.name} [${copies}]`;
    } while (this.#recorded.has(this.#keyOf(draft, name)));
    this.warnings.add(
      'repeated-case',
      `${this.#what(draft)} appears again after passing (a data provider or parametrised case, not a retry); recorded as "${name}"`,
    );
    return { name, copies, attempt: 1 };
  }
}
