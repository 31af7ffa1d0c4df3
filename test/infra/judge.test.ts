import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.ts';
import type { Database } from '../../src/db/database.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import type { InfraThresholds } from '../../src/domain/infra-failures.ts';
import type { Store } from '../../src/domain/ports.ts';
import type { IngestResultInput } from '../../src/domain/types.ts';

// Hand-worked runs judged by the default thresholds (5 executions, 80 % failed,
// 80 % of the failures on one pattern or all within 30 s), and by others.
type S = Store & { readonly db: Database };
const opened: S[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});
async function store(infra?: Partial<InfraThresholds>): Promise<S> {
  const s = await openStore(infra ? { infra } : {});
  opened.push(s);
  return s;
}

const T0 = Date.UTC(2026, 10, 2, 9);
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** `n` results named from `from` on, one a minute unless `every` says otherwise. */
function results(
  n: number,
  o: { status: string; from?: number; worker?: string; message?: (i: number) => string; every?: number },
): IngestResultInput[] {
  return Array.from({ length: n }, (_, i) => ({
    suite: 's',
    name: `t${(o.from ?? 0) + i}`,
    status: o.status,
    durationMs: 10,
    startedAt: at(((o.from ?? 0) + i) * (o.every ?? 60)),
    worker: o.worker ?? 'w1',
    message:
      o.status === 'PASSED' ? null : (o.message?.(i) ?? `assertion on field ${'abcdefghij'[i % 10]!} failed`),
  }));
}

const send = (s: Store, id: string, rs: IngestResultInput[], project = 'p') =>
  s.ingest(
    validateIngest({ run: { id, project, branch: 'main', commit: 'c1', startedAt: at(0) }, results: rs }),
  );

const marks = async (s: S) =>
  (await s.infrastructureFailures({}, 100)).map((m) => ({
    run: m.runId,
    worker: m.worker,
    reason: m.reason,
    pattern: m.pattern,
    executions: m.executions,
    failures: m.failures,
  }));

