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
const MIN_MEMORY = 64 * 2 ** 20;

/**
 * Checks a size such as `512MB` or `1.5GiB` and returns it as DuckDB reads it (`<number><unit>`,
 * no space); `what` names the setting in the errors, with an example of how to write it.
 */
function parseSize(
  text: string,
  what: { readonly name: string; readonly examples: string; readonly min: number; readonly minWhy: string },
): string {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  const unit = m?.[2]?.toLowerCase();
  const per = unit === undefined ? undefined : UNITS[unit];
  if (!m || per === undefined)
    throw badInput(
      `The ${what.name} must be a size with its unit, such as ${what.examples} (got "${text}").`,
    );
  if (Number(m[1]) * per < what.min)
    throw badInput(`The ${what.name} must be at least ${what.minWhy} (got "${text}").`);
  return `${m[1]}${m[2]}`;
}

/**
 * Checks a DuckDB memory limit such as `512MB` or `1.5GiB` and returns it as DuckDB reads it
 * (`<number><unit>`, no space).
 * @throws AssayError BAD_USER_INPUT when it is not a number with a unit, or below 64 MiB.
 * @example parseMemoryLimit('1 GB') // '1GB'
 */
export const parseMemoryLimit = (text: string): string =>
  parseSize(text, {
    name: 'memory limit',
    examples: '512MB, 1GB or 768MiB',
    min: MIN_MEMORY,
    minWhy: '64MiB: DuckDB needs that much to open a database',
  });

/**
 * Checks a checkpoint threshold (DuckDB's `checkpoint_threshold`: the write-ahead log's size at
 * which a commit moves it into the database file), such as `64MB`.
 * @throws AssayError BAD_USER_INPUT when it is not a number with a unit, or below 1 MB.
 */
export const parseCheckpointThreshold = (text: string): string =>
  parseSize(text, {
    name: 'checkpoint threshold',
    examples: '64MB, 256MB or 1GiB',
    min: 1e6,
    minWhy: '1MB: below that nearly every write would checkpoint',
  });
