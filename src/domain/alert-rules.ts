import {
  ALERT_KINDS,
  CHANNEL_FORMATS,
  COMPARISON_OPERATORS,
  type AlertChannel,
  type AlertChannelInput,
  type AlertKind,
  type AlertRule,
  type AlertRuleInput,
  type ComparisonOperator,
} from './alerts.ts';
import type { SeriesMeasure, SeriesSpec } from './series.ts';
import { SEVERITIES } from './types.ts';
import { badInput } from './errors.ts';
import { DIMENSIONS, STATS, type Dimension, type ResultFilter } from './types.ts';

/** Limits of a rule's fields (a week is the longest window or cooldown). */
const RULE_LIMITS = {
  nameLength: 200,
  maxMinutes: 10_080,
  channels: 10,
} as const;

/** The series each kind watches when it does not take one: pass rate, and the P95 duration. */
const IMPLIED_SERIES: Readonly<Partial<Record<AlertKind, SeriesSpec>>> = {
  PASS_RATE_DROP: { measure: 'PASS_RATE', stat: 'AVG' },
  DURATION_REGRESSION: { measure: 'DURATION', stat: 'P95' },
};

/** Kinds whose series comes from the input; the others imply theirs. */
const TAKES_SERIES: ReadonlySet<AlertKind> = new Set(['THRESHOLD', 'ANOMALY']);

/** Kinds that judge tests one by one, so they always group by TEST. */
const PER_TEST: ReadonlySet<AlertKind> = new Set(['NEW_FAILURE', 'FLAKY_TEST']);

/**
 * The operators a kind accepts (the first is its default): a drop compares
 * downwards, a regression, flakiness score or anomaly score upwards.
 * NEW_FAILURE compares nothing.
 */
const OPERATORS: Readonly<Record<AlertKind, readonly ComparisonOperator[]>> = {
  THRESHOLD: COMPARISON_OPERATORS,
  PASS_RATE_DROP: ['LT', 'LTE'],
  DURATION_REGRESSION: ['GTE', 'GT'],
  FLAKY_TEST: ['GTE', 'GT'],
  ANOMALY: ['GTE', 'GT'],
  NEW_FAILURE: [],
  QUARANTINE_RELEASE: [],
};

/** What a kind's threshold means, and the range it must lie in. */
const THRESHOLDS: Readonly<
  Record<
    Exclude<AlertKind, 'NEW_FAILURE' | 'QUARANTINE_RELEASE'>,
    { readonly ok: (t: number) => boolean; readonly how: string }
  >
> = {
  THRESHOLD: { ok: () => true, how: "a number in the series' unit (rates 0 … 1, durations in ms), e.g. 0.9" },
  PASS_RATE_DROP: { ok: (t) => t >= 0 && t <= 1, how: 'the lowest acceptable pass rate, 0 … 1, e.g. 0.95' },
  FLAKY_TEST: {
    ok: (t) => t >= 0 && t <= 1,
    how: 'the flakiness score that counts as flaky, 0 … 1, e.g. 0.3',
  },
  DURATION_REGRESSION: {
    ok: (t) => t > 0,
    how: 'a percentage above 0 (20 fires when the P95 duration is 20 % slower than before)',
  },
  ANOMALY: { ok: (t) => t > 0, how: 'a robust z-score above 0, e.g. 4 (higher fires less often)' },
};

export interface NormaliseOptions {
  readonly id: string;
  readonly now: Date;
  /** The stored rule an update replaces; its createdAt is kept. */
  readonly previous?: AlertRule | null | undefined;
}

const MEASURES: readonly SeriesMeasure[] = ['PASS_RATE', 'FAIL_RATE', 'FLAKY_RATE', 'EXECUTIONS', 'DURATION'];

const oneOf = (values: readonly string[]): string => values.join(', ');

function checkEnum<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw badInput(`${field} must be one of ${oneOf(allowed)}`, { field });
  }
  return value as T;
}

function checkMinutes(
  value: number | null | undefined,
  fallback: number,
  min: number,
  field: string,
): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > RULE_LIMITS.maxMinutes) {
    throw badInput(
      `${field} must be a whole number of minutes from ${min} to ${RULE_LIMITS.maxMinutes} (one week); got ${v}`,
      { field },
    );
  }
  return v;
}

