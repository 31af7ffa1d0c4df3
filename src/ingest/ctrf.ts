/**
 * CTRF JSON (Common Test Report Format, https://ctrf.io) → IngestInput.
 * The mapping rules live in ./README.md.
 */
import { AssayError } from '../domain/errors.ts';
import type { Status } from '../domain/types.ts';
import { Shape, primitiveEntries } from './ctrf-shape.ts';
import { boundedName, nonEmpty, SUITE_SEPARATOR, TagBag } from './fields.ts';
import { parseJson } from './json-text.ts';
import { resolveLimits, type ParsedReport, type ReportContext, type ReportLimits, type ReportSource } from './report-context.ts';
import { ResultList, type AttemptDraft, type CaseDraft } from './results.ts';
import { buildRun, requireProject } from './run.ts';
import { SourceReader } from './source.ts';
import { Warnings } from './warnings.ts';

const CTRF_STATUSES = ['passed', 'failed', 'skipped', 'pending', 'other'] as const;
type CtrfStatus = (typeof CTRF_STATUSES)[number];

export async function parseCtrf(source: ReportSource, ctx: ReportContext, limits?: Partial<ReportLimits>): Promise<ParsedReport> {
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
    throw new AssayError('PAYLOAD_TOO_LARGE', `${fileName}: the report has ${tests.length} tests, more than REPORT_LIMITS.maxTestCases (${lim.maxTestCases}); split it into several files`);
  }
  const tool = results.at('tool');
  tool.optionalObject();
  const toolName = nonEmpty(tool.at('name').optionalString());

  const list = new ResultList(lim.maxAttempts, warnings);
  let firstTestStart: number | null = null;
  for (const test of tests) {
    const draft = readTest(test, toolName, warnings);
    list.add(draft);
    const start = test.at('start').optionalNumber();
    if (start !== null && start > 0 && (firstTestStart === null || start < firstTestStart)) firstTestStart = start;
  }

  const summary = results.at('summary');
  summary.optionalObject();
  const start = positive(summary.at('start').optionalNumber()) ?? firstTestStart;
  const stop = positive(summary.at('stop').optionalNumber());
  const env = results.at('environment');
  const envObject = env.optionalObject();
  const runTags: [string, string][] = [];
  if (toolName !== null) runTags.push(['tool', toolName]);
  const toolVersion = nonEmpty(tool.at('version').optionalLabel());
  if (toolVersion !== null) runTags.push(['tool.version', toolVersion]);
  for (const [k, v] of primitiveEntries(envObject)) if (k !== 'branchName' && k !== 'commit' && v.trim() !== '') runTags.push([k, v]);
  for (const [k, v] of primitiveEntries(env.at('extra').optionalObject())) runTags.push([`extra.${k}`, v]);

  const run = buildRun(ctx, reader.runId('ctrf'), {
    startedAt: start === null ? null : new Date(start),
    finishedAt: stop === null ? null : new Date(stop),
    branch: nonEmpty(env.at('branchName').optionalLabel()),
    commit: nonEmpty(env.at('commit').optionalLabel()),
    tags: runTags,
  }, warnings, fileName);
  return { format: 'ctrf', input: { run, results: list.results }, warnings: warnings.list() };
}

const positive = (n: number | null): number | null => (n !== null && n > 0 ? n : null);

/** `other` with a message or trace is an error; without one, it says nothing ran to a verdict. */
function statusOf(s: CtrfStatus, hasDetails: boolean): Status {
  switch (s) {
    case 'passed': return 'PASSED';
    case 'failed': return 'FAILED';
    case 'skipped':
    case 'pending': return 'SKIPPED';
    case 'other': return hasDetails ? 'ERROR' : 'SKIPPED';
  }
}

function readAttempt(t: Shape, warnings: Warnings, what: string): AttemptDraft & { ctrfStatus: CtrfStatus } {
  t.object();
  const ctrfStatus = t.at('status').oneOf(CTRF_STATUSES);
  const message = nonEmpty(t.at('message').optionalString());
  const trace = nonEmpty(t.at('trace').optionalString());
  let duration = t.at('duration').optionalNumber();
  if (duration === null || duration < 0) {
    warnings.add(`duration:${duration === null}`, `${t.path} ${duration === null ? 'has no duration' : `has a negative duration ${duration}`}; read as 0 ms`);
    duration = 0;
  }
  if (ctrfStatus === 'other') warnings.add('other', `${what} has status "other"; read as ${message ?? trace ? 'ERROR (it has a message)' : 'SKIPPED'}`);
  const start = positive(t.at('start').optionalNumber());
  return {
    ctrfStatus,
    status: statusOf(ctrfStatus, (message ?? trace) !== null),
    durationMs: duration,
    message,
    stackTrace: trace,
    startedAt: start === null ? null : new Date(start).toISOString(),
  };
}

const EARLIER_FAILURE: AttemptDraft = { status: 'FAILED', durationMs: 0, message: null, stackTrace: null, startedAt: null };

/**
 * A test's attempts. `retryAttempts` lists attempts in order (1 = first);
 * when it holds `retries + 1` entries it already ends with the final one,
 * otherwise the test's own fields are the final attempt after them. Without
 * `retryAttempts`, `retries: n` means n failed attempts before the final
 * one, and `flaky: true` with no retries means one.
 */
function readTest(t: Shape, toolName: string | null, warnings: Warnings): CaseDraft {
  t.object();
  const rawName = t.at('name').optionalString();
  if (rawName === null) t.at('name').fail('must be a string: the test\'s name');
  let name = nonEmpty(rawName);
  if (name === null) {
    name = `<unnamed ${t.path}>`;
    warnings.add('unnamed', `${t.path} has an empty name; named ${name}`);
  }
  const final = readAttempt(t, warnings, t.path);
  const retries = t.at('retries').optionalCount();
  const flaky = t.at('flaky').optionalBoolean() === true;
  const listed = t.at('retryAttempts').optionalList().map((a) => readAttempt(a, warnings, a.path));
  let attempts: AttemptDraft[];
  if (listed.length > 0) {
    attempts = retries !== null && listed.length === retries + 1 ? listed : [...listed, final];
  } else if (retries !== null && retries > 0) {
    attempts = [...Array.from({ length: retries }, () => EARLIER_FAILURE), final];
  } else if (flaky && final.status === 'PASSED') {
    warnings.add('flaky-flag', `${t.path} is flaky but gives no retries; recorded one failed attempt before the pass`);
    attempts = [EARLIER_FAILURE, final];
  } else attempts = [final];

  const suiteField = t.at('suite');
  let suite: string | null;
  if (Array.isArray(suiteField.value)) {
    suite = suiteField.list().map((s) => nonEmpty(s.optionalString())).filter((s): s is string => s !== null).join(SUITE_SEPARATOR) || null;
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
    attempts: attempts.map(({ status, durationMs, message, stackTrace, startedAt }) => ({ status, durationMs, message, stackTrace, startedAt })),
  };
}
