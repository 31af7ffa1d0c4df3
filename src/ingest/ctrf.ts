/**
 * CTRF JSON (Common Test Report Format, https://ctrf.io) → IngestInput.
 * The mapping rules live in ./README.md.
 */
import { createHash } from 'node:crypto';
import { AssayError } from '../domain/errors.ts';
import type { Status } from '../domain/types.ts';
import { Shape, primitiveEntries } from './ctrf-shape.ts';
import { boundedName, nonEmpty, stripAnsi, SUITE_SEPARATOR, TagBag } from './fields.ts';
import { parseJson } from './json-text.ts';
import {
  resolveLimits,
  type ParsedReport,
  type ReportContext,
  type ReportLimits,
  type ReportSource,
} from './report-context.ts';
import { ResultList, type AttemptDraft, type CaseDraft } from './results.ts';
import { buildRun, requireProject } from './run.ts';
import { SourceReader, type RunPlacement } from './source.ts';
import { Warnings } from './warnings.ts';

const CTRF_STATUSES = ['passed', 'failed', 'skipped', 'pending', 'other'] as const;
type CtrfStatus = (typeof CTRF_STATUSES)[number];

export async function parseCtrf(
  source: ReportSource,
  ctx: ReportContext,
  limits?: Partial<ReportLimits>,
): Promise<ParsedReport> {
  const lim = resolveLimits(limits);
  const fileName = nonEmpty(ctx.fileName) ?? 'report.json';
  const warnings = new Warnings(lim.maxWarnings);
  const reader = new SourceReader(source, requireProject(ctx), lim, fileName);
  const parts: string[] = [];
  for await (const chunk of reader.text()) parts.push(chunk);
  const doc = new Shape(parseJson(parts.join(''), fileName, lim.maxDepth), '', fileName);
  if (typeof doc.value !== 'object' || doc.value === null || Array.isArray(doc.value)) {
    doc.fail('the report must be a JSON object with a "results" object (CTRF)');
  }
  const results = doc.at('results');
  results.object();
  const tests = results.at('tests').list();
  if (tests.length > lim.maxTestCases) {
    throw new AssayError(
      'PAYLOAD_TOO_LARGE',
      `${fileName}: the report has ${tests.length} tests, more than REPORT_LIMITS.maxTestCases (${lim.maxTestCases}); split it into several files`,
    );
  }
  const tool = results.at('tool');
  tool.optionalObject();
  const toolName = nonEmpty(tool.at('name').optionalString());

  const summary = results.at('summary');
  summary.optionalObject();
  const clock = new Clock(warnings);
  const secondsWhy = durationsInSeconds(tests, summary);
  if (secondsWhy !== null) {
    warnings.add('duration-seconds', `durations read as seconds, not CTRF's milliseconds: ${secondsWhy}`);
  }
  const read: ReadOptions = { warnings, clock, durationScale: secondsWhy === null ? 1 : 1000 };

  const list = new ResultList(lim.maxAttempts, warnings);
  let firstTestStart: number | null = null;
  for (const test of tests) {
    const draft = readTest(test, toolName, read);
    list.add(draft);
    const start = clock.ms(test.at('start').optionalNumber(), test.at('start').path);
    if (start !== null && (firstTestStart === null || start < firstTestStart)) firstTestStart = start;
  }

  const start = clock.ms(summary.at('start').optionalNumber(), 'results.summary.start') ?? firstTestStart;
  const stop = clock.ms(summary.at('stop').optionalNumber(), 'results.summary.stop');
  const env = results.at('environment');
  const envObject = env.optionalObject();
  const runTags: [string, string][] = [];
  if (toolName !== null) runTags.push(['tool', toolName]);
  const toolVersion = nonEmpty(tool.at('version').optionalLabel());
  if (toolVersion !== null) runTags.push(['tool.version', toolVersion]);
  for (const [k, v] of primitiveEntries(envObject))
    if (k !== 'branchName' && k !== 'commit' && v.trim() !== '') runTags.push([k, v]);
  for (const [k, v] of primitiveEntries(env.at('extra').optionalObject())) runTags.push([`extra.${k}`, v]);
  const sharedRunId = nonEmpty(doc.at('runId').optionalLabel());
  if (sharedRunId !== null) runTags.push(['runId', sharedRunId]);

  const run = buildRun(
    ctx,
    (placement) => {
      const build = buildIdentity(doc, env);
      return build === null
        ? reader.runId('ctrf', placement)
        : buildRunId(requireProject(ctx), build, placement);
    },
    {
      startedAt: start === null ? null : new Date(start),
      finishedAt: stop === null ? null : new Date(stop),
      branch: nonEmpty(env.at('branchName').optionalLabel()),
      commit: nonEmpty(env.at('commit').optionalLabel()),
      tags: runTags,
    },
    warnings,
    fileName,
  );
  return { format: 'ctrf', input: { run, results: list.results }, warnings: warnings.list() };
}