/** A series with exactly one of measure or metric, and its stat (default AVG). */
function checkSeries(spec: SeriesSpec | null | undefined, field: string): SeriesSpec {
  const metric = spec?.metric?.trim();
  if (spec?.measure && metric)
    throw badInput(`${field} takes either \`measure\` or \`metric\`, not both`, { field });
  const stat = spec?.stat == null ? 'AVG' : checkEnum(spec.stat, STATS, `${field}.stat`);
  if (spec?.measure) return { measure: checkEnum(spec.measure, MEASURES, `${field}.measure`), stat };
  if (metric) return { metric, stat };
  throw badInput(
    `${field} needs a \`measure\` (${oneOf(MEASURES)}) or a \`metric\` name, e.g. { metric: "latency_ms", stat: P95 }`,
    { field },
  );
}

/**
 * The series a rule watches: its own for THRESHOLD and ANOMALY; pass rate for
 * PASS_RATE_DROP and the P95 duration for DURATION_REGRESSION; null for
 * FLAKY_TEST (a flakiness score per test) and NEW_FAILURE (status changes).
 */
export function impliedSeries(
  rule: Pick<AlertRule, 'kind'> & { readonly series?: SeriesSpec | null | undefined },
): SeriesSpec | null {
  if (TAKES_SERIES.has(rule.kind)) return rule.series ?? null;
  return IMPLIED_SERIES[rule.kind] ?? null;
}

function checkOperator(
  kind: AlertKind,
  operator: ComparisonOperator | null | undefined,
): ComparisonOperator | null {
  const allowed = OPERATORS[kind];
  const field = 'input.operator';
  if (kind === 'NEW_FAILURE') return null;
  if (operator == null) {
    if (kind === 'THRESHOLD')
      throw badInput(
        `a THRESHOLD rule needs input.operator (${oneOf(allowed)}): how the value compares with the threshold to fire`,
        { field },
      );
    return allowed[0] ?? null;
  }
  checkEnum(operator, COMPARISON_OPERATORS, field);
  if (!allowed.includes(operator)) {
    throw badInput(
      `a ${kind} rule compares with ${oneOf(allowed)}; drop input.operator to use ${allowed[0]}`,
      { field },
    );
  }
  return operator;
}

function checkThreshold(kind: AlertKind, threshold: number | null | undefined): number | null {
  if (kind === 'NEW_FAILURE' || kind === 'QUARANTINE_RELEASE') return null;
  const field = 'input.threshold';
  const { ok, how } = THRESHOLDS[kind];
  if (threshold == null) throw badInput(`a ${kind} rule needs input.threshold: ${how}`, { field });
  if (!Number.isFinite(threshold) || !ok(threshold))
    throw badInput(`input.threshold of a ${kind} rule must be ${how}; got ${threshold}`, { field });
  return threshold;
}

