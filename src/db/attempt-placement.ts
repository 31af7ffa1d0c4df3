import { listValue } from '@duckdb/node-api';
import type { WriteTx } from './write-tx.ts';
import type { ValidResult } from '../domain/ingest.ts';
import type { TestId } from '../domain/ids.ts';
import { toNumber } from './values.ts';

/**
 * What a stored attempt and a sent one must share to be the same attempt sent again:
 * test, status, duration, start, worker and message (one string, a Set key).
 */
const print = (
  testId: string,
  status: string,
  durationMs: number,
  startedMs: number,
  worker: string | null,
  message: string | null,
): string =>
  `${testId}\u001f${status}\u001f${durationMs}\u001f${startedMs}\u001f${worker ?? ''}\u001f${message ?? ''}`;

const printOf = (r: ValidResult): string =>
  print(r.testId, r.status, r.durationMs, r.startedAt.getTime(), r.worker, r.message);

const keyOf = (testId: string, attempt: number): string => `${testId}\u001f${attempt}`;

/**
 * Which results of a batch are new, and under which attempt number.
 *
 * - Within the batch, a (test, attempt) seen before is a duplicate.
 * - A (test, attempt) the run does not hold yet is stored as sent.
 * - When a test's sent attempt number is already stored, the test's attempts
 *   in this batch are either the same attempts sent again (same status,
 *   duration, start, worker and message as a stored attempt of that test,
 *   under any number: duplicates), or further attempts that ran elsewhere
 *   (another shard of the build, a re-run job): those are placed after the
 *   test's stored attempts, in order of start (then of their sent number).
 *   So a retry another shard ran is kept, and re-sending either shard, before
 *   or after that renumbering, stores nothing.
 */
export async function placeAttempts(
  tx: WriteTx,
  runSeq: number,
  knownRun: boolean,
  results: readonly ValidResult[],
): Promise<{ accepted: ValidResult[]; duplicates: number }> {
  const unique: ValidResult[] = [];
  const inBatch = new Set<string>();
  let duplicates = 0;
  for (const r of results) {
    const key = keyOf(r.testId, r.attempt);
    if (inBatch.has(key)) duplicates++;
    else {
      inBatch.add(key);
      unique.push(r);
    }
  }
  if (!knownRun) return { accepted: unique, duplicates };

  const stored = new Set<string>();
  const rows = await tx.query<{ test_id: string; attempt: number }>(
    'SELECT test_id, attempt FROM results WHERE run_seq = $1',
    [BigInt(runSeq)],
  );
  for (const r of rows) stored.add(keyOf(r.test_id, r.attempt));
  const colliding = new Set<TestId>();
  for (const r of unique) if (stored.has(keyOf(r.testId, r.attempt))) colliding.add(r.testId);
  if (colliding.size === 0) return { accepted: unique, duplicates };

  // The colliding tests' stored attempts: their prints, and the highest number.
  const prints = new Set<string>();
  const top = new Map<string, number>();
  const storedAttempts = await tx.query<{
    test_id: string;
    attempt: number;
    status: string;
    duration_ms: number;
    started_ms: bigint | number;
    worker: string | null;
    message: string | null;
  }>(
    // A few tests: by their ids; many (a whole shard sent again): one scan of the run is quicker.
    colliding.size <= 1000
      ? `SELECT test_id, attempt, status, duration_ms, epoch_ms(started_at) AS started_ms, worker, message
         FROM results WHERE run_seq = $1 AND test_id IN (SELECT unnest($2::VARCHAR[]))`
      : `SELECT test_id, attempt, status, duration_ms, epoch_ms(started_at) AS started_ms, worker, message
         FROM results WHERE run_seq = $1`,
    colliding.size <= 1000 ? [BigInt(runSeq), listValue([...colliding])] : [BigInt(runSeq)],
  );
  for (const s of storedAttempts) {
    if (!colliding.has(s.test_id as TestId)) continue;
    prints.add(print(s.test_id, s.status, s.duration_ms, toNumber(s.started_ms), s.worker, s.message));
    if (s.attempt > (top.get(s.test_id) ?? 0)) top.set(s.test_id, s.attempt);
  }

  const accepted: ValidResult[] = [];
  const further = new Map<string, ValidResult[]>();
  for (const r of unique) {
    if (!colliding.has(r.testId)) accepted.push(r);
    else if (prints.has(printOf(r))) duplicates++;
    else {
      const list = further.get(r.testId);
      if (list) list.push(r);
      else further.set(r.testId, [r]);
    }
  }
  for (const [testId, list] of further) {
    list.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.attempt - b.attempt);
    let n = top.get(testId) ?? 0;
    for (const r of list) accepted.push({ ...r, attempt: ++n });
  }
  return { accepted, duplicates };
}
