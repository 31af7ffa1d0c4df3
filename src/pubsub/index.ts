import { setMaxListeners } from 'node:events';
/**
 * The typed pub/sub behind the `ingested` and `alerts` subscriptions (ingests and fired alerts).
 *
 * Transport. `publish(topic, payload)` dispatches `new CustomEvent(topic, { detail: payload })`
 * on an EventTarget, the convention of graphql-yoga's createPubSub, so a shared broker
 * (e.g. `createRedisEventTarget` of @graphql-yoga/redis-event-target) can replace the
 * in-memory default through the `eventTarget` option. A broker that serialises `detail` as
 * JSON turns Dates into strings: give it a serializer that keeps them.
 *
 * Overflow policy. Publishing never waits for a subscriber. Each subscription owns a FIFO
 * buffer of at most `bufferSize` events (default 256) that it has not pulled yet. When an
 * event arrives and the buffer is full, the OLDEST buffered event is dropped to make room,
 * the subscription's drop count rises by one, and `onOverflow(dropped)` is called with the
 * subscription's total so far. Hence a subscriber that keeps up (never falls `bufferSize`
 * events behind) loses nothing, a stuck one resumes with the newest `bufferSize` events,
 * and no subscriber ever holds more than `bufferSize` events. If `onOverflow` throws, only
 * that subscription ends: it stops listening, hands out what it buffered, then its `next()`
 * rejects with the error.
 *
 * Lifecycle. `subscribe()` listens at once, so nothing published after it returns is missed
 * (with the in-memory target); `return()` and `throw()` stop listening at once, discard the
 * buffer and settle a pending `next()` as done.
 */
import type { PubSub, Topics } from '../domain/ports.ts';
import { assertCapacity, BoundedQueue } from './bounded-queue.ts';

type SubscribeOptions = NonNullable<Parameters<PubSub['subscribe']>[1]>;

/** One subscriber's stream of a topic: an async iterator over its own bounded buffer. */
export interface Subscription<T> extends AsyncIterableIterator<T, undefined, undefined> {
  /** Events waiting to be pulled; never more than the buffer size. */
  readonly buffered: number;
  /** Events dropped so far because the buffer was full. */
  readonly dropped: number;
  return(): Promise<IteratorReturnResult<undefined>>;
  throw(error: unknown): Promise<never>;
}

/** For the `gateway` query. */
interface PubSubStats {
  /** Live subscriptions of this process, per topic. */
  readonly subscribers: Readonly<Record<keyof Topics, number>>;
  /** Events dropped by overflowing buffers since the pub/sub was created. */
  readonly dropped: number;
}

export interface BufferedPubSub extends PubSub {
  /** @throws {RangeError} when `options.bufferSize` is not a positive whole number. */
  subscribe<K extends keyof Topics>(topic: K, options?: SubscribeOptions): Subscription<Topics[K][0]>;
  stats(): PubSubStats;
  /**
   * Ends every live subscription as if its consumer had stopped (buffered events are still
   * delivered first), so SSE streams and graphql-ws subscriptions complete cleanly at shutdown;
   * later subscriptions end at once.
   */
  close(): void;
  /** Calls `listener` with each event of `topic`, synchronously and unbuffered (the process's own counters); returns the unlisten. */
  observe<K extends keyof Topics>(topic: K, listener: (payload: Topics[K][0]) => void): () => void;
}

export interface PubSubOptions {
  /**
   * Carries events between publishers and subscribers; swap in a shared broker for replicas.
   * @default new EventTarget()
   */
  readonly eventTarget?: EventTarget;
  /**
   * Buffer size of a subscription that does not set its own.
   * @default 256
   */
  readonly bufferSize?: number;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** @throws {RangeError} when `bufferSize` is not a positive whole number. */
export function createPubSub(options: PubSubOptions = {}): BufferedPubSub {
  const { eventTarget: target = unlimited(new EventTarget()), bufferSize: defaultSize = 256 } = options;
  assertCapacity(defaultSize);
  // A Record over every topic, so adding a topic to the map without counting it here fails to compile.
  const subscribers: Record<keyof Topics, number> = { ingested: 0, alert: 0 };
  let droppedTotal = 0;
  const live = new Set<() => void>();
  let closed = false;

  function subscribe<K extends keyof Topics>(
    topic: K,
    { bufferSize = defaultSize, onOverflow }: SubscribeOptions = {},
  ) {
    type T = Topics[K][0];
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
      droppedTotal++;
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
      live.delete(stop);
      target.removeEventListener(topic, listener);
      subscribers[topic]--;
      for (const pull of pulls.splice(0)) pull(DONE);
    }

    function end(): void {
      stop();
      queue.clear();
      failure = null;
    }

    target.addEventListener(topic, listener);
    subscribers[topic]++;
    live.add(stop);
    if (closed) stop();

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

  return {
    publish(topic, ...[payload]) {
      target.dispatchEvent(new CustomEvent(topic, { detail: payload }));
    },
    subscribe,
    stats: () => ({ subscribers: { ...subscribers }, dropped: droppedTotal }),
    close() {
      closed = true;
      for (const stop of [...live]) stop();
    },
    observe(topic, listener) {
      const handler = (e: Event): void => listener((e as CustomEvent<Topics[typeof topic][0]>).detail);
      target.addEventListener(topic, handler);
      return () => target.removeEventListener(topic, handler);
    },
  };
}

/** Every subscriber is one listener; a thousand dashboards are not a leak, so lift Node's warning limit. */
function unlimited(target: EventTarget): EventTarget {
  setMaxListeners(0, target);
  return target;
}
