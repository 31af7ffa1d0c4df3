/**
 * The failure-message masks, as SQL (no database access here, so the ingest
 * writer and migrations can use them without importing the store).
 */
const re = (e: string, pattern: string, to: string): string =>
  `regexp_replace(${e}, '${pattern}', '${to}', 'g')`;

/**
 * Replaces the runs of `pattern` that hold both a digit and a letter (a plain
 * word or number is not an id); the list work only for messages with a run.
 * `e` is a column: it is read several times.
 */
const mixedTokens = (e: string, pattern: string, to: string): string =>
  `CASE WHEN regexp_matches(${e}, '${pattern}') THEN list_reduce(list_prepend(${e}, list_filter(regexp_extract_all(${e}, '${pattern}'), x -> regexp_matches(x, '[0-9]') AND regexp_matches(x, '[A-Za-z]'))), (acc, x) -> replace(acc, x, '${to}')) ELSE ${e} END`;

/**
 * The masks that turn a failure message into its pattern, in order. Stored
 * patterns (`failure_attempts`, failure-attempts.ts) were masked by them when
 * written: a change here needs a migration that rebuilds that table. In order (each sees
 * the output of the one before; placeholders hold no digits, so later masks
 * leave them alone). In the spirit of LUCI Analysis's failure-reason
 * clustering, which masks the variable parts of a reason and hashes the rest.
 */
const FAILURE_MASKS: readonly { readonly name: string; readonly apply: (e: string) => string }[] = [
  {
    name: 'UUIDs → <uuid>',
    apply: (e) =>
      re(e, '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}', '<uuid>'),
  },
  {
    name: 'ISO 8601 timestamps (date, time, optional seconds, fraction and zone) → <ts>',
    apply: (e) =>
      re(e, '\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?', '<ts>'),
  },
  {
    name: "a path's directories (/a/b/ → <path>/), the file name kept",
    apply: (e) => re(e, '(/[\\w.-]+)+/', '<path>/'),
  },
  {
    name: 'base64 runs of 20+ characters holding a digit and a letter → <blob>',
    apply: (e) => mixedTokens(e, '[A-Za-z0-9+/]{20,}={0,2}', '<blob>'),
  },
  { name: '0x-prefixed hex → <hex>', apply: (e) => re(e, '0[xX][0-9a-fA-F]+', '<hex>') },
  {
    name: 'hex ids of 6+ digits holding a digit and a letter (commit SHAs, object ids) → <hex>',
    apply: (e) => mixedTokens(e, '\\b[0-9a-fA-F]{6,}\\b', '<hex>'),
  },
  // Digits right after a letter belong to a name (log4j, sha256, s3), not a count.
  {
    name: 'numbers not glued to a letter, decimals included → <num>',
    apply: (e) => re(e, '([^A-Za-z0-9]|^)\\d+(\\.\\d+)?', '\\1<num>'),
  },
  { name: 'runs of whitespace (newlines included) → one space', apply: (e) => `trim(${re(e, '\\s+', ' ')})` },
];

/**
 * Wraps `select` (a SELECT with a `message` column) so that each row also
 * carries its `pattern`: one mask per nesting level, each reading the column
 * the level below made, so no mask runs twice on a message.
 */
export function withPattern(select: string): string {
  let sql = `SELECT *, message AS p0 FROM (${select})`;
  FAILURE_MASKS.forEach((m, i) => {
    sql = `SELECT * EXCLUDE (p${i}), ${m.apply(`p${i}`)} AS p${i + 1} FROM (${sql})`;
  });
  const n = FAILURE_MASKS.length;
  return `SELECT * EXCLUDE (p${n}), p${n} AS pattern FROM (${sql})`;
}
