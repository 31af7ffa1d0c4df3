import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/analytics/random.ts';
import { writeBatch, type WriterState } from '../../src/db/write-batch.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import { asRunId, asTestId } from '../../src/domain/ids.ts';
import { type Batch, type OpenStore, history, runsOf, storeOpener, sums } from '../support/flakiness.ts';

// A run sent in several batches (CI shards posting to one run id) must leave
// exactly what one batch leaves: executions, sequences, daily counts and the
// flakiness rollup. Tests a shard brings that come after their last stored
// execution are appended in place; only tests that truly arrive out of order
// are recomputed (src/db/batch-rollup.ts).
const open = storeOpener();

/** A store with the writer's memory kept here, so each batch's paths (appended, late) can be read. */
async function writer(): Promise<{
  s: OpenStore;
  send: (b: Batch) => Promise<{ appended: number; late: number } | null>;
}> {
  const s = await open();
  const state: WriterState = { runs: new Map(), tests: new Set() };
  const now = new Date('2026-11-22T00:00:00Z');
  const send = async (b: Batch) => {
    const v = validateIngest(b);
    const out = await s.db.write((tx) => writeBatch(tx, v, state, now));
    state.runs.set(asRunId(b.run.id), {
      seq: out.runSeq,
      project: v.run.project,
      branch: v.run.branch,
      commit: v.run.commit,
    });
    for (const id of out.newTests) state.tests.add(asTestId(id));
    return out.paths;
  };
  return { s, send };
}

/** Everything ingest keeps, by run id and test (run seqs differ with arrival order); float sums apart. */
async function kept(s: OpenStore) {
  const q = (sql: string) => s.db.query(sql);
  return {
    executions: await q(
      `SELECT r.id, e.test_id, e.status, e.flaky, e.attempts, e.test_seq, e.flipped, e.fail_run, e.ended_fail_run, e.evidence
       FROM executions e JOIN runs r ON r.seq = e.run_seq ORDER BY ALL`,
    ),
    runs: await q('SELECT id, executions, passed, failed, errored, flaky, skipped FROM runs ORDER BY id'),
    sequence: await q(
      'SELECT s.test_id, s.last_seq, r.id, s.last_failed, s.fail_run FROM test_sequence s JOIN runs r ON r.seq = s.last_run_seq ORDER BY ALL',
    ),
    daily: await q('SELECT * FROM daily_counts ORDER BY ALL'),
    totals: await q('SELECT * FROM test_totals ORDER BY ALL'),
    rollup: await q(
      `SELECT test_id, executions, failures, retries, evidence_failures, inconsistent_commits, last_strong_seq, last_flake_seq,
              last_flake_at, list_transform(tail, t -> t.seq) AS tail, list_sort(transient) AS transient FROM flakiness_rollup ORDER BY test_id`,
    ),
    // What a rollup read gives (sums taken to the latest position, whatever the stored anchor).
    sums: (await sums(s, 'rollup'))
      .sort((x, y) => x.testId.localeCompare(y.testId))
      .flatMap((r) => [r.sumW, r.sumW2, r.sumV, r.sumV2, r.sumWF, r.flipW, r.flipSum]),
  };
}

function expectSame(a: Awaited<ReturnType<typeof kept>>, b: Awaited<ReturnType<typeof kept>>, label: string) {
  const { sums: sa, ...ra } = a;
  const { sums: sb, ...rb } = b;
  expect(rb, label).toEqual(ra);
  expect(sb.length).toBe(sa.length);
  sa.forEach((x, i) => expect(sb[i], `${label} sum ${i}`).toBeCloseTo(x, 10));
}

/** Splits a run into `n` shards by test (a test's attempts may also be split over two shards), in a random order. */
function shards(b: Batch, n: number, rand: () => number): Batch[] {
  const groups: Batch['results'][] = Array.from({ length: n }, () => []);
  const shardOf = new Map<string, number>();
  for (const r of b.results) {
    let k = shardOf.get(r.name);
    if (k === undefined || rand() < 0.15) k = Math.floor(rand() * n);
    shardOf.set(r.name, k);
    groups[k]!.push(r);
  }
  return groups
    .filter((g) => g.length)
    .map((results) => ({ run: b.run, results }))
    .sort(() => rand() - 0.5);
}

