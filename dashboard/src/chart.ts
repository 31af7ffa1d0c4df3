import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Point {
  readonly t: string;
  readonly value: number;
}

interface LineSpec {
  readonly label: string;
  readonly color: string;
  readonly points: readonly Point[];
  readonly dash?: number[];
  /** Draw dots only (anomalies), no line. */
  readonly dots?: boolean;
}

export interface ChartSpec {
  readonly lines: readonly LineSpec[];
  /** A shaded interval (a forecast's prediction band). */
  readonly band?: {
    readonly label: string;
    readonly lower: readonly Point[];
    readonly upper: readonly Point[];
    readonly color: string;
  };
  /** Vertical marks (change points), each with a short label. */
  readonly marks?: readonly { readonly t: string; readonly label: string }[];
  readonly format: (v: number) => string;
  readonly yRange?: readonly [number, number];
  readonly height?: number;
}

const sec = (iso: string): number => Date.parse(iso) / 1000;

/** Every series on one sorted x axis, null where a series has no point. */
function align(series: readonly (readonly Point[])[]): uPlot.AlignedData {
  const xs = [...new Set(series.flatMap((s) => s.map((p) => sec(p.t))))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((s) => {
    const y: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    for (const p of s) y[index.get(sec(p.t))!] = p.value;
    return y;
  });
  return [xs, ...ys];
}

function marksPlugin(marks: ChartSpec['marks']): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u) => {
          if (!marks?.length) return;
          const { ctx } = u;
          const { top, height } = u.bbox;
          ctx.save();
          ctx.strokeStyle = '#c2410c';
          ctx.fillStyle = '#c2410c';
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
          ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
          for (const m of marks) {
            const x = u.valToPos(sec(m.t), 'x', true);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            ctx.fillText(m.label, x + 4 * devicePixelRatio, top + 12 * devicePixelRatio);
          }
          ctx.restore();
        },
      ],
    },
  };
}

/** A time-series chart (uPlot) that follows its container's width and says when it has drawn. */
export function chart(container: HTMLElement, spec: ChartSpec): uPlot {
  const height = spec.height ?? 200;
  const { series, seriesPoints, bands } = seriesOf(spec);
  const yRange = spec.yRange;
  const opts: uPlot.Options = {
    width: Math.max(240, container.clientWidth),
    height,
    series,
    bands,
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    scales: {
      x: { time: true },
      y: yRange ? { range: (_u, min, max) => [Math.min(yRange[0], min), Math.max(yRange[1], max)] } : {},
    },
    axes: [
      { stroke: '#64748b', grid: { stroke: '#e2e8f0' }, ticks: { stroke: '#e2e8f0' } },
      {
        stroke: '#64748b',
        grid: { stroke: '#e2e8f0' },
        ticks: { stroke: '#e2e8f0' },
        size: 72,
        values: (_u, vals) => vals.map((v) => spec.format(v)),
      },
    ],
    plugins: [marksPlugin(spec.marks)],
    hooks: {
      draw: [
        () => {
          container.dataset['drawn'] = 'true';
        },
      ],
    },
  };
  const u = new uPlot(opts, align(seriesPoints), container);
  const resize = new ResizeObserver(() => {
    const width = Math.max(240, container.clientWidth);
    if (width !== u.width) u.setSize({ width, height });
  });
  resize.observe(container);
  track(container, () => {
    resize.disconnect();
    u.destroy();
  });
  return u;
}

/** A legend's value: a dash for a gap, which uPlot passes as null (its types say number). */
const legendValue =
  (format: (v: number) => string) =>
  (_u: uPlot, v: number | null): string =>
    v === null ? '–' : format(v);

/** uPlot's series (x first, then the lines, then the band's two edges), their points, and the band. */
function seriesOf(spec: ChartSpec): {
  series: uPlot.Series[];
  seriesPoints: (readonly Point[])[];
  bands: uPlot.Band[];
} {
  const value = legendValue(spec.format);
  const seriesPoints: (readonly Point[])[] = spec.lines.map((l) => l.points);
  const series: uPlot.Series[] = [{}];
  for (const l of spec.lines) {
    series.push(
      l.dots
        ? {
            label: l.label,
            stroke: l.color,
            paths: () => null,
            points: { show: true, size: 9, fill: l.color, stroke: l.color },
            value,
          }
        : {
            label: l.label,
            stroke: l.color,
            width: 2,
            ...(l.dash && { dash: l.dash }),
            points: { show: false },
            spanGaps: true,
            value,
          },
    );
  }
  const bands: uPlot.Band[] = [];
  const band = spec.band;
  if (band) {
    const hi = series.length;
    const edge = (side: string): uPlot.Series => ({
      label: `${band.label} ${side}`,
      class: 'band-edge',
      stroke: band.color,
      width: 1,
      points: { show: false },
      spanGaps: true,
      value,
    });
    series.push(edge('high'), edge('low'));
    seriesPoints.push(band.upper, band.lower);
    bands.push({ series: [hi, hi + 1], fill: `${band.color}33` });
  }
  return { series, seriesPoints, bands };
}

// Charts on the page, released when a refresh or a view change removes them.
const live = new Map<HTMLElement, () => void>();
let watcher: MutationObserver | null = null;

function track(container: HTMLElement, release: () => void): void {
  live.set(container, release);
  watcher ??= new MutationObserver(() => {
    for (const [el, done] of live) {
      // A chart built off-page is connected once its panel swaps it in; only one that was on the page and left is released.
      if (el.dataset['attached'] && !el.isConnected) {
        done();
        live.delete(el);
      } else if (el.isConnected) el.dataset['attached'] = 'true';
    }
  });
  watcher.observe(document.body, { childList: true, subtree: true });
}

/** The forecast's points joined to the history's last point, so the band grows out of the line. */
export function joinForecast(
  history: readonly Point[],
  points: readonly { t: string; value: number; lower: number; upper: number }[],
): { value: Point[]; lower: Point[]; upper: Point[] } {
  const last = history.at(-1);
  const head = last ? [{ t: last.t, value: last.value, lower: last.value, upper: last.value }] : [];
  const all = [...head, ...points];
  return {
    value: all.map((p) => ({ t: p.t, value: p.value })),
    lower: all.map((p) => ({ t: p.t, value: p.lower })),
    upper: all.map((p) => ({ t: p.t, value: p.upper })),
  };
}