describe('infrastructure failures at ingest', () => {
  it('marks a run whose failures share one pattern once ids and numbers are masked', async () => {
    const s = await store();
    // 9 of 10 fail with "connect ECONNREFUSED <ip>:<port>", the addresses differing: 90 % failed, all one pattern.
    await send(s, 'r1', [
      ...results(9, { status: 'ERROR', message: (i) => `connect ECONNREFUSED 10.0.0.${i}:54${i}2` }),
      ...results(1, { status: 'PASSED', from: 9 }),
    ]);
    expect(await marks(s)).toEqual([
      {
        run: 'r1',
        worker: null,
        reason: 'SHARED_PATTERN',
        // '10.0' and '0.3' read as decimals
        pattern: 'connect ECONNREFUSED <num>.<num>:<num>',
        executions: 10,
        failures: 9,
      },
      // its only worker, w1, holds the same executions
      expect.objectContaining({ run: 'r1', worker: 'w1', failures: 9 }),
    ]);
    const [m] = await s.infrastructureFailures({ runId: ['r1'] }, 1);
    expect(m!.failShare).toBeCloseTo(0.9, 12);
    expect(m!.patternShare).toBe(1);
    // every execution of the marked run is flagged, the pass too
    const [flags] = await s.db.query('SELECT count(*) FILTER (WHERE infra) AS n FROM executions');
    expect(Number(flags!['n'])).toBe(10);
  });

  it('marks failures of many messages that all started within 30 s, and not when they spread over minutes', async () => {
    const s = await store();
    // 8 of 8 fail with their own messages, started 0, 4, …, 28 s: a burst.
    await send(s, 'burst', results(8, { status: 'FAILED', every: 4 }));
    // 8 of 8 fail with their own messages, a minute apart (7 minutes): a broken build, not the infrastructure.
    await send(s, 'spread', results(8, { status: 'FAILED' }), 'q');
    expect((await marks(s)).filter((m) => m.worker === null)).toEqual([
      // 8 patterns of one failure each: the greatest is reported, with a share of 1/8
      {
        run: 'burst',
        worker: null,
        reason: 'BURST',
        pattern: 'assertion on field h failed',
        executions: 8,
        failures: 8,
      },
    ]);
  });

  it('leaves a run alone below the failed share or the minimum of executions', async () => {
    const s = await store();
    // 7 of 10 failed on one pattern: 70 % < 80 %.
    await send(s, 'r70', [
      ...results(7, { status: 'FAILED', message: () => 'HTTP 503' }),
      ...results(3, { status: 'PASSED', from: 7 }),
    ]);
    // 4 of 4 failed on one pattern: fewer than 5 executions.
    await send(s, 'r4', results(4, { status: 'FAILED', message: () => 'HTTP 503' }), 'q');
    expect(await marks(s)).toEqual([]);
  });

  it('marks one worker of a run that is not marked as a whole', async () => {
    const s = await store();
    await send(s, 'r1', [
      ...results(6, {
        status: 'ERROR',
        worker: 'w2',
        message: () => 'OSError: [Errno 28] No space left on device',
      }),
      ...results(6, { status: 'PASSED', from: 6, worker: 'w1' }),
    ]);
    expect(await marks(s)).toEqual([
      {
        run: 'r1',
        worker: 'w2',
        reason: 'SHARED_PATTERN',
        pattern: 'OSError: [Errno <num>] No space left on device',
        executions: 6,
        failures: 6,
      },
    ]);
    const flags = await s.db.query(
      'SELECT worker, bool_and(infra) AS all, bool_or(infra) AS any FROM executions GROUP BY worker ORDER BY worker',
    );
    expect(flags).toEqual([
      { worker: 'w1', all: false, any: false },
      { worker: 'w2', all: true, any: true },
    ]);
  });

  it('judges the whole run again when a later shard arrives, marking and unmarking', async () => {
    const s = await store();
    await send(s, 'r1', results(5, { status: 'PASSED', worker: 'w1' }));
    expect(await marks(s)).toEqual([]);
    // 20 failures on w2: 20 of 25 = 80 % of the run.
    await send(
      s,
      'r1',
      results(20, { status: 'ERROR', from: 5, worker: 'w2', message: () => 'runner lost' }),
    );
    expect((await marks(s)).map((m) => [m.worker, m.executions, m.failures])).toEqual([
      [null, 25, 20],
      ['w2', 20, 20],
    ]);
    const [first] = await s.db.query("SELECT bool_and(infra) AS all FROM executions WHERE worker = 'w1'");
    expect(first!['all']).toBe(true);
    // 10 more passes on w3: 20 of 35 is below 80 %, the run is unmarked, w2 stays marked.
    await send(s, 'r1', results(10, { status: 'PASSED', from: 25, worker: 'w3' }));
    expect((await marks(s)).map((m) => [m.worker, m.executions, m.failures])).toEqual([['w2', 20, 20]]);
    const flags = await s.db.query(
      'SELECT worker, bool_and(infra) AS all FROM executions GROUP BY worker ORDER BY worker',
    );
    expect(flags).toEqual([
      { worker: 'w1', all: false },
      { worker: 'w2', all: true },
      { worker: 'w3', all: false },
    ]);
  });

  it('takes its thresholds from the store options', async () => {
    const s = await store({ failShare: 0.95 });
    await send(s, 'r1', [
      ...results(9, { status: 'ERROR', message: () => 'runner lost' }),
      ...results(1, { status: 'PASSED', from: 9 }),
    ]);
    expect(await marks(s)).toEqual([]);
    await expect(store({ patternShare: 1.5 })).rejects.toThrow(
      /patternShare must be a share above 0 and at most 1/,
    );
  });

  it('refuses bad thresholds before it opens the database file (nothing is created or left locked)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'assay-judge-'));
    try {
      const path = join(dir, 'assay.duckdb');
      await expect(openStore({ path, infra: { minExecutions: 0 } })).rejects.toThrow(/minExecutions/);
      expect(existsSync(path)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
