import { describe, expect, it } from 'vitest';
import { breakerTimeline, windowsAfter, type BreakerEventInput } from '../../src/analytics/breakers.ts';
import type { BreakerState } from '../../src/domain/types.ts';

const ev = (at: number, from: BreakerState, to: BreakerState): BreakerEventInput => ({
  at,
  from,
  to,
  reason: null,
});

describe('breakerTimeline', () => {
  it('times a trip, a failed probe and a recovery', () => {
    // CLOSED →(10) OPEN →(40) HALF_OPEN →(45) OPEN →(105) HALF_OPEN →(110) CLOSED, horizon 200.
    // OPEN 10–40 and 45–105: 30 + 60 = 90; HALF_OPEN 40–45 and 105–110: 10; two trips (one re-trip);
    // one recovery, from the trip at 10 to CLOSED at 110: 100.
    const t = breakerTimeline(
      [
        ev(10, 'CLOSED', 'OPEN'),
        ev(40, 'OPEN', 'HALF_OPEN'),
        ev(45, 'HALF_OPEN', 'OPEN'),
        ev(105, 'OPEN', 'HALF_OPEN'),
        ev(110, 'HALF_OPEN', 'CLOSED'),
      ],
      200,
    );
    expect(t).toMatchObject({
      state: 'CLOSED',
      trips: 2,
      timeOpenMs: 90,
      timeHalfOpenMs: 10,
      recoveryMs: [100],
      meanRecoveryMs: 100,
      recoveredAt: [110],
      missing: 0,
      closed: [
        { from: null, to: 10 },
        { from: 110, to: null },
      ],
    });
    expect(t.transitions.every((x) => !x.inferred)).toBe(true);
  });

  it('sorts transitions that arrived out of order', () => {
    const inOrder = [
      ev(0, 'CLOSED', 'OPEN'),
      ev(30, 'OPEN', 'HALF_OPEN'),
      ev(35, 'HALF_OPEN', 'CLOSED'),
      ev(100, 'CLOSED', 'OPEN'),
      ev(160, 'OPEN', 'CLOSED'),
    ];
    const shuffled = [inOrder[3]!, inOrder[0]!, inOrder[4]!, inOrder[2]!, inOrder[1]!];
    const t = breakerTimeline(shuffled, 300);
    expect(t).toEqual(breakerTimeline(inOrder, 300));
    // OPEN 0–30 and 100–160 = 90; HALF_OPEN 30–35 = 5; recoveries 35 − 0 = 35 and 160 − 100 = 60, mean 47.5.
    expect(t).toMatchObject({
      trips: 2,
      timeOpenMs: 90,
      timeHalfOpenMs: 5,
      recoveryMs: [35, 60],
      meanRecoveryMs: 47.5,
      missing: 0,
    });
    expect(t.transitions.map((x) => x.at)).toEqual([0, 30, 35, 100, 160]);
  });

  it('infers a missing transition from a `from` that does not follow, keeping the gap with the last known state', () => {
    // CLOSED →(0) OPEN, then (HALF_OPEN → CLOSED at 50): the OPEN → HALF_OPEN between them was lost.
    // Inferred OPEN → HALF_OPEN at 50; 0–50 stays OPEN (the last known state); recovery 50 − 0 = 50.
    // Then (OPEN → HALF_OPEN at 80) without a trip: inferred CLOSED → OPEN at 80, a trip; 50–80 CLOSED.
    // Then HALF_OPEN → CLOSED at 90: recovery 90 − 80 = 10. Horizon 100: CLOSED 90–100.
    const t = breakerTimeline(
      [
        ev(0, 'CLOSED', 'OPEN'),
        ev(50, 'HALF_OPEN', 'CLOSED'),
        ev(80, 'OPEN', 'HALF_OPEN'),
        ev(90, 'HALF_OPEN', 'CLOSED'),
      ],
      100,
    );
    expect(t.transitions.map((x) => [x.at, x.from, x.to, x.inferred])).toEqual([
      [0, 'CLOSED', 'OPEN', false],
      [50, 'OPEN', 'HALF_OPEN', true],
      [50, 'HALF_OPEN', 'CLOSED', false],
      [80, 'CLOSED', 'OPEN', true],
      [80, 'OPEN', 'HALF_OPEN', false],
      [90, 'HALF_OPEN', 'CLOSED', false],
    ]);
    expect(t).toMatchObject({
      missing: 2,
      trips: 2,
      timeOpenMs: 50,
      timeHalfOpenMs: 10,
      recoveryMs: [50, 10],
      meanRecoveryMs: 30,
      closed: [
        { from: null, to: 0 },
        { from: 50, to: 80 },
        { from: 90, to: null },
      ],
    });
  });

  it('counts time open up to the horizon when the breaker ends open, and has no recovery then', () => {
    const t = breakerTimeline([ev(1000, 'CLOSED', 'OPEN')], 4000);
    expect(t).toMatchObject({
      state: 'OPEN',
      trips: 1,
      timeOpenMs: 3000,
      meanRecoveryMs: null,
      recoveredAt: [],
      closed: [{ from: null, to: 1000 }],
    });
  });

  it("starts in the first transition's from state, and a recovery whose trip it never saw has no duration", () => {
    // Starts HALF_OPEN at 0 (the trip was before the data): recovered at 20, but from an unseen trip.
    const t = breakerTimeline([ev(0, 'HALF_OPEN', 'CLOSED'), ev(20, 'CLOSED', 'CLOSED')], 20);
    expect(t).toMatchObject({
      state: 'CLOSED',
      trips: 0,
      timeHalfOpenMs: 0,
      recoveryMs: [],
      meanRecoveryMs: null,
      recoveredAt: [0],
      closed: [{ from: 0, to: null }],
    });
    expect(() => breakerTimeline([], 0)).toThrow(RangeError);
  });
});

describe('windowsAfter', () => {
  it('merges overlapping windows so an attempt counts once', () => {
    expect(windowsAfter([500, 0, 2000], 1000)).toEqual([
      { from: 0, to: 1500 },
      { from: 2000, to: 3000 },
    ]);
  });
});
