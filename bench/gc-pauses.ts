import { PerformanceObserver } from 'node:perf_hooks';

/** A request's span on the performance timeline (`performance.now()` at its start and end). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface GcFigure {
  /** Garbage-collection pauses of this process while the requests ran, and the longest. */
  readonly pauses: number;
  readonly longestMs: number;
  /** The slowest request, and how much of it this process spent in garbage collection. */
  readonly slowestMs: number;
  readonly gcInSlowestMs: number;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/**
 * The bench process's garbage-collection pauses (V8's `gc` performance entries) while a loop of
 * requests runs: the query bench's client and the gateway share the process, so a pause there is
 * in a request's time whichever side made the garbage.
 */
export class GcPauses {
  readonly #pauses: Span[] = [];
  readonly #observer = new PerformanceObserver((list) => this.#take(list.getEntries()));

  constructor() {
    this.#observer.observe({ entryTypes: ['gc'] });
  }

  #take(entries: readonly { startTime: number; duration: number }[]): void {
    for (const e of entries) this.#pauses.push({ start: e.startTime, end: e.startTime + e.duration });
  }

  /** Stops observing; the figure for `requests`, the spans the loop timed. */
  stop(requests: readonly Span[]): GcFigure {
    this.#take(this.#observer.takeRecords());
    this.#observer.disconnect();
    const slowest = requests.reduce<Span | null>(
      (a, r) => (!a || r.end - r.start > a.end - a.start ? r : a),
      null,
    );
    const overlap = (p: Span) =>
      slowest ? Math.max(0, Math.min(p.end, slowest.end) - Math.max(p.start, slowest.start)) : 0;
    return {
      pauses: this.#pauses.length,
      longestMs: round(Math.max(0, ...this.#pauses.map((p) => p.end - p.start))),
      slowestMs: round(slowest ? slowest.end - slowest.start : 0),
      gcInSlowestMs: round(this.#pauses.reduce((sum, p) => sum + overlap(p), 0)),
    };
  }
}
