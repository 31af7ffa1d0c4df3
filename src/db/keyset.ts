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

const forged = () =>
  badInput('`after` is not a cursor this query returned; pass an `endCursor` or edge `cursor` unchanged', {
    field: 'after',
  });

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

export function keysetCondition(k: Keyset, after: string | null | undefined, p: Params): string | null {
  if (!after) return null;
  const key = decodeCursor(after);
  if (!key || key.length !== 3) throw forged();
  const [isNull, rawSort, rawId] = key as [number, string | number, string | number];
  if (isNull !== 0 && isNull !== 1) throw forged();
  if (k.idKind === 'integer' ? !Number.isSafeInteger(rawId) : typeof rawId !== 'string') throw forged();
  const id = p.bind(rawId);
  const cmp = k.direction === 'DESC' ? '<' : '>';
  if (isNull) return `(${k.sort} IS NULL AND ${k.id} ${cmp} ${id})`;
  const sort = sortValue(k, rawSort);
  if (sort === null) throw forged();
  const v = p.bind(sort);
  return `(${k.sort} ${cmp} ${v} OR (${k.sort} = ${v} AND ${k.id} ${cmp} ${id}) OR ${k.sort} IS NULL)`;
}

export const keysetOrder = (k: Keyset): string =>
  `${k.sort} ${k.direction} NULLS LAST, ${k.id} ${k.direction}`;

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
