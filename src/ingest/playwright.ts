/**
 * The Playwright JSON reporter (`--reporter=json`) → IngestInput.
 * The mapping rules live in ./README.md.
 */
import type { Status } from '../domain/types.ts';
import type { Shape } from './ctrf-shape.ts';
import { boundedName, firstLine, nonEmpty, stripAnsi, SUITE_SEPARATOR, TagBag } from './fields.ts';
import { checkTestCount, durationMs, isoMs, readJsonDocument, type JsonDocument } from './json-report.ts';
import type { ParsedReport, ReportContext, ReportLimits, ReportSource } from './report-context.ts';
import { ResultList, type AttemptDraft, type CaseDraft } from './results.ts';
import { buildRun } from './run.ts';
import type { Warnings } from './warnings.ts';

const RESULT_STATUSES = ['passed', 'failed', 'timedOut', 'skipped', 'interrupted'] as const;
type ResultStatus = (typeof RESULT_STATUSES)[number];

export async function parsePlaywright(
  source: ReportSource,
  ctx: ReportContext,
  limits?: Partial<ReportLimits>,
): Promise<ParsedReport> {
  const json = await readJsonDocument(source, ctx, limits, 'report.json');
  const { doc, reader, warnings, fileName } = json;
  doc.object();
  if (!doc.at('config').present || !doc.at('suites').present) {
    doc.fail(
      'must be a Playwright JSON report: an object with "config" and "suites" (npx playwright test --reporter=json)',
    );
  }
  const config = doc.at('config');
  config.object();

  const specs = gatherSpecs(doc, json);

  const list = new ResultList(json.limits.maxAttempts, warnings);
  let earliest: number | null = null;
  let latest: number | null = null;
  for (const { spec, path } of specs) {
    spec.object();
    const title =
      spec.at('title').optionalString() ?? spec.at('title').fail("must be a string: the test's title");
    // --repeat-each runs a test several times as separate tests of one spec and project.
    const seen = new Map<string, number>();
    for (const test of spec.at('tests').list()) {
      const project = nonEmpty(test.at('projectName').optionalString()) ?? '';
      const copy = (seen.get(project) ?? 0) + 1;
      seen.set(project, copy);
      const draft = readTest(test, spec, path, title, copy, warnings);
      for (const a of draft.attempts) {
        const ms = isoMs(a.startedAt);
        if (ms !== null && (earliest === null || ms < earliest)) earliest = ms;
        if (ms !== null && (latest === null || ms + a.durationMs > latest)) latest = ms + a.durationMs;
      }
      list.add(draft);
    }
  }

  warnGlobalErrors(doc, warnings);

  const stats = doc.at('stats');
  stats.optionalObject();
  const start = isoMs(stats.at('startTime').optionalString()) ?? earliest;
  const total = stats.at('duration').optionalNumber();
  const run = buildRun(
    ctx,
    (placement) => reader.runId('playwright', placement),
    {
      startedAt: start === null ? null : new Date(start),
      // stats (Playwright ≥ 1.40) give the run's duration; older reports, the latest result's end.
      finishedAt: total === null && latest !== null ? new Date(latest) : null,
      durationMs: start !== null && total !== null && total > 0 ? total : null,
      branch: null,
      commit: null,
      tags: runTagsOf(config),
    },
    warnings,
    fileName,
  );
  return { format: 'playwright', input: { run, results: list.results }, warnings: warnings.list() };
}

/** Every spec with its suite titles; gathered first so the test count is checked before anything is read. */
function gatherSpecs(doc: Shape, json: JsonDocument): { spec: Shape; path: readonly string[] }[] {
  const specs: { spec: Shape; path: readonly string[] }[] = [];
  const walk = (suite: Shape, path: readonly string[]): void => {
    suite.object();
    const title = nonEmpty(suite.at('title').optionalString());
    const here = title === null ? path : [...path, title];
    for (const spec of suite.at('specs').optionalList()) specs.push({ spec, path: here });
    for (const child of suite.at('suites').optionalList()) walk(child, here);
  };
  for (const suite of doc.at('suites').list()) walk(suite, []);
  let testCount = 0;
  for (const { spec } of specs) testCount += spec.at('tests').optionalList().length;
  checkTestCount(testCount, json, 'tests');

  return specs;
}

/** Errors outside any test (a failing global setup) are not results: one warning names how many. */
function warnGlobalErrors(doc: Shape, warnings: Warnings): void {
  const errors = doc.at('errors').optionalList();
  if (errors.length > 0) {
    const first = firstLine(stripAnsi(errors[0]!.at('message').optionalString()));
    warnings.add(
      'global-errors',
      `the report has ${errors.length} error${errors.length === 1 ? '' : 's'} outside any test (not stored as results)${first ? `: ${first}` : ''}`,
    );
  }
}

