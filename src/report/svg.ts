/** Inline SVG charts for the HTML report: no script, no external assets. */

export const escapeXml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const W = 720;
const H = 220;
const PAD = { left: 66, right: 16, top: 12, bottom: 28 };

/** A point of a line chart; `executions`, when given, is how many executions its value stands on. */
export interface ChartPoint {
  readonly t: Date;
  readonly value: number;
  readonly executions?: number;
}

/**
 * A point's radius and opacity from the executions it stands on, relative to
 * the chart's fullest point: area grows with the count (radius with its square
 * root), so a day of one result among days of hundreds is a faint speck.
 */
function pointWeight(executions: number | undefined, most: number): { r: number; opacity: number } {
  if (executions === undefined || most <= 0) return { r: 2.5, opacity: 1 };
  const share = Math.min(1, Math.max(0, executions) / most);
  return { r: 1 + 2.5 * Math.sqrt(share), opacity: 0.25 + 0.75 * share };
}

/**
 * A line chart of (t, value) points with value axis labels from `format`;
 * the y range runs from the lowest value (rounded down to a tenth of the
 * span) to the highest. Marks are drawn at change points. Points that say how
 * many executions they stand on are sized and shaded by it, with the count
 * in their title.
 */
export function lineChart(
  points: readonly ChartPoint[],
  format: (v: number) => string,
  marks: readonly Date[] = [],
  label = 'chart',
): string {
  if (points.length < 2) return '';
  const xs = points.map((p) => p.t.getTime());
  const ys = points.map((p) => p.value);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) [y0, y1] = [y0 - 0.5 * Math.abs(y0 || 1), y1 + 0.5 * Math.abs(y1 || 1)];
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const sy = (y: number) => PAD.top + (1 - (y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const path = points
    .map((p, i) => `${i ? 'L' : 'M'}${sx(p.t.getTime()).toFixed(1)},${sy(p.value).toFixed(1)}`)
    .join(' ');
  const ticks = [0, 0.5, 1].map((k) => y0 + k * (y1 - y0));
  const grid = ticks
    .map(
      (v) =>
        `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" class="grid"/><text x="${PAD.left - 6}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end">${escapeXml(format(v))}</text>`,
    )
    .join('');
  const dates = [points[0]!.t, points.at(-1)!.t]
    .map(
      (d, i) =>
        `<text x="${(i ? W - PAD.right : PAD.left).toFixed(1)}" y="${H - 8}" text-anchor="${i ? 'end' : 'start'}">${d.toISOString().slice(0, 10)}</text>`,
    )
    .join('');
  const changes = marks
    .map(
      (m) =>
        `<line x1="${sx(m.getTime()).toFixed(1)}" x2="${sx(m.getTime()).toFixed(1)}" y1="${PAD.top}" y2="${H - PAD.bottom}" class="mark"/>`,
    )
    .join('');
  const most = Math.max(0, ...points.map((p) => p.executions ?? 0));
  const dots = points
    .map((p) => {
      const { r, opacity } = pointWeight(p.executions, most);
      const over =
        p.executions === undefined
          ? ''
          : ` over ${p.executions.toLocaleString('en-US')} execution${p.executions === 1 ? '' : 's'}`;
      return (
        `<circle cx="${sx(p.t.getTime()).toFixed(1)}" cy="${sy(p.value).toFixed(1)}" r="${r.toFixed(2)}"${opacity < 1 ? ` fill-opacity="${opacity.toFixed(2)}"` : ''}>` +
        `<title>${p.t.toISOString().slice(0, 10)}: ${escapeXml(format(p.value))}${over}</title></circle>`
      );
    })
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(label)}" class="chart">${grid}${dates}${changes}<path d="${path}" class="line"/>${dots}</svg>`;
}

/** Horizontal bars, longest first as given, each labelled and valued. */
export function barChart(
  bars: readonly { label: string; value: number }[],
  format: (v: number) => string,
  label = 'chart',
): string {
  if (!bars.length) return '';
  const row = 22;
  const labelW = 300;
  const h = bars.length * row + 8;
  const max = Math.max(...bars.map((b) => b.value)) || 1;
  const body = bars
    .map((b, i) => {
      const w = Math.max(1, (b.value / max) * (W - labelW - 90));
      const y = 4 + i * row;
      const name = b.label.length > 48 ? `${b.label.slice(0, 47)}…` : b.label;
      return (
        `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end"><title>${escapeXml(b.label)}</title>${escapeXml(name)}</text>` +
        `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 8}" class="bar"/>` +
        `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 15}">${escapeXml(format(b.value))}</text>`
      );
    })
    .join('');
  return `<svg viewBox="0 0 ${W} ${h}" role="img" aria-label="${escapeXml(label)}" class="chart">${body}</svg>`;
}
