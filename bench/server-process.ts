/**
 * `assay serve` in a process of its own, for benches that measure the server alone: its resident
 * memory from /proc/<pid>/status and what it reports at /metrics, with nothing of the bench's
 * clients in it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/assay.mjs', import.meta.url));

export interface ServerProcess {
  readonly pid: number;
  /** The GraphQL endpoint, http://127.0.0.1:<port>/graphql. */
  readonly url: string;
  /** VmRSS (resident now) and VmHWM (the kernel's peak resident) in MiB. */
  status(): { rssMb: number; hwmMb: number };
  /** The Prometheus text at /metrics, as name{labels} → value. */
  metrics(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

/** Builds dist/ (what `assay` runs) from the current sources. */
export function buildDist(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const mib = (kb: number) => Math.round((kb / 1024) * 10) / 10;

function readStatus(pid: number): { rssMb: number; hwmMb: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssMb: mib(kb('VmRSS')), hwmMb: mib(kb('VmHWM')) };
}

/** Parses Prometheus' text format (comments skipped). */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += String(c);
      const m = /at (http:\/\/\S+\/graphql)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`assay serve exited ${code}: ${out}`)));
  });
}

/** `node <nodeArgs> assay serve --db <db> --port 0 --log-level warn <args>` (dist/ must be built: buildDist). */
export async function startServer(
  db: string,
  args: readonly string[] = [],
  nodeArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, BIN, 'serve', '--db', db, '--port', '0', '--log-level', 'warn', '--no-dashboard', ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await waitForUrl(child);
  const pid = child.pid!;
  return {
    pid,
    url,
    status: () => readStatus(pid),
    metrics: async () => parseMetrics(await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text()),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
