/**
 * A one-line progress bar on stderr when it is a terminal (redrawn in place),
 * and nothing otherwise: CI logs get the per-file lines instead.
 */
export interface Progress {
  update(done: number, total: number, label: string): void;
  /** Clears the bar so the next line prints cleanly. */
  clear(): void;
}

const WIDTH = 24;

const size = (n: number): string => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(0)} kB` : `${n} B`);

export function progressBar(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => undefined, clear: () => undefined };
  let last = 0;
  let shown = false;
  return {
    update(done, total, label) {
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      const f = total > 0 ? Math.min(1, done / total) : 1;
      const bar = '█'.repeat(Math.round(f * WIDTH)).padEnd(WIDTH, '░');
      const text = `${bar} ${(f * 100).toFixed(0).padStart(3)} % ${size(done)} / ${size(total)}  ${label}`;
      stream.write(`\r${text.slice(0, (stream.columns ?? 100) - 1)}\x1b[K`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