function checkChannels(channels: readonly AlertChannelInput[] | null | undefined): AlertChannel[] {
  const list = channels ?? [];
  if (list.length > RULE_LIMITS.channels) {
    throw badInput(
      `a rule posts to at most ${RULE_LIMITS.channels} channels; got ${list.length}. Fan out with one webhook that relays`,
      { field: 'input.channels' },
    );
  }
  const seen = new Set<string>();
  return list.map((c, i) => {
    const field = `input.channels[${i}].webhook`;
    const webhook = typeof c.webhook === 'string' ? c.webhook.trim() : '';
    let url: URL;
    try {
      url = new URL(webhook);
    } catch {
      throw badInput(
        `${field} must be an absolute http:// or https:// URL, e.g. https://hooks.example.com/assay; got "${webhook}"`,
        { field },
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw badInput(`${field} must use http:// or https://; got ${url.protocol}//`, { field });
    }
    // Deliveries and logs show the webhook; a secret belongs in its path or query, where receivers such as Slack keep theirs.
    if (url.username || url.password) {
      throw badInput(
        `${field} must not carry credentials (user:password@); put the receiver's secret in its path or query instead`,
        { field },
      );
    }
    // Deliveries are recorded per webhook, so each may appear once.
    if (seen.has(url.href))
      throw badInput(`${field} repeats an earlier channel's webhook; list each webhook once`, { field });
    seen.add(url.href);
    const format =
      c.format == null ? 'JSON' : checkEnum(c.format, CHANNEL_FORMATS, `input.channels[${i}].format`);
    return { webhook, format };
  });
}

function checkGroupBy(kind: AlertKind, groupBy: readonly Dimension[] | null | undefined): Dimension[] {
  const dims = (groupBy ?? []).map((d, i) => checkEnum(d, DIMENSIONS, `input.groupBy[${i}]`));
  if (PER_TEST.has(kind)) dims.push('TEST');
  return [...new Set(dims)];
}

function checkFilter(filter: ResultFilter | null | undefined): ResultFilter {
  const f = filter ?? {};
  if (f.from && f.to && f.from >= f.to) {
    throw badInput('input.filter.from must be before input.filter.to (the range is half-open: [from, to))', {
      field: 'input.filter.from',
    });
  }
  return f;
}

/**
 * Validates an alert rule and fills in its defaults. Pure: the id and the
 * clock come from the caller.
 *
 * - `series`: required by THRESHOLD and ANOMALY (exactly one of measure or
 *   metric; stat defaults to AVG). Other kinds ignore a given series and store
 *   the one they imply (see `impliedSeries`).
 * - `operator`: required by THRESHOLD; PASS_RATE_DROP defaults to LT (LT or LTE
 *   allowed), DURATION_REGRESSION, FLAKY_TEST and ANOMALY to GTE (GTE or GT);
 *   NEW_FAILURE has none.
 * - `threshold`: finite; PASS_RATE_DROP and FLAKY_TEST 0 … 1, DURATION_REGRESSION
 *   a percentage > 0, ANOMALY a score > 0; NEW_FAILURE ignores it (null).
 * - `groupBy`: deduplicated; NEW_FAILURE and FLAKY_TEST always include TEST,
 *   since they judge each test on its own.
 * - `windowMinutes` 1 … 10080 (default 60), `cooldownMinutes` 0 … 10080
 *   (default 30), `severity` WARNING, `enabled` true, channel `format` JSON.
 *
 * @throws AssayError BAD_USER_INPUT whose `details.field` names the field, e.g. `input.threshold`.
 * @example normaliseRule({ name: 'main pass rate', kind: 'PASS_RATE_DROP', threshold: 0.95 }, { id: 'r1', now: new Date() })
 */
export function normaliseRule(input: AlertRuleInput, { id, now, previous }: NormaliseOptions): AlertRule {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name)
    throw badInput(
      'input.name must not be empty: name the rule after what it watches, e.g. "web main pass rate"',
      { field: 'input.name' },
    );
  if (name.length > RULE_LIMITS.nameLength) {
    throw badInput(`input.name is ${name.length} characters; keep it to ${RULE_LIMITS.nameLength}`, {
      field: 'input.name',
    });
  }
  const kind = checkEnum<AlertKind>(input.kind, ALERT_KINDS, 'input.kind');
  if (kind === 'QUARANTINE_RELEASE')
    throw badInput(
      'QUARANTINE_RELEASE alerts are raised by quarantine (a quarantined test that keeps passing), not by a rule: pick another kind',
      { field: 'input.kind' },
    );
  const series = TAKES_SERIES.has(kind) ? checkSeries(input.series, 'input.series') : impliedSeries({ kind });
  return {
    id,
    name,
    kind,
    filter: checkFilter(input.filter),
    series,
    groupBy: checkGroupBy(kind, input.groupBy),
    operator: checkOperator(kind, input.operator),
    threshold: checkThreshold(kind, input.threshold),
    windowMinutes: checkMinutes(input.windowMinutes, 60, 1, 'input.windowMinutes'),
    severity: input.severity == null ? 'WARNING' : checkEnum(input.severity, SEVERITIES, 'input.severity'),
    cooldownMinutes: checkMinutes(input.cooldownMinutes, 30, 0, 'input.cooldownMinutes'),
    channels: checkChannels(input.channels),
    enabled: input.enabled ?? true,
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
}
