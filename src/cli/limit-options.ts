import { intOption } from './args.ts';

/**
 * `assay serve`'s options for what one GraphQL operation may ask for
 * (createApp's `limits`: src/server/limits.ts and root-fields.ts). Unset,
 * the server's defaults hold.
 */
export const LIMIT_OPTIONS = {
  'max-depth': { type: 'string' },
  'max-aliases': { type: 'string' },
  'max-cost': { type: 'string' },
  'max-root-fields': { type: 'string' },
} as const;

export const LIMIT_USAGE = `  --max-depth N, --max-aliases N, --max-cost N, --max-root-fields N
                what one GraphQL operation may ask for: field nesting (default 12), aliased
                fields (default 30), estimated fields resolved (default 1000000) and root
                fields, each a whole analysis (default 10); past one it is refused, naming it`;

const FIELDS = {
  'max-depth': ['maxDepth', 1, 1_000],
  'max-aliases': ['maxAliases', 0, 100_000],
  'max-cost': ['maxCost', 1, 1_000_000_000],
  'max-root-fields': ['maxRootFields', 1, 1_000],
} as const satisfies Record<keyof typeof LIMIT_OPTIONS, readonly [string, number, number]>;

type LimitField = (typeof FIELDS)[keyof typeof FIELDS][0];

/** The operation limits the command line sets, checked (a bad one exits 2 naming it). */
export function limitOptions(
  values: Partial<Record<keyof typeof LIMIT_OPTIONS, string>>,
): Partial<Record<LimitField, number>> {
  const out: Partial<Record<LimitField, number>> = {};
  for (const [flag, [field, min, max]] of Object.entries(FIELDS) as [
    keyof typeof FIELDS,
    (typeof FIELDS)[keyof typeof FIELDS],
  ][]) {
    const raw = values[flag];
    if (raw !== undefined) out[field] = intOption(flag, raw, 0, min, max);
  }
  return out;
}
