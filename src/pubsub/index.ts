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
import { assertCapacity } from './bounded-queue.ts';
import { listen, type SubscribeOptions, type Subscription } from './subscription.ts';

export type { Subscription } from './subscription.ts';

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

/** @throws {RangeError} when `bufferSize` is not a positive whole number. */
export function createPubSub(options: PubSubOptions = {}): BufferedPubSub {
  const { eventTarget: target = unlimited(new EventTarget()), bufferSize: defaultSize = 256 } = options;
  assertCapacity(defaultSize);
  // A Record over every topic, so adding a topic to the map without counting it here fails to compile.
  const subscribers: Record<keyof Topics, number> = { ingested: 0, alert: 0 };
  let droppedTotal = 0;
  const live = new Set<() => void>();
  let closed = false;
  const hub = {
    target,
    get closed() {
      return closed;
    },
    started(topic: keyof Topics, stop: () => void) {
      subscribers[topic]++;
      live.add(stop);
    },
    stopped(topic: keyof Topics, stop: () => void) {
      subscribers[topic]--;
      live.delete(stop);
    },
    dropped() {
      droppedTotal++;
    },
  };

  return {
    publish(topic, ...[payload]) {
      target.dispatchEvent(new CustomEvent(topic, { detail: payload }));
    },
    subscribe: <K extends keyof Topics>(
      topic: K,
      { bufferSize = defaultSize, onOverflow }: SubscribeOptions = {},
    ): Subscription<Topics[K][0]> => listen<K>(hub, topic, bufferSize, onOverflow),
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
