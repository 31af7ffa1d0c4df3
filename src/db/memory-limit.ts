import { badInput } from '../domain/errors.ts';

/** Bytes per unit DuckDB reads in `memory_limit` (KB, MB, … are powers of 1000; KiB, MiB, … of 1024). */
const UNITS: Readonly<Record<string, number>> = {
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Below this DuckDB cannot even run the migrations of an empty file. */
const MIN_BYTES = 64 * 2 ** 20;

/**
 * Checks a DuckDB memory limit such as `512MB` or `1.5GiB` and returns it as DuckDB reads it
 * (`<number><unit>`, no space).
 * @throws AssayError BAD_USER_INPUT when it is not a number with a unit, or below 64 MiB.
 * @example parseMemoryLimit('1 GB') // '1GB'
 */
export function parseMemoryLimit(text: string): string {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  const unit = m?.[2]?.toLowerCase();
  const per = unit === undefined ? undefined : UNITS[unit];
  if (!m || per === undefined)
    throw badInput(
      `The memory limit must be a size with its unit, such as 512MB, 1GB or 768MiB (got "${text}").`,
    );
  if (Number(m[1]) * per < MIN_BYTES)
    throw badInput(
      `The memory limit must be at least 64MiB: DuckDB needs that much to open a database (got "${text}").`,
    );
  return `${m[1]}${m[2]}`;
}
