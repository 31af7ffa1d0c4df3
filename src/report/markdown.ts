import { arrow, count, day, duration, minute, pct, sliceLabel } from './format.ts';
import { type Cell, type TableSection, reportSections } from './sections.ts';
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

const MESSAGE_WIDTH = 120;

/** A cell's Markdown: code in backticks. */
const cellMd = (c: Cell): string => (c.kind === 'code' ? `\`${c.text}\`` : c.text);

/** One of the report's tables under its heading, or what it says when it has no rows, and its note. */
function sectionMd(s: TableSection): string[] {
  const body = s.rows.length
    ? table(
        s.head,
        s.rows.map((r) => r.map(cellMd)),
      )
    : [`_${s.empty}_`];
  return ['', `### ${s.title}`, '', ...body, ...(s.note ? ['', `_${s.note}_`] : [])];
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

/** The report as GitHub-flavoured Markdown, sized for a pull-request comment. */
export function renderMarkdown(r: ReportData): string {
  const out = [
    ...summaryMd(r),
    ...trendMd(r.passRateTrend),
    ...reportSections(r, MESSAGE_WIDTH).flatMap(sectionMd),
  ];
  return `${out.join('\n')}\n`;
}
