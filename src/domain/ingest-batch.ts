import { badInput, AssayError } from './errors.ts';
import { testId, asRunId } from './ids.ts';
import {
  BREAKER_STATES,
  STATUSES,
  type BreakerState,
  type IngestError,
  type IngestInput,
  type NamedMetric,
  type Status,
  type Tags,
} from './types.ts';
import {
  INGEST_LIMITS,
  type ValidBatch,
  type ValidBreakerEvent,
  type ValidResult,
  type ValidRun,
} from './ingest.ts';
import { parseTimestamp } from './time.ts';

class RowErrors {
  readonly list: IngestError[] = [];
  add(index: number, field: string, message: string): void {
    this.list.push({ index, field, message });
  }
}

function optionalText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

function truncate(s: string | null): string | null {
  if (s === null || s.length <= INGEST_LIMITS.maxTextLength) return s;
  return `${s.slice(0, INGEST_LIMITS.maxTextLength)}… [truncated by Assay at ${INGEST_LIMITS.maxTextLength} characters]`;
}

/** Validates a tag object; returns the tags or an error message. */
function parseTags(value: unknown): Tags | string {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    return 'must be an object of string keys to string values, e.g. {"os": "linux"}';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > INGEST_LIMITS.maxTags)
    return `has ${entries.length} tags; at most ${INGEST_LIMITS.maxTags} are allowed`;
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (k.trim() === '') return 'has an empty tag key';
    if (k.length > INGEST_LIMITS.maxTagKeyLength)
      return `tag key "${k.slice(0, 40)}…" is longer than ${INGEST_LIMITS.maxTagKeyLength} characters`;
    if (typeof v !== 'string')
      return `tag "${k}" must be a string (got ${v === null ? 'null' : typeof v}); quote numbers, e.g. "8"`;
    if (v.length > INGEST_LIMITS.maxTagValueLength)
      return `tag "${k}" is longer than ${INGEST_LIMITS.maxTagValueLength} characters`;
    out[k] = v;
  }
  return out;
}

function requiredName(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s === '' || s.length > INGEST_LIMITS.maxNameLength ? null : s;
}

const nameProblem = (field: string) =>
  `${field} must be a non-empty string of at most ${INGEST_LIMITS.maxNameLength} characters`;

function validateRun(input: IngestInput): ValidRun {
  const r = input.run;
  if (r === null || typeof r !== 'object')
    throw badInput('input.run is required: { id, project, startedAt, … }');
  const id = requiredName(r.id);
  if (id === null) throw badInput(`run.id: ${nameProblem('run.id')}`, { field: 'run.id' });
  const project = requiredName(r.project);
  if (project === null)
    throw badInput(`run.project: ${nameProblem('run.project')}`, { field: 'run.project' });
  const startedAt = parseTimestamp(r.startedAt);
  if (typeof startedAt === 'string') throw badInput(`run.startedAt ${startedAt}`, { field: 'run.startedAt' });
  let finishedAt: Date | null = null;
  if (r.finishedAt !== null && r.finishedAt !== undefined) {
    const f = parseTimestamp(r.finishedAt);
    if (typeof f === 'string') throw badInput(`run.finishedAt ${f}`, { field: 'run.finishedAt' });
    if (f < startedAt)
      throw badInput('run.finishedAt is before run.startedAt; send the time the run ended', {
        field: 'run.finishedAt',
      });
    finishedAt = f;
  }
  const tags = parseTags(r.tags);
  if (typeof tags === 'string') throw badInput(`run.tags ${tags}`, { field: 'run.tags' });
  return {
    id: asRunId(id),
    project,
    branch: optionalText(r.branch),
    commit: optionalText(r.commit),
    startedAt,
    finishedAt,
    tags,
  };
}

function validateMetrics(raw: unknown, index: number, errors: RowErrors): NamedMetric[] | null {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) {
    errors.add(index, 'metrics', 'must be a list of { name, value, unit }');
    return null;
  }
  if (raw.length > INGEST_LIMITS.maxMetrics) {
    errors.add(
      index,
      'metrics',
      `has ${raw.length} metrics; at most ${INGEST_LIMITS.maxMetrics} are allowed`,
    );
    return null;
  }
  const out: NamedMetric[] = [];
  const seen = new Set<string>();
  for (const [j, m] of raw.entries()) {
    const name = requiredName((m as { name?: unknown })?.name);
    const value = (m as { value?: unknown })?.value;
    if (name === null) {
      errors.add(index, `metrics[${j}].name`, nameProblem('a metric name'));
      return null;
    }
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      Math.abs(value) > INGEST_LIMITS.maxMetricMagnitude
    ) {
      errors.add(
        index,
        `metrics[${j}].value`,
        `metric "${name}" must have a finite number value of magnitude at most ${INGEST_LIMITS.maxMetricMagnitude.toExponential()} (got ${String(value)})`,
      );
      return null;
    }
    if (seen.has(name)) {
      errors.add(
        index,
        `metrics[${j}].name`,
        `metric "${name}" appears twice in one result; send each name once`,
      );
      return null;
    }
    seen.add(name);
    out.push({ name, value, unit: optionalText((m as { unit?: unknown }).unit) });
  }
  return out;
}