/** The run's tags: the tool, its version, and the shard when the report was one. */
function runTagsOf(config: Shape): [string, string][] {
  const runTags: [string, string][] = [['tool', 'playwright']];
  const version = nonEmpty(config.at('version').optionalLabel());
  if (version !== null) runTags.push(['tool.version', version]);
  const shard = config.at('shard');
  if (shard.present) {
    shard.object();
    const current = shard.at('current').optionalCount();
    const of = shard.at('total').optionalCount();
    if (current !== null && of !== null) runTags.push(['shard', `${current}/${of}`]);
  }
  return runTags;
}

/**
 * A result's status against what the test expected: a result equal to
 * `expectedStatus` passed (a `test.fail()` test that failed passed), a skip
 * is SKIPPED, an interruption is ERROR, anything else FAILED.
 */
function statusOf(status: ResultStatus, expected: string): Status {
  if (status === 'skipped') return 'SKIPPED';
  if (status === expected) return 'PASSED';
  if (status === 'interrupted') return 'ERROR';
  return 'FAILED';
}

function readResult(
  r: Shape,
  expected: string,
  warnings: Warnings,
): AttemptDraft & { worker: string | null } {
  r.object();
  const status = r.at('status').oneOf(RESULT_STATUSES);
  // `error` (older reports) or the first of `errors`: message and stack, without colour codes.
  const error = r.at('error').present ? r.at('error') : r.at('errors').optionalList()[0];
  let message: string | null = null;
  let stack: string | null = null;
  if (error !== undefined && error.present) {
    error.object();
    const text =
      stripAnsi(nonEmpty(error.at('message').optionalString())) ??
      nonEmpty(error.at('value').optionalString());
    message = firstLine(text);
    stack = stripAnsi(nonEmpty(error.at('stack').optionalString())) ?? text;
  }
  const worker = r.at('parallelIndex').present ? r.at('parallelIndex') : r.at('workerIndex');
  return {
    status: statusOf(status, expected),
    durationMs: durationMs(r.at('duration').optionalNumber(), r.at('duration').path, warnings),
    message,
    stackTrace: stack,
    startedAt: (() => {
      const ms = isoMs(r.at('startTime').optionalString());
      return ms === null ? null : new Date(ms).toISOString();
    })(),
    worker: nonEmpty(worker.optionalLabel()),
  };
}

function readTest(
  test: Shape,
  spec: Shape,
  path: readonly string[],
  title: string,
  copy: number,
  warnings: Warnings,
): CaseDraft {
  test.object();
  const project = nonEmpty(test.at('projectName').optionalString());
  const expected = test.at('expectedStatus').optionalString() ?? 'passed';
  if (expected === 'failed')
    warnings.add(
      'expected-failure',
      `${test.path} is expected to fail (test.fail()); a failure reads as PASSED`,
    );
  const results = test
    .at('results')
    .optionalList()
    .map((r) => ({ retry: r.at('retry').optionalCount() ?? 0, attempt: readResult(r, expected, warnings) }))
    .sort((a, b) => a.retry - b.retry)
    .map((r) => r.attempt);
  let attempts: (AttemptDraft & { worker?: string | null })[] = results;
  if (results.length === 0) {
    // A test that never ran (skipped before a worker picked it up) has no results.
    const verdict = test.at('status').optionalString();
    warnings.add('no-results', `${test.path} has no results; recorded as one attempt of 0 ms`);
    attempts = [
      {
        status: verdict === 'skipped' ? 'SKIPPED' : verdict === 'expected' ? 'PASSED' : 'FAILED',
        durationMs: 0,
        message: null,
        stackTrace: null,
        startedAt: null,
      },
    ];
  }

  const tags = new TagBag(warnings, test.path);
  if (project !== null) tags.set('project', project);
  for (const a of test.at('annotations').optionalList()) {
    a.object();
    const type = nonEmpty(a.at('type').optionalString());
    if (type !== null) tags.set(type, nonEmpty(a.at('description').optionalString()) ?? 'true');
  }
  for (const t of spec.at('tags').optionalList()) {
    const s = nonEmpty(t.optionalString());
    if (s !== null) tags.set(s, 'true', false);
  }
  const file = nonEmpty(spec.at('file').optionalString());
  if (file !== null) tags.set('file', file, false);

  const suiteParts = project === null ? path : [project, ...path];
  const name = copy === 1 ? title : `${title} [${copy}]`;
  if (copy > 1)
    warnings.add(
      'repeat-each',
      `${spec.path} runs more than once per project (--repeat-each); named "${name}"`,
    );
  const last = attempts[attempts.length - 1];
  return {
    suite: boundedName(suiteParts.join(SUITE_SEPARATOR) || '(no suite)', 'suite', warnings),
    className: null,
    name: boundedName(nonEmpty(name) ?? `<unnamed ${spec.path}>`, 'test name', warnings),
    worker: last?.worker ?? null,
    hardware: null,
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
