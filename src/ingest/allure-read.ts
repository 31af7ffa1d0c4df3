/**
 * Reads the files of an Allure 2 results directory within the report limits:
 * `maxBytes` for all files together, `maxTestCases` result files, `maxDepth`
 * per file. Attachments and files of other kinds are not read.
 */
import { createHash } from 'node:crypto';
import { AssayError, badInput } from '../domain/errors.ts';
import {
  allureFileKind,
  kindByContent,
  readContainer,
  readGlobals,
  readResult,
  type AllureContainer,
  type AllureGlobalError,
  type AllureResult,
} from './allure-model.ts';
import {
  allureRunFileKind,
  readEnvironment,
  readExecutor,
  type AllureRunFileKind,
} from './allure-run-files.ts';
import { Shape } from './ctrf-shape.ts';
import { parseJson } from './json-text.ts';
import type { ReportLimits, ReportSource } from './report-context.ts';
import { SourceReader, type RunPlacement } from './source.ts';
import type { Warnings } from './warnings.ts';

/** One file of an allure-results directory; `read` opens it only when its turn comes. */
export interface AllureFile {
  readonly name: string;
  readonly read: () => ReportSource;
  /** Known to be an Allure file by its content (an upload detected it), whatever its name: its kind is read from it. */
  readonly byContent?: boolean;
}

export interface AllureSet {
  readonly results: AllureResult[];
  readonly containers: AllureContainer[];
  readonly errors: AllureGlobalError[];
  /** Run tags from `executor.json` and `environment.properties` (allure-run-files.ts). */
  readonly runTags: [string, string][];
  /** The run id derived from every file read (names and bytes) and the run's branch and commit, as `SourceReader.runId` does for one file. */
  readonly runId: (placement: RunPlacement) => string;
}

const MIB = 1024 * 1024;
const NO_PLACEMENT: RunPlacement = { branch: null, commit: null };

export async function readAllureSet(
  files: readonly AllureFile[],
  project: string,
  limits: ReportLimits,
  warnings: Warnings,
): Promise<AllureSet> {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  checkResultCount(sorted, limits);
  // Each file's id (its name, and its bytes as SourceReader hashes them) goes into one hash as it is read,
  // so a directory of a million files holds one hash, not a reader per file.
  const combined = createHash('sha256');
  let first: SourceReader | null = null;
  let count = 0;
  const set: AllureSet = {
    results: [],
    containers: [],
    errors: [],
    runTags: [],
    runId: (placement) => {
      if (count === 1 && first !== null) return first.runId('allure', placement);
      const h = combined.copy();
      if (placement.branch !== null || placement.commit !== null)
        h.update(`\0branch\0${placement.branch ?? ''}\0commit\0${placement.commit ?? ''}`, 'utf8');
      return `allure-${h.digest('hex').slice(0, 16)}`;
    },
  };
  let used = 0;
  let skipped = 0;
  for (const file of sorted) {
    const about = allureRunFileKind(file.name);
    if (about !== null) {
      const { tags, bytes } = await readRunFile(file, about, project, {
        ...limits,
        maxBytes: limits.maxBytes - used,
      });
      set.runTags.push(...tags);
      used += bytes;
      continue;
    }
    const named = allureFileKind(file.name);
    if (named === null && sorted.length > 1 && !file.byContent) {
      skipped += 1;
      continue;
    }
    const reader = new SourceReader(
      file.read(),
      project,
      { ...limits, maxBytes: limits.maxBytes - used },
      file.name,
    );
    const doc = new Shape(
      parseJson(await readText(reader, limits, file.name), file.name, limits.maxDepth),
      '',
      file.name,
    );
    used += reader.bytes;
    combined.update(`${file.name}\0${reader.runId('allure', NO_PLACEMENT)}\0`, 'utf8');
    first ??= reader;
    count += 1;
    const kind = named ?? kindByContent(doc);
    if (kind === 'result') set.results.push(readResult(doc, file.name));
    else if (kind === 'container') set.containers.push(readContainer(doc, file.name));
    else set.errors.push(...readGlobals(doc));
  }
  if (skipped > 0) {
    warnings.add(
      'allure-other-files',
      `${skipped} file${skipped === 1 ? '' : 's'} that are not *-result.json, *-container.json or *-globals.json (attachments, categories.json, …) were not read`,
    );
  }
  if (set.results.length === 0 && set.errors.length === 0) {
    throw badInput(
      set.containers.length > 0
        ? `${sorted[0]?.name ?? 'the upload'}: an Allure container file holds fixtures, not test results; send the whole allure-results directory (its *-result.json files)`
        : 'the Allure results hold no *-result.json file; send the allure-results directory the adapter wrote',
    );
  }
  return set;
}

/** Refuses a set with more result files than `maxTestCases`, before any is read. */
function checkResultCount(files: readonly AllureFile[], limits: ReportLimits): void {
  const resultFiles = files.filter((f) => allureFileKind(f.name) === 'result').length;
  if (resultFiles > limits.maxTestCases) {
    throw new AssayError(
      'PAYLOAD_TOO_LARGE',
      `the Allure results hold ${resultFiles} result files, more than REPORT_LIMITS.maxTestCases (${limits.maxTestCases}); send them in several uploads`,
    );
  }
}

/** executor.json or environment.properties as run tags, within the bytes left; not part of the run id (the results name the run). */
async function readRunFile(
  file: AllureFile,
  kind: AllureRunFileKind,
  project: string,
  limits: ReportLimits,
): Promise<{ tags: [string, string][]; bytes: number }> {
  const reader = new SourceReader(file.read(), project, limits, file.name);
  const body = await readText(reader, limits, file.name);
  const tags =
    kind === 'executor'
      ? readExecutor(new Shape(parseJson(body, file.name, limits.maxDepth), '', file.name))
      : readEnvironment(body, file.name);
  return { tags, bytes: reader.bytes };
}

/** A file's text; past the bytes left of `maxBytes`, refused as the whole set being too large. */
async function readText(reader: SourceReader, limits: ReportLimits, name: string): Promise<string> {
  const parts: string[] = [];
  try {
    for await (const chunk of reader.text()) parts.push(chunk);
  } catch (err) {
    if (err instanceof AssayError && err.code === 'PAYLOAD_TOO_LARGE') {
      throw new AssayError(
        'PAYLOAD_TOO_LARGE',
        `${name}: the Allure results are larger than REPORT_LIMITS.maxBytes (${(limits.maxBytes / MIB).toFixed(0)} MiB) together; send them in several uploads`,
        { limit: limits.maxBytes },
      );
    }
    throw err;
  }
  return parts.join('');
}
