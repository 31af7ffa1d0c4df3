/**
 * Allure 2 results (`allure-results/`: a `<uuid>-result.json` per test
 * attempt, `<uuid>-container.json` per fixture group) → one run's
 * IngestInput. The mapping rules live in ./README.md.
 */
import type { Status } from '../domain/types.ts';
import type { AllureContainer, AllureDetails, AllureResult } from './allure-model.ts';
import { readAllureSet, type AllureFile, type AllureSet } from './allure-read.ts';
import { boundedName, firstLine, nonEmpty, SUITE_SEPARATOR, TagBag } from './fields.ts';
import {
  resolveLimits,
  type ParsedReport,
  type ReportContext,
  type ReportLimits,
  type ReportSource,
} from './report-context.ts';
import { ResultList, type AttemptDraft } from './results.ts';
import { buildRun, requireProject } from './run.ts';
import { Warnings } from './warnings.ts';

export type { AllureFile } from './allure-read.ts';

const STATUS: Readonly<Record<string, Status>> = {
  passed: 'PASSED',
  failed: 'FAILED',
  broken: 'ERROR',
  skipped: 'SKIPPED',
};

/** Labels that make a test's identity or its worker; the others become tags. */
const IDENTITY_LABELS = new Set(['parentSuite', 'suite', 'subSuite', 'package', 'testClass', 'host']);

interface Identity {
  readonly suite: string;
  readonly className: string | null;
  readonly name: string;
}

/** A failed `before` fixture that its container's children depend on. */
interface FixtureFailure {
  readonly fixture: string;
  readonly details: AllureDetails;
}

/** Reads one `*-result.json` (or container, or globals) file alone: `parseReport` with format `allure`. */
export function parseAllure(
  source: ReportSource,
  ctx: ReportContext,
  limits?: Partial<ReportLimits>,
): Promise<ParsedReport> {
  return parseAllureResults(
    [{ name: nonEmpty(ctx.fileName) ?? 'result.json', read: () => source }],
    ctx,
    limits,
  );
}

