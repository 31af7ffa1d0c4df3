/**
 * One file of an Allure 2 results directory (`allure-results/`), read into
 * what the Allure parser uses: `<uuid>-result.json` (one test attempt),
 * `<uuid>-container.json` (fixtures around its children) and
 * `<uuid>-globals.json` (errors outside any test, as allure-js writes them).
 * Every field read is type-checked and a wrong one is refused naming the file
 * and the field.
 */
import { Shape } from './ctrf-shape.ts';
import { nonEmpty, stripAnsi } from './fields.ts';

export type AllureFileKind = 'result' | 'container' | 'globals';

/** The kind of a file from its name as the adapters write it, or null for attachments and other files. */
export function allureFileKind(name: string): AllureFileKind | null {
  const m = /-(result|container|globals)\.json$/i.exec(name);
  return m ? (m[1]!.toLowerCase() as AllureFileKind) : null;
}

export interface AllureDetails {
  readonly message: string | null;
  readonly trace: string | null;
  readonly flaky: boolean;
  readonly muted: boolean;
  readonly known: boolean;
}

export interface AllureResult {
  readonly file: string;
  readonly uuid: string | null;
  readonly historyId: string | null;
  readonly testCaseId: string | null;
  readonly fullName: string | null;
  readonly name: string | null;
  /** Lower-cased as written; null when the file has none. */
  readonly status: string | null;
  readonly details: AllureDetails;
  readonly start: number | null;
  readonly stop: number | null;
  readonly labels: readonly (readonly [string, string])[];
  /** Parameters that tell cases apart: not `excluded`, not `mode: "hidden"`. */
  readonly parameters: readonly (readonly [string, string])[];
  /** Top-level steps: how many, and their durations added (steps without both times count 0 ms). */
  readonly steps: { readonly count: number; readonly durationMs: number };
}

interface AllureFixture {
  readonly name: string;
  readonly status: string | null;
  readonly details: AllureDetails;
}

export interface AllureContainer {
  readonly file: string;
  readonly uuid: string | null;
  readonly children: readonly string[];
  readonly befores: readonly AllureFixture[];
  readonly afters: readonly AllureFixture[];
  readonly start: number | null;
  readonly stop: number | null;
}

export interface AllureGlobalError {
  readonly message: string | null;
  readonly trace: string | null;
}

/** Epoch milliseconds; 0 or negative means "not given". */
function epochMs(s: Shape): number | null {
  const n = s.optionalNumber();
  return n !== null && n > 0 ? n : null;
}

function details(s: Shape): AllureDetails {
  s.optionalObject();
  return {
    message: stripAnsi(nonEmpty(s.at('message').optionalString())),
    trace: stripAnsi(nonEmpty(s.at('trace').optionalString())),
    flaky: s.at('flaky').optionalBoolean() ?? false,
    muted: s.at('muted').optionalBoolean() ?? false,
    known: s.at('known').optionalBoolean() ?? false,
  };
}

/** A label's or parameter's value: adapters write strings, some write numbers or booleans. */
function text(s: Shape): string | null {
  const v = s.value;
  if (typeof v === 'boolean') return String(v);
  return s.optionalLabel();
}

function pairs(list: Shape, keep: (entry: Shape) => boolean = () => true): [string, string][] {
  const out: [string, string][] = [];
  for (const entry of list.optionalList()) {
    entry.object();
    const name = nonEmpty(entry.at('name').optionalString());
    const value = text(entry.at('value'));
    if (name !== null && value !== null && keep(entry)) out.push([name, value]);
  }
  return out;
}

export function readResult(doc: Shape, file: string): AllureResult {
  doc.object();
  const steps = doc.at('steps').optionalList();
  let durationMs = 0;
  for (const step of steps) {
    step.object();
    const start = epochMs(step.at('start'));
    const stop = epochMs(step.at('stop'));
    if (start !== null && stop !== null && stop >= start) durationMs += stop - start;
  }
  return {
    file,
    uuid: nonEmpty(doc.at('uuid').optionalString()),
    historyId: nonEmpty(doc.at('historyId').optionalLabel()),
    testCaseId: nonEmpty(doc.at('testCaseId').optionalLabel()),
    fullName: nonEmpty(doc.at('fullName').optionalString()),
    name: nonEmpty(doc.at('name').optionalString()),
    status: nonEmpty(doc.at('status').optionalString())?.toLowerCase() ?? null,
    details: details(doc.at('statusDetails')),
    start: epochMs(doc.at('start')),
    stop: epochMs(doc.at('stop')),
    labels: pairs(doc.at('labels')),
    parameters: pairs(
      doc.at('parameters'),
      (p) => p.at('excluded').value !== true && p.at('mode').value !== 'hidden',
    ),
    steps: { count: steps.length, durationMs },
  };
}

function fixtures(list: Shape): AllureFixture[] {
  return list.optionalList().map((f) => {
    f.object();
    return {
      name: nonEmpty(f.at('name').optionalString()) ?? '(unnamed fixture)',
      status: nonEmpty(f.at('status').optionalString())?.toLowerCase() ?? null,
      details: details(f.at('statusDetails')),
    };
  });
}

export function readContainer(doc: Shape, file: string): AllureContainer {
  doc.object();
  return {
    file,
    uuid: nonEmpty(doc.at('uuid').optionalString()),
    children: doc
      .at('children')
      .optionalList()
      .map((c) => c.optionalString())
      .filter((c): c is string => c !== null),
    befores: fixtures(doc.at('befores')),
    afters: fixtures(doc.at('afters')),
    start: epochMs(doc.at('start')),
    stop: epochMs(doc.at('stop')),
  };
}

export function readGlobals(doc: Shape): AllureGlobalError[] {
  doc.object();
  return doc
    .at('errors')
    .optionalList()
    .map((e) => {
      e.object();
      return {
        message: stripAnsi(nonEmpty(e.at('message').optionalString())),
        trace: stripAnsi(nonEmpty(e.at('trace').optionalString())),
      };
    });
}

/** The kind of a file whose name does not say (a single upload): by the keys it has. */
export function kindByContent(doc: Shape): AllureFileKind {
  if (doc.at('children').present || doc.at('befores').present || doc.at('afters').present) return 'container';
  if (doc.at('errors').present && !doc.at('status').present) return 'globals';
  return 'result';
}
