/**
 * Isolation forest (Liu, Ting & Zhou 2008): anomalies are the points that
 * random axis-parallel splits isolate in few steps.
 */
import { median, robustSd } from './robust-stats.ts';
import { mulberry32 } from '../random.ts';
import { checkFinite, checkInteger } from './types.ts';

export interface IsolationForestOptions {
  /** Number of isolation trees. @default 100 */
  readonly trees?: number;
  /** Rows sub-sampled (without replacement) per tree, ψ. @default 256 */
  readonly sampleSize?: number;
  /** Seed of the mulberry32 generator. @default 1 */
  readonly seed?: number;
}

type Node =
  | { readonly size: number }
  | { readonly feature: number; readonly split: number; readonly left: Node; readonly right: Node };

const EULER_MASCHERONI = 0.5772156649015329;

/**
 * c(n) = 2H(n−1) − 2(n−1)/n, the average path length of an unsuccessful search
 * in a binary search tree of n points (H(i) ≈ ln i + γ); c(2) = 1, c(n ≤ 1) = 0.
 * @example averagePathLength(256) // ≈ 10.2448
 * @complexity O(1)
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_MASCHERONI) - (2 * (n - 1)) / n;
}

/** Columns centred on their median and divided by their robust SD (constant columns become 0). */
function standardiseColumns(rows: readonly (readonly number[])[]): number[][] {
  const width = rows[0]?.length ?? 0;
  const out = rows.map(() => new Array<number>(width).fill(0));
  for (let j = 0; j < width; j++) {
    const col = rows.map((r) => r[j]!);
    const centre = median(col);
    const sd = robustSd(col);
    if (sd > 0) rows.forEach((r, i) => (out[i]![j] = (r[j]! - centre) / sd));
  }
  return out;
}

function buildTree(
  x: readonly (readonly number[])[],
  idx: readonly number[],
  depth: number,
  limit: number,
  rand: () => number,
): Node {
  if (depth >= limit || idx.length <= 1) return { size: idx.length };
  const width = x[idx[0]!]!.length;
  const splittable: { feature: number; min: number; max: number }[] = [];
  for (let j = 0; j < width; j++) {
    let min = Infinity;
    let max = -Infinity;
    for (const i of idx) {
      const v = x[i]![j]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (max > min) splittable.push({ feature: j, min, max });
  }
  const pick = splittable[Math.floor(rand() * splittable.length)];
  if (pick === undefined) return { size: idx.length };
  const split = pick.min + rand() * (pick.max - pick.min);
  const left = idx.filter((i) => x[i]![pick.feature]! < split);
  const right = idx.filter((i) => x[i]![pick.feature]! >= split);
  return {
    feature: pick.feature,
    split,
    left: buildTree(x, left, depth + 1, limit, rand),
    right: buildTree(x, right, depth + 1, limit, rand),
  };
}

/** h(x): edges to the leaf plus c(size) for the points the leaf still holds. */
function pathLength(row: readonly number[], node: Node): number {
  let depth = 0;
  let n = node;
  while ('feature' in n) {
    n = row[n.feature]! < n.split ? n.left : n.right;
    depth++;
  }
  return depth + averagePathLength(n.size);
}

/**
 * Isolation-forest anomaly score per row, in (0, 1]: s(x, ψ) = 2^(−E[h(x)]/c(ψ)).
 * Near 1: isolated quickly (anomalous); ≤ 0.5: ordinary.
 *
 * Procedure: columns are standardised robustly (median, robust SD); each of
 * `trees` trees is grown on ψ = min(sampleSize, n) rows drawn without
 * replacement, splitting on a uniformly chosen non-constant feature at a
 * uniform point between its min and max in the node, to height ⌈log₂ ψ⌉;
 * every row (sampled or not) is then scored against all trees. Deterministic
 * for a seed. Fewer than 2 rows: every score is 0.5 (no evidence either way).
 * @throws RangeError on ragged or empty rows, non-finite values, trees < 1 or sampleSize < 2
 * @example isolationForest([[0], [0.1], [-0.1], [0.05], [9]])[4] // the largest of the five
 * @complexity O(trees·ψ·log ψ) to grow, O(n·trees·log ψ) to score
 */
export function isolationForest(
  rows: readonly (readonly number[])[],
  { trees = 100, sampleSize = 256, seed = 1 }: IsolationForestOptions = {},
): number[] {
  checkInteger('trees', trees, 1);
  checkInteger('sampleSize', sampleSize, 2);
  const width = rows[0]?.length ?? 0;
  rows.forEach((r, i) => {
    if (r.length !== width || width === 0)
      throw new RangeError(`every row needs the same, non-zero number of columns (row ${i} has ${r.length})`);
    checkFinite(r, `row ${i}`);
  });
  if (rows.length < 2) return rows.map(() => 0.5);
  const x = standardiseColumns(rows);
  const psi = Math.min(sampleSize, rows.length);
  const limit = Math.ceil(Math.log2(psi));
  const rand = mulberry32(seed);
  const pool = x.map((_, i) => i);
  const forest: Node[] = [];
  for (let k = 0; k < trees; k++) {
    for (let i = 0; i < psi; i++) {
      const j = i + Math.floor(rand() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    forest.push(buildTree(x, pool.slice(0, psi), 0, limit, rand));
  }
  const c = averagePathLength(psi);
  return x.map((row) => {
    let total = 0;
    for (const tree of forest) total += pathLength(row, tree);
    return 2 ** (-(total / trees) / c);
  });
}