/** Reads the files of one allure-results directory as one run. */
export async function parseAllureResults(
  files: readonly AllureFile[],
  ctx: ReportContext,
  limits?: Partial<ReportLimits>,
): Promise<ParsedReport> {
  const lim = resolveLimits(limits);
  const warnings = new Warnings(lim.maxWarnings);
  const set = await readAllureSet(files, requireProject(ctx), lim, warnings);
  const failedBefore = beforeFailures(set, warnings);

  const groups = new Map<string, AllureResult[]>();
  for (const r of set.results) {
    const id = identityOf(r, warnings);
    const key =
      r.historyId ?? r.testCaseId ?? r.fullName ?? `${id.suite}\u001f${id.className ?? ''}\u001f${id.name}`;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  // Attempts of a test in the order they ran; the test is named as its last attempt names it.
  const ordered = [...groups.values()].map((g) =>
    [...g].sort((a, b) => (a.start ?? Infinity) - (b.start ?? Infinity) || (a.file < b.file ? -1 : 1)),
  );
  const names = ordered.map((g) => identityOf(g[g.length - 1]!, warnings));
  const taken = new Map<string, number>();
  for (const id of names) taken.set(idKey(id), (taken.get(idKey(id)) ?? 0) + 1);

  const list = new ResultList(lim.maxAttempts, warnings);
  ordered.forEach((attempts, i) => {
    const last = attempts[attempts.length - 1]!;
    let id = names[i]!;
    // Cases that share a name (parametrised ones) are told apart by their parameters, as their historyId is.
    if ((taken.get(idKey(id)) ?? 0) > 1 && last.parameters.length > 0) {
      const params = last.parameters.map(([k, v]) => `${k}=${v}`).join(', ');
      id = { ...id, name: boundedName(`${id.name} [${params}]`, 'test name', warnings) };
    }
    if (attempts.length > 1) {
      warnings.add(
        'allure-retries',
        `${attempts.length} result files share the test "${id.name}" (historyId ${last.historyId ?? '—'}); read as its attempts, ordered by start`,
      );
    }
    list.add({
      ...id,
      worker: labelValues(last, 'host')[0] ?? null,
      hardware: null,
      tags: tagsOf(attempts, warnings),
      metrics: [],
      attempts: attempts.map((a) => attemptOf(a, failedBefore, warnings)),
    });
  });
  addGlobalErrors(set, list);

  let earliest: number | null = null;
  let latest: number | null = null;
  for (const r of [...set.results, ...set.containers]) {
    if (r.start !== null && (earliest === null || r.start < earliest)) earliest = r.start;
    if (r.stop !== null && (latest === null || r.stop > latest)) latest = r.stop;
  }
  const frameworks = new Set(set.results.flatMap((r) => labelValues(r, 'framework')));
  const run = buildRun(
    ctx,
    set.runId,
    {
      startedAt: earliest === null ? null : new Date(earliest),
      finishedAt: latest === null ? null : new Date(latest),
      branch: null,
      commit: null,
      tags: [
        ['tool', 'allure'],
        ...(frameworks.size === 1 ? [['framework', [...frameworks][0]!] as const] : []),
        ...set.runTags,
      ],
    },
    warnings,
    nonEmpty(ctx.fileName) ?? 'allure-results',
  );
  return { format: 'allure', input: { run, results: list.results }, warnings: warnings.list() };
}

const idKey = (id: Identity): string => `${id.suite}\u001f${id.className ?? ''}\u001f${id.name}`;

function labelValues(r: AllureResult, name: string): string[] {
  return r.labels.filter(([k]) => k === name).map(([, v]) => v);
}

/**
 * Suite: the parentSuite, suite and subSuite labels joined with " / ", else
 * the package label; className: the testClass label, else the class part of
 * a `pkg.Class.method` / `pkg.Class#method` fullName; name: the result's name.
 */
function identityOf(r: AllureResult, warnings: Warnings): Identity {
  const suites = ['parentSuite', 'suite', 'subSuite'].flatMap((k) => labelValues(r, k).slice(0, 1));
  const suite = suites.length ? suites.join(SUITE_SEPARATOR) : (labelValues(r, 'package')[0] ?? 'allure');
  const qualified = r.fullName !== null && /^[\w$.]+[.#][\w$]+$/.test(r.fullName) ? r.fullName : null;
  const className =
    labelValues(r, 'testClass')[0] ??
    (qualified ? qualified.slice(0, Math.max(qualified.lastIndexOf('#'), qualified.lastIndexOf('.'))) : null);
  let name = r.name ?? r.fullName;
  if (name === null) {
    warnings.add('allure-unnamed', `${r.file} has no name or fullName; named <unnamed ${r.file}>`);
    name = `<unnamed ${r.file}>`;
  }
  return {
    suite: boundedName(suite, 'suite', warnings),
    className: className === null ? null : boundedName(className, 'class name', warnings),
    name: boundedName(name, 'test name', warnings),
  };
}

function attemptOf(
  r: AllureResult,
  failedBefore: ReadonlyMap<string, FixtureFailure>,
  warnings: Warnings,
): AttemptDraft {
  let status = r.status === null ? undefined : STATUS[r.status];
  let details = r.details;
  const fixture = r.uuid === null ? undefined : failedBefore.get(r.uuid);
  if (fixture && (status === undefined || status === 'SKIPPED')) {
    // The test did not run because a fixture before it failed: that is an error of the test, as JUnit would say.
    status = 'ERROR';
    const why = fixture.details.message ?? 'no message';
    details = { ...fixture.details, message: `before fixture "${fixture.fixture}" failed: ${why}` };
  } else if (status === undefined) {
    warnings.add(
      'allure-status',
      `${r.file} has status ${r.status === null ? 'none' : `"${r.status}"`} (Allure's "unknown": the test did not finish or was never run); read as SKIPPED`,
    );
    status = 'SKIPPED';
  }
  let durationMs = 0;
  if (r.start !== null && r.stop !== null && r.stop >= r.start) durationMs = r.stop - r.start;
  else
    warnings.add(
      'allure-duration',
      `${r.file} has no start and stop times (or stop before start); read as 0 ms`,
    );
  const message = firstLine(details.message);
  const multiline = details.message !== null && details.message.trim() !== message;
  const stackTrace =
    [multiline ? details.message : null, details.trace].filter((t) => t !== null).join('\n\n') || null;
  return {
    status,
    durationMs,
    message,
    stackTrace,
    startedAt: r.start === null ? null : new Date(r.start).toISOString(),
    metrics:
      r.steps.count === 0
        ? []
        : [
            { name: 'steps', value: r.steps.count },
            { name: 'steps.durationMs', value: r.steps.durationMs, unit: 'ms' },
          ],
  };
}

/** Tags of a test: its last attempt's labels (repeated ones joined with ","), and Allure's flaky, muted and known marks. */
function tagsOf(attempts: readonly AllureResult[], warnings: Warnings): Record<string, string> {
  const last = attempts[attempts.length - 1]!;
  const tags = new TagBag(warnings, last.file);
  const byName = new Map<string, string[]>();
  for (const [k, v] of last.labels) {
    if (IDENTITY_LABELS.has(k) || k.startsWith('_')) continue;
    byName.set(k, [...(byName.get(k) ?? []), v]);
  }
  for (const [k, vs] of byName) tags.set(k, [...new Set(vs)].join(','));
  for (const mark of ['flaky', 'muted', 'known'] as const) {
    if (attempts.some((a) => a.details[mark])) tags.set(`allure.${mark}`, 'true');
  }
  return tags.toObject();
}

/** Children (results, through nested containers) of containers whose `before` fixtures failed or broke. */
function beforeFailures(set: AllureSet, warnings: Warnings): Map<string, FixtureFailure> {
  const byUuid = new Map<string, AllureContainer>();
  for (const c of set.containers) if (c.uuid !== null) byUuid.set(c.uuid, c);
  const out = new Map<string, FixtureFailure>();
  const failing = (s: string | null) => s === 'failed' || s === 'broken';
  for (const c of set.containers) {
    const after = c.afters.find((f) => failing(f.status));
    if (after) {
      warnings.add(
        'allure-after-fixture',
        `${c.file}: after fixture "${after.name}" ${after.status}; its tests keep their own status (Allure shows it in their tear-down)`,
      );
    }
    const before = c.befores.find((f) => failing(f.status));
    if (!before) continue;
    const seen = new Set<string>();
    const walk = (uuids: readonly string[]): void => {
      for (const u of uuids) {
        if (seen.has(u)) continue;
        seen.add(u);
        const nested = byUuid.get(u);
        if (nested) walk(nested.children);
        else if (!out.has(u)) out.set(u, { fixture: before.name, details: before.details });
      }
    };
    walk(c.children);
  }
  return out;
}

/** Errors outside any test (allure-js `*-globals.json`: a failed beforeAll, an unhandled rejection): one ERROR result. */
function addGlobalErrors(set: AllureSet, list: ResultList): void {
  if (set.errors.length === 0) return;
  const first = set.errors[0]!;
  const texts = set.errors.map((e) => [e.message, e.trace].filter((t) => t !== null).join('\n'));
  list.add({
    suite: 'allure',
    className: null,
    name: '(errors outside tests)',
    worker: null,
    hardware: null,
    tags: { errors: String(set.errors.length) },
    metrics: [],
    attempts: [
      {
        status: 'ERROR',
        durationMs: 0,
        message: firstLine(first.message ?? first.trace),
        stackTrace: texts.join('\n\n') || null,
        startedAt: null,
      },
    ],
  });
}
