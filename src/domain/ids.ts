import { createHash } from 'node:crypto';

/** A branded string: mixing a test id with a run id is a type error. */
type Brand<T, B extends string> = T & { readonly __brand: B };

export type TestId = Brand<string, 'TestId'>;
export type RunId = Brand<string, 'RunId'>;
export type ResultId = Brand<string, 'ResultId'>;

export interface TestKey {
  readonly project: string;
  readonly suite: string;
  readonly className: string | null;
  readonly name: string;
}

/**
 * The stable id of a test: the first 16 hex digits of the SHA-256 of
 * (project, suite, className, name), so the same test has the same id in every run.
 * @example testId({ project: 'web', suite: 'auth', className: 'LoginTest', name: 'logs out' })
 */
export function testId(key: TestKey): TestId {
  const h = createHash('sha256');
  // Unit separators keep ("a", "bc") and ("ab", "c") apart.
  h.update([key.project, key.suite, key.className ?? '', key.name].join('\u001f'));
  return h.digest('hex').slice(0, 16) as TestId;
}

export const asRunId = (s: string): RunId => s as RunId;
export const asTestId = (s: string): TestId => s as TestId;
export const asResultId = (s: string): ResultId => s as ResultId;
