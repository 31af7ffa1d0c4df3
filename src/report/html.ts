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

function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const tr = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

const section = (title: string, empty: string, body: string): string =>
  `<section><h2>${esc(title)}</h2>${body || `<p class="empty">${esc(empty)}</p>`}</section>`;

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

/** Tests that started failing in the slice. */
function newFailuresHtml(r: ReportData): string {
  return section(
    `New failures (${r.newFailures.length})`,
    'No test started failing.',
    r.newFailures.length
      ? table(
          ['Test', 'Failing since', 'Failures', 'Message'],
          r.newFailures.map((f) => [
            esc(testLabel(f)),
            esc(minute(f.at)),
            count(f.failures),
            `<code>${esc(firstLine(f.message, 300))}</code>`,
          ]),
          [2],
        )
      : '',
  );
}

/** The flakiest tests with their intervals and evidence. */
function flakiestHtml(r: ReportData): string {
  return section(
    'Flakiest tests',
    'No flaky tests.',
    r.flakiestTests.length
      ? table(
          ['Test', 'Flakiness', '95 % interval', 'Failed', 'Flaky evidence', 'Passed on retry', 'Executions'],
          r.flakiestTests.map((f) => [
            esc(testLabel(f)),
            f.score.toFixed(3),
            `${f.lower.toFixed(3)} – ${f.upper.toFixed(3)}`,
            count(f.failures),
            count(f.flakyExecutions),
            count(f.retryPasses),
            count(f.executions),
          ]),
          [1, 3, 4, 5, 6],
        ) + `<p class="meta">${esc(FLAKY_EVIDENCE)}</p>`
      : '',
  );
}

/** Tests that got slower. */
function regressionsHtml(r: ReportData): string {
  return section(
    'Duration regressions',
    'No test got slower.',
    r.durationRegressions.length
      ? table(
          ['Test', 'Since', 'Before', 'After', 'Change'],
          r.durationRegressions.map((d) => [
            esc(testLabel(d)),
            esc(day(d.at)),
            esc(duration(d.beforeMs)),
            esc(duration(d.afterMs)),
            `<span class="bad">+${((d.ratio - 1) * 100).toFixed(0)} %</span>`,
          ]),
          [2, 3, 4],
        )
      : '',
  );
}

/** The slowest tests by p95, as bars. */
function slowestHtml(r: ReportData): string {
  return section(
    'Slowest tests (p95)',
    'No executions.',
    r.slowestTests.length
      ? barChart(
          r.slowestTests.map((x) => ({ label: testLabel(x), value: x.durationP95Ms ?? 0 })),
          (v) => duration(v),
          'slowest tests by p95 duration',
        )
      : '',
  );
}

/** Failure messages grouped into patterns. */
function patternsHtml(r: ReportData): string {
  return section(
    'Failure patterns',
    'No failures.',
    r.failurePatterns.length
      ? table(
          ['Pattern', 'Occurrences', 'Tests', 'Concentrated on', 'Last seen'],
          r.failurePatterns.map((p) => [
            `<code>${esc(firstLine(p.pattern, 300))}</code>`,
            count(p.occurrences),
            count(p.tests),
            esc(concentration(p.concentratedOn)),
            esc(minute(p.lastSeen)),
          ]),
          [1, 2],
        )
      : '',
  );
}

/** Quarantined tests, when the report counts them apart. */
function quarantinedHtml(r: ReportData): string {
  return r.quarantined
    ? section(
        `Quarantined tests (${r.quarantined.entries.length}, ${count(r.quarantined.failures)} failures counted apart)`,
        '',
        table(
          ['Test', 'Failures', 'Executions', 'Owner', 'Until', 'Reason'],
          r.quarantined.entries.map((q) => [
            esc(testLabel(q)),
            count(q.failures),
            count(q.executions),
            esc(q.owner),
            esc(minute(q.expiresAt)),
            esc(firstLine(q.reason, 300)),
          ]),
          [1, 2],
        ),
      )
    : '';
}

/** Alerts still open. */
function alertsHtml(r: ReportData): string {
  return section(
    'Open alerts',
    'No open alerts.',
    r.alerts.length
      ? table(
          ['Severity', 'Kind', 'Message', 'Fired'],
          r.alerts.map((a) => [
            esc(a.severity),
            esc(a.kind),
            esc(firstLine(a.message, 300)),
            esc(minute(a.firedAt)),
          ]),
        )
      : '',
  );
}

/** The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched. */
export function renderHtml(r: ReportData): string {
  const title = `Assay report: ${sliceLabel(r.slice)}`;
  const parts = [
    summaryHtml(r, title),
    trendHtml(r.passRateTrend),
    newFailuresHtml(r),
    flakiestHtml(r),
    regressionsHtml(r),
    slowestHtml(r),
    patternsHtml(r),
    quarantinedHtml(r),
    alertsHtml(r),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>
${parts.join('\n')}
</main></body></html>
`;
}