/**
 * What names the build a CTRF report belongs to, so the reports of its shards
 * (sent separately, without a run id) are one run: the document's `runId`
 * ("shared across shards/documents belonging to the same run"), else
 * `environment.buildId`, else `buildName` + `buildNumber`, else `buildUrl`.
 * A `buildName` alone names a pipeline, not one build: it is not enough.
 */
function buildIdentity(doc: Shape, env: Shape): string | null {
  const runId = nonEmpty(doc.at('runId').optionalLabel());
  if (runId !== null) return `runId\0${runId}`;
  const buildId = nonEmpty(env.at('buildId').optionalLabel());
  if (buildId !== null) return `buildId\0${buildId}`;
  const name = nonEmpty(env.at('buildName').optionalLabel());
  const number = nonEmpty(env.at('buildNumber').optionalLabel());
  if (number !== null) return `build\0${name ?? ''}\0${number}`;
  const url = nonEmpty(env.at('buildUrl').optionalLabel());
  return url === null ? null : `buildUrl\0${url}`;
}

/** `ctrf-` + 16 hex of sha256(project, the build's identity, branch, commit): one id for every shard of a build. */
function buildRunId(project: string, build: string, placement: RunPlacement): string {
  const h = createHash('sha256').update(
    `${project}\0build\0${build}\0branch\0${placement.branch ?? ''}\0commit\0${placement.commit ?? ''}`,
    'utf8',
  );
  return `ctrf-${h.digest('hex').slice(0, 16)}`;
}

/** Epoch values below this are seconds, not milliseconds: 1e11 ms is March 1973, 1e11 s is the year 5138. */
const SECONDS_BELOW = 1e11;

/**
 * CTRF times are epoch milliseconds, but some reporters write seconds
 * (`1706644023`, pytest-ctrf's `1764545435.5381606`): read as ms they land in
 * January 1970. Values below 1e11 are read as seconds (fractions allowed),
 * with one warning per report. 0 and negative values mean "not given".
 */
class Clock {
  #warned = false;
  constructor(private readonly warnings: Warnings) {}

  ms(n: number | null, path: string): number | null {
    if (n === null || n <= 0) return null;
    if (n >= SECONDS_BELOW) return n;
    if (!this.#warned) {
      this.#warned = true;
      this.warnings.add(
        'epoch-seconds',
        `${path} ${n} is an epoch time in seconds (CTRF writes milliseconds); times below 1e11 are read as seconds`,
      );
    }
    return Math.round(n * 1000);
  }
}

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const inSeconds = (n: number | null): n is number => n !== null && n > 0 && n < SECONDS_BELOW;

/**
 * Whether a report's durations are seconds rather than CTRF's milliseconds
 * (pytest-ctrf writes `"duration": 0.3716` with `stop - start = 0.372`), and
 * why; null when they are milliseconds. Conservative: only when a test (or
 * retry attempt) with start and stop in seconds has a fractional duration
 * within 10% (or 5 ms) of its own stop − start in seconds, or when the
 * report's times are in seconds and every non-zero duration is a fraction
 * below 1000.
 */
