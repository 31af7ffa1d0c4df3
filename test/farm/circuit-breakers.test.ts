import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { data, INGEST, testApp } from '../support/app.ts';

// Run r1 lasts 10:00–14:00 on 2026-11-05; its transitions arrive in two batches, late ones first.
//
// worker:gpu-3: 10:30 CLOSED→OPEN (sent twice), 10:31 OPEN→HALF_OPEN, 10:32 HALF_OPEN→CLOSED,
//   12:00 CLOSED→OPEN, 12:10 HALF_OPEN→CLOSED (its OPEN→HALF_OPEN was lost: inferred at 12:10).
//   Trips 2; OPEN 10:30–10:31 and 12:00–12:10 = 11 min; HALF_OPEN 10:31–10:32 = 1 min;
//   recoveries after 2 and 10 min → mean 6 min. CLOSED: before 10:30, 10:32–12:00, from 12:10 on.
//   Attempts on gpu-3 (F = failed):
//     10:05 10:10 10:15 10:20F  closed                     10:30:30F  open (not counted)
//     10:40F 10:40F 11:00       closed, within the hour after the 10:32 recovery
//     11:45                     closed                     12:05F  open (not counted)
//     12:20F 12:20              closed, within the hour after the 12:10 recovery
//     13:30                     closed                     10:41 skipped (not counted)
//   → closed: 11 attempts, 4 failed (4/11); after recovery: 5 attempts, 3 failed (0.6).
// service:payments: 10:50 CLOSED→OPEN and never back: OPEN until the run's end, 14:00 (3 h 10 min).
// worker:w1: 11:00 HALF_OPEN→CLOSED only (its trip came before the data): no trip, a recovery of unknown
//   length; w1's 10:40 failure was before it (HALF_OPEN), its 11:30 pass after → closed rate 0.
const T = (hm: string) => `2026-11-05T${hm}Z`;
const attempt = (hm: string, status: string, worker = 'gpu-3') => ({
  suite: 'farm',
  name: `t ${hm} ${worker}`,
  status,
  durationMs: 5,
  startedAt: T(hm),
  worker,
  hardware: worker.startsWith('gpu') ? 'cuda' : 'cpu',
});
const event = (name: string, hm: string, from: string, to: string) => ({
  name,
  from,
  to,
  at: T(hm),
  reason: `${from} to ${to}`,
});
const RUN = {
  id: 'r1',
  project: 'farm',
  branch: 'main',
  startedAt: T('10:00:00'),
  finishedAt: T('14:00:00'),
};
const BATCH_1 = {
  run: RUN,
  results: [
    ...['10:05:00', '10:10:00', '10:15:00'].map((t) => attempt(t, 'PASSED')),
    attempt('10:20:00', 'FAILED'),
    attempt('10:30:30', 'FAILED'),
    attempt('10:40:00', 'FAILED'),
    { ...attempt('10:40:00', 'ERROR'), name: 'other test' },
    attempt('10:41:00', 'SKIPPED'),
    attempt('11:00:00', 'PASSED'),
    attempt('10:40:00', 'FAILED', 'w1'),
    attempt('11:30:00', 'PASSED', 'w1'),
  ],
  circuitBreakerEvents: [
    event('worker:gpu-3', '12:00:00', 'CLOSED', 'OPEN'),
    event('worker:gpu-3', '12:10:00', 'HALF_OPEN', 'CLOSED'),
    event('worker:gpu-3', '10:30:00', 'CLOSED', 'OPEN'),
    event('service:payments', '10:50:00', 'CLOSED', 'OPEN'),
  ],
};
const BATCH_2 = {
  run: RUN,
  results: [
    attempt('11:45:00', 'PASSED'),
    attempt('12:05:00', 'FAILED'),
    attempt('12:20:00', 'FAILED'),
    { ...attempt('12:20:00', 'PASSED'), name: 'third test' },
    attempt('13:30:00', 'PASSED'),
  ],
  circuitBreakerEvents: [
    event('worker:gpu-3', '10:30:00', 'CLOSED', 'OPEN'),
    event('worker:gpu-3', '10:31:00', 'OPEN', 'HALF_OPEN'),
    event('worker:gpu-3', '10:32:00', 'HALF_OPEN', 'CLOSED'),
    event('worker:w1', '11:00:00', 'HALF_OPEN', 'CLOSED'),
  ],
};

