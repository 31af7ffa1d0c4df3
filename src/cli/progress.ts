/**
 * Progress on stderr: on a terminal a one-line bar redrawn in place; in a log
 * (CI) a plain line every few seconds, so a long import shows it is moving
 * and a short one prints nothing extra.
 */
export interface Progress {
  /** `unit`: bytes read, or a count of items. */
  update(done: number, total: number, label: string, unit?: 'bytes' | 'items'): void;
  /** Clears the bar so the next line prints cleanly. */
  clear(): void;
}

const WIDTH = 24;
const LOG_EVERY_MS = 5000;

const size = (n: number): string =>
  n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(0)} kB` : `${n} B`;
const amount = (n: number, unit: 'bytes' | 'items'): string =>
  unit === 'bytes' ? size(n) : n.toLocaleString('en-US');

export function progressBar(
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now,
): Progress {
  let last = now();
  if (!stream.isTTY) {
    return {
      update(done, total, label, unit = 'bytes') {
        if (now() - last < LOG_EVERY_MS || done >= total) return;
        last = now();
        stream.write(
          `${label}: ${((done / total) * 100).toFixed(0)} % (${amount(done, unit)} of ${amount(total, unit)})\n`,
        );
      },
      clear: () => undefined,
    };
  }
  let shown = false;
  return {
    update(done, total, label, unit = 'bytes') {
      const t = now();
      if (t - last < 80 && done < total) return;
      last = t;
      const f = total > 0 ? Math.min(1, done / total) : 1;
      const bar = '█'.repeat(Math.round(f * WIDTH)).padEnd(WIDTH, '░');
      const text = `${bar} ${(f * 100).toFixed(0).padStart(3)} % ${amount(done, unit)} / ${amount(total, unit)}  ${label}`;
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- columns is undefined off a TTY
      stream.write(`\r${text.slice(0, (stream.columns ?? 100) - 1)}\x1b[K`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
