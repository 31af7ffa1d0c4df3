/**
 * The Numenta Anomaly Benchmark (standard profile) on the development subset
 * in reference/nab-dev: `node --import tsx bench/nab.ts` prints a Markdown
 * table and writes bench/results/nab.json; `benchNab()` gives the figures to
 * bench/run.ts. The detector is anomalyEvents with the periods a user's bucket
 * would offer (one day and one week of rows); each event's onset row is a
 * detection, with its robust z as NAB's anomaly score.
 *
 * Two thresholds are reported: the fixed one users get (sensitivity 3: every
 * onset counts) and NAB's own rule (the single threshold on the onset scores
 * that maximises the corpus score, swept over all files at once).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { autoAnomalies } from '../src/analytics/anomaly/auto.ts';
import { anomalyEvents } from '../src/analytics/anomaly/events.ts';
import { progress } from './lib.ts';
import { bestThreshold, fileScore, normalise, rowValues, type ScoredFile, type Window } from './nab-score.ts';
import type { Figure } from './report.ts';

const NAB_DIR = fileURLToPath(new URL('../../shared/reference/nab-dev/', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/nab.json', import.meta.url));

/** Published standard-profile scores on the whole corpus (numenta/NAB results/final_results.json; ARTime: its paper). */
const PUBLISHED = {
  'Windowed Gaussian': 39.6,
  'Twitter ADVec': 47.1,
  'Numenta HTM': 70.1,
  ARTime: 74.9,
} as const;

/** The default sensitivity users get. */
const SENSITIVITY = 3;

interface NabFile {
  readonly name: string;
  readonly category: string;
  readonly t: readonly number[];
  readonly y: readonly number[];
  readonly windows: readonly Window[];
}

function loadFiles(dir: string): NabFile[] {
  const windows = JSON.parse(readFileSync(join(dir, 'combined_windows.json'), 'utf8')) as Record<
    string,
    [string, string][]
  >;
  const stamp = (s: string) => Date.parse(`${s.slice(0, 19).replace(' ', 'T')}Z`);
  const out: NabFile[] = [];
  for (const category of readdirSync(join(dir, 'data')).sort()) {
    for (const file of readdirSync(join(dir, 'data', category)).sort()) {
      const name = `${category}/${file}`;
      const rows = readFileSync(join(dir, 'data', category, file), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','));
      const t = rows.map((r) => stamp(r[0]!));
      const index = new Map(t.map((v, i) => [v, i]));
      const w = (windows[name] ?? []).map(([s, e]): Window => {
        const a = index.get(stamp(s));
        const b = index.get(stamp(e));
        if (a === undefined || b === undefined)
          throw new Error(`${name}: window [${s}, ${e}] does not match a row`);
        return [a, b];
      });
      out.push({ name, category, t, y: rows.map((r) => Number(r[1])), windows: w });
    }
  }
  return out;
}

/** One day and one week in rows at the file's median time step: what a bucket's season candidates would be. */
function periodsOf(t: readonly number[]): number[] {
  const steps = t
    .slice(1)
    .map((v, i) => v - t[i]!)
    .sort((a, b) => a - b);
  const step = steps[steps.length >> 1]!;
  return [86_400_000, 7 * 86_400_000]
    .map((d) => Math.round(d / step))
    .filter((p) => p >= 2 && p <= t.length / 2);
}

interface NabRow {
  readonly category: string;
  readonly windows: number;
  /** Normalised score at the fixed sensitivity (every onset a detection). */
  readonly fixed: number;
  /** Normalised score at the corpus-wide threshold NAB's sweep picks. */
  readonly swept: number;
  readonly onsets: number;
  readonly flaggedPoints: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  /** The previous detector (AUTO, every flagged point a detection). */
  readonly pointFlood: number;
  readonly pointFloodFlags: number;
}

export interface NabResult {
  readonly figures: Figure[];
  readonly rows: NabRow[];
  readonly threshold: number;
  readonly sensitivity: number;
}

