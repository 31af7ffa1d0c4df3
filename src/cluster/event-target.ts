import { setMaxListeners } from 'node:events';
import type { Redis } from 'ioredis';
import { decode, encode } from './codec.ts';
import type { ClusterLog } from './replicator.ts';

interface Message {
  readonly topic: string;
  readonly detail: unknown;
  /** The publisher's applied position: a receiver delivers once it has applied as much, so the data an event names is there. */
  readonly position: string;
}

export interface RedisEventTargetOptions {
  readonly publisher: Redis;
  /** A connection in subscriber mode. */
  readonly subscriber: Redis;
  readonly channel: string;
  readonly position: () => string;
  /** Resolves when this replica has applied `position` or has waited long enough. */
  readonly reach: (position: string) => Promise<unknown>;
  readonly log: ClusterLog;
}

/**
 * The pub/sub's EventTarget across replicas: `dispatchEvent` publishes on a
 * Redis channel, and every replica (the publisher included) dispatches what
 * the channel carries to its local listeners, in the order Redis sent it.
 */
export class RedisEventTarget extends EventTarget {
  readonly #o: RedisEventTargetOptions;
  #published: Promise<unknown> = Promise.resolve();
  #delivered: Promise<unknown> = Promise.resolve();

  constructor(options: RedisEventTargetOptions) {
    super();
    setMaxListeners(0, this);
    this.#o = options;
    options.subscriber.on('message', (channel: string, text: string) => {
      if (channel !== options.channel) return;
      const m = decode<Message>(text);
      this.#delivered = this.#delivered.then(async () => {
        await options.reach(m.position);
        super.dispatchEvent(new CustomEvent(m.topic, { detail: m.detail }));
      });
    });
  }

  /** Subscribes to the channel; resolves once Redis confirmed (ioredis resubscribes after reconnecting). */
  async listen(): Promise<void> {
    await this.#o.subscriber.subscribe(this.#o.channel);
  }

  override dispatchEvent(event: Event): boolean {
    const { publisher, channel, position, log } = this.#o;
    const detail = (event as CustomEvent<unknown>).detail;
    const message: Message = { topic: event.type, detail, position: position() };
    this.#published = publisher.publish(channel, encode(message)).catch((error: unknown) => {
      // Redis is down: this replica's subscribers still get the event; the others miss it.
      log.warn('could not publish an event to the other replicas', {
        topic: event.type,
        error: (error as Error).message,
      });
      super.dispatchEvent(new CustomEvent(event.type, { detail }));
    });
    return true;
  }

  /** Resolves when every event published and received so far has been handled (tests, shutdown). */
  async idle(): Promise<void> {
    await this.#published;
    await this.#delivered;
  }
}
