/** Circuit breakers: their timelines from ingested transitions, and the failure rates around them. */
import type { BreakerState, ResultFilter } from './types.ts';

export interface BreakerTransition {
  readonly at: Date;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly reason: string | null;
  /** Not ingested: implied by the next transition's `from` (see src/analytics/breakers.ts). */
  readonly inferred: boolean;
}

export interface CircuitBreakerReport {
  readonly name: string;
  /** The worker a "worker:<name>" breaker guards; null for other breakers. */
  readonly worker: string | null;
  /** State after the last transition. */
  readonly state: BreakerState;
  /** Transitions into OPEN. */
  readonly trips: number;
  readonly recoveries: number;
  readonly timeOpenMs: number;
  readonly timeHalfOpenMs: number;
  /** Mean time from OPEN back to CLOSED, ms; null when it never recovered. */
  readonly meanRecoveryMs: number | null;
  readonly failureRateClosed: number | null;
  readonly failureRateAfterRecovery: number | null;
  /** Transitions that had to be inferred because an ingested one did not follow its predecessor. */
  readonly missingTransitions: number;
  readonly transitions: readonly BreakerTransition[];
}

/** A circuit-breaker transition as stored. */
export interface StoredBreakerEvent {
  readonly name: string;
  readonly at: Date;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly reason: string | null;
}

/** A stretch of time on one worker whose attempts are counted under `key`; null ends are unbounded. */
export interface AttemptWindow {
  readonly key: string;
  readonly worker: string;
  readonly from: Date | null;
  readonly to: Date | null;
}

/** Attempts that ran and attempts that failed or errored. */
export interface AttemptOutcomes {
  readonly ran: number;
  readonly failed: number;
}

/** What the circuit-breaker analysis reads. */
export interface BreakerStore {
  /**
   * Circuit-breaker transitions ingested with the runs a slice touches (a re-sent transition once),
   * by breaker and time, and the end of observation: the latest end of those runs or transition.
   */
  breakerEvents(filter: ResultFilter): Promise<{ events: StoredBreakerEvent[]; horizon: Date | null }>;
  /** Attempts of a slice that ran, and that failed, on each window's worker within it, summed per window key. */
  attemptOutcomes(
    filter: ResultFilter,
    windows: readonly AttemptWindow[],
  ): Promise<Map<string, AttemptOutcomes>>;
}
