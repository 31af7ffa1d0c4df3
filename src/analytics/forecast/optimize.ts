/**
 * Deterministic minimisation over a box: the best point of a coarse grid,
 * refined by Nelder–Mead (Lagarias et al. 1998 coefficients: reflection 1,
 * expansion 2, contraction ½, shrink ½) with every trial point clamped into
 * the box, restarted until it stops improving. Small, dependency-free and good
 * enough for 2–3 smoothing parameters.
 */

export interface Minimum {
  readonly x: number[];
  readonly value: number;
}

export interface BoxOptions {
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  /** Grid values per dimension; their cartesian product is evaluated first. */
  readonly grid: readonly (readonly number[])[];
  /** @default 200 × dimension */
  readonly maxIterations?: number;
}

/** Non-finite objective values count as +∞, so the search walks away from them. */
function safe(f: (x: readonly number[]) => number): (x: readonly number[]) => number {
  return (x) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
}

function cartesian(grid: readonly (readonly number[])[]): number[][] {
  return grid.reduce<number[][]>(
    (acc, values) => acc.flatMap((prefix) => values.map((v) => [...prefix, v])),
    [[]],
  );
}

/** One Nelder–Mead run from `start`, its first simplex stepping `step` × the box width along each axis. */
function nelderMead(
  g: (x: readonly number[]) => number,
  clamp: (x: readonly number[]) => number[],
  start: Minimum,
  widths: readonly number[],
  step: number,
  maxIterations: number,
): Minimum {
  const dim = widths.length;
  const simplex: Minimum[] = [start];
  for (let i = 0; i < dim; i++) {
    const x = [...start.x];
    const forward = clamp(x.map((v, j) => (j === i ? v + step * widths[i]! : v)));
    // Step inwards when the start sits on the upper edge.
    x[i] = forward[i]! !== x[i]! ? forward[i]! : x[i]! - step * widths[i]!;
    const cx = clamp(x);
    simplex.push({ x: cx, value: g(cx) });
  }
  const order = (): void => {
    simplex.sort((a, b) => a.value - b.value || 0);
  };
  const at = (from: readonly number[], to: readonly number[], t: number): number[] =>
    clamp(from.map((v, i) => v + t * (to[i]! - v)));

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    order();
    const best = simplex[0]!;
    const worst = simplex[dim]!;
    let spread = 0;
    for (const p of simplex)
      for (let i = 0; i < dim; i++) spread = Math.max(spread, Math.abs(p.x[i]! - best.x[i]!));
    if (spread < 1e-10 || (worst.value - best.value <= 1e-15 * Math.abs(best.value) && spread < 1e-8)) break;

    const centroid = new Array<number>(dim).fill(0);
    for (let j = 0; j < dim; j++) for (let i = 0; i < dim; i++) centroid[i]! += simplex[j]!.x[i]! / dim;
    const secondWorst = simplex[dim - 1]!.value;

    const rx = at(worst.x, centroid, 2);
    const rv = g(rx);
    if (rv < best.value) {
      const ex = at(worst.x, centroid, 3);
      const ev = g(ex);
      simplex[dim] = ev < rv ? { x: ex, value: ev } : { x: rx, value: rv };
      continue;
    }
    if (rv < secondWorst) {
      simplex[dim] = { x: rx, value: rv };
      continue;
    }
    // Contract outside (towards the reflected point) or inside (towards the worst one).
    const cx = rv < worst.value ? at(worst.x, centroid, 1.5) : at(worst.x, centroid, 0.5);
    const cv = g(cx);
    if (cv < Math.min(rv, worst.value)) {
      simplex[dim] = { x: cx, value: cv };
      continue;
    }
    for (let j = 1; j <= dim; j++) {
      const sx = at(best.x, simplex[j]!.x, 0.5);
      simplex[j] = { x: sx, value: g(sx) };
    }
  }
  order();
  return simplex[0]!;
}

/**
 * Minimises f over the box [lower, upper]. Clamping can flatten the simplex
 * against a face of the box and stop it early, so Nelder–Mead is restarted
 * from its result (with a smaller first simplex) until a restart no longer helps.
 * @complexity O(grid size + restarts × maxIterations) evaluations of f
 */
export function minimizeInBox(f: (x: readonly number[]) => number, options: BoxOptions): Minimum {
  const { lower, upper, grid } = options;
  const maxIterations = options.maxIterations ?? 200 * lower.length;
  const g = safe(f);
  const clamp = (x: readonly number[]): number[] =>
    x.map((v, i) => Math.min(upper[i]!, Math.max(lower[i]!, v)));
  const widths = lower.map((lo, i) => upper[i]! - lo);

  let best: Minimum = { x: clamp(grid.map((values) => values[0]!)), value: Number.POSITIVE_INFINITY };
  for (const point of cartesian(grid)) {
    const x = clamp(point);
    const value = g(x);
    if (value < best.value) best = { x, value };
  }
  for (const step of [0.1, 0.02, 0.005, 0.001, 0.001]) {
    const next = nelderMead(g, clamp, best, widths, step, maxIterations);
    const improved = next.value < best.value - 1e-15 * Math.abs(best.value);
    if (next.value <= best.value) best = next;
    if (!improved && step < 0.1) break;
  }
  return best;
}