function durationsInSeconds(tests: readonly Shape[], summary: Shape): string | null {
  let stampsInSeconds =
    inSeconds(finite(summary.at('start').value)) || inSeconds(finite(summary.at('stop').value));
  let nonZero = 0;
  let smallFractions = true;
  const entries = tests.flatMap((t) => [
    t,
    ...(Array.isArray(t.at('retryAttempts').value) ? t.at('retryAttempts').list() : []),
  ]);
  for (const e of entries) {
    const d = finite(e.at('duration').value);
    const start = finite(e.at('start').value);
    const stop = finite(e.at('stop').value);
    if (inSeconds(start) || inSeconds(stop)) stampsInSeconds = true;
    if (d === null || d <= 0) continue;
    nonZero += 1;
    if (d >= 1000 || Number.isInteger(d)) smallFractions = false;
    if (!Number.isInteger(d) && inSeconds(start) && inSeconds(stop) && stop > start) {
      const span = stop - start;
      if (Math.abs(d - span) <= Math.max(0.1 * span, 0.005))
        return `${e.path}.duration ${d} matches its stop − start, ${Math.round(span * 1e6) / 1e6} s`;
    }
  }
  return stampsInSeconds && nonZero > 0 && smallFractions
    ? 'the times are in seconds and every duration is a fraction below 1000'
    : null;
}

interface ReadOptions {
  readonly warnings: Warnings;
  readonly clock: Clock;
  /** 1 for milliseconds (the spec), 1000 when the report's durations are seconds. */
  readonly durationScale: number;
}

/** `other` with a message or trace is an error; without one, it says nothing ran to a verdict. */
function statusOf(s: CtrfStatus, hasDetails: boolean): Status {
  switch (s) {
    case 'passed':
      return 'PASSED';
    case 'failed':
      return 'FAILED';
    case 'skipped':
    case 'pending':
      return 'SKIPPED';
    case 'other':
      return hasDetails ? 'ERROR' : 'SKIPPED';
  }
}

function readAttempt(
  t: Shape,
  { warnings, clock, durationScale }: ReadOptions,
  what: string,
): AttemptDraft & { ctrfStatus: CtrfStatus } {
  t.object();
  const ctrfStatus = t.at('status').oneOf(CTRF_STATUSES);
  const message = stripAnsi(nonEmpty(t.at('message').optionalString()));
  const trace = stripAnsi(nonEmpty(t.at('trace').optionalString()));
  let duration = t.at('duration').optionalNumber();
  if (duration === null || duration < 0) {
    warnings.add(
      `duration:${duration === null}`,
      `${t.path} ${duration === null ? 'has no duration' : `has a negative duration ${duration}`}; read as 0 ms`,
    );
    duration = 0;
  }
  if (ctrfStatus === 'other')
    warnings.add(
      'other',
      `${what} has status "other"; read as ${(message ?? trace) ? 'ERROR (it has a message)' : 'SKIPPED'}`,
    );
  const start = clock.ms(t.at('start').optionalNumber(), t.at('start').path);
  return {
    ctrfStatus,
    status: statusOf(ctrfStatus, (message ?? trace) !== null),
    durationMs: durationScale === 1 ? duration : Math.round(duration * durationScale * 1000) / 1000,
    message,
    stackTrace: trace,
    startedAt: start === null ? null : new Date(start).toISOString(),
  };
}

/** An older field name (playwright-ctrf-json-reporter wrote `retry` and `flake`), read when the current one is absent. */
function alias(t: Shape, old: string, current: string, warnings: Warnings): Shape | null {
  const field = t.at(old);
  if (!field.present) return null;
  warnings.add(`alias-${old}`, `${field.path} is read as "${current}" (an older CTRF field name)`);
  return field;
}

const EARLIER_FAILURE: AttemptDraft = {
  status: 'FAILED',
  durationMs: 0,
  message: null,
  stackTrace: null,
  startedAt: null,
};

