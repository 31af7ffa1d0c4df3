import { UsageError } from './args.ts';
import { infraThresholds, type InfraThresholds } from '../domain/infra-failures.ts';

/** `assay serve`'s options for the infrastructure-failure thresholds (src/domain/infra-failures.ts). */
export const INFRA_OPTIONS = {
  'infra-min-executions': { type: 'string' },
  'infra-fail-share': { type: 'string' },
  'infra-pattern-share': { type: 'string' },
  'infra-burst-seconds': { type: 'string' },
} as const;

export const INFRA_USAGE = `  --infra-min-executions N, --infra-fail-share X, --infra-pattern-share X, --infra-burst-seconds S
                a run or worker with at least N executions (default 5) is an infrastructure
                failure when a share X of them failed (default 0.8) and either a share X of the
                failures share one pattern (default 0.8) or all started within S seconds (default 30)`;

const FIELDS = {
  'infra-min-executions': 'minExecutions',
  'infra-fail-share': 'failShare',
  'infra-pattern-share': 'patternShare',
  'infra-burst-seconds': 'burstSeconds',
} as const satisfies Record<keyof typeof INFRA_OPTIONS, keyof InfraThresholds>;

/** The thresholds the command line sets, checked (a bad one exits 2 with what was wrong). */
export function infraThresholdOptions(
  values: Partial<Record<keyof typeof INFRA_OPTIONS, string>>,
): Partial<InfraThresholds> {
  const out: Partial<Record<keyof InfraThresholds, number>> = {};
  for (const [flag, field] of Object.entries(FIELDS) as [keyof typeof FIELDS, keyof InfraThresholds][]) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n))
      throw new UsageError(`--${flag} must be a number (got "${raw}")`);
    out[field] = n;
  }
  try {
    infraThresholds(out);
  } catch (err) {
    throw new UsageError(`--infra-* options: ${(err as Error).message}`);
  }
  return out;
}
