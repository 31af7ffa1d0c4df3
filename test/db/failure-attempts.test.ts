import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valuesAnswer } from '../../src/db/failure-baseline.ts';
import { queryFailurePatterns } from '../../src/db/failure-patterns.ts';
import { openStore } from '../../src/db/store.ts';
import type { FailurePatternSlice } from '../../src/domain/failure-patterns.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import type { ResultFilter } from '../../src/domain/types.ts';

// failure_attempts and attempt_values (src/db/failure-attempts.ts): the failure patterns read
// from them must answer exactly as the masks and the scan over the results do (`plain`), after
// every kind of write. Hand-worked, project p:
//   r1 (main, 2026-10-01), sent in two shards, the second sent later but started earlier:
//     shard 1: t1 w1 FAILED "timeout after 31 ms" (model=bert), t2 w1 PASSED, t3 w2 ERROR "timeout after 7 ms"
//     shard 2: t4 w2 FAILED "disk /var/a/log.txt full", t5 w3 PASSED (model=bert), t6 w3 SKIPPED,
//              t1 attempt 2 w1 FAILED "timeout after 45 ms" (model=bert)
//   r2 (dev, 2026-11-01): t1 w1 FAILED "timeout after 12 ms", t4 w2 FAILED "disk /x/y/log.txt full", t2 w1 PASSED
// Patterns: TIMEOUT 4 (t1 ×3, t3), DISK 2 (t4 ×2). Attempts that ran: r1 6, r2 3.
const TIMEOUT = 'timeout after <num> ms';
const DISK = 'disk <path>/log.txt full';
type S = Awaited<ReturnType<typeof openStore>>;
const bert = { model: 'bert' };
const res = (at: string, name: string, worker: string, status: string, message?: string, extra = {}) => ({
  suite: 's',
  name,
  status,
  durationMs: 1,
  startedAt: at,
  worker,
  hardware: 'cpu',
  ...(message ? { message } : {}),
  ...extra,
});
const R1 = { id: 'r1', project: 'p', branch: 'main', startedAt: '2026-10-01T10:00:00Z' };
const SHARD_1 = {
  run: R1,
  results: [
    res('2026-10-01T10:00:05Z', 't1', 'w1', 'FAILED', 'timeout after 31 ms', { tags: bert }),
    res('2026-10-01T10:00:06Z', 't2', 'w1', 'PASSED'),
    res('2026-10-01T10:00:07Z', 't3', 'w2', 'ERROR', 'timeout after 7 ms'),
  ],
};
const SHARD_2 = {
  run: R1,
  results: [
    res('2026-10-01T10:00:01Z', 't4', 'w2', 'FAILED', 'disk /var/a/log.txt full'),
    res('2026-10-01T10:00:02Z', 't5', 'w3', 'PASSED', undefined, { tags: bert }),
    res('2026-10-01T10:00:03Z', 't6', 'w3', 'SKIPPED'),
    res('2026-10-01T10:00:08Z', 't1', 'w1', 'FAILED', 'timeout after 45 ms', { tags: bert, attempt: 2 }),
  ],
};
const RUN_2 = {
  run: { id: 'r2', project: 'p', branch: 'dev', startedAt: '2026-11-01T10:00:00Z' },
  results: [
    res('2026-11-01T10:00:01Z', 't1', 'w1', 'FAILED', 'timeout after 12 ms'),
    res('2026-11-01T10:00:02Z', 't4', 'w2', 'FAILED', 'disk /x/y/log.txt full'),
    res('2026-11-01T10:00:03Z', 't2', 'w1', 'PASSED'),
  ],
};

/**
 * Slices whose baseline attempt_values answers (run fields and time: whole UTC days from the
 * rollup, the ends of partial days from the results) and slices that fall back to the scan.
 */
