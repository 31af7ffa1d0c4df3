import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttledRefresh } from '../../dashboard/src/live.ts';

// The dashboard's live refresh: a burst of ingests costs one refetch, and a view never
// refetches twice within a second. Fake timers drive the clock; nothing sleeps.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function counter(durationMs = 0) {
  const starts: number[] = [];
  const refresh = async (): Promise<void> => {
    starts.push(Date.now());
    if (durationMs) await new Promise((resolve) => setTimeout(resolve, durationMs));
  };
  return { starts, live: throttledRefresh(refresh, { quietMs: 250, minGapMs: 1000, now: () => Date.now() }) };
}

describe('throttledRefresh', () => {
  it('answers a burst of requests with one refresh once the burst is quiet', async () => {
    const { starts, live } = counter();
    for (let i = 0; i < 20; i++) {
      live.request();
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(2000);
    expect(starts).toHaveLength(1);
  });

  it('never starts two refreshes within a second, and does not drop the last request', async () => {
    const { starts, live } = counter();
    // A request every 100 ms for 5 s.
    for (let i = 0; i < 50; i++) {
      live.request();
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(3000);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
    expect(starts.length).toBeGreaterThanOrEqual(4);
    expect(starts.at(-1)!).toBeGreaterThanOrEqual(starts[0]! + 4000);
  });

  it('runs a request that arrives during a refresh after it, not alongside it', async () => {
    const { starts, live } = counter(1500);
    live.request();
    await vi.advanceTimersByTimeAsync(300); // first refresh started, runs for 1.5 s
    live.request();
    await vi.advanceTimersByTimeAsync(1000);
    expect(starts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(starts).toHaveLength(2);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(1500);
  });

  it('does nothing after cancel', async () => {
    const { starts, live } = counter();
    live.request();
    live.cancel();
    await vi.advanceTimersByTimeAsync(2000);
    expect(starts).toHaveLength(0);
  });
});
