export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Structured logs: one JSON object per line, to stderr so stdout stays for command output. */
export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Logger {
  const log =
    (at: Exclude<LogLevel, 'silent'>) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (RANK[at] < RANK[level]) return;
      const err = fields['error'];
      const extra =
        err instanceof Error ? { ...fields, error: { message: err.message, stack: err.stack } } : fields;
      write(JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...extra }));
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
