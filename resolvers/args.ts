import { badInput } from '../src/domain/errors.ts';
import type { TimeRange } from '../src/domain/types.ts';

/** Largest page a connection or ranking returns; a larger `first` is refused. */
export const MAX_PAGE = 1000;

/** Checks `first` (a whole number from `min` to MAX_PAGE) and applies the default. */
export function pageSize(first: number | null | undefined, fallback = 50, min = 0): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < min || n > MAX_PAGE) {
    throw badInput(
      `first must be a whole number from ${min} to ${MAX_PAGE} (got ${String(first)}); page on with \`after\` for more`,
      { field: 'first' },
    );
  }
  return n;
}

/** Refuses a time range that ends before it starts. */
export function checkRange(filter: TimeRange | null | undefined): void {
  if (filter?.from && filter.to && filter.from >= filter.to) {
    throw badInput('filter.from must be before filter.to (the range is half-open: [from, to))', {
      field: 'filter.from',
    });
  }
}