export async function benchNab(dir: string = NAB_DIR): Promise<NabResult> {
  const files = loadFiles(dir);
  progress(`nab: ${files.length} files, ${files.reduce((n, f) => n + f.windows.length, 0)} windows`);
  const scored: ScoredFile[] = [];
  const onsetScores: number[][] = [];
  const flagged: number[] = [];
  const flood: boolean[][] = [];
  for (const f of files) {
    const periods = periodsOf(f.t);
    const { points } = anomalyEvents(f.y, { sensitivity: SENSITIVITY, periods });
    const s = new Array<number>(f.y.length).fill(0);
    for (const p of points) if (p.onset) s[p.index] = p.score;
    onsetScores.push(s);
    flagged.push(points.length);
    scored.push({ values: rowValues(f.y.length, f.windows), windows: f.windows.length });
    const old = new Array<boolean>(f.y.length).fill(false);
    for (const p of autoAnomalies(f.y, periods, { sensitivity: SENSITIVITY }).points) old[p.index] = true;
    flood.push(old);
  }
  const { threshold } = bestThreshold(scored, onsetScores);
  const categories = [...new Set(files.map((f) => f.category)), 'Total'];
  const rows = categories.map((category): NabRow => {
    const idx = files.flatMap((f, i) => (category === 'Total' || f.category === category ? [i] : []));
    const windows = idx.reduce((n, i) => n + scored[i]!.windows, 0);
    const at = (th: number) =>
      idx.map((i) =>
        fileScore(
          scored[i]!,
          onsetScores[i]!.map((v) => v > 0 && v >= th),
        ),
      );
    const fixed = at(SENSITIVITY);
    const swept = at(threshold);
    const old = idx.map((i) => fileScore(scored[i]!, flood[i]!));
    const sum = (xs: readonly { raw: number }[]) => xs.reduce((n, x) => n + x.raw, 0);
    return {
      category,
      windows,
      fixed: normalise(sum(fixed), windows),
      swept: normalise(sum(swept), windows),
      onsets: idx.reduce((n, i) => n + onsetScores[i]!.filter((v) => v > 0).length, 0),
      flaggedPoints: idx.reduce((n, i) => n + flagged[i]!, 0),
      truePositives: fixed.reduce((n, x) => n + x.truePositives, 0),
      falsePositives: fixed.reduce((n, x) => n + x.falsePositives, 0),
      pointFlood: normalise(sum(old), windows),
      pointFloodFlags: idx.reduce((n, i) => n + flood[i]!.filter(Boolean).length, 0),
    };
  });
  const total = rows.at(-1)!;
  const figures: Figure[] = [
    // No goal: the published whole-corpus scores are a guide, shown by nabTable.
    {
      figure: 'NAB score, dev subset (standard profile, sensitivity 3)',
      value: total.fixed,
      unit: '',
      goal: null,
    },
    {
      figure: "NAB score, dev subset (NAB's swept threshold)",
      value: total.swept,
      unit: '',
      display: `${total.swept.toFixed(1)} (z ≥ ${threshold.toFixed(2)})`,
      goal: null,
    },
    {
      figure: 'NAB onsets flagged / points flagged (dev subset)',
      value: total.onsets,
      unit: '',
      display: `${total.onsets} / ${total.flaggedPoints}`,
      goal: null,
    },
  ];
  return { figures, rows, threshold, sensitivity: SENSITIVITY };
}

export function nabTable({ rows, threshold }: NabResult): string {
  const f1 = (v: number) => v.toFixed(1);
  const header = [
    'category',
    'windows',
    `ours, z > ${SENSITIVITY}`,
    `ours, swept z ≥ ${threshold.toFixed(2)}`,
    'onsets',
    'flagged points',
    'TP / FP (z > 3)',
    'previous AUTO (flags)',
    ...Object.keys(PUBLISHED),
  ];
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(header),
    line(header.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...rows.map((r) =>
      line([
        r.category,
        String(r.windows),
        f1(r.fixed),
        f1(r.swept),
        String(r.onsets),
        String(r.flaggedPoints),
        `${r.truePositives} / ${r.falsePositives}`,
        `${f1(r.pointFlood)} (${r.pointFloodFlags})`,
        ...Object.values(PUBLISHED).map((v) => (r.category === 'Total' ? `${f1(v)}*` : '—')),
      ]),
    ),
    '',
    '\\* published on the whole 58-file corpus (this subset is 19 files of three categories).',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await benchNab();
  process.stdout.write(`${nabTable(result)}\n`);
  mkdirSync(join(RESULTS, '..'), { recursive: true });
  writeFileSync(
    RESULTS,
    `${JSON.stringify({ sensitivity: result.sensitivity, threshold: result.threshold, rows: result.rows, figures: result.figures }, null, 2)}\n`,
  );
  progress(`wrote ${RESULTS}`);
}
