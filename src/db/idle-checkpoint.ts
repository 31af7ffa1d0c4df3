/**
 * When the write-ahead log goes into the database file. DuckDB checkpoints at the COMMIT that
 * takes the log past `checkpoint_threshold` (16 MB), inside that write: an ingest batch of 5,000
 * results logs about 4 MB, so every fourth batch paid a checkpoint (1.5–3 s on 10M results). The
 * store also checkpoints once writes pause, off every request's path, so writes that come in
 * bursts rarely meet a checkpoint. A larger threshold does not help a steady stream of writes:
 * a checkpoint's cost grows with the log it writes (256MB took 41 s at load 24 on 10M results,
 * one request's COMMIT), so DuckDB's default stays.
 */

/** How long the writer must have been idle before the store checkpoints. */
export const IDLE_CHECKPOINT_MS = 1_000;

/**
 * Runs `checkpoint` once no write has happened for `idleMs` since the last one. The timer does
 * not keep the process alive; a failed checkpoint (DuckDB refuses while another transaction
 * writes) is left to the next pause or to DuckDB's own threshold.
 */
export class IdleCheckpoint {
  readonly #checkpoint: () => Promise<void>;
  readonly #idleMs: number;
  #timer: NodeJS.Timeout | null = null;

  constructor(checkpoint: () => Promise<void>, idleMs = IDLE_CHECKPOINT_MS) {
    this.#checkpoint = checkpoint;
    this.#idleMs = idleMs;
  }

  /** The last queued write finished: checkpoint unless another starts within the pause. */
  wrote(): void {
    this.stop();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#checkpoint().catch(() => undefined);
    }, this.#idleMs);
    this.#timer.unref();
  }

  /** Forgets the pending checkpoint (a write starts, or the database closes and checkpoints then). */
  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