describe('a run sent in shards', () => {
  it('leaves the same executions, sequences, daily counts and flakiness rollup as one batch, in any order', async () => {
    const runs = history(23, 14, 10);
    const one = await writer();
    for (const b of runs) await one.send(b);
    const expected = await kept(one.s);
    expect(expected.executions.some((e) => e['evidence'] === 'TRANSIENT')).toBe(true);

    for (const seed of [1, 2]) {
      const rand = mulberry32(seed);
      // Runs in order, each in 2–5 shards in a random order.
      const inOrder = await writer();
      let appended = 0;
      for (const b of runs)
        for (const shard of shards(b, 2 + Math.floor(rand() * 4), rand))
          appended += (await inOrder.send(shard))?.appended ?? 0;
      expectSame(expected, await kept(inOrder.s), `seed ${seed}, runs in order`);
      expect(appended).toBeGreaterThan(0);
      // Every shard of every run in one random order: some tests now arrive truly late.
      const mixed = await writer();
      const all = runs.flatMap((b) => shards(b, 3, rand)).sort(() => rand() - 0.5);
      for (const shard of all) await mixed.send(shard);
      expectSame(expected, await kept(mixed.s), `seed ${seed}, shards of all runs shuffled`);
    }
  }, 240_000);

  it('appends shards with their own tests, and recomputes only a test that truly arrives late', async () => {
    // t0 and t1 on commits a, b, c: r1's shard with t0 arrives after r2.
    const [r0, r1, r2] = runsOf(['a PP', 'b FP', 'c PF']);
    const { s, send } = await writer();
    expect(await send(r0!)).toEqual({ appended: 2, late: 0 });
    const t1Only = { run: r1!.run, results: r1!.results.filter((r) => r.name === 't1') };
    const t0Only = { run: r1!.run, results: r1!.results.filter((r) => r.name === 't0') };
    expect(await send(t1Only)).toEqual({ appended: 1, late: 0 });
    expect(await send(r2!)).toEqual({ appended: 2, late: 0 });
    // t0 in r1 is earlier than t0's last execution (r2): only t0 is recomputed.
    expect(await send(t0Only)).toEqual({ appended: 0, late: 1 });
    // By hand, t0: r0 P (1), r1 F (2, flipped, a failure run of 1), r2 P (3, flipped, ends it: r1's failure is transient).
    // t1: r0 P (1), r1 P (2), r2 F (3, flipped, failing now).
    expect(
      await s.db.query(
        `SELECT r.id, t.name, e.test_seq, e.flipped, e.fail_run, e.ended_fail_run, e.evidence
         FROM executions e JOIN runs r ON r.seq = e.run_seq JOIN tests t ON t.id = e.test_id ORDER BY t.name, r.id`,
      ),
    ).toEqual([
      { id: 'r0', name: 't0', test_seq: 1n, flipped: false, fail_run: 0, ended_fail_run: 0, evidence: null },
      {
        id: 'r1',
        name: 't0',
        test_seq: 2n,
        flipped: true,
        fail_run: 1,
        ended_fail_run: 0,
        evidence: 'TRANSIENT',
      },
      { id: 'r2', name: 't0', test_seq: 3n, flipped: true, fail_run: 0, ended_fail_run: 1, evidence: null },
      { id: 'r0', name: 't1', test_seq: 1n, flipped: false, fail_run: 0, ended_fail_run: 0, evidence: null },
      { id: 'r1', name: 't1', test_seq: 2n, flipped: false, fail_run: 0, ended_fail_run: 0, evidence: null },
      { id: 'r2', name: 't1', test_seq: 3n, flipped: true, fail_run: 1, ended_fail_run: 0, evidence: null },
    ]);
    // A retry of t1 in r2 sent later: r2 already holds t1's execution, which is refolded and recomputed.
    const retry = {
      run: r2!.run,
      results: [{ suite: 's', name: 't1', status: 'PASSED', durationMs: 1, attempt: 2 }],
    };
    expect(await send(retry)).toEqual({ appended: 0, late: 1 });
    const [t1] = await s.db.query<{ flaky: boolean; evidence: string | null; executions: number }>(
      `SELECT e.flaky, e.evidence, r.executions FROM executions e JOIN runs r ON r.seq = e.run_seq
       WHERE r.id = 'r2' AND e.status = 'PASSED' AND e.attempts = 2`,
    );
    expect(t1).toEqual({ flaky: true, evidence: 'RETRY', executions: 2 });
  });
});
