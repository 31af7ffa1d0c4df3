import type { DuckDBValue } from '@duckdb/node-api';
import { badInput } from '../domain/errors.ts';
import type { Direction } from '../domain/types.ts';
import { Params, decodeCursor, encodeCursor } from './sql.ts';

/**
 * Keyset pagination on (sort value, unique id): a cursor names a position,
 * not an offset, so rows added later never shift the pages already read.
 * The sort value may be null; nulls sort last in either direction.
 */
export interface Keyset {
  readonly sort: string;
  readonly id: string;
  readonly direction: Direction;
  /** Whether the id column holds whole numbers or strings; a cursor with the other kind is forged. */
  readonly idKind: 'integer' | 'string';
  /** Converts a cursor's JSON sort value back into a bound value; throws on a value of the wrong kind. */
  readonly toValue?: (v: string | number) => DuckDBValue;
}

/** Which side of a cursor a condition keeps: rows after it (Relay `after`) or before it (`before`). */
export type CursorSide = 'after' | 'before';

const forged = (side: CursorSide) =>
  badInput(
    `\`${side}\` is not a cursor this query returned; pass ${side === 'after' ? 'an `endCursor`' : 'a `startCursor`'} or an edge's \`cursor\` unchanged`,
    { field: side },
  );

/** The sort value of a decoded cursor as the keyset binds it, or null when it has the wrong kind. */
function sortValue(k: Keyset, raw: string | number): DuckDBValue | null {
  try {
    const v = k.toValue ? k.toValue(raw) : raw;
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    return typeof v === 'bigint' && BigInt.asIntN(64, v) !== v ? null : v; // beyond BIGINT
  } catch {
    return null; // BigInt of a fraction or of text
  }
}

/**
 * The rows strictly after (or before) a cursor in the keyset's order, as a condition that is
 * never NULL, so `NOT (…)` keeps exactly the other rows (the cursor's own row included).
 * Null sort values sort last: after any non-null cursor, before no non-null one.
 */
export function keysetCondition(
  k: Keyset,
  cursor: string | null | undefined,
  p: Params,
  side: CursorSide = 'after',
): string | null {
  if (!cursor) return null;
  const key = decodeCursor(cursor);
  if (!key || key.length !== 3) throw forged(side);
  const [isNull, rawSort, rawId] = key as [number, string | number, string | number];
  if (isNull !== 0 && isNull !== 1) throw forged(side);
  if (k.idKind === 'integer' ? !Number.isSafeInteger(rawId) : typeof rawId !== 'string') throw forged(side);
  const sort = isNull ? null : sortValue(k, rawSort);
  if (!isNull && sort === null) throw forged(side);
  const id = p.bind(rawId);
  const cmp = (k.direction === 'DESC') === (side === 'after') ? '<' : '>';
  if (side === 'after') {
    if (sort === null) return `(${k.sort} IS NULL AND ${k.id} ${cmp} ${id})`;
    const v = p.bind(sort);
    return `(${k.sort} ${cmp} ${v} OR (${k.sort} = ${v} AND ${k.id} ${cmp} ${id}) OR ${k.sort} IS NULL)`;
  }
  if (sort === null) return `(${k.sort} IS NOT NULL OR ${k.id} ${cmp} ${id})`;
  const v = p.bind(sort);
  return `(${k.sort} IS NOT NULL AND (${k.sort} ${cmp} ${v} OR (${k.sort} = ${v} AND ${k.id} ${cmp} ${id})))`;
}

/** The keyset's order, or its exact reverse (to read the last rows of a window first). */
export function keysetOrder(k: Keyset, reverse = false): string {
  const dir = (k.direction === 'DESC') === reverse ? 'ASC' : 'DESC';
  return `${k.sort} ${dir} NULLS ${reverse ? 'FIRST' : 'LAST'}, ${k.id} ${dir}`;
}

export function cursorFor(sort: unknown, id: string | number | bigint): string {
  const idv = typeof id === 'bigint' ? Number(id) : id;
  if (sort === null || sort === undefined) return encodeCursor([1, 0, idv]);
  const v =
    sort instanceof Date
      ? sort.getTime()
      : typeof sort === 'bigint'
        ? Number(sort)
        : (sort as string | number);
  return encodeCursor([0, v, idv]);
}