function validateResult(
  raw: NonNullable<IngestInput['results']>[number],
  index: number,
  run: ValidRun,
  errors: RowErrors,
): ValidResult | null {
  const before = errors.list.length;
  if (raw === null || typeof raw !== 'object') {
    errors.add(index, 'result', 'must be an object');
    return null;
  }
  const suite = requiredName(raw.suite);
  if (suite === null) errors.add(index, 'suite', nameProblem('suite'));
  const name = requiredName(raw.name);
  if (name === null) errors.add(index, 'name', nameProblem('name'));
  const className = optionalText(raw.className);
  if (className !== null && className.length > INGEST_LIMITS.maxNameLength)
    errors.add(index, 'className', nameProblem('className'));

  const status = typeof raw.status === 'string' ? raw.status.trim().toUpperCase() : '';
  if (!(STATUSES as readonly string[]).includes(status)) {
    errors.add(index, 'status', `"${String(raw.status)}" is not a status; use one of ${STATUSES.join(', ')}`);
  }
  const d = raw.durationMs;
  if (typeof d !== 'number' || !Number.isFinite(d) || d < 0 || d > INGEST_LIMITS.maxDurationMs) {
    errors.add(
      index,
      'durationMs',
      `must be a number of milliseconds from 0 to ${INGEST_LIMITS.maxDurationMs} (31 days) (got ${String(d)})`,
    );
  }
  const attempt = raw.attempt ?? 1;
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > 1000) {
    errors.add(
      index,
      'attempt',
      `must be a whole number from 1 (the first try) to 1000 (got ${String(raw.attempt)})`,
    );
  }
  let startedAt: Date = run.startedAt;
  if (raw.startedAt !== null && raw.startedAt !== undefined) {
    const t = parseTimestamp(raw.startedAt);
    if (typeof t === 'string') errors.add(index, 'startedAt', t);
    else startedAt = t;
  }
  const tags = parseTags(raw.tags);
  if (typeof tags === 'string') errors.add(index, 'tags', tags);
  const metrics = validateMetrics(raw.metrics, index, errors);
  if (
    errors.list.length > before ||
    suite === null ||
    name === null ||
    typeof tags === 'string' ||
    metrics === null
  )
    return null;

  return {
    index,
    testId: testId({ project: run.project, suite, className, name }),
    suite,
    className,
    name,
    status: status as Status,
    durationMs: d,
    attempt,
    startedAt,
    worker: optionalText(raw.worker),
    hardware: optionalText(raw.hardware),
    message: truncate(optionalText(raw.message)),
    stackTrace: truncate(optionalText(raw.stackTrace)),
    tags: { ...run.tags, ...tags },
    metrics,
  };
}

function validateBreakerEvents(input: IngestInput, errors: RowErrors): ValidBreakerEvent[] {
  const out: ValidBreakerEvent[] = [];
  for (const [i, e] of (input.circuitBreakerEvents ?? []).entries()) {
    const field = (f: string) => `circuitBreakerEvents[${i}].${f}`;
    const name = requiredName(e?.name);
    const from = String(e?.from ?? '').toUpperCase();
    const to = String(e?.to ?? '').toUpperCase();
    const at = parseTimestamp(e?.at);
    const before = errors.list.length;
    if (name === null) errors.add(i, field('name'), nameProblem('name'));
    for (const [k, v] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (!(BREAKER_STATES as readonly string[]).includes(v))
        errors.add(i, field(k), `"${v}" is not a breaker state; use ${BREAKER_STATES.join(', ')}`);
    }
    if (typeof at === 'string') errors.add(i, field('at'), at);
    if (errors.list.length > before || name === null || typeof at === 'string') continue;
    out.push({
      name,
      from: from as BreakerState,
      to: to as BreakerState,
      at,
      reason: truncate(optionalText(e.reason)),
    });
  }
  return out;
}

/** Result rows checked between two of the steps validateIngestSteps yields. */
const ROWS_PER_STEP = 2_000;

/**
 * Checks one ingest call. A bad run or an over-sized batch refuses the whole
 * call (an AssayError); a bad result row is reported by index and field and
 * left out, while the valid rows go on to be stored together.
 */
export function validateIngest(input: IngestInput): ValidBatch {
  const steps = validateIngestSteps(input);
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}

/**
 * validateIngest in steps: yields after every ROWS_PER_STEP result rows, so
 * an async caller can let other work run between them (a batch of 50,000 rows
 * takes about a second to check); returns the checked batch.
 */
export function* validateIngestSteps(input: IngestInput): Generator<void, ValidBatch> {
  const results = input.results ?? [];
  if (!Array.isArray(results)) throw badInput('input.results must be a list of results');
  if (results.length > INGEST_LIMITS.maxResults) {
    throw new AssayError(
      'PAYLOAD_TOO_LARGE',
      `This batch has ${results.length} results; one ingest call takes at most ${INGEST_LIMITS.maxResults}. Split it into several calls with the same run id (re-sent rows count as duplicates, so retrying a split batch is safe).`,
      { limit: INGEST_LIMITS.maxResults },
    );
  }
  const events = input.circuitBreakerEvents ?? [];
  if (events.length > INGEST_LIMITS.maxBreakerEvents) {
    throw new AssayError(
      'PAYLOAD_TOO_LARGE',
      `This batch has ${events.length} circuit-breaker events; at most ${INGEST_LIMITS.maxBreakerEvents} per call.`,
    );
  }
  const run = validateRun(input);
  const errors = new RowErrors();
  const valid: ValidResult[] = [];
  for (const [i, raw] of (results as IngestInput['results'] & unknown[]).entries()) {
    const v = validateResult(raw, i, run, errors);
    if (v) valid.push(v);
    if ((i + 1) % ROWS_PER_STEP === 0) yield;
  }
  const breakerEvents = validateBreakerEvents(input, errors);
  return { run, results: valid, breakerEvents, errors: errors.list };
}
