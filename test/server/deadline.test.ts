import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssayError } from '../../src/domain/errors.ts';
import { requestSignal } from '../../src/db/database.ts';
import type { App } from '../../src/server/app.ts';
import { testApp, type GqlResponse } from '../support/app.ts';

/** Far more work than any deadline below allows: ten billion hashes. */
const EXPENSIVE_SQL = 'SELECT sum(hash(i)) AS s FROM range(10000000000) t(i)';

describe('request deadline', () => {
  let app: App;
  let url: string;
  beforeAll(async () => {
    app = await testApp({ requestTimeoutMs: 50 });
    url = await app.listen();
    // Two million executions of two million tests: a per-test P95 is a long aggregation.
    await app.store.db.write((tx) =>
      tx.query(`INSERT INTO executions (run_seq, test_id, project, suite, branch, commit_sha, started_at, status, flaky, attempts, duration_ms, total_duration_ms, worker, hardware, message, tags, test_seq, flipped, fail_run, ended_fail_run, evidence, infra)
        SELECT 1, 't' || i, 'web', 's', 'main', NULL, TIMESTAMP '2026-11-01' + to_seconds(i % 86400),
               'PASSED', false, 1, i % 997, i % 997, NULL, NULL, NULL, MAP {}, i, false, NULL, NULL, NULL, false
        FROM range(2000000) t(i)`),
    );
  }, 60_000);
  afterAll(() => app.close());

  const post = (query: string, signal?: AbortSignal) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query }),
      ...(signal && { signal }),
    });

  it('answers an expensive query past its deadline with 504 TIMEOUT, and the database answers again', async () => {
    const res = await post(
      '{ metrics(groupBy: [TEST], bucket: HOUR, limit: 5) { executions p95: duration(stat: P95) p50: duration(stat: P50) } }',
    );
    expect(res.status).toBe(504);
    const body = (await res.json()) as GqlResponse;
    expect(body.errors?.[0]?.extensions?.code).toBe('TIMEOUT');
    expect(body.errors?.[0]?.message).toContain('deadline of 0.05 s');
    // The interrupted statement gives its connection back, and every reader answers again.
    const again = await Promise.all(
      [1, 2, 3, 4].map(() => app.store.db.query<{ v: number }>('SELECT 42 AS v')),
    );
    expect(again.map((r) => r[0]?.v)).toEqual([42, 42, 42, 42]);
    const rows = await app.store.db.query<{ n: bigint | number }>('SELECT count(*) AS n FROM executions');
    expect(Number(rows[0]?.n)).toBe(2_000_000);
  });

  it('interrupts DuckDB for an aborted request, and the connection serves the next statement', async () => {
    const controller = new AbortController();
    const running = requestSignal.run(controller.signal, () => app.store.db.query(EXPENSIVE_SQL));
    setTimeout(() => controller.abort(new AssayError('TIMEOUT', 'client went away')), 20);
    await expect(running).rejects.toMatchObject({ code: 'TIMEOUT', message: 'client went away' });
    const again = await Promise.all([1, 2].map(() => app.store.db.query<{ v: number }>('SELECT 42 AS v')));
    expect(again.map((r) => r[0]?.v)).toEqual([42, 42]);
    const refused = requestSignal.run(controller.signal, () => app.store.db.query('SELECT 1'));
    await expect(refused).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});
