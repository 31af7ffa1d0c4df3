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
  /** Converts a cursor's JSON sort value back into a bound value. */
  readonly toValue?: (v: string | number) => DuckDBValue;
}

export function keysetCondition(k: Keyset, after: string | null | undefined, p: Params): string | null {
  if (!after) return null;
  const key = decodeCursor(after);
  if (!key || key.length !== 3) throw badInput('`after` is not a cursor this query returned; pass an `endCursor` or edge `cursor` unchanged', { field: 'after' });
  const [isNull, rawSort, rawId] = key as [number, string | number, string | number];
  const id = p.bind(rawId);
  const cmp = k.direction === 'DESC' ? '<' : '>';
  if (isNull) return `(${k.sort} IS NULL AND ${k.id} ${cmp} ${id})`;
  const v = p.bind(k.toValue ? k.toValue(rawSort) : rawSort);
  return `(${k.sort} ${cmp} ${v} OR (${k.sort} = ${v} AND ${k.id} ${cmp} ${id}) OR ${k.sort} IS NULL)`;
}

export const keysetOrder = (k: Keyset): string => `${k.sort} ${k.direction} NULLS LAST, ${k.id} ${k.direction}`;

export function cursorFor(sort: unknown, id: string | number | bigint): string {
  const idv = typeof id === 'bigint' ? Number(id) : id;
  if (sort === null || sort === undefined) return encodeCursor([1, 0, idv]);
  const v = sort instanceof Date ? sort.getTime() : typeof sort === 'bigint' ? Number(sort) : (sort as string | number);
  return encodeCursor([0, v, idv]);
}
