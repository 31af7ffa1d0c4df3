/**
 * The Numenta Anomaly Benchmark's scoring rule (Lavin & Ahmad 2015, "Evaluating
 * real-time anomaly detection algorithms – the Numenta Anomaly Benchmark";
 * numenta/NAB nab/sweeper.py), as summarised in reference/nab-dev/SCORING.md.
 * Pure: row counts, window indices and detections in, scores out.
 */

export interface Profile {
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

/** NAB's standard application profile (config/profiles.json). */
const STANDARD: Profile = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };

/** Share of a file NAB lets a detector learn on unscored, capped at 15 % of 5000 rows. */
const PROBATION = 0.15;

/** Inclusive row indices of one labelled window. */
export type Window = readonly [start: number, end: number];

/** NAB's scaled sigmoid: 2·σ(−5y) − 1, forced to −1 beyond y = 3. */
export function scaledSigmoid(y: number): number {
  return y > 3 ? -1 : 2 / (1 + Math.exp(5 * y)) - 1;
}

/** Rows NAB leaves unscored at the start of a file: min(⌊0.15·n⌋, 0.15·5000). */
export function probationLength(rows: number): number {
  return Math.min(Math.floor(PROBATION * rows), PROBATION * 5000);
}

/** What a detection at a row is worth: in window `window` (its index) or a false positive (`window` null). */
export interface RowValue {
  readonly value: number;
  readonly window: number | null;
}

/**
 * The value a detection would have at each row (null in the probationary
 * period): inside a window sigma(−(right − i + 1)/width)·tp/sigma(−1), so the
 * window's first row is worth exactly tpWeight; outside, −fpWeight before any
 * window has ended, else sigma(|i − prevRight|/(prevWidth − 1))·fpWeight.
 * @throws RangeError when windows overlap, are out of order, or leave the file
 */
export function rowValues(
  rows: number,
  windows: readonly Window[],
  profile: Profile = STANDARD,
): (RowValue | null)[] {
  const probation = probationLength(rows);
  const out: (RowValue | null)[] = [];
  let w = 0;
  let prev: Window | null = null;
  for (const [i, [s, e]] of windows.entries()) {
    if (!(s >= 0 && s <= e && e < rows))
      throw new RangeError(`window ${i} [${s}, ${e}] is not inside ${rows} rows`);
    if (i > 0 && s <= windows[i - 1]![1])
      throw new RangeError(`window ${i} overlaps or precedes window ${i - 1}`);
  }
  for (let i = 0; i < rows; i++) {
    while (w < windows.length && windows[w]![1] < i) prev = windows[w++]!;
    const cur = windows[w];
    let v: RowValue;
    if (cur && cur[0] <= i) {
      const width = cur[1] - cur[0] + 1;
      v = {
        value: (scaledSigmoid(-(cur[1] - i + 1) / width) * profile.tpWeight) / scaledSigmoid(-1),
        window: w,
      };
    } else if (prev === null) {
      v = { value: -profile.fpWeight, window: null };
    } else {
      const width = prev[1] - prev[0] + 1;
      v = { value: scaledSigmoid(Math.abs(i - prev[1]) / (width - 1)) * profile.fpWeight, window: null };
    }
    out.push(i < probation ? null : v);
  }
  return out;
}

/** One file to score: its rows' values and how many windows it has. */
export interface ScoredFile {
  readonly values: readonly (RowValue | null)[];
  readonly windows: number;
}

export interface FileScore {
  readonly raw: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
}

/**
 * Raw score of a file for the rows detected (`detected[i]`): each window adds
 * the best value among its detections or −fnWeight when it has none; every
 * detection outside windows adds its (negative) value. Counts are of windows
 * hit/missed and of false detections.
 */
export function fileScore(
  file: ScoredFile,
  detected: readonly boolean[],
  profile: Profile = STANDARD,
): FileScore {
  const best = new Array<number | null>(file.windows).fill(null);
  let fp = 0;
  let falsePositives = 0;
  file.values.forEach((v, i) => {
    if (!v || !detected[i]) return;
    if (v.window === null) {
      fp += v.value;
      falsePositives++;
    } else best[v.window] = Math.max(best[v.window] ?? Number.NEGATIVE_INFINITY, v.value);
  });
  const hits = best.filter((b) => b !== null).length;
  const raw = fp + best.reduce<number>((sum, b) => sum + (b ?? -profile.fnWeight), 0);
  return { raw, truePositives: hits, falsePositives, falseNegatives: file.windows - hits };
}

/** 100·(raw − null)/(perfect − null), null = −windows·fnWeight, perfect = windows·tpWeight. */
export function normalise(raw: number, windows: number, profile: Profile = STANDARD): number {
  const nullScore = -windows * profile.fnWeight;
  const perfect = windows * profile.tpWeight;
  return (100 * (raw - nullScore)) / (perfect - nullScore);
}

/**
 * NAB's threshold sweep: over all files at once, the threshold on the
 * per-row anomaly scores (a row is a detection when score ≥ threshold) that
 * gives the highest summed raw score; +∞ (never detect) when nothing beats
 * the null detector. Rows scoring 0 never count as detections here.
 * @complexity O(N log N) for N rows with a positive score
 */
export function bestThreshold(
  files: readonly ScoredFile[],
  scores: readonly (readonly number[])[],
  profile: Profile = STANDARD,
): { threshold: number; raw: number } {
  const entries: { score: number; value: number; key: string | null }[] = [];
  files.forEach((f, fi) =>
    f.values.forEach((v, i) => {
      const s = scores[fi]![i]!;
      if (v && s > 0)
        entries.push({ score: s, value: v.value, key: v.window === null ? null : `${fi}:${v.window}` });
    }),
  );
  entries.sort((a, b) => b.score - a.score);
  const windows = files.reduce((n, f) => n + f.windows, 0);
  const best = new Map<string, number>();
  let raw = -windows * profile.fnWeight;
  let top = { threshold: Number.POSITIVE_INFINITY, raw };
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k]!;
    if (e.key === null) raw += e.value;
    else {
      const old = best.get(e.key);
      if (old === undefined || e.value > old) {
        raw += e.value - (old ?? -profile.fnWeight);
        best.set(e.key, e.value);
      }
    }
    const last = k === entries.length - 1 || entries[k + 1]!.score < e.score;
    if (last && raw > top.raw) top = { threshold: e.score, raw };
  }
  return top;
}
