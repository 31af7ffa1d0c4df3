/** Number formats the report renderings share. */

export const pct = (v: number | null): string => (v === null ? '–' : `${(v * 100).toFixed(2)} %`);

export const count = (n: number): string => n.toLocaleString('en-US');

/** 850 → "850 ms", 1234 → "1.23 s", 125000 → "2 min 5 s". */
export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

export const day = (d: Date): string => d.toISOString().slice(0, 10);

export const minute = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** First line of a message, at most `max` characters. */
export function firstLine(s: string | null, max = 120): string {
  if (!s) return '';
  const line = s.split(/\r?\n/, 1)[0]!.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** "suite › class › name", the class left out when it repeats the suite (JUnit reports name suites after classes). */
export const testLabel = (t: { suite: string; className: string | null; name: string }): string =>
  [t.suite, t.className === t.suite ? null : t.className, t.name].filter((x) => x).join(' › ');

export const arrow = (direction: string | null): string =>
  direction === 'IMPROVING'
    ? '↑ improving'
    : direction === 'DEGRADING'
      ? '↓ degrading'
      : direction === 'STABLE'
        ? '→ stable'
        : '';

/** The slice in words: "web · main · 9f3c2ab". */
export function sliceLabel(s: {
  project: readonly string[];
  branch: readonly string[];
  commit: readonly string[];
}): string {
  const parts = [
    s.project.join(', '),
    s.branch.join(', '),
    s.commit.map((c) => c.slice(0, 12)).join(', '),
  ].filter((x) => x);
  return parts.length ? parts.join(' · ') : 'all projects';
}

/** Where a failure pattern concentrates: "worker gpu-3: 87 % (9.1× its share)". */
export const concentration = (
  c: { on: string; value: string; share: number; lift: number } | null,
): string =>
  c ? `${c.on} ${c.value}: ${(c.share * 100).toFixed(0)} % (${c.lift.toFixed(1)}× its share)` : '–';

/** What the flakiest-tests tables count, said under them. */
export const FLAKY_EVIDENCE =
  'Flaky evidence: executions that passed on a retry, failed on a commit where the test also passed, or failed in a run of at most 3 failures that a pass ended. Passed on retry: the first kind only, as the summary counts it.';
