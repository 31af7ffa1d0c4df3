/**
 * Filters an async iterator without an async generator: a generator's
 * `return()` waits until its pending `next()` settles, so a subscriber that
 * disconnects from a quiet topic would keep its listener until the next
 * event. Here `return()` goes straight to the source, which stops at once.
 */
export function filterIterable<T>(
  source: AsyncIterable<T>,
  keep: (value: T) => boolean,
): AsyncIterableIterator<T> {
  const it = source[Symbol.asyncIterator]();
  const done = (): IteratorReturnResult<undefined> => ({ done: true, value: undefined });
  return {
    async next(): Promise<IteratorResult<T, undefined>> {
      for (;;) {
        const r = await it.next();
        if (r.done) return done();
        if (keep(r.value)) return r;
      }
    },
    async return(): Promise<IteratorResult<T, undefined>> {
      await it.return?.();
      return done();
    },
    async throw(error: unknown): Promise<IteratorResult<T, undefined>> {
      if (it.throw) await it.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** A web ReadableStream (an upload, a fetch body) as an async iterable of its chunks. */
export async function* streamChunks<T>(stream: ReadableStream<T>): AsyncIterable<T> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // Stopped early (a refused report): cancel the rest rather than leave it unread.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/**
 * Resolves on the event loop's next turn, after the I/O and timers waiting:
 * long work (parsing a report, checking a batch) awaits it now and then so
 * the server keeps answering other requests meanwhile.
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
