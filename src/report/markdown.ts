import {
  FLAKY_EVIDENCE,
  arrow,
  concentration,
  count,
  day,
  duration,
  firstLine,
  minute,
  pct,
  sliceLabel,
  testLabel,
} from './format.ts';
import type { ReportData } from '../domain/report.ts';

const BARS = '▁▂▃▄▅▆▇█';

/** A one-line chart of values, scaled between their min and max. */
export function sparkline(values: readonly number[]): string {
  if (!values.length) return '';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return values
    .map((v) => BARS[hi === lo ? BARS.length - 1 : Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))])
    .join('');
}

/** A table cell: pipes escaped, line breaks flattened. */
const cell = (s: string): string =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s*\r?\n\s*/g, ' ');

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

function section(title: string, empty: string, lines: string[]): string[] {
  return ['', `### ${title}`, '', ...(lines.length ? lines : [`_${empty}_`])];
}

/** The title, the slice's window and the summary's one-row table. */
function summaryMd(r: ReportData): string[] {
  const s = r.summary;
  const t = r.passRateTrend;
  return [
    `## Assay report: ${cell(sliceLabel(r.slice))}`,
    '',
    `_${day(r.slice.from)} → ${r.slice.to ? day(r.slice.to) : 'now'} · generated ${minute(r.generatedAt)}_`,
    '',
    ...table(
      [
        'Pass rate',
        'Runs',
        'Tests',
        'Executions',
        'Failed',
        'Errors',
        'Passed on retry',
        'Flaky tests',
        'Skipped',
        'p95 duration',
      ],
      [
        [
          `**${pct(s.passRate)}** ${arrow(t.direction)}`.trim(),
          count(s.runs),
          count(s.tests),
          count(s.executions),
          count(s.failed),
          count(s.errored),
          count(s.flaky),
          count(s.flakyTests),
          count(s.skipped),
          duration(s.durationP95Ms),
        ],
      ],
    ),
  ];
}

/** The pass rate by day as a sparkline, its level changes, and the days' figures folded away. */
function trendMd(t: ReportData['passRateTrend']): string[] {
  if (t.points.length <= 1) return [];
  const out = [
    '',
    `Pass rate by day, ${day(t.points[0]!.t)} → ${day(t.points.at(-1)!.t)}: \`${sparkline(t.points.map((p) => p.value))}\``,
  ];
  for (const c of t.changePoints)
    out.push(`- level change on ${day(c.t)}: ${pct(c.before)} → ${pct(c.after)}`);
  // A day's rate is only as good as the executions under it: a day of one result is not a full day.
  out.push(
    '',
    '<details><summary>Pass rate and executions by day</summary>',
    '',
    ...table(
      ['Day', 'Pass rate', 'Executions'],
      t.points.map((p) => [day(p.t), pct(p.value), count(p.executions)]),
    ),
    '',
    '</details>',
  );
  return out;
}

/** Tests that started failing in the slice. */
function newFailuresMd(r: ReportData): string[] {
  return section(
    `New failures (${r.newFailures.length})`,
    'No test started failing.',
    r.newFailures.length
      ? table(
          ['Test', 'Failing since', 'Failures', 'Message'],
          r.newFailures.map((f) => [
            testLabel(f),
            minute(f.at),
            count(f.failures),
            `\`${firstLine(f.message) || '–'}\``,
          ]),
        )
      : [],
  );
}

/** The flakiest tests with their intervals and evidence. */
function flakiestMd(r: ReportData): string[] {
  return section(
    'Flakiest tests',
    'No flaky tests.',
    r.flakiestTests.length
      ? [
          ...table(
            [
              'Test',
              'Flakiness (95 % interval)',
              'Failed',
              'Flaky evidence',
              'Passed on retry',
              'Executions',
            ],
            r.flakiestTests.map((f) => [
              testLabel(f),
              `${f.score.toFixed(3)} (${f.lower.toFixed(3)} – ${f.upper.toFixed(3)})`,
              count(f.failures),
              count(f.flakyExecutions),
              count(f.retryPasses),
              count(f.executions),
            ]),
          ),
          '',
          `_${FLAKY_EVIDENCE}_`,
        ]
      : [],
  );
}

/** Tests that got slower. */
function regressionsMd(r: ReportData): string[] {
  return section(
    'Duration regressions',
    'No test got slower.',
    r.durationRegressions.length
      ? table(
          ['Test', 'Since', 'Before', 'After', 'Change'],
          r.durationRegressions.map((d) => [
            testLabel(d),
            day(d.at),
            duration(d.beforeMs),
            duration(d.afterMs),
            `+${((d.ratio - 1) * 100).toFixed(0)} %`,
          ]),
        )
      : [],
  );
}

/** The slowest tests by p95. */
function slowestMd(r: ReportData): string[] {
  return section(
    'Slowest tests',
    'No executions.',
    r.slowestTests.length
      ? table(
          ['Test', 'p95', 'Mean', 'Executions'],
          r.slowestTests.map((x) => [
            testLabel(x),
            duration(x.durationP95Ms),
            duration(x.durationAvgMs),
            count(x.executions),
          ]),
        )
      : [],
  );
}

/** Failure messages grouped into patterns. */
function patternsMd(r: ReportData): string[] {
  return section(
    'Failure patterns',
    'No failures.',
    r.failurePatterns.length
      ? table(
          ['Pattern', 'Occurrences', 'Tests', 'Concentrated on', 'Last seen'],
          r.failurePatterns.map((p) => [
            `\`${firstLine(p.pattern)}\``,
            count(p.occurrences),
            count(p.tests),
            concentration(p.concentratedOn),
            minute(p.lastSeen),
          ]),
        )
      : [],
  );
}

/** Quarantined tests, when the report counts them apart. */
function quarantinedMd(r: ReportData): string[] {
  if (!r.quarantined) return [];
  return section(
    `Quarantined tests (${r.quarantined.entries.length}, ${count(r.quarantined.failures)} failures counted apart)`,
    '',
    table(
      ['Test', 'Failures', 'Executions', 'Owner', 'Until', 'Reason'],
      r.quarantined.entries.map((q) => [
        testLabel(q),
        count(q.failures),
        count(q.executions),
        q.owner,
        minute(q.expiresAt),
        firstLine(q.reason),
      ]),
    ),
  );
}

/** Alerts still open. */
function alertsMd(r: ReportData): string[] {
  return section(
    'Open alerts',
    'No open alerts.',
    r.alerts.length
      ? table(
          ['Severity', 'Kind', 'Message', 'Fired'],
          r.alerts.map((a) => [a.severity, a.kind, firstLine(a.message), minute(a.firedAt)]),
        )
      : [],
  );
}

/** The report as GitHub-flavoured Markdown, sized for a pull-request comment. */
export function renderMarkdown(r: ReportData): string {
  const out = [
    ...summaryMd(r),
    ...trendMd(r.passRateTrend),
    ...newFailuresMd(r),
    ...flakiestMd(r),
    ...regressionsMd(r),
    ...slowestMd(r),
    ...patternsMd(r),
    ...quarantinedMd(r),
    ...alertsMd(r),
  ];
  return `${out.join('\n')}\n`;
}
