/** One test to place: its expected duration, or null when it has no history. */
export interface ShardItem {
  readonly id: string;
  readonly ms: number | null;
}

interface Shard {
  readonly items: readonly ShardItem[];
  /** Sum of the known durations placed on the shard. */
  readonly expectedMs: number;
}

export interface ShardPlan {
  readonly shards: readonly Shard[];
  /** The longest shard's expected time. */
  readonly makespanMs: number;
  /** No split can beat this: max(total / shards, the longest item). */
  readonly lowerBoundMs: number;
}

/** Largest |heaviest| × |lighter| pair searched for swaps in one step, to bound the cost on huge slices. */
const SWAP_SEARCH = 250_000;

/**
 * Splits items over `n` shards with balanced expected time. Known items are
 * placed longest first, each on the least loaded shard (LPT: Graham 1969,
 * within 4/3 of the optimum), then the heaviest shard is improved by moving
 * one item, or swapping two, with a lighter shard while that lowers the
 * larger of the two loads. Items with no duration are spread by count, to the
 * shards with the fewest such items. Ties break by id, so the plan is the same
 * on every call.
 * @throws RangeError when n is not a whole number ≥ 1.
 * @example splitIntoShards([3, 3, 2, 2, 2].map((ms, i) => ({ id: `t${i}`, ms })), 2).makespanMs // 6 (LPT alone gives 7)
 * Complexity: O(m log m + m·n) for LPT; each improving step O(|h|·|l|) at most.
 */
export function splitIntoShards(items: readonly ShardItem[], n: number): ShardPlan {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`shards must be a whole number of at least 1, got ${n}`);
  const byId = (a: ShardItem, b: ShardItem): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const known = items
    .filter((i) => i.ms !== null && Number.isFinite(i.ms))
    .sort((a, b) => b.ms! - a.ms! || byId(a, b));
  const unknown = items.filter((i) => i.ms === null || !Number.isFinite(i.ms)).sort(byId);
  const bins = Array.from({ length: n }, () => ({ items: [] as ShardItem[], load: 0, unknown: 0 }));
  const lightest = (): number => bins.reduce((best, b, i) => (b.load < bins[best]!.load ? i : best), 0);

  for (const item of known) {
    const b = bins[lightest()]!;
    b.items.push(item);
    b.load += item.ms!;
  }
  improve(bins);
  for (const item of unknown) {
    const i = bins.reduce(
      (best, b, j) =>
        b.unknown < bins[best]!.unknown || (b.unknown === bins[best]!.unknown && b.load < bins[best]!.load)
          ? j
          : best,
      0,
    );
    bins[i]!.items.push(item);
    bins[i]!.unknown++;
  }

  const total = known.reduce((s, i) => s + i.ms!, 0);
  return {
    shards: bins.map((b) => ({ items: b.items, expectedMs: b.load })),
    makespanMs: Math.max(...bins.map((b) => b.load)),
    lowerBoundMs: Math.max(total / n, known[0]?.ms ?? 0),
  };
}

/**
 * Local search after LPT: while the heaviest shard can hand one item to a
 * lighter shard, or trade one for a shorter one, so that both end below its
 * load, do the best such step. Each step lowers the sum of squared loads, so
 * it ends.
 */
function improve(bins: { items: ShardItem[]; load: number }[]): void {
  for (let step = 0; step < 10_000; step++) {
    const order = bins.map((_, i) => i).sort((a, b) => bins[b]!.load - bins[a]!.load || a - b);
    const h = bins[order[0]!]!;
    let best: { to: number; give: number; take: number | null; peak: number } | null = null;
    for (const li of order.slice(1)) {
      const l = bins[li]!;
      const gap = h.load - l.load;
      if (gap <= 0) continue;
      h.items.forEach((x, xi) => {
        if (x.ms! < gap) {
          const peak = Math.max(h.load - x.ms!, l.load + x.ms!);
          if (!best || peak < best.peak) best = { to: li, give: xi, take: null, peak };
        }
      });
      if (h.items.length * l.items.length > SWAP_SEARCH) continue;
      h.items.forEach((x, xi) => {
        l.items.forEach((y, yi) => {
          const d = x.ms! - y.ms!;
          if (d > 0 && d < gap) {
            const peak = Math.max(h.load - d, l.load + d);
            if (!best || peak < best.peak) best = { to: li, give: xi, take: yi, peak };
          }
        });
      });
    }
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set inside the forEach callbacks above
    if (!best) return;
    const { to, give, take } = best as { to: number; give: number; take: number | null };
    const l = bins[to]!;
    const x = h.items.splice(give, 1)[0]!;
    l.items.push(x);
    h.load -= x.ms!;
    l.load += x.ms!;
    if (take !== null) {
      const y = l.items.splice(take, 1)[0]!;
      h.items.push(y);
      h.load += y.ms!;
      l.load -= y.ms!;
    }
  }
}
