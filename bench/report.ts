import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { progress } from './lib.ts';

/** One line of the result table. `goal` null: reported, no target yet. */
export interface Figure {
  readonly figure: string;
  readonly value: number;
  readonly unit: string;
  /** Shown instead of `value` (e.g. "p50 / p95 / p99"); `value` is what the goal is checked against. */
  readonly display?: string;
  readonly goal: { readonly op: '>=' | '<='; readonly value: number } | null;
}

export const fmt = (v: number): string =>
  !Number.isFinite(v)
    ? String(v)
    : Math.abs(v) >= 1000
      ? Math.round(v).toLocaleString('en-US')
      : Math.abs(v) >= 10
        ? v.toFixed(1)
        : v.toFixed(2);

const withUnit = (v: string, unit: string): string => (unit ? `${v} ${unit}` : v);

/** value / goal; for a `>=` goal pass means ratio ≥ 1, for a `<=` goal ratio ≤ 1. */
export function verdict(f: Figure): { ratio: number | null; pass: boolean | null } {
  if (!f.goal) return { ratio: null, pass: null };
  const ratio = f.value / f.goal.value;
  return { ratio, pass: f.goal.op === '>=' ? f.value >= f.goal.value : f.value <= f.goal.value };
}

export function markdownTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => {
    const { ratio, pass } = verdict(f);
    return [
      f.figure,
      withUnit(f.display ?? fmt(f.value), f.unit),
      f.goal ? withUnit(`${f.goal.op === '>=' ? '≥' : '≤'} ${fmt(f.goal.value)}`, f.unit) : '—',
      ratio === null ? '—' : ratio.toFixed(2),
      pass === null ? '—' : pass ? 'pass' : 'miss',
    ];
  });
  const header = ['figure', 'value', 'goal', 'ratio to goal', 'pass/miss'];
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((h, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** Samples resident memory every 50 ms; reports the highest sample and the kernel's max RSS. */
export class MemorySampler {
  #peak = process.memoryUsage().rss;
  readonly #timer: NodeJS.Timeout;

  constructor() {
    this.#timer = setInterval(() => this.sample(), 50);
    this.#timer.unref();
  }

  sample(): void {
    this.#peak = Math.max(this.#peak, process.memoryUsage().rss);
  }

  stop(): { peakRssMb: number; maxRssMb: number } {
    clearInterval(this.#timer);
    this.sample();
    const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
    // resourceUsage().maxRSS is in kilobytes.
    return { peakRssMb: mb(this.#peak), maxRssMb: mb(process.resourceUsage().maxRSS * 1024) };
  }
}

const REPO = fileURLToPath(new URL('..', import.meta.url));

export function gitCommit(): string {
  try {
    return (
      execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'ignore'],
        encoding: 'utf8',
      }).trim() || 'unknown'
    );
  } catch {
    return 'unknown';
  }
}

const RESULTS = new URL('./results/', import.meta.url);

/**
 * Writes bench/results/latest.json. An earlier latest.json is first renamed
 * to <its timestamp>.json (never overwritten silently); returns what happened.
 */
export function saveResults(report: { readonly timestamp: string }): {
  path: string;
  archived: string | null;
} {
  const dir = fileURLToPath(RESULTS);
  mkdirSync(dir, { recursive: true });
  const latest = fileURLToPath(new URL('latest.json', RESULTS));
  let archived: string | null = null;
  if (existsSync(latest)) {
    let stamp: string;
    try {
      const earlier = JSON.parse(readFileSync(latest, 'utf8')) as { timestamp?: unknown };
      stamp =
        typeof earlier.timestamp === 'string' ? earlier.timestamp : statSync(latest).mtime.toISOString();
    } catch {
      stamp = statSync(latest).mtime.toISOString();
    }
    const base = stamp.replace(/[^0-9A-Za-z.-]/g, '-');
    let target = fileURLToPath(new URL(`${base}.json`, RESULTS));
    for (let i = 2; existsSync(target); i++) target = fileURLToPath(new URL(`${base}-${i}.json`, RESULTS));
    renameSync(latest, target);
    archived = target;
    progress(`kept the previous results: renamed latest.json to ${target}`);
  }
  writeFileSync(latest, `${JSON.stringify(report, null, 2)}\n`);
  return { path: latest, archived };
}
