import type { ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { createFanout } from '../../src/server/ws-fanout.ts';

// One fan-out group's members: each has its own bounded buffer, so a slow socket loses its oldest payloads alone.

/** A socket whose writes finish only when the test says (`hold`), recording every message (each must be text). */
function socket(hold: boolean) {
  const sent: string[] = [];
  const waiting: (() => void)[] = [];
  const s = {
    send(data: Buffer, options: { binary: boolean }, cb: (err?: Error) => void) {
      sent.push(options.binary ? `binary ${data.toString('hex')}` : data.toString('utf8'));
      if (hold) waiting.push(() => cb());
      else cb();
    },
  };
  return {
    socket: s as unknown as WebSocket,
    sent,
    /** Finishes the writes waiting so far. */
    release: () => waiting.splice(0).forEach((done) => done()),
  };
}

/** A stream of results the test pushes, ended by `end()`. */
function source() {
  const results: ExecutionResult[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  let subscriptions = 0;
  async function* stream(): AsyncGenerator<ExecutionResult> {
    subscriptions++;
    for (;;) {
      const next = results.shift();
      if (next) yield next;
      else if (ended) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  return {
    stream,
    subscriptions: () => subscriptions,
    push: (n: number) => {
      results.push({ data: { n } });
      wake?.();
    },
    end: () => {
      ended = true;
      wake?.();
    },
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('a fan-out group', () => {
  it('subscribes once, writes each payload under each id, and drops only a slow member’s oldest', async () => {
    const drops: number[] = [];
    const fanout = createFanout({ bufferSize: 2, onOverflow: (n) => drops.push(n) });
    const events = source();
    const fast = socket(false);
    const slow = socket(true);
    const a = await fanout.join('k', { socket: fast.socket, id: 'a' }, events.stream);
    const b = await fanout.join('k', { socket: slow.socket, id: 'b"1' }, events.stream);
    expect(events.subscriptions()).toBe(1);
    expect(fanout.groups).toBe(1);

    for (let n = 1; n <= 5; n++) events.push(n);
    await flush();
    const next = (id: string, n: number) =>
      `{"id":${JSON.stringify(id)},"type":"next","payload":{"data":{"n":${n}}}}`;
    expect(fast.sent).toEqual([1, 2, 3, 4, 5].map((n) => next('a', n)));
    // 1 is on the wire; 2 and 3 were buffered, then dropped for 4 and 5.
    expect(slow.sent).toEqual([next('b"1', 1)]);
    expect(drops).toEqual([1, 2]);

    events.end();
    const doneA = (a as AsyncIterator<unknown>).next();
    const doneB = (b as AsyncIterator<unknown>).next();
    await expect(doneA).resolves.toEqual({ done: true, value: undefined });
    for (let i = 0; i < 3; i++) {
      slow.release();
      await flush();
    }
    expect(slow.sent).toEqual([next('b"1', 1), next('b"1', 4), next('b"1', 5)]);
    await expect(doneB).resolves.toEqual({ done: true, value: undefined });
    expect(fanout.groups).toBe(0);
  });

  it('sends each payload as one text message in UTF-8, under ids and with values beyond ASCII', async () => {
    const fanout = createFanout();
    const member = socket(false);
    async function* once(): AsyncGenerator<ExecutionResult> {
      yield { data: { message: 'é ✓ 𝄞 "quoted"' } };
    }
    await fanout.join('k', { socket: member.socket, id: 'ü-1' }, once);
    await flush();
    expect(member.sent).toEqual([
      '{"id":"ü-1","type":"next","payload":{"data":{"message":"é ✓ 𝄞 \\"quoted\\""}}}',
    ]);
    expect(JSON.parse(member.sent[0]!)).toEqual({
      id: 'ü-1',
      type: 'next',
      payload: { data: { message: 'é ✓ 𝄞 "quoted"' } },
    });
  });

  it('ends only the member whose socket refuses a write; the others keep getting every payload', async () => {
    const fanout = createFanout();
    const events = source();
    const broken = {
      send: () => {
        throw new Error('WebSocket is not open');
      },
    } as unknown as WebSocket;
    const fine = socket(false);
    const gone = await fanout.join('k', { socket: broken, id: 'x' }, events.stream);
    await fanout.join('k', { socket: fine.socket, id: 'y' }, events.stream);
    events.push(1);
    await flush();
    await expect((gone as AsyncIterator<unknown>).next()).resolves.toEqual({ done: true, value: undefined });
    events.push(2);
    await flush();
    expect(fine.sent.map((m) => (JSON.parse(m) as { payload: unknown }).payload)).toEqual([
      { data: { n: 1 } },
      { data: { n: 2 } },
    ]);
    expect(fanout.groups).toBe(1);
  });

  it('ends the shared subscription when its last member leaves, and opens a new one for the next', async () => {
    const fanout = createFanout();
    const events = source();
    const one = await fanout.join('k', { socket: socket(false).socket, id: '1' }, events.stream);
    await (one as AsyncGenerator).return(undefined);
    expect(fanout.groups).toBe(0);
    await fanout.join('k', { socket: socket(false).socket, id: '2' }, events.stream);
    expect(events.subscriptions()).toBe(2);
  });

  it('gives every waiting member the answer of a subscription that opened no stream', async () => {
    const fanout = createFanout();
    const refused: ExecutionResult = { errors: [] };
    const answers = await Promise.all(
      ['1', '2'].map((id) => fanout.join('k', { socket: socket(false).socket, id }, () => refused)),
    );
    expect(answers).toEqual([refused, refused]);
    expect(fanout.groups).toBe(0);
  });
});
