import type { PubSub, Topics } from '../domain/ports.ts';
import { BoundedQueue } from './bounded-queue.ts';

// One subscription of the pub/sub (index.ts describes the overflow policy and the lifecycle).

export type SubscribeOptions = NonNullable<Parameters<PubSub['subscribe']>[1]>;

/** One subscriber's stream of a topic: an async iterator over its own bounded buffer. */
export interface Subscription<T> extends AsyncIterableIterator<T, undefined, undefined> {
  /** Events waiting to be pulled; never more than the buffer size. */
  readonly buffered: number;
  /** Events dropped so far because the buffer was full. */
  readonly dropped: number;
  return(): Promise<IteratorReturnResult<undefined>>;
  throw(error: unknown): Promise<never>;
}

/** What a subscription tells its pub/sub: that it listens or stopped (for the counts and close()), and each drop. */
export interface Hub {
  readonly target: EventTarget;
  /** The pub/sub was closed: a new subscription ends at once. */
  readonly closed: boolean;
  started(topic: keyof Topics, stop: () => void): void;
  stopped(topic: keyof Topics, stop: () => void): void;
  dropped(): void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** Listens to `topic` at once, buffering at most `bufferSize` events (the oldest dropped on overflow). */
export function listen<K extends keyof Topics>(
  hub: Hub,
  topic: K,
  bufferSize: number,
  onOverflow: SubscribeOptions['onOverflow'],
): Subscription<Topics[K][0]> {
  type T = Topics[K][0];
  const { target } = hub;
  const queue = new BoundedQueue<T>(bufferSize);
  const pulls: ((result: IteratorResult<T, undefined>) => void)[] = []; // next() calls waiting for an event
  let dropped = 0;
  let listening = true;
  let failure: { readonly error: unknown } | null = null;

  // Must not throw: a throwing listener would surface as an uncaught exception.
  const listener = (event: Event): void => {
    if (!listening) return; // a broker may still hold a snapshot of its listeners
    const payload = (event as CustomEvent<T>).detail;
    const pull = pulls.shift();
    if (pull) return pull({ done: false, value: payload });
    if (!queue.push(payload)) return;
    dropped++;
    hub.dropped();
    try {
      onOverflow?.(dropped);
    } catch (error) {
      failure = { error };
      stop();
    }
  };

  function stop(): void {
    if (!listening) return;
    listening = false;
    target.removeEventListener(topic, listener);
    hub.stopped(topic, stop);
    for (const pull of pulls.splice(0)) pull(DONE);
  }

  function end(): void {
    stop();
    queue.clear();
    failure = null;
  }

  target.addEventListener(topic, listener);
  hub.started(topic, stop);
  if (hub.closed) stop();

  const subscription: Subscription<T> = {
    get buffered() {
      return queue.size;
    },
    get dropped() {
      return dropped;
    },
    next() {
      if (queue.size > 0) return Promise.resolve({ done: false, value: queue.shift() });
      if (failure) {
        const { error } = failure;
        failure = null;
        return Promise.reject(error);
      }
      if (!listening) return Promise.resolve(DONE);
      return new Promise((resolve) => pulls.push(resolve));
    },
    return() {
      end();
      return Promise.resolve(DONE);
    },
    throw(error) {
      end();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return subscription;
    },
  };
  return subscription;
}
