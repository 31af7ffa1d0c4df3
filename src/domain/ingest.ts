/** A validated ingest batch, its size bounds, and the store port that writes it. */
import type { RunId } from './ids.ts';
import type { AttemptFields, BreakerState, IngestError, StoredBatch, Tags } from './types.ts';

/** Size bounds of one ingest call; larger inputs are refused with the limit named. */
export const INGEST_LIMITS = {
  maxResults: 50_000,
  maxBreakerEvents: 10_000,
  maxNameLength: 1_024,
  maxTags: 64,
  maxTagKeyLength: 128,
  maxTagValueLength: 1_024,
  maxMetrics: 64,
  /** Longest duration of one attempt: 31 days. Sums of millions of these stay exact enough and finite. */
  maxDurationMs: 31 * 24 * 3600 * 1000,
  /** Largest magnitude of a named metric's value; squares and sums of many stay finite in a DOUBLE. */
  maxMetricMagnitude: 1e15,
  /** Messages and stack traces longer than this are kept truncated, not refused. */
  maxTextLength: 64 * 1024,
} as const;

export interface ValidRun {
  readonly id: RunId;
  readonly project: string;
  readonly branch: string | null;
  readonly commit: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly tags: Tags;
}

export interface ValidResult extends AttemptFields {
  /** Position in the input, for error reports. */
  readonly index: number;
  readonly suite: string;
  readonly className: string | null;
  readonly name: string;
}

export interface ValidBreakerEvent {
  readonly name: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly at: Date;
  readonly reason: string | null;
}

export interface ValidBatch {
  readonly run: ValidRun;
  readonly results: readonly ValidResult[];
  readonly breakerEvents: readonly ValidBreakerEvent[];
  readonly errors: readonly IngestError[];
}

/** What the ingest mutation writes through. */
export interface IngestStore {
  /** Stores one validated batch atomically (idempotent on run + test + attempt). */
  ingest(batch: ValidBatch): Promise<StoredBatch>;
}