const ROLLUP: ResultFilter[] = [
  {},
  { project: ['p'] },
  { branch: ['main'] },
  { runId: ['r1'] },
  { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-10-02T00:00:00Z') },
  { from: new Date('2026-10-01T10:00:04Z') },
  { from: new Date('2026-10-01T10:00:04Z'), to: new Date('2026-10-01T10:00:07Z') },
  { from: new Date('2026-09-30T12:00:00Z'), to: new Date('2026-11-01T10:00:02Z') },
];
const SCAN: ResultFilter[] = [
  { worker: ['w1'] },
  { status: ['ERROR'] },
  { tags: [{ key: 'model', values: ['bert'] }] },
];

/** A slice with its lists in one order (the two paths may list values differently). */
const sorted = (s: FailurePatternSlice) => {
  const order = <T>(xs: readonly T[]) =>
    [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  return {
    ...s,
    baseline: order(s.baseline),
    patterns: s.patterns.map((p) => ({ ...p, values: order(p.values) })),
  };
};

async function expectSameAsPlain(s: S): Promise<void> {
  for (const f of ROLLUP) expect(valuesAnswer(f)).toBe(true);
  for (const f of SCAN) expect(valuesAnswer(f)).toBe(false);
  for (const f of [...ROLLUP, ...SCAN]) {
    const fromRollups = sorted(await queryFailurePatterns(s.db, f, 10));
    expect(fromRollups, JSON.stringify(f)).toEqual(
      sorted(await queryFailurePatterns(s.db, f, 10, { plain: true })),
    );
  }
}

/** Occurrences per pattern and attempts that ran, as the rollups answer for the whole history. */
async function counts(s: S): Promise<{ patterns: [string, number, number][]; attempts: number }> {
  const all = await queryFailurePatterns(s.db, {}, 10);
  return { patterns: all.patterns.map((p) => [p.pattern, p.occurrences, p.tests]), attempts: all.attempts };
}

const ingest = (s: S, input: object) =>
  s.ingest(validateIngest(input as Parameters<typeof validateIngest>[0]));

let dir: string;
let store: S;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'assay-failure-attempts-'));
  store = await openStore({ path: join(dir, 'f.duckdb'), readers: 2 });
  await ingest(store, SHARD_1);
  await ingest(store, SHARD_2);
  await ingest(store, RUN_2);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('failure patterns from failure_attempts and attempt_values', () => {
  it('count a run sent in shards out of order as the results do', async () => {
    expect(await counts(store)).toEqual({
      patterns: [
        [TIMEOUT, 4, 2],
        [DISK, 2, 1],
      ],
      attempts: 9,
    });
    await expectSameAsPlain(store);
  });

  it('count a re-sent run once', async () => {
    await ingest(store, SHARD_1);
    await ingest(store, SHARD_2);
    expect((await counts(store)).attempts).toBe(9);
    await expectSameAsPlain(store);
  });

  it('are built from the stored results when an older database is migrated', async () => {
    await store.db.write(async (tx) => {
      await tx.query('DROP TABLE failure_attempts');
      await tx.query('DROP TABLE attempt_values');
      await tx.query('DELETE FROM schema_migrations WHERE version = 13');
    });
    await store.close();
    store = await openStore({ path: join(dir, 'f.duckdb'), readers: 2 });
    expect((await counts(store)).attempts).toBe(9);
    await expectSameAsPlain(store);
  });

  it('follow a bulk load into an empty database and into one with history', async () => {
    const file = join(dir, 'r1.parquet');
    await store.exportResults({ runId: ['r1'] }, 'parquet', file);
    const empty = await openStore({ readers: 2 });
    const withHistory = await openStore({ readers: 2 });
    try {
      await empty.loadTableFile(file, 'parquet');
      // r1 alone: TIMEOUT 3 (t1 ×2, t3), DISK 1; 6 attempts ran.
      expect(await counts(empty)).toEqual({
        patterns: [
          [TIMEOUT, 3, 2],
          [DISK, 1, 1],
        ],
        attempts: 6,
      });
      await expectSameAsPlain(empty);
      await ingest(withHistory, RUN_2);
      await withHistory.loadTableFile(file, 'parquet');
      expect(await counts(withHistory)).toEqual(await counts(store));
      await expectSameAsPlain(withHistory);
    } finally {
      await empty.close();
      await withHistory.close();
    }
  });

  it('drop the runs retention deletes', async () => {
    await store.deleteRunsBefore(new Date('2026-10-15T00:00:00Z'));
    // r2 alone: TIMEOUT 1, DISK 1 (equal counts: by pattern); 3 attempts ran.
    expect(await counts(store)).toEqual({
      patterns: [
        [DISK, 1, 1],
        [TIMEOUT, 1, 1],
      ],
      attempts: 3,
    });
    await expectSameAsPlain(store);
  });
});
