/**
 * A circuit breaker's timeline from its state transitions, as ingested:
 * possibly out of order, possibly with gaps. Times are epoch milliseconds.
 *
 * The rule for imperfect input:
 * 1. Transitions are sorted by time (ties keep their ingest order), so a late
 *    batch lands where it belongs.
 * 2. The breaker starts in the first transition's `from` state.
 * 3. A transition whose `from` differs from the state the previous one led to
 *    implies a missing transition: one from the current state to that `from` is
 *    inferred at the same instant (flagged `inferred`), counted like an ingested
 *    one (a trip, a recovery), and the time since the previous transition stays
 *    with the state that transition led to (the last state known).
 * 4. A transition to the state the breaker is already in changes nothing.
 * 5. Time after the last transition counts towards its state up to `horizon`.
 */
import type { BreakerState } from '../domain/types.ts';

export interface BreakerEventInput {
  readonly at: number;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly reason: string | null;
}

interface TimelineTransition extends BreakerEventInput {
  /** Not ingested: implied by the next transition's `from` (rule 3). */
  readonly inferred: boolean;
}

/** A half-open interval [from, to) of epoch ms; null ends are unbounded. */
export interface Interval {
  readonly from: number | null;
  readonly to: number | null;
}

export interface BreakerTimeline {
  /** State after the last transition. */
  readonly state: BreakerState;
  /** Transitions into OPEN (re-trips from HALF_OPEN included). */
  readonly trips: number;
  readonly timeOpenMs: number;
  readonly timeHalfOpenMs: number;
  /** Each recovery's time from the trip out of CLOSED back to CLOSED. */
  readonly recoveryMs: readonly number[];
  /** Mean of recoveryMs; null when the breaker never recovered from a trip seen. */
  readonly meanRecoveryMs: number | null;
  /** When the breaker returned to CLOSED. */
  readonly recoveredAt: readonly number[];
  /** Stretches spent CLOSED (unbounded before the first transition when it starts CLOSED, and after the last when it ends so). */
  readonly closed: readonly Interval[];
  /** Ingested and inferred transitions, oldest first. */
  readonly transitions: readonly TimelineTransition[];
  /** Transitions inferred by rule 3. */
  readonly missing: number;
}

/**
 * Replays a breaker's transitions (rules above).
 *
 * @param horizon the end of observation (ms); time after the last transition counts up to it (not before it)
 * @throws RangeError without transitions
 * @example breakerTimeline([{ at: 0, from: 'CLOSED', to: 'OPEN', reason: null }, { at: 30, from: 'OPEN', to: 'CLOSED', reason: null }], 100)
 *   // trips 1, timeOpenMs 30, meanRecoveryMs 30, closed [(−∞, 0), [30, ∞)]
 * @complexity O(n log n)
 */
export function breakerTimeline(events: readonly BreakerEventInput[], horizon: number): BreakerTimeline {
  if (!events.length) throw new RangeError('breakerTimeline needs at least one transition');
  const sorted = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map((x) => x.e);
  let state = sorted[0]!.from;
  let since = sorted[0]!.at;
  let closedFrom: number | null = state === 'CLOSED' ? null : Number.NaN;
  let tripStart: number | null = null;
  let trips = 0;
  let missing = 0;
  const time: Record<BreakerState, number> = { CLOSED: 0, OPEN: 0, HALF_OPEN: 0 };
  const recoveryMs: number[] = [];
  const recoveredAt: number[] = [];
  const closed: Interval[] = [];
  const transitions: TimelineTransition[] = [];

  const apply = (t: TimelineTransition): void => {
    transitions.push(t);
    if (t.to === state) return;
    if (state === 'CLOSED') closed.push({ from: closedFrom, to: t.at });
    if (t.to === 'OPEN') {
      trips++;
      if (state === 'CLOSED') tripStart = t.at;
    }
    if (t.to === 'CLOSED') {
      closedFrom = t.at;
      recoveredAt.push(t.at);
      if (tripStart !== null) recoveryMs.push(t.at - tripStart);
      tripStart = null;
    }
    state = t.to;
  };

  for (const e of sorted) {
    time[state] += e.at - since;
    since = e.at;
    if (e.from !== state) {
      missing++;
      apply({ at: e.at, from: state, to: e.from, reason: null, inferred: true });
    }
    apply({ ...e, inferred: false });
  }
  if (horizon > since) time[state] += horizon - since;
  if (state === 'CLOSED') closed.push({ from: closedFrom, to: null });

  return {
    state,
    trips,
    timeOpenMs: time.OPEN,
    timeHalfOpenMs: time.HALF_OPEN,
    recoveryMs,
    meanRecoveryMs: recoveryMs.length ? recoveryMs.reduce((a, b) => a + b, 0) / recoveryMs.length : null,
    recoveredAt,
    closed,
    transitions,
    missing,
  };
}

/** [t, t + lengthMs) after each instant, overlapping windows merged (so no attempt counts twice). */
export function windowsAfter(instants: readonly number[], lengthMs: number): Interval[] {
  const out: { from: number; to: number }[] = [];
  for (const t of [...instants].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last && t <= last.to) last.to = Math.max(last.to, t + lengthMs);
    else out.push({ from: t, to: t + lengthMs });
  }
  return out;
}
