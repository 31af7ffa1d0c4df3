/**
 * A window over the last `capacity` values pushed, kept sorted, so that an
 * online detector reads medians and quantiles in O(capacity) per step.
 */
import { lowerBound } from '../sorted.ts';
import { medianOfSorted } from './robust-stats.ts';

export class SortedWindow {
  /** Insertion order as a ring: the oldest value sits at #next once full. */
  readonly #ring: number[] = [];
  #next = 0;
  readonly #sorted: number[] = [];

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#sorted.length;
  }

  /** Adds x, dropping the oldest value when full. */
  push(x: number): void {
    if (this.#ring.length === this.capacity) {
      const old = this.#ring[this.#next]!;
      this.#ring[this.#next] = x;
      this.#next = (this.#next + 1) % this.capacity;
      // Replace in place: shift the values between the old and the new position by one.
      const s = this.#sorted;
      let i = lowerBound(s, old);
      const to = lowerBound(s, x);
      if (to > i) for (; i < to - 1; i++) s[i] = s[i + 1]!;
      else for (; i > to; i--) s[i] = s[i - 1]!;
      s[i] = x;
      return;
    }
    this.#ring.push(x);
    this.#sorted.splice(lowerBound(this.#sorted, x), 0, x);
  }

  /** @throws RangeError when empty */
  median(): number {
    return medianOfSorted(this.#sorted);
  }

  /** The values in ascending order (read, do not keep). */
  sorted(): readonly number[] {
    return this.#sorted;
  }
}
