import { parseTimestamp } from '../domain/time.ts';
import type { ResultFilter } from '../domain/types.ts';
import { UsageError, intOption } from './args.ts';

/** The slice options reports, gates and exports share. */
export const SLICE_OPTIONS = {
  project: { type: 'string', multiple: true },
  branch: { type: 'string', multiple: true },
  commit: { type: 'string', multiple: true },
  'run-id': { type: 'string', multiple: true },
  from: { type: 'string' },
  to: { type: 'string' },
  days: { type: 'string' },
} as const;

export const SLICE_USAGE = `  --project P, --branch B, --commit SHA, --run-id ID   the slice (each repeatable; OR within, AND across)
  --from TIME, --to TIME   a time range (ISO-8601), or
  --days N                 the last N days`;

function time(name: string, raw: string | undefined): Date | null {
  if (raw === undefined) return null;
  const d = parseTimestamp(raw);
  if (typeof d === 'string') throw new UsageError(`--${name} ${d}`);
  return d;
}

/** The ResultFilter the slice options describe. */
export function sliceFilter(
  v: {
    project?: string[];
    branch?: string[];
    commit?: string[];
    'run-id'?: string[];
    from?: string;
    to?: string;
    days?: string;
  },
  now: Date,
): ResultFilter {
  if (v.days !== undefined && v.from !== undefined) throw new UsageError('give --days or --from, not both');
  const days = v.days === undefined ? null : intOption('days', v.days, 30, 1, 36_500);
  const from = days !== null ? new Date(now.getTime() - days * 86_400_000) : time('from', v.from);
  return {
    ...(v.project?.length && { project: v.project }),
    ...(v.branch?.length && { branch: v.branch }),
    ...(v.commit?.length && { commit: v.commit }),
    ...(v['run-id']?.length && { runId: v['run-id'] }),
    ...(from && { from }),
    ...(v.to !== undefined && { to: time('to', v.to) }),
  };
}
