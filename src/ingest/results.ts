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

/**
 * The results of a report. A test that appears again in the same report
 * (Gradle's retry plugin, `go test -count=2`) continues its attempt numbers,
 * so a later pass after a failure folds into a flaky execution.
 */
export class ResultList {
  readonly results: IngestResultInput[] = [];
  readonly #nextAttempt = new Map<string, number>();

  constructor(private readonly maxAttempts: number, private readonly warnings: Warnings) {}

  add(draft: CaseDraft): void {
    const key = `${draft.suite}\u001f${draft.className ?? ''}\u001f${draft.name}`;
    const seen = this.#nextAttempt.get(key);
    if (seen !== undefined) {
      this.warnings.add('repeated-test', `test "${draft.name}" (${draft.className ?? draft.suite}) appears more than once; later appearances are recorded as further attempts`);
    }
    let attempt = seen ?? 1;
    for (const a of draft.attempts) {
      if (attempt > this.maxAttempts) {
        this.warnings.add('attempts', `test "${draft.name}" has more than ${this.maxAttempts} attempts (REPORT_LIMITS.maxAttempts); later ones dropped`);
        break;
      }
      this.results.push({
        suite: draft.suite,
        className: draft.className,
        name: draft.name,
        status: a.status,
        durationMs: a.durationMs,
        attempt,
        startedAt: a.startedAt,
        worker: draft.worker,
        hardware: draft.hardware,
        message: a.message,
        stackTrace: a.stackTrace,
        tags: draft.tags,
        metrics: draft.metrics,
      });
      attempt += 1;
    }
    this.#nextAttempt.set(key, attempt);
  }
}
