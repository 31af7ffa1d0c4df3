import type { Database } from './database.ts';
import { cursorFor, keysetCondition, keysetOrder, type CursorSide, type Keyset } from './keyset.ts';
import { Params } from './sql.ts';
import { toNumber } from './values.ts';
import type { Row } from './write-tx.ts';
import type { Page, PageBounds, TotalFor } from '../domain/types.ts';

/** The SQL of one keyset-paged slice. */
interface PageQuery {
  /** Counts every row of the slice (binds only the filter's parameters). */
  readonly count: string;
  /** Selects the rows with their `sort_key`, with an extra condition on the keyset when given. */
  readonly select: (keyset: string | null) => string;
  /**
   * Adds what the answer needs to the page's rows (already ordered and limited), as `r`
   * with `sort_key`, so joins and wide columns are read for the page only.
   */
  readonly around?: (page: string) => string;
}

export interface PageSpec<T> {
  readonly keyset: Keyset;
  /** Builds the slice's SQL, binding the filter's parameters into `p`. */
  readonly build: (p: Params) => PageQuery;
  readonly map: (row: Row) => T;
  /** The column whose value is the cursor's unique id. */
  readonly idColumn: string;
}

const normalise = (b: PageBounds) => (typeof b === 'string' ? { after: b } : (b ?? {}));

/**
 * One page of a slice in keyset order (Relay cursor connections): the first `size` rows
 * after `after` (and before `before`), or with `fromEnd` the last `size` rows of that
 * window, read in reverse order with LIMIT size + 1 and turned back, never by offset.
 * The extra row says whether more lie beyond the page's far end; whether rows lie on the
 * cursor's own side (`hasPreviousPage` after an `after`, `hasNextPage` before a `before`)
 * is one more query that stops at the first row, run only when that cursor is given.
 * The slice is counted unless the bounds say `count: false`.
 */
export async function keysetPage<T, B extends PageBounds>(
  db: Database,
  size: number,
  bounds: B,
  spec: PageSpec<T>,
): Promise<Page<T, TotalFor<B>>> {
  const { after, before, fromEnd = false, count = true } = normalise(bounds);
  const p = new Params();
  const q = spec.build(p);
  const countValues = [...p.values];
  // The near cursor is bound first, so the look past it binds a prefix of the page's values.
  const nearSide: CursorSide = fromEnd ? 'before' : 'after';
  const near = keysetCondition(spec.keyset, fromEnd ? before : after, p, nearSide);
  const nearValues = [...p.values];
  const far = keysetCondition(spec.keyset, fromEnd ? after : before, p, fromEnd ? 'after' : 'before');
  const conds = [near, far].filter((c): c is string => c !== null);
  const order = keysetOrder(spec.keyset, fromEnd);
  const rowsSql = `${q.select(conds.length ? conds.join(' AND ') : null)} ORDER BY ${order} LIMIT ${size + 1}`;
  const [rows, total, past] = await Promise.all([
    db.query(q.around ? `${q.around(rowsSql)} ORDER BY ${order}` : rowsSql, p.values),
    count ? db.query<{ n: bigint }>(q.count, countValues) : Promise.resolve(null),
    near === null
      ? Promise.resolve([])
      : db.query(`SELECT 1 AS found FROM (${q.select(`NOT ${near}`)}) LIMIT 1`, nearValues),
  ]);
  const more = rows.length > size;
  const kept = rows.slice(0, size);
  if (fromEnd) kept.reverse();
  return {
    // TotalFor<B> is null exactly when bounds.count is false, which is when `total` is null.
    totalCount: (total ? toNumber(total[0]?.n ?? 0) : null) as TotalFor<B>,
    hasNextPage: fromEnd ? past.length > 0 : more,
    hasPreviousPage: fromEnd ? more : past.length > 0,
    nodes: kept.map((row) => ({
      cursor: cursorFor(row['sort_key'], row[spec.idColumn] as string | bigint),
      node: spec.map(row),
    })),
  };
}
