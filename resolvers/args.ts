import { badInput } from '../src/domain/errors.ts';
import type { TimeRange } from '../src/domain/types.ts';

/** Largest page a connection or ranking returns; a larger `first` is refused. */
export const MAX_PAGE = 1000;

/** Checks `first` (or `last`: a whole number from `min` to MAX_PAGE) and applies the default. */
export function pageSize(
  first: number | null | undefined,
  fallback = 50,
  min = 0,
  name: 'first' | 'last' = 'first',
): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < min || n > MAX_PAGE) {
    throw badInput(
      `${name} must be a whole number from ${min} to ${MAX_PAGE} (got ${String(first)}); page on with \`${name === 'first' ? 'after' : 'before'}\` for more`,
      { field: name },
    );
  }
  return n;
}

/** A connection's Relay arguments. */
export interface ConnectionArgs {
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
  readonly last?: number | null | undefined;
  readonly before?: string | null | undefined;
}

/**
 * The page a connection's arguments ask for: the first `first` rows after `after`, or the
 * last `last` rows before `before` (both cursors may bound the window); 50 from the start
 * when neither size is given. `first` and `last` together are refused: their meaning is
 * unclear (the Relay spec discourages it) and no client needs it. `count: false` skips
 * counting the slice when the query does not select `totalCount`.
 */
export function pageWindow(
  args: ConnectionArgs,
  count = true,
): {
  size: number;
  bounds: { after: string | null; before: string | null; fromEnd: boolean; count: boolean };
} {
  const last = args.last ?? null;
  if (last !== null && (args.first ?? null) !== null) {
    throw badInput(
      'pass either `first` (with `after`) to page forwards or `last` (with `before`) to page backwards, not both',
      { field: 'last' },
    );
  }
  const bounds = { after: args.after ?? null, before: args.before ?? null, fromEnd: last !== null, count };
  return { size: last !== null ? pageSize(last, 50, 0, 'last') : pageSize(args.first), bounds };
}

/** Refuses a time range that ends before it starts. */
export function checkRange(filter: TimeRange | null | undefined): void {
  if (filter?.from && filter.to && filter.from >= filter.to) {
    throw badInput('filter.from must be before filter.to (the range is half-open: [from, to))', {
      field: 'filter.from',
    });
  }
}
