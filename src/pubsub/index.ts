import { createPubSub as createYogaPubSub } from 'graphql-yoga';
import type { PubSub, Topics } from '../domain/ports.ts';

/**
 * A typed, in-process pub/sub over an EventTarget. Yoga's createPubSub takes
 * another `eventTarget` (e.g. a Redis one) when replicas must share events.
 */
export function createPubSub(options: { eventTarget?: EventTarget } = {}): PubSub {
  const inner = createYogaPubSub<{ [K in keyof Topics]: Topics[K] }>(
    options.eventTarget ? { eventTarget: options.eventTarget as never } : undefined,
  );
  return {
    publish: (topic, ...args) => inner.publish(topic, ...args),
    // Single-payload topics only: Yoga's overloads for keyed topics are not needed here.
    subscribe: (topic) => (inner.subscribe as (t: string) => AsyncIterable<never>)(topic),
  };
}
