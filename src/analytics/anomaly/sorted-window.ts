/**
 * A window over the last `capacity` values pushed, kept sorted, so that an
 * online detector reads medians and quantiles in O(capacity) per step.
 */
import { medianOfSorted } from './robust-stats.ts';

function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SortedWindow {
  readonly #order: number[] = [];
  readonly #sorted: number[] = [];

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#sorted.length;
  }

  /** Adds x, dropping the oldest value when full. */
  push(x: number): void {
    if (this.#order.length === this.capacity) {
      const old = this.#order.shift()!;
      this.#sorted.splice(lowerBound(this.#sorted, old), 1);
    }
    this.#order.push(x);
    this.#sorted.splice(lowerBound(this.#sorted, x), 0, x);
  }

  /** @throws RangeError when empty */
  median(): number {
    return medianOfSorted(this.#sorted);
  }

  /** @throws RangeError when empty */
  mean(): number {
    if (!this.#order.length) throw new RangeError('mean needs at least one value');
    let sum = 0;
    for (const v of this.#order) sum += v;
    return sum / this.#order.length;
  }

  /** The values in ascending order (read, do not keep). */
  sorted(): readonly number[] {
    return this.#sorted;
  }
}