const QUERY = `query($filter: ResultFilter) { circuitBreakers(filter: $filter) {
  name worker state trips recoveries timeOpenMs timeHalfOpenMs meanRecoveryMs failureRateClosed failureRateAfterRecovery missingTransitions
  transitions { at from to inferred }
} }`;
interface Breaker {
  name: string;
  worker: string | null;
  state: string;
  trips: number;
  recoveries: number;
  timeOpenMs: number;
  timeHalfOpenMs: number;
  meanRecoveryMs: number | null;
  failureRateClosed: number | null;
  failureRateAfterRecovery: number | null;
  missingTransitions: number;
  transitions: { at: string; from: string; to: string; inferred: boolean }[];
}

let app: App;
beforeAll(async () => {
  app = await testApp();
  await data(app, INGEST, { input: BATCH_1 });
  await data(app, INGEST, { input: BATCH_2 });
});
afterAll(async () => app.close());

const breakers = async (filter?: Record<string, unknown>) =>
  (await data<{ circuitBreakers: Breaker[] }>(app, QUERY, { filter })).circuitBreakers;
const MIN = 60_000;

describe('circuitBreakers', () => {
  it('replays out-of-order, re-sent and missing transitions into trips, time open and recoveries', async () => {
    const [gpu] = await breakers();
    expect(gpu).toMatchObject({
      name: 'worker:gpu-3',
      worker: 'gpu-3',
      state: 'CLOSED',
      trips: 2,
      recoveries: 2,
      timeOpenMs: 11 * MIN,
      timeHalfOpenMs: MIN,
      meanRecoveryMs: 6 * MIN,
      missingTransitions: 1,
    });
    expect(gpu!.transitions).toEqual([
      { at: '2026-11-05T10:30:00.000Z', from: 'CLOSED', to: 'OPEN', inferred: false },
      { at: '2026-11-05T10:31:00.000Z', from: 'OPEN', to: 'HALF_OPEN', inferred: false },
      { at: '2026-11-05T10:32:00.000Z', from: 'HALF_OPEN', to: 'CLOSED', inferred: false },
      { at: '2026-11-05T12:00:00.000Z', from: 'CLOSED', to: 'OPEN', inferred: false },
      { at: '2026-11-05T12:10:00.000Z', from: 'OPEN', to: 'HALF_OPEN', inferred: true },
      { at: '2026-11-05T12:10:00.000Z', from: 'HALF_OPEN', to: 'CLOSED', inferred: false },
    ]);
  });

  it("compares the worker's fail rate while closed with the hour after each recovery", async () => {
    const [gpu] = await breakers();
    expect(gpu!.failureRateClosed).toBeCloseTo(4 / 11, 12);
    expect(gpu!.failureRateAfterRecovery).toBeCloseTo(0.6, 12);
  });

  it('counts a breaker left open until the end of the run, and has no fail rates for a breaker that guards no worker', async () => {
    const all = await breakers();
    expect(all.map((b) => [b.name, b.trips])).toEqual([
      ['worker:gpu-3', 2],
      ['service:payments', 1],
      ['worker:w1', 0],
    ]);
    expect(all[1]).toMatchObject({
      worker: null,
      state: 'OPEN',
      recoveries: 0,
      timeOpenMs: (3 * 60 + 10) * MIN,
      meanRecoveryMs: null,
      failureRateClosed: null,
      failureRateAfterRecovery: null,
    });
    // w1 starts HALF_OPEN at its first transition: no trip seen, so no recovery time; closed from 11:00 on.
    expect(all[2]).toMatchObject({
      worker: 'w1',
      state: 'CLOSED',
      recoveries: 1,
      timeHalfOpenMs: 0,
      meanRecoveryMs: null,
      failureRateClosed: 0,
      failureRateAfterRecovery: 0,
    });
  });

  it("follows the slice's runs and time range", async () => {
    expect(await breakers({ project: ['elsewhere'] })).toEqual([]);
    // Only transitions before 11:00 (and observation ends there): gpu-3's first episode, payments open 10 min.
    const early = await breakers({ project: ['farm'], to: T('11:00:00') });
    expect(early.map((b) => [b.name, b.trips, b.timeOpenMs, b.recoveries])).toEqual([
      ['service:payments', 1, 10 * MIN, 0],
      ['worker:gpu-3', 1, MIN, 1],
    ]);
  });
});
