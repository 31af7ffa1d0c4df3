import { count, firstLine, minute, pct } from './format.ts';
import type { ReportData } from '../domain/report.ts';

type Marks = NonNullable<ReportData['infrastructureFailures']>;

const TITLE = (n: number) => `Infrastructure failures (${n}, left out of the pass rate, trend and flakiness)`;
const HEAD = ['Run', 'Worker', 'Started', 'Failed', 'Reason', 'Pattern'];
const cells = (m: Marks[number]): string[] => [
  m.runId,
  m.worker ?? 'whole run',
  minute(m.runStartedAt),
  `${count(m.failures)} of ${count(m.executions)} (${pct(m.failures / m.executions)})`,
  m.reason === 'BURST' ? `all within ${Math.round(m.burstSeconds)} s` : 'one pattern',
  m.pattern === null ? '–' : firstLine(m.pattern),
];

const mdCell = (s: string): string => s.replaceAll('|', '\\|');

/** The marked runs and workers as a Markdown section (appended to the report). */
export function infraMarkdown(marks: Marks): string {
  return [
    '',
    `### ${TITLE(marks.length)}`,
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map(() => ' --- ').join('|')}|`,
    ...marks.map((m) => {
      const c = cells(m).map(mdCell);
      c[5] = c[5] === '–' ? '–' : `\`${c[5]!}\``;
      return `| ${c.join(' | ')} |`;
    }),
    '',
  ].join('\n');
}

const esc = (s: string): string =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** The marked runs and workers as an HTML section (placed before the end of the report's main). */
export function infraHtml(marks: Marks): string {
  const rows = marks.map(
    (m) =>
      `<tr>${cells(m)
        .map((c) => `<td>${esc(c)}</td>`)
        .join('')}</tr>`,
  );
  return `<section><h2>${esc(TITLE(marks.length))}</h2><table><thead><tr>${HEAD.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></section>\n`;
}
