import type { Granularity, ResultFilter } from './generated/graphql.ts';

/** The filters every view shares; they live in the URL so a link shows the same view. */
export interface Filters {
  readonly project: string;
  readonly branch: string;
  /** A key of RANGES. */
  readonly range: string;
  /** Test-name search (case-insensitive substring). */
  readonly q: string;
}

export interface Route {
  /** overview, flaky, test, failures, compare, farm, alerts */
  readonly view: string;
  /** The test id for `test`. */
  readonly arg: string;
  readonly params: URLSearchParams;
  readonly filters: Filters;
}

export const RANGES: Readonly<Record<string, { label: string; days: number }>> = {
  '1d': { label: 'Last 24 hours', days: 1 },
  '7d': { label: 'Last 7 days', days: 7 },
  '14d': { label: 'Last 14 days', days: 14 },
  '30d': { label: 'Last 30 days', days: 30 },
  '90d': { label: 'Last 90 days', days: 90 },
};
const DEFAULT_RANGE = '14d';
const FILTER_KEYS = ['project', 'branch', 'range', 'q'] as const;

/** `#/view/arg?project=web&range=7d` → Route. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [view = '', ...rest] = path.split('/');
  const params = new URLSearchParams(query);
  const range = params.get('range') ?? DEFAULT_RANGE;
  return {
    view: view || 'overview',
    arg: decodeURIComponent(rest.join('/')),
    params,
    filters: {
      project: params.get('project') ?? '',
      branch: params.get('branch') ?? '',
      range: range in RANGES ? range : DEFAULT_RANGE,
      q: params.get('q') ?? '',
    },
  };
}

/** A link to a view that keeps the current filters (and adds `extra`). */
export function href(
  filters: Filters,
  view: string,
  arg = '',
  extra: Readonly<Record<string, string>> = {},
): string {
  const params = new URLSearchParams();
  for (const k of FILTER_KEYS)
    if (filters[k] && !(k === 'range' && filters[k] === DEFAULT_RANGE)) params.set(k, filters[k]);
  for (const [k, v] of Object.entries(extra)) if (v) params.set(k, v);
  const qs = params.toString();
  return `#/${view}${arg ? `/${encodeURIComponent(arg)}` : ''}${qs ? `?${qs}` : ''}`;
}

export const rangeDays = (f: Filters): number => RANGES[f.range]?.days ?? 14;

/**
 * Where the range starts: whole UTC days back from the start of today (whole hours for a
 * day's range). Aligned bounds keep buckets whole, let the gateway answer day counts from its
 * daily rollup, and give repeated loads the same arguments, so its caches answer them.
 */
function rangeStart(f: Filters, now: number): number {
  const days = rangeDays(f);
  const unit = days <= 2 ? 3_600_000 : 86_400_000;
  return Math.floor(now / unit) * unit - days * 86_400_000;
}

/** The slice the filters select, from the range's start on (open-ended, so new runs belong to it). */
export function slice(f: Filters, now: number, { search = true } = {}): ResultFilter {
  return {
    from: new Date(rangeStart(f, now)).toISOString(),
    ...(f.project && { project: [f.project] }),
    ...(f.branch && { branch: [f.branch] }),
    ...(search && f.q && { testName: [f.q] }),
  };
}

/** Hours for a day's range, days otherwise: enough points to see a shape, few enough to read. */
export const bucketFor = (f: Filters): Granularity => (rangeDays(f) <= 2 ? 'HOUR' : 'DAY');

/** Whether a run (from an `ingested` event) falls into the filters' slice. */
export function touches(
  f: Filters,
  run: { project: string; branch: string | null; startedAt: string },
  now: number,
): boolean {
  if (f.project && run.project !== f.project) return false;
  if (f.branch && run.branch !== f.branch) return false;
  return Date.parse(run.startedAt) >= rangeStart(f, now);
}
