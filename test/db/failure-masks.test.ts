import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.ts';
import { withPattern } from '../../src/db/failure-masks.ts';

let db: Database;
beforeAll(async () => {
  db = await Database.open({ path: ':memory:', readers: 1 });
});
afterAll(async () => db.close());

async function mask(messages: readonly string[]): Promise<string[]> {
  const rows = await db.query<{ pattern: string }>(
    `SELECT pattern FROM (${withPattern(`SELECT unnest(from_json($1::JSON, '["VARCHAR"]')) AS message, generate_subscripts(from_json($1::JSON, '["VARCHAR"]'), 1) AS i`)}) ORDER BY i`,
    [JSON.stringify(messages)],
  );
  return rows.map((r) => r.pattern);
}

describe('failure message masks', () => {
  it('masks each kind of variable part with its placeholder', async () => {
    expect(
      await mask([
        'request 550e8400-e29b-41d4-a716-446655440000 failed',
        'at 2026-11-01T10:00:03.123Z and 2026-11-01 10:00 and 2026-11-01T10:00:03+01:00',
        'cannot open /home/runner/work/repo/build/lib.so',
        'token aGVsbG8gd29ybGQgdGhpcyBpcyBhIHRlc3Q9PQ== rejected',
        'segfault at 0x7ffd5e8c3a10, commit 9f3c2ab1d4e5',
        'expected 200, got 502 after 3012.5 ms',
        'line one\n  line   two',
      ]),
    ).toEqual([
      'request <uuid> failed',
      'at <ts> and <ts> and <ts>',
      'cannot open <path>/lib.so',
      'token <blob> rejected',
      'segfault at <hex>, commit <hex>',
      'expected <num>, got <num> after <num> ms',
      'line one line two',
    ]);
  });

  it('keeps words: long class names, plain hex-letter words, file names and digits glued to letters are not ids', async () => {
    expect(
      await mask([
        'org.springframework.dao.DataIntegrityViolationException: duplicate key value violates unique constraint "orders_pkey"',
        'facade decade accede',
        'ConnectionResetError: [Errno 104] reading s3://datasets/imagenet/part-00012.parquet',
        'org.opentest4j.AssertionFailedError: refund re_482913 on gpu-3, 1,2,3, p99 1e-3',
      ]),
    ).toEqual([
      'org.springframework.dao.DataIntegrityViolationException: duplicate key value violates unique constraint "orders_pkey"',
      'facade decade accede',
      'ConnectionResetError: [Errno <num>] reading s3:/<path>/part-<num>.parquet',
      'org.opentest4j.AssertionFailedError: refund re_<num> on gpu-<num>, <num>,<num>,<num>, p99 <num>e-<num>',
    ]);
  });
});
