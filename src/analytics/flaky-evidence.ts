/**
 * Which executions of one test are evidence of flaky behaviour (the rules
 * (a)–(c) of the definition in `flakiness.ts`). Pure; no scoring here.
 */
import type { FlakinessExecution } from '../domain/flakiness.ts';

/** Why an execution counts as flaky evidence. */
export type FlakyEvidenceKind =
  /** (a) an earlier attempt failed or errored, a later one passed. */
  | 'RETRY'
  /** (b) it failed on a commit on which the same test also passed. */
  | 'SAME_COMMIT'
  /** (c) it failed in a short failure run that a later pass ended. */
  | 'TRANSIENT';

/** Per-execution evidence, in input order, and the commits that gave both outcomes. */
export interface FlakyEvidence {
  /** One entry per execution: its evidence kind, or null when it is not flaky evidence. */
  readonly kinds: readonly (FlakyEvidenceKind | null)[];
  /** Distinct non-null commits with at least one passed and one failed execution. */
  readonly inconsistentCommits: number;
}

/**
 * Checks that each execution is exactly one of passed or failed, that
 * retryFlaky ones passed, and that `at` is finite and non-decreasing.
 * @throws RangeError naming the first offending execution
 */
export function validateExecutions(executions: readonly FlakinessExecution[]): void {
  let previous = Number.NEGATIVE_INFINITY;
  executions.forEach((e, i) => {
    if (e.passed === e.failed)
      throw new RangeError(
        `execution ${i}: exactly one of passed and failed must be true (skipped executions must be left out)`,
      );
    if (e.retryFlaky && !e.passed)
      throw new RangeError(`execution ${i}: retryFlaky means a later attempt passed, so passed must be true`);
    if (!Number.isFinite(e.at))
      throw new RangeError(`execution ${i}: at must be epoch milliseconds (got ${e.at})`);
    if (e.at < previous)
      throw new RangeError(`execution ${i}: executions must be in time order (at ${e.at} < ${previous})`);
    previous = e.at;
  });
}

/**
 * Labels every execution with its flaky evidence: RETRY when retryFlaky;
 * else SAME_COMMIT when it failed on a commit where the test also passed;
 * else TRANSIENT when it failed inside a maximal run of consecutive failures
 * of at most `maxTransientRun` executions that is followed by a pass.
 * Executions without a commit never share one.
 *
 * @example
 * const e = (at: number, commit: string, passed: boolean) => ({ at, commit, passed, failed: !passed, retryFlaky: false });
 * flakyEvidence([e(0, 'a', true), e(1, 'b', false), e(2, 'c', true)], 3).kinds // [null, 'TRANSIENT', null]
 * @complexity O(n) time and space
 */
export function flakyEvidence(
  executions: readonly FlakinessExecution[],
  maxTransientRun: number,
): FlakyEvidence {
  const passedOn = new Set<string>();
  const failedOn = new Set<string>();
  for (const e of executions) {
    if (e.commit === null) continue;
    (e.passed ? passedOn : failedOn).add(e.commit);
  }
  let inconsistentCommits = 0;
  for (const c of failedOn) if (passedOn.has(c)) inconsistentCommits++;

  const kinds: (FlakyEvidenceKind | null)[] = executions.map((e) => {
    if (e.retryFlaky) return 'RETRY';
    if (e.failed && e.commit !== null && passedOn.has(e.commit)) return 'SAME_COMMIT';
    return null;
  });

  // Maximal failure runs [start, end) ended by a pass (end < n) and short enough are transient.
  const n = executions.length;
  let start = 0;
  while (start < n) {
    if (!executions[start]!.failed) {
      start++;
      continue;
    }
    let end = start;
    while (end < n && executions[end]!.failed) end++;
    if (end < n && end - start <= maxTransientRun) {
      for (let i = start; i < end; i++) kinds[i] ??= 'TRANSIENT';
    }
    start = end;
  }
  return { kinds, inconsistentCommits };
}
