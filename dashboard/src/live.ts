/**
 * Refreshes a view when its data changes, at most once per `minGapMs`: a burst of
 * ingests waits `quietMs` for the burst to end, and a refresh never overlaps another.
 */
export function throttledRefresh(
  refresh: () => Promise<void>,
  { quietMs = 250, minGapMs = 1000, now = () => performance.now() } = {},
): { request: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let again = false;
  let lastStart = -Infinity;
  let cancelled = false;

  const schedule = (): void => {
    if (timer || cancelled) return;
    const wait = Math.max(quietMs, lastStart + minGapMs - now());
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, wait);
  };
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    lastStart = now();
    try {
      await refresh();
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  };
  return {
    request: () => (running ? void (again = true) : schedule()),
    cancel: () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    },
  };
}
