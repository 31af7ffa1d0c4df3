import {
  FLAKY_EVIDENCE,
  concentration,
  count,
  day,
  duration,
  firstLine,
  minute,
  pct,
  testLabel,
} from './format.ts';
import type { ReportData } from '../domain/report.ts';

/**
 * A table cell's text and how it reads: plain, `code` (a message or a pattern, verbatim), `num` (a
 * figure, right-aligned where the format can) or `bad` (a figure that is bad news).
 */
export interface Cell {
  readonly text: string;
  readonly kind?: 'code' | 'num' | 'bad';
}

/** One of the report's tables, as every format draws it: what it says when it has no rows, and a note under it. */
export interface TableSection {
  readonly title: string;
  readonly empty: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  readonly note?: string;
  /** Durations in ms a format that draws charts shows as bars instead of the table, with the chart's label. */
  readonly bars?: { readonly label: string; readonly values: readonly { label: string; value: number }[] };
}

const num = (text: string): Cell => ({ text, kind: 'num' });
const code = (text: string): Cell => ({ text: text || '–', kind: 'code' });
const text = (t: string): Cell => ({ text: t });

/** Tests that started failing in the slice; messages cut at `width` characters. */
const newFailuresSection = (r: ReportData, width: number): TableSection => ({
  title: `New failures (${r.newFailures.length})`,
  empty: 'No test started failing.',
  head: ['Test', 'Failing since', 'Failures', 'Message'],
  rows: r.newFailures.map((f) => [
    text(testLabel(f)),
    text(minute(f.at)),
    num(count(f.failures)),
    code(firstLine(f.message, width)),
  ]),
});

/** The flakiest tests with their intervals and evidence. */
const flakiestSection = (r: ReportData): TableSection => ({
  title: 'Flakiest tests',
  empty: 'No flaky tests.',
  head: ['Test', 'Flakiness (95 % interval)', 'Failed', 'Flaky evidence', 'Passed on retry', 'Executions'],
  rows: r.flakiestTests.map((f) => [
    text(testLabel(f)),
    num(`${f.score.toFixed(3)} (${f.lower.toFixed(3)} – ${f.upper.toFixed(3)})`),
    num(count(f.failures)),
    num(count(f.flakyExecutions)),
    num(count(f.retryPasses)),
    num(count(f.executions)),
  ]),
  ...(r.flakiestTests.length ? { note: FLAKY_EVIDENCE } : {}),
});

/** Tests that got slower. */
const regressionsSection = (r: ReportData): TableSection => ({
  title: 'Duration regressions',
  empty: 'No test got slower.',
  head: ['Test', 'Since', 'Before', 'After', 'Change'],
  rows: r.durationRegressions.map((d) => [
    text(testLabel(d)),
    text(day(d.at)),
    num(duration(d.beforeMs)),
    num(duration(d.afterMs)),
    { text: `+${((d.ratio - 1) * 100).toFixed(0)} %`, kind: 'bad' },
  ]),
});

/** The slowest tests by p95, as a table or as bars of their p95. */
const slowestSection = (r: ReportData): TableSection => ({
  title: 'Slowest tests (p95)',
  empty: 'No executions.',
  head: ['Test', 'p95', 'Mean', 'Executions'],
  rows: r.slowestTests.map((x) => [
    text(testLabel(x)),
    num(duration(x.durationP95Ms)),
    num(duration(x.durationAvgMs)),
    num(count(x.executions)),
  ]),
  bars: {
    label: 'slowest tests by p95 duration',
    values: r.slowestTests.map((x) => ({ label: testLabel(x), value: x.durationP95Ms ?? 0 })),
  },
});

/** Failure messages grouped into patterns; patterns cut at `width` characters. */
const patternsSection = (r: ReportData, width: number): TableSection => ({
  title: 'Failure patterns',
  empty: 'No failures.',
  head: ['Pattern', 'Occurrences', 'Tests', 'Concentrated on', 'Last seen'],
  rows: r.failurePatterns.map((p) => [
    code(firstLine(p.pattern, width)),
    num(count(p.occurrences)),
    num(count(p.tests)),
    text(concentration(p.concentratedOn)),
    text(minute(p.lastSeen)),
  ]),
});

/** Quarantined tests, when the report counts them apart (else null); reasons cut at `width` characters. */
function quarantinedSection(r: ReportData, width: number): TableSection | null {
  if (!r.quarantined) return null;
  return {
    title: `Quarantined tests (${r.quarantined.entries.length}, ${count(r.quarantined.failures)} failures counted apart)`,
    empty: 'No test is quarantined.',
    head: ['Test', 'Failures', 'Executions', 'Owner', 'Until', 'Reason'],
    rows: r.quarantined.entries.map((q) => [
      text(testLabel(q)),
      num(count(q.failures)),
      num(count(q.executions)),
      text(q.owner),
      text(minute(q.expiresAt)),
      text(firstLine(q.reason, width)),
    ]),
  };
}

/** Alerts still open; messages cut at `width` characters. */
const alertsSection = (r: ReportData, width: number): TableSection => ({
  title: 'Open alerts',
  empty: 'No open alerts.',
  head: ['Severity', 'Kind', 'Message', 'Fired'],
  rows: r.alerts.map((a) => [
    text(a.severity),
    text(a.kind),
    text(firstLine(a.message, width)),
    text(minute(a.firedAt)),
  ]),
});

/** The runs and workers marked as infrastructure failures, when the report lists them (else null). */
function infrastructureSection(r: ReportData): TableSection | null {
  const marks = r.infrastructureFailures;
  if (!marks) return null;
  return {
    title: `Infrastructure failures (${marks.length}, left out of the pass rate, trend and flakiness)`,
    empty: 'No run or worker was marked.',
    head: ['Run', 'Worker', 'Started', 'Failed', 'Reason', 'Pattern'],
    rows: marks.map((m) => [
      text(m.runId),
      text(m.worker ?? 'whole run'),
      text(minute(m.runStartedAt)),
      num(`${count(m.failures)} of ${count(m.executions)} (${pct(m.failures / m.executions)})`),
      text(m.reason === 'BURST' ? `all within ${Math.round(m.burstSeconds)} s` : 'one pattern'),
      m.pattern === null ? text('–') : code(firstLine(m.pattern)),
    ]),
  };
}

/** The report's tables in the order every format shows them; messages cut at `width` characters. */
export const reportSections = (r: ReportData, width: number): TableSection[] =>
  [
    newFailuresSection(r, width),
    flakiestSection(r),
    regressionsSection(r),
    slowestSection(r),
    patternsSection(r, width),
    quarantinedSection(r, width),
    alertsSection(r, width),
    infrastructureSection(r),
  ].filter((s) => s !== null);
