import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IngestResultInput } from '../../src/domain/types.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/reports/', import.meta.url));
export const fixture = (path: string): Buffer => readFileSync(`${FIXTURES}${path}`);

/** Counts worked out by reading a report: executions (attempts folded) and attempts. */
export interface Counts {
  readonly tests: number;
  readonly attempts: number;
  readonly passed: number;
  readonly failed: number;
  readonly error: number;
  readonly skipped: number;
  readonly flaky: number;
}

/**
 * Folds results the way an execution is defined: its status is its
 * last attempt's; flaky when a failed or errored attempt came before a pass.
 */
export function fold(results: readonly IngestResultInput[]): Counts {
  const byTest = new Map<string, IngestResultInput[]>();
  for (const r of results) {
    const key = JSON.stringify([r.suite, r.className ?? null, r.name]);
    byTest.set(key, [...(byTest.get(key) ?? []), r]);
  }
  const counts = {
    tests: byTest.size,
    attempts: results.length,
    passed: 0,
    failed: 0,
    error: 0,
    skipped: 0,
    flaky: 0,
  };
  for (const attempts of byTest.values()) {
    const sorted = [...attempts].sort((a, b) => (a.attempt ?? 1) - (b.attempt ?? 1));
    const last = sorted[sorted.length - 1]!;
    if (last.status === 'PASSED') counts.passed += 1;
    if (last.status === 'FAILED') counts.failed += 1;
    if (last.status === 'ERROR') counts.error += 1;
    if (last.status === 'SKIPPED') counts.skipped += 1;
    const firstBad = sorted.findIndex((a) => a.status === 'FAILED' || a.status === 'ERROR');
    if (firstBad >= 0 && sorted.slice(firstBad + 1).some((a) => a.status === 'PASSED')) counts.flaky += 1;
  }
  return counts;
}

/** Replays bytes in chunks of the given sizes (cycled), as a network upload would arrive. */
export async function* chunked(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let i = 0;
  for (let k = 0; i < bytes.length; k++) {
    const size = sizes[k % sizes.length]!;
    yield bytes.subarray(i, i + size);
    i += size;
  }
}