/**
 * A test's attempts. `retryAttempts` lists attempts in order (1 = first);
 * when it holds `retries + 1` entries it already ends with the final one,
 * otherwise the test's own fields are the final attempt after them. Without
 * `retryAttempts`, `retries: n` means n failed attempts before the final
 * one, and `flaky: true` with no retries means one.
 */
function readTest(t: Shape, toolName: string | null, read: ReadOptions): CaseDraft {
  const { warnings } = read;
  t.object();
  const rawName = t.at('name').optionalString();
  if (rawName === null) t.at('name').fail("must be a string: the test's name");
  let name = nonEmpty(rawName);
  if (name === null) {
    name = `<unnamed ${t.path}>`;
    warnings.add('unnamed', `${t.path} has an empty name; named ${name}`);
  }
  const final = readAttempt(t, read, t.path);
  const retries =
    t.at('retries').optionalCount() ?? alias(t, 'retry', 'retries', warnings)?.optionalCount() ?? null;
  const flaky =
    (t.at('flaky').optionalBoolean() ?? alias(t, 'flake', 'flaky', warnings)?.optionalBoolean()) === true;
  const entries = t.at('retryAttempts').optionalList();
  // Ordered by their `attempt` number (1 = first) when every entry has one, else as listed.
  const numbers = entries.map((a) => a.at('attempt').optionalCount());
  const order = entries.map((a, i) => ({ a, n: numbers[i] ?? null, i }));
  if (numbers.every((n) => n !== null)) order.sort((x, y) => x.n! - y.n! || x.i - y.i);
  const listed = order.map(({ a }) => readAttempt(a, read, a.path));
  let attempts: AttemptDraft[];
  if (listed.length > 0) {
    attempts = retries !== null && listed.length === retries + 1 ? listed : [...listed, final];
  } else if (retries !== null && retries > 0) {
    attempts = [...Array.from({ length: retries }, () => EARLIER_FAILURE), final];
  } else if (flaky && final.status === 'PASSED') {
    warnings.add(
      'flaky-flag',
      `${t.path} is flaky but gives no retries; recorded one failed attempt before the pass`,
    );
    attempts = [EARLIER_FAILURE, final];
  } else attempts = [final];

  const suiteField = t.at('suite');
  let suite: string | null;
  if (Array.isArray(suiteField.value)) {
    suite =
      suiteField
        .list()
        .map((s) => nonEmpty(s.optionalString()))
        .filter((s): s is string => s !== null)
        .join(SUITE_SEPARATOR) || null;
  } else suite = nonEmpty(suiteField.optionalString());
  const filePath = nonEmpty(t.at('filePath').optionalString());

  const tags = new TagBag(warnings, t.path);
  for (const [k, v] of primitiveEntries(t.at('labels').optionalObject())) tags.set(k, v);
  for (const tag of t.at('tags').optionalList()) {
    const s = nonEmpty(tag.optionalString());
    if (s !== null) tags.set(s, 'true');
  }
  if (filePath !== null) tags.set('file', filePath, false);
  for (const key of ['browser', 'type', 'rawStatus'] as const) {
    const v = nonEmpty(t.at(key).optionalString());
    if (v !== null) tags.set(key, v, false);
  }
  for (const [k, v] of primitiveEntries(t.at('extra').optionalObject())) tags.set(`extra.${k}`, v, false);

  return {
    suite: boundedName(suite ?? filePath ?? toolName ?? '(no suite)', 'suite', warnings),
    className: null,
    name: boundedName(name, 'test name', warnings),
    worker: nonEmpty(t.at('threadId').optionalLabel()),
    hardware: nonEmpty(t.at('device').optionalString()),
    tags: tags.toObject(),
    metrics: [],
    attempts: attempts.map(({ status, durationMs, message, stackTrace, startedAt }) => ({
      status,
      durationMs,
      message,
      stackTrace,
      startedAt,
    })),
  };
}
