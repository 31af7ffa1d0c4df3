/** @throws {RangeError} unless `capacity` is a positive safe integer. */
export function assertCapacity(capacity: number): void {
  if (!Number.isSafeInteger(capacity) || capacity < 1) {
    throw new RangeError(`a buffer holds a positive whole number of events; got ${capacity}`);
  }
}

/**
 * A FIFO of at most `capacity` items on a ring buffer: pushing onto a full
 * queue evicts the oldest item. Push and shift are O(1); the backing array
 * grows to `capacity` slots at most and a shifted slot is cleared, so the
 * queue never keeps an item alive after handing it out or evicting it.
 */
export class BoundedQueue<T> {
  readonly #slots: (T | undefined)[] = [];
  #head = 0;
  #size = 0;

  /** @throws {RangeError} unless `capacity` is a positive safe integer. */
  constructor(readonly capacity: number) {
    assertCapacity(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Appends `item`; returns true when the oldest item was evicted to make room. */
  push(item: T): boolean {
    // The tail walks 0, 1, 2, … before it wraps, so the array grows by appending only.
    this.#slots[(this.#head + this.#size) % this.capacity] = item;
    if (this.#size < this.capacity) {
      this.#size++;
      return false;
    }
    this.#head = (this.#head + 1) % this.capacity;
    return true;
  }

  /**
   * Removes and returns the oldest item.
   * @throws {RangeError} when the queue is empty.
   */
  shift(): T {
    if (this.#size === 0) throw new RangeError('shift() on an empty queue');
    const item = this.#slots[this.#head] as T; // the slot is filled: size > 0
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.capacity;
    this.#size--;
    return item;
  }

  clear(): void {
    this.#slots.length = 0;
    this.#head = 0;
    this.#size = 0;
  }
}
