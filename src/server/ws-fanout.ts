import type { ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';
import { BoundedQueue } from '../pubsub/bounded-queue.ts';

/**
 * Multiplexed graphql-ws subscriptions (as Hasura multiplexes live queries):
 * subscriptions with the same group key (document, operation name, variables
 * and caller's key, built in ws.ts) share one subscription of the schema. Each
 * event is executed once and its payload serialized and UTF-8 encoded once;
 * every member's socket gets those bytes spliced into a `next` message under
 * its own id (graphql-ws clients pick their own ids, so no two members' frames
 * are the same bytes: one frame for all is not possible).
 *
 * A member owns a bounded buffer of serialized payloads written in order, one
 * write waiting for the last: a slow socket falls behind on its own, and when
 * it is `bufferSize` payloads behind the oldest is dropped (the pub/sub's own
 * policy, src/pubsub/index.ts), so it never holds up the group or the others.
 *
 * To graphql-ws a member is the operation's async iterable: it yields nothing
 * (the group writes to the socket) and ends when the group's stream ends, once
 * its buffer is written (graphql-ws then sends `complete`), or throws the
 * stream's error (graphql-ws sends `error`). graphql-ws calls its `return()`
 * when the client completes the operation or the socket closes; the last
 * member to leave ends the group's subscription.
 */

/** The socket and operation id one member's `next` messages go to. */
export interface FanoutTarget {
  readonly socket: WebSocket;
  readonly id: string;
}

type Subscribed = AsyncIterable<ExecutionResult> | ExecutionResult;

export interface FanoutOptions {
  /**
   * Payloads a member may fall behind before the oldest is dropped.
   * @default 256
   */
  readonly bufferSize?: number;
  /** Called with each member's total drops when its buffer overflows. */
  readonly onOverflow?: (dropped: number) => void;
}

export interface Fanout {
  /**
   * Adds `target` to the group of `key`, subscribing with `subscribe` when the
   * group is new. Answers the member's stream, or the subscription's result
   * when it did not open a stream (an error at subscribe time).
   */
  join(
    key: string,
    target: FanoutTarget,
    subscribe: () => Promise<Subscribed> | Subscribed,
  ): Promise<Subscribed>;
  /** Live groups (shared subscriptions of the schema). */
  readonly groups: number;
}

interface Group {
  readonly members: Set<Member>;
  /** The shared subscription while it opens, so members joining meanwhile wait for the same one. */
  opening: Promise<Subscribed> | null;
  source?: AsyncIterator<ExecutionResult>;
}

type End = { readonly error?: unknown } | null;

export function createFanout({ bufferSize = 256, onOverflow }: FanoutOptions = {}): Fanout {
  const groups = new Map<string, Group>();

  function leave(key: string, group: Group, member: Member): void {
    group.members.delete(member);
    if (group.members.size > 0) return;
    if (groups.get(key) === group) groups.delete(key);
    void group.source?.return?.();
  }

  async function pump(key: string, group: Group, source: AsyncIterator<ExecutionResult>): Promise<void> {
    let end: End = null;
    try {
      while (group.members.size > 0) {
        const r = await source.next();
        if (r.done) break;
        const payload = Buffer.from(serializeResult(r.value));
        for (const member of group.members) member.deliver(payload);
      }
    } catch (error) {
      end = { error };
    }
    if (groups.get(key) === group) groups.delete(key);
    for (const member of group.members) member.finish(end);
  }

  return {
    async join(key, target, subscribe) {
      const existing = groups.get(key);
      const group: Group = existing ?? { members: new Set(), opening: null };
      const first = !existing;
      if (first) {
        groups.set(key, group);
        group.opening = Promise.resolve(subscribe());
      }
      const opening = group.opening;
      const member = new Member(target, bufferSize, onOverflow, () => leave(key, group, member));
      group.members.add(member);
      if (!opening) return member.stream; // the group's stream is open already
      const result = await opening;
      if (!isAsyncIterable(result)) {
        // No stream (an error at subscribe time): every member waiting on it gets the same answer.
        group.members.delete(member);
        if (groups.get(key) === group) groups.delete(key);
        return result;
      }
      if (first) {
        group.opening = null;
        const source = result[Symbol.asyncIterator]();
        group.source = source;
        void pump(key, group, source);
      }
      return member.stream;
    },
    get groups() {
      return groups.size;
    },
  };
}

const isAsyncIterable = (x: Subscribed): x is AsyncIterable<ExecutionResult> =>
  typeof (x as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';

/** The `next` payload as graphql-ws writes it: errors only when there are some, each as its JSON. */
function serializeResult(result: ExecutionResult): string {
  const { errors, ...rest } = result;
  return JSON.stringify(errors ? { ...rest, errors: errors.map((e) => e.toJSON()) } : rest);
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
/** Ends a `next` message after its payload. */
const CLOSE = Buffer.from('}');
/** A `next` message is text, whichever type its bytes are handed to ws in. */
const TEXT = { binary: false } as const;

/**
 * One subscriber of a group: its buffer of payloads and the stream graphql-ws waits on. A
 * payload goes to the socket at once when the member's last write has finished, else into the
 * buffer; each write's callback sends the next buffered one. No promise per payload: a group of
 * a thousand members costs a thousand socket writes, not a thousand microtask chains.
 */
class Member {
  readonly #queue: BoundedQueue<Buffer>;
  /** `{"id":…,"type":"next","payload":` in UTF-8, spliced before each payload. */
  readonly #prefix: Buffer;
  #dropped = 0;
  #writing = false;
  #left = false;
  #end: End = null;
  #settle: { resolve(r: IteratorResult<never, undefined>): void; reject(e: unknown): void } | null = null;
  readonly stream: AsyncGenerator<never, undefined>;

  constructor(
    readonly target: FanoutTarget,
    bufferSize: number,
    readonly onOverflow: FanoutOptions['onOverflow'],
    readonly onLeave: () => void,
  ) {
    this.#queue = new BoundedQueue(bufferSize);
    this.#prefix = Buffer.from(`{"id":${JSON.stringify(target.id)},"type":"next","payload":`);
    const done = (): Promise<IteratorResult<never, undefined>> => {
      this.#leave();
      return Promise.resolve(DONE);
    };
    this.stream = {
      next: () =>
        new Promise((resolve, reject) => {
          this.#settle = { resolve, reject };
          this.#settleIfDone();
        }),
      return: done,
      throw: done,
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  deliver(payload: Buffer): void {
    if (this.#left) return;
    if (!this.#writing) return this.#send(payload);
    if (this.#queue.push(payload)) this.onOverflow?.(++this.#dropped);
  }

  /** The group's stream ended (with `end.error` when it failed): end once the buffer is written. */
  finish(end: End): void {
    this.#end = end ?? {};
    this.#settleIfDone();
  }

  #send(payload: Buffer): void {
    this.#writing = true;
    try {
      this.target.socket.send(Buffer.concat([this.#prefix, payload, CLOSE]), TEXT, this.#written);
    } catch (error) {
      // A throw here (not an open socket) must end this member only, never the group's pump.
      this.#written(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** ws calls this once a message is written (never synchronously from send). */
  readonly #written = (err?: Error): void => {
    this.#writing = false;
    // The socket closed under the write: graphql-ws returns the stream as it cleans up.
    if (err) return this.#leave();
    if (!this.#left && this.#queue.size > 0) return this.#send(this.#queue.shift());
    this.#settleIfDone();
  };

  #settleIfDone(): void {
    const settle = this.#settle;
    if (!settle) return;
    if (this.#left) {
      this.#settle = null;
      settle.resolve(DONE);
    } else if (this.#end && !this.#writing && this.#queue.size === 0) {
      this.#settle = null;
      this.#leave();
      if (this.#end.error !== undefined) settle.reject(this.#end.error);
      else settle.resolve(DONE);
    }
  }

  #leave(): void {
    if (this.#left) return;
    this.#left = true;
    this.#queue.clear();
    this.onLeave();
    this.#settleIfDone();
  }
}
