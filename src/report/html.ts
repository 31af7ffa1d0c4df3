import { arrow, count, day, duration, minute, pct, sliceLabel } from './format.ts';
import { type Cell, type TableSection, reportSections } from './sections.ts';
import { barChart, escapeXml as esc, lineChart } from './svg.ts';
import type { ReportData } from '../domain/report.ts';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0;background:#f6f8fa}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#59636e;margin:0 0 16px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(120px,1fr));gap:8px}
.card{background:#fff;border:1px solid #d1d9e0;border-radius:6px;padding:10px 12px}
.card b{display:block;font-size:20px}.card span{color:#59636e;font-size:12px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d1d9e0}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-word}
.empty{color:#59636e;font-style:italic}
.chart{width:100%;height:auto;background:#fff;border:1px solid #d1d9e0;border-radius:6px;font-size:11px;fill:#59636e}
.chart .line{fill:none;stroke:#0969da;stroke-width:2}.chart circle{fill:#0969da}
.chart .grid{stroke:#eaeef2}.chart .mark{stroke:#cf222e;stroke-dasharray:4 3}.chart .bar{fill:#8250df}
.bad{color:#cf222e}.good{color:#1a7f37}`;

const MESSAGE_WIDTH = 300;

const section = (title: string, empty: string, body: string): string =>
  `<section><h2>${esc(title)}</h2>${body || `<p class="empty">${esc(empty)}</p>`}</section>`;

/** A cell's HTML: code in <code>, figures right-aligned, bad news in red. */
function cellHtml(c: Cell): string {
  switch (c.kind) {
    case 'code':
      return `<td><code>${esc(c.text)}</code></td>`;
    case 'num':
      return `<td class="n">${esc(c.text)}</td>`;
    case 'bad':
      return `<td class="n"><span class="bad">${esc(c.text)}</span></td>`;
    default:
      return `<td>${esc(c.text)}</td>`;
  }
}

/** One of the report's tables (or its bars) in its section, or what it says when it has no rows, and its note. */
function sectionHtml(s: TableSection): string {
  if (s.bars && s.rows.length)
    return section(s.title, s.empty, barChart(s.bars.values, duration, s.bars.label));
  const th = s.head.map((h) => `<th>${esc(h)}</th>`).join('');
  const tr = s.rows.map((r) => `<tr>${r.map(cellHtml).join('')}</tr>`).join('');
  const table = s.rows.length ? `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>` : '';
  return section(s.title, s.empty, table && table + (s.note ? `<p class="meta">${esc(s.note)}</p>` : ''));
}

const card = (value: string, label: string, cls = ''): string =>
  `<div class="card"><b class="${cls}">${esc(value)}</b><span>${esc(label)}</span></div>`;

/** The title, the slice's window and the summary as cards. */
function summaryHtml(r: ReportData, title: string): string {
  const s = r.summary;
  const t = r.passRateTrend;
  const trendCls = t.direction === 'DEGRADING' ? 'bad' : t.direction === 'IMPROVING' ? 'good' : '';
  return [
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">${esc(day(r.slice.from))} → ${esc(r.slice.to ? day(r.slice.to) : 'now')} · generated ${esc(minute(r.generatedAt))}</p>`,
    `<div class="cards">${[
      card(pct(s.passRate), `pass rate ${arrow(t.direction)}`.trim(), trendCls),
      card(count(s.runs), 'runs'),
      card(count(s.tests), 'tests'),
      card(count(s.executions), 'executions'),
      card(count(s.failed + s.errored), 'failed or errored', s.failed + s.errored ? 'bad' : ''),
      card(count(s.flaky), 'passed on retry'),
      card(count(s.flakyTests), 'flaky tests'),
      card(count(s.skipped), 'skipped'),
      card(duration(s.durationP95Ms), 'p95 duration'),
    ].join('')}</div>`,
  ].join('\n');
}

/** The pass rate by day as a line chart, its level changes marked and listed. */
function trendHtml(t: ReportData['passRateTrend']): string {
  return section(
    'Pass rate by day',
    'Fewer than two days of executions.',
    (t.points.length > 1
      ? '<p class="meta">A point\'s size and depth show how many executions the day stands on; hover for the count.</p>'
      : '') +
      lineChart(
        t.points,
        (v) => pct(v),
        t.changePoints.map((c) => c.t),
        'daily pass rate',
      ) +
      (t.changePoints.length
        ? `<p>${t.changePoints.map((c) => `Level change on ${esc(day(c.t))}: ${esc(pct(c.before))} → ${esc(pct(c.after))}`).join('<br>')}</p>`
        : ''),
  );
}

/** The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched. */
export function renderHtml(r: ReportData): string {
  const title = `Assay report: ${sliceLabel(r.slice)}`;
  const parts = [
    summaryHtml(r, title),
    trendHtml(r.passRateTrend),
    ...reportSections(r, MESSAGE_WIDTH).map(sectionHtml),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>
${parts.join('\n')}
</main></body></html>
`;
}
