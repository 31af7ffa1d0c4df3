import { checkRange } from './args.ts';
import {
  breakerTimeline,
  windowsAfter,
  type BreakerTimeline,
  type Interval,
} from '../src/analytics/breakers.ts';
import type {
  AttemptOutcomes,
  AttemptWindow,
  CircuitBreakerReport,
  StoredBreakerEvent,
  BreakerStore,
} from '../src/domain/breakers.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import type { ResultFilter } from '../src/domain/types.ts';

export interface CircuitBreakersArgs {
  readonly filter?: ResultFilter | null | undefined;
}

/** How long after a recovery its attempts count towards failureRateAfterRecovery. */
const AFTER_RECOVERY_MS = 3_600_000;

const WORKER_PREFIX = 'worker:';

/** The worker a breaker guards: "worker:gpu-3" → "gpu-3"; other breakers (services) guard none. */
const breakerWorker = (name: string): string | null =>
  name.startsWith(WORKER_PREFIX) && name.length > WORKER_PREFIX.length
    ? name.slice(WORKER_PREFIX.length)
    : null;

const toDate = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
const windows = (key: string, worker: string, list: readonly Interval[]): AttemptWindow[] =>
  list.map((i) => ({ key, worker, from: toDate(i.from), to: toDate(i.to) }));
const rate = (o: AttemptOutcomes | undefined): number | null => (o && o.ran ? o.failed / o.ran : null);

/**
 * Each circuit breaker ingested with the slice's runs: its timeline
 * (src/analytics/breakers.ts: trips, time open and half-open, recoveries,
 * missing transitions inferred), and for a "worker:<name>" breaker the fail
 * rate of the slice's attempts on that worker while the breaker was CLOSED
 * and within the hour after each recovery. Most trips first.
 */
export function circuitBreakers(
  deps: FeatureDeps<BreakerStore, 'cache'>,
  args: CircuitBreakersArgs,
): Promise<CircuitBreakerReport[]> {
  checkRange(args.filter);
  const filter = args.filter ?? {};
  return deps.cache.get('circuitBreakers', { filter }, async () => {
    const { events, horizon } = await deps.store.breakerEvents(filter);
    const byName = new Map<string, StoredBreakerEvent[]>();
    for (const e of events) {
      const list = byName.get(e.name);
      if (list) list.push(e);
      else byName.set(e.name, [e]);
    }
    const timelines = new Map<string, BreakerTimeline>();
    const asked: AttemptWindow[] = [];
    for (const [name, list] of byName) {
      const last = list.reduce((m, e) => Math.max(m, e.at.getTime()), -Infinity);
      const t = breakerTimeline(
        list.map((e) => ({ at: e.at.getTime(), from: e.from, to: e.to, reason: e.reason })),
        Math.max(horizon?.getTime() ?? last, last),
      );
      timelines.set(name, t);
      const worker = breakerWorker(name);
      if (!worker) continue;
      asked.push(
        ...windows(`${name}\u0000closed`, worker, t.closed),
        ...windows(`${name}\u0000after`, worker, windowsAfter(t.recoveredAt, AFTER_RECOVERY_MS)),
      );
    }
    const outcomes = await deps.store.attemptOutcomes(filter, asked);
    const reports: CircuitBreakerReport[] = [...timelines].map(([name, t]) => {
      const worker = breakerWorker(name);
      return {
        name,
        worker,
        state: t.state,
        trips: t.trips,
        recoveries: t.recoveredAt.length,
        timeOpenMs: t.timeOpenMs,
        timeHalfOpenMs: t.timeHalfOpenMs,
        meanRecoveryMs: t.meanRecoveryMs,
        failureRateClosed: worker ? rate(outcomes.get(`${name}\u0000closed`)) : null,
        failureRateAfterRecovery: worker ? rate(outcomes.get(`${name}\u0000after`)) : null,
        missingTransitions: t.missing,
        transitions: t.transitions.map((x) => ({
          at: new Date(x.at),
          from: x.from,
          to: x.to,
          reason: x.reason,
          inferred: x.inferred,
        })),
      };
    });
    return reports.sort((a, b) => b.trips - a.trips || (a.name < b.name ? -1 : 1));
  });
}
