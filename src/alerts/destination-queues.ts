/**
 * Jobs waiting per destination, served in turn (round robin), with at most
 * `perDestination` of one destination's jobs started and not yet finished: a
 * slow receiver holds its own slots, never another destination's.
 */
export class DestinationQueues<J extends { readonly destination: string }> {
  /** Destinations in the order they are next served. */
  readonly #queues = new Map<string, J[]>();
  readonly #active = new Map<string, number>();
  readonly #perDestination: number;
  #waiting = 0;

  constructor(perDestination: number) {
    this.#perDestination = perDestination;
  }

  /** Jobs waiting in every queue. */
  get waiting(): number {
    return this.#waiting;
  }

  push(job: J): void {
    const q = this.#queues.get(job.destination);
    if (q) q.push(job);
    else this.#queues.set(job.destination, [job]);
    this.#waiting++;
  }

  /** Starts the next job of the first destination with a free slot; that destination then goes last. */
  start(): J | undefined {
    for (const [destination, q] of this.#queues) {
      if ((this.#active.get(destination) ?? 0) >= this.#perDestination) continue;
      const job = q.shift()!;
      this.#queues.delete(destination);
      if (q.length) this.#queues.set(destination, q);
      this.#waiting--;
      this.#active.set(destination, (this.#active.get(destination) ?? 0) + 1);
      return job;
    }
    return undefined;
  }

  /** Frees the slot a started job held. */
  finish(job: J): void {
    const n = (this.#active.get(job.destination) ?? 1) - 1;
    if (n > 0) this.#active.set(job.destination, n);
    else this.#active.delete(job.destination);
  }

  /** Empties every queue and returns what waited. */
  drain(): J[] {
    const all = [...this.#queues.values()].flat();
    this.#queues.clear();
    this.#waiting = 0;
    return all;
  }
}
