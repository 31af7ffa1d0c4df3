import { STACKS } from './demo-failures.ts';
import { mlDataTests, mlModelTests } from './demo-ml-tests.ts';
import { apiTests, webTests, type TestSpec } from './demo-tests.ts';

/**
 * The demo's cast: which tests exist, how they fail and what is planted.
 * Data only; demo.ts turns it into SQL. The tests are listed in demo-tests.ts
 * and demo-ml-tests.ts, how they fail in demo-failures.ts.
 */
export const FLAKY = [
  {
    project: 'web',
    name: '[firefox] shows suggestions while typing',
    rate: 0.3,
    kind: 'web-timeout',
    detail: '[data-test=suggestions]',
  },
  { project: 'web', name: '[chromium] pays with a saved card', rate: 0.1, kind: 'web-http', detail: '' },
  {
    project: 'web',
    name: '[webkit] uploads an avatar',
    rate: 0.05,
    kind: 'web-timeout',
    detail: 'img.avatar',
  },
  {
    project: 'ml',
    name: 'test_throughput_under_load[gpt2-small-32]',
    rate: 0.15,
    kind: 'ml-latency',
    detail: '',
  },
] as const;
export const BROKEN = { project: 'api', name: 'refunds a partial payment' } as const;
export const SLOWED = { project: 'api', name: 'searches orders by customer email' } as const;
export const FLAKY_WORKER = 'gpu-3';
/** The worker that loses its database in one api run (every attempt on it errors): an infrastructure failure. */
export const LOST_WORKER = 'w5';
/** Extra per-attempt failure chance on the flaky worker. */
export const WORKER_FAILURE = 0.06;
/** A flaky failure's retry fails again this often at least: the cause often outlives one attempt. */
export const STICKY_RETRY = 0.3;
export const SLOWDOWN = 2.2;
const SKIPPED: Readonly<Record<string, string>> = {
  'web/[webkit] downloads an invoice as PDF': 'fixme: download events are not supported in WebKit yet',
  'api/never oversells the last item': 'disabled: ORD-1432 races under parallel checkout',
};
/** Tests that appear part-way through the history (by name, or by title for every browser or parameter): the fraction of the history before their first run. */
const ADDED: Readonly<Record<string, number>> = {
  'web/keeps filters in the URL': 0.45,
  'api/is idempotent on the request id': 0.6,
  'ml/test_streaming_resumes_after_restart': 0.3,
};

type Role = 'normal' | 'flaky' | 'broken' | 'slowed' | 'skipped';
export interface CatalogTest extends Omit<TestSpec, 'grp'> {
  ord: number;
  role: Role;
  flake_rate: number;
  grp: string | null;
  skip_reason: string | null;
  added: number;
  stack: string;
}
export const CATALOG_TYPES: Record<keyof CatalogTest, string> = {
  ord: 'INTEGER',
  project: 'VARCHAR',
  suite: 'VARCHAR',
  class_name: 'VARCHAR',
  name: 'VARCHAR',
  frame: 'VARCHAR',
  file: 'VARCHAR',
  role: 'VARCHAR',
  flake_rate: 'DOUBLE',
  base_ms: 'DOUBLE',
  kind: 'VARCHAR',
  detail: 'VARCHAR',
  grp: 'VARCHAR',
  browser: 'VARCHAR',
  model: 'VARCHAR',
  batch_size: 'VARCHAR',
  lat_ms: 'DOUBLE',
  mem_mb: 'DOUBLE',
  cuda_only: 'BOOLEAN',
  skip_reason: 'VARCHAR',
  added: 'DOUBLE',
  stack: 'VARCHAR',
};

/** Every test of the demo, in catalog order, with its part in the story (flaky, broken, slowed, skipped, added late). */
export function catalog(): CatalogTest[] {
  const specs: TestSpec[] = [];
  webTests(specs);
  apiTests(specs);
  mlModelTests(specs);
  mlDataTests(specs);
  return specs.map(cast);
}

function cast(t: TestSpec, ord: number): CatalogTest {
  const key = `${t.project}/${t.name}`;
  const flaky = FLAKY.find((f) => f.project === t.project && f.name === t.name);
  const role: Role = flaky
    ? 'flaky'
    : t.project === BROKEN.project && t.name === BROKEN.name
      ? 'broken'
      : t.project === SLOWED.project && t.name === SLOWED.name
        ? 'slowed'
        : SKIPPED[key]
          ? 'skipped'
          : 'normal';
  return {
    ...t,
    ord,
    role,
    flake_rate: flaky?.rate ?? 0,
    grp: t.grp ?? null,
    kind: flaky?.kind ?? t.kind,
    detail: flaky?.detail || t.detail,
    skip_reason: SKIPPED[key] ?? null,
    added: ADDED[key] ?? ADDED[`${t.project}/${t.frame}`] ?? 0,
    stack: STACKS[t.project]!,
  };
}
