import { getEventListeners } from 'node:events';
import { createPubSub as createYogaPubSub } from 'graphql-yoga';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { Alert, AlertRule } from '../../src/domain/alerts.ts';
import { asRunId } from '../../src/domain/ids.ts';
import type { IngestedEvent, Run } from '../../src/domain/types.ts';
import { createPubSub, type Subscription } from '../../src/pubsub/index.ts';

// ---------------------------------------------------------------- fixtures

const AT = new Date('2026-11-03T00:00:00Z');
const RUN: Run = {
  id: asRunId('r1'),
  project: 'web',
  branch: 'main',
  commit: null,
  startedAt: AT,
  finishedAt: null,
  tags: {},
  executions: 1,
  passed: 1,
  failed: 0,
  errored: 0,
  flaky: 0,
  skipped: 0,
  durationMs: 1,
};
const RULE: AlertRule = {
  id: 'rule-1',
  name: 'slow checkout',
  kind: 'THRESHOLD',
  filter: { project: ['web'] },
  series: null,
  groupBy: [],
  operator: 'GT',
  threshold: 500,
  windowMinutes: 60,
  severity: 'WARNING',
  cooldownMinutes: 0,
  channels: [],
  enabled: true,
  createdAt: AT,
  updatedAt: AT,
};
const ingested = (n: number): IngestedEvent => ({
  run: RUN,
  accepted: 1,
  duplicates: 0,
  passed: 1,
  failed: 0,
  dataVersion: n,
  at: AT,
});
const alert = (n: number): Alert => ({
  id: `alert-${n}`,
  kind: 'THRESHOLD',
  severity: 'WARNING',
  message: `p95 over budget (#${n})`,
  firedAt: AT,
  value: 500 + n,
  threshold: 500,
  acknowledgedAt: null,
  resolvedAt: null,
  group: { project: 'web', tags: {} },
  groupKey: '{"project":"web"}',
  rule: RULE,
  deliveries: [],
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const alertIds = (from: number, to: number) => range(from, to).map((n) => `alert-${n}`);

// ---------------------------------------------------------------- backends

type Listener = Parameters<EventTarget['addEventListener']>[1];

/**
 * Stands in for a shared broker (like @graphql-yoga/redis-event-target): keeps its own
 * listeners per topic and delivers a copy of each event on a later turn of the event loop,
 * as a round trip through the broker would.
 */
class BrokerTarget implements EventTarget {
  readonly #listeners = new Map<string, Set<Listener>>();

  addEventListener(type: string, listener: Listener): void {
    const set = this.#listeners.get(type) ?? new Set();
    this.#listeners.set(type, set.add(listener));
  }

  removeEventListener(type: string, listener: Listener): void {
    const set = this.#listeners.get(type);
    set?.delete(listener);
    if (set?.size === 0) this.#listeners.delete(type);
  }

  dispatchEvent(event: Event): boolean {
    const { type, detail } = event as CustomEvent<unknown>;
    setImmediate(() => {
      for (const listener of [...(this.#listeners.get(type) ?? [])]) {
        const copy = new CustomEvent(type, { detail: structuredClone(detail) });
        if (typeof listener === 'function') listener(copy);
        else listener?.handleEvent(copy);
      }
    });
    return true;
  }

  listenerCount(type: string): number {
    return this.#listeners.get(type)?.size ?? 0;
  }
}

interface Backend {
  readonly name: string;
  create(): { readonly target: EventTarget; listeners(topic: string): number };
}

const BACKENDS: readonly Backend[] = [
  {
    name: 'the in-process EventTarget',
    create: () => {
      const target = new EventTarget();
      return { target, listeners: (topic) => getEventListeners(target, topic).length };
    },
  },
  {
    name: 'a broker that delivers on a later tick',
    create: () => {
      const target = new BrokerTarget();
      return { target, listeners: (topic) => target.listenerCount(topic) };
    },
  },
];

// ---------------------------------------------------------------- helpers

/** One turn of the event loop: both backends have delivered what was published, and consumers have run. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Pulls `n` events that are already buffered or on their way. */
async function take<T>(sub: AsyncIterator<T>, n: number): Promise<T[]> {
  const got: T[] = [];
  for (let i = 0; i < n; i++) {
    const r = await sub.next();
    if (r.done) break;
    got.push(r.value);
  }
  return got;
}

/** A subscriber that keeps up: pulls each event as soon as it can, until the subscription ends. */
function consume<T>(sub: AsyncIterable<T>): T[] {
  const got: T[] = [];
  void (async () => {
    for await (const e of sub) got.push(e);
  })();
  return got;
}

const NO_ONE = { subscribers: { ingested: 0, alert: 0 }, dropped: 0 };

// ---------------------------------------------------------------- behaviour

describe.each(BACKENDS)('the pub/sub over $name', (backend) => {
  const setup = () => {
    const { target, listeners } = backend.create();
    return { pubsub: createPubSub({ eventTarget: target }), listeners };
  };

  it('delivers events to every subscriber in publish order', async () => {
    const { pubsub } = setup();
    const live = pubsub.subscribe('ingested');
    const late = pubsub.subscribe('ingested');
    const got = consume(live);

    for (const n of range(1, 10)) pubsub.publish('ingested', ingested(n));
    await turn();

    expect(got.map((e) => e.dataVersion)).toEqual(range(1, 10));
    expect(late.buffered).toBe(10);
    expect((await take(late, 10)).map((e) => e.dataVersion)).toEqual(range(1, 10));
    expect(got[0]).toEqual(ingested(1));
    await live.return();
    await late.return();
  });

  it("keeps a stuck subscriber from delaying a healthy one, dropping the stuck one's oldest events", async () => {
    const { pubsub } = setup();
    const N = 40;
    const SIZE = 8;
    const onOverflow = vi.fn<(dropped: number) => void>();
    const healthy = pubsub.subscribe('alert', { bufferSize: SIZE });
    const stuck = pubsub.subscribe('alert', { bufferSize: SIZE, onOverflow });
    const got = consume(healthy);

    for (const n of range(1, N)) {
      pubsub.publish('alert', alert(n));
      await turn();
      expect(stuck.buffered).toBeLessThanOrEqual(SIZE);
    }

    expect(got.map((a) => a.id)).toEqual(alertIds(1, N));
    expect(healthy.dropped).toBe(0);
    expect(stuck.buffered).toBe(SIZE);
    expect(stuck.dropped).toBe(N - SIZE);
    expect(onOverflow).toHaveBeenCalledTimes(N - SIZE);
    expect(onOverflow).toHaveBeenLastCalledWith(N - SIZE);
    expect(pubsub.stats()).toEqual({ subscribers: { ingested: 0, alert: 2 }, dropped: N - SIZE });
    // Once it reads again, the stuck subscriber gets the newest SIZE events, oldest first.
    expect((await take(stuck, SIZE)).map((a) => a.id)).toEqual(alertIds(N - SIZE + 1, N));
    await healthy.return();
    await stuck.return();
  });

  it('loses nothing for a subscriber whose buffer outlasts a burst while a stuck one overflows', async () => {
    const { pubsub } = setup();
    const healthy = pubsub.subscribe('alert'); // default buffer: 256
    const stuck = pubsub.subscribe('alert', { bufferSize: 4 });
    const got = consume(healthy);

    for (const n of range(1, 200)) pubsub.publish('alert', alert(n));
    await turn();

    expect(got.map((a) => a.id)).toEqual(alertIds(1, 200));
    expect([stuck.buffered, stuck.dropped]).toEqual([4, 196]);
    await healthy.return();
    await stuck.return();
  });

  it('does nothing when a topic has no subscriber, and replays nothing to a later one', async () => {
    const { pubsub, listeners } = setup();
    expect(() => pubsub.publish('alert', alert(1))).not.toThrow();
    await turn();
    expect(pubsub.stats()).toEqual(NO_ONE);
    expect(listeners('alert')).toBe(0);

    const sub = pubsub.subscribe('alert');
    pubsub.publish('alert', alert(2));
    await turn();
    expect(sub.buffered).toBe(1);
    expect((await sub.next()).value?.id).toBe('alert-2');
    await sub.return();
  });

  it('removes the listener as soon as return() is called, and ends a pending next()', async () => {
    const { pubsub, listeners } = setup();
    const sub = pubsub.subscribe('ingested');
    const other = pubsub.subscribe('ingested');
    expect(listeners('ingested')).toBe(2);
    expect(pubsub.stats().subscribers.ingested).toBe(2);

    const pending = sub.next();
    const returned = sub.return();
    expect(listeners('ingested')).toBe(1);
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    await expect(returned).resolves.toEqual({ done: true, value: undefined });

    pubsub.publish('ingested', ingested(1));
    await turn();
    expect(sub.buffered).toBe(0);
    expect(await sub.next()).toEqual({ done: true, value: undefined });
    expect(other.buffered).toBe(1);
    await other.return();
    expect(listeners('ingested')).toBe(0);
    expect(pubsub.stats()).toEqual(NO_ONE);
  });

  it('removes the listener and discards the buffer on throw(), rejecting with the error', async () => {
    const { pubsub, listeners } = setup();
    const sub = pubsub.subscribe('alert');
    pubsub.publish('alert', alert(1));
    await turn();
    const error = new Error('client went away');

    await expect(sub.throw(error)).rejects.toBe(error);
    expect(listeners('alert')).toBe(0);
    expect(sub.buffered).toBe(0);
    expect(await sub.next()).toEqual({ done: true, value: undefined });
  });

  it('ends only the subscription whose onOverflow throws, after it hands out what it buffered', async () => {
    const { pubsub, listeners } = setup();
    const full = new Error('full');
    const failing = pubsub.subscribe('alert', {
      bufferSize: 2,
      onOverflow: () => {
        throw full;
      },
    });
    const healthy = pubsub.subscribe('alert');
    const got = consume(healthy);

    for (const n of range(1, 4)) {
      expect(() => pubsub.publish('alert', alert(n))).not.toThrow();
      await turn();
    }

    expect(got.map((a) => a.id)).toEqual(alertIds(1, 4));
    expect(listeners('alert')).toBe(1);
    // alert-3 evicted alert-1, then onOverflow threw: alert-4 never reached the failed subscription.
    expect((await take(failing, 2)).map((a) => a.id)).toEqual(alertIds(2, 3));
    await expect(failing.next()).rejects.toBe(full);
    expect(await failing.next()).toEqual({ done: true, value: undefined });
    await healthy.return();
  });

  it('leaves no listener behind once every subscriber has ended, however it ended', async () => {
    const { pubsub, listeners } = setup();
    const subs = range(1, 10).flatMap(() => [
      pubsub.subscribe('alert', { bufferSize: 1 }),
      pubsub.subscribe('ingested'),
    ]);
    expect([listeners('alert'), listeners('ingested')]).toEqual([10, 10]);
    pubsub.publish('alert', alert(1));
    pubsub.publish('ingested', ingested(1));
    pubsub.publish('ingested', ingested(2));
    await turn();

    const breaker = subs.pop();
    for await (const e of breaker ?? []) if (e) break; // `for await … break` calls return()
    const thrower = subs.pop();
    await thrower?.throw(new Error('bye')).catch(() => undefined);
    await Promise.all(subs.map((s) => s.return()));

    expect([listeners('alert'), listeners('ingested')]).toEqual([0, 0]);
    expect(pubsub.stats()).toEqual(NO_ONE);
  });

  it("speaks graphql-yoga's event convention, both ways, on a shared target", async () => {
    const { target } = backend.create();
    const ours = createPubSub({ eventTarget: target });
    const yoga = createYogaPubSub<{ alert: [Alert] }>({ eventTarget: target });

    const mine = ours.subscribe('alert');
    const theirs = yoga.subscribe('alert');
    const theirsNext = theirs.next(); // a Repeater starts listening on its first pull
    yoga.publish('alert', alert(1));
    await turn();
    expect((await mine.next()).value).toEqual(alert(1));
    expect((await theirsNext).value).toEqual(alert(1));

    const theirsNext2 = theirs.next();
    ours.publish('alert', alert(2));
    await turn();
    expect((await theirsNext2).value).toEqual(alert(2));
    await mine.return();
    await theirs.return();
  });
});

describe('createPubSub', () => {
  it('uses an in-process EventTarget by default', async () => {
    const pubsub = createPubSub();
    const sub = pubsub.subscribe('ingested');
    pubsub.publish('ingested', ingested(7));
    expect((await sub.next()).value?.dataVersion).toBe(7);
    await sub.return();
  });

  it('refuses a buffer size that is not a positive whole number, before listening', () => {
    expect(() => createPubSub({ bufferSize: 0 })).toThrow(RangeError);
    const pubsub = createPubSub();
    expect(() => pubsub.subscribe('alert', { bufferSize: 2.5 })).toThrow(RangeError);
    expect(pubsub.stats()).toEqual(NO_ONE);
  });

  it('ties each topic to its payload type', () => {
    const pubsub = createPubSub();
    expectTypeOf<Parameters<typeof pubsub.publish<'alert'>>>().toEqualTypeOf<['alert', Alert]>();
    expectTypeOf<Parameters<typeof pubsub.publish<'ingested'>>>().toEqualTypeOf<
      ['ingested', IngestedEvent]
    >();
    expectTypeOf(pubsub.subscribe('alert')).toEqualTypeOf<Subscription<Alert>>();
    // Never called: these lines must fail to compile, which `tsc -p .` checks.
    const misuse = () => {
      // @ts-expect-error an ingested event is not an Alert
      pubsub.publish('alert', ingested(1));
      // @ts-expect-error there is no such topic
      pubsub.publish('alerts', alert(1));
      // @ts-expect-error the payload is required
      pubsub.publish('alert');
    };
    expect(misuse).toBeTypeOf('function');
  });
});
