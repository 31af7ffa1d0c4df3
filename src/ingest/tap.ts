/**
 * TAP 13/14 (Test Anything Protocol: node:test, node-tap, tape, bats,
 * prove …) → IngestInput. The mapping rules live in ./README.md.
 */
import { badInput } from '../domain/errors.ts';
import type { Status } from '../domain/types.ts';
import { checkCaseCount } from './case-limit.ts';
import { boundedName, nonEmpty, SUITE_SEPARATOR, stripAnsi } from './fields.ts';
import { readLines } from './lines.ts';
import {
  resolveLimits,
  type ParsedReport,
  type ReportContext,
  type ReportLimits,
  type ReportSource,
} from './report-context.ts';
import { ResultList } from './results.ts';
import { buildRun, requireProject } from './run.ts';
import { SourceReader } from './source.ts';
import { Warnings } from './warnings.ts';

/** The suite of top-level test points: TAP names no suite. */
const TAP_SUITE = 'TAP';

interface Point {
  readonly line: number;
  readonly indent: number;
  readonly ok: boolean;
  readonly number: number | null;
  readonly name: string;
  readonly directive: 'SKIP' | 'TODO' | null;
  readonly reason: string | null;
  /** From a `# time=…` comment on the test line. */
  readonly timeMs: number | null;
  yaml: Map<string, string> | null;
  children: Point[];
}

const POINT = /^(not )?ok\b(?:\s+(\d+))?\s*(?:-\s*)?(.*)$/;
const DIRECTIVE = /^\s*(skip|todo)\S*(?:\s+(.*))?$/i;
/** node-tap ends a test line with a `# time=12.5ms` comment. */
const TIME_COMMENT = /\btime=(\d+(?:\.\d+)?)(ms|s)\b/;
const PLAN = /^1\.\.(\d+)\s*(?:#\s*(.*))?$/;

export async function parseTap(
  source: ReportSource,
  ctx: ReportContext,
  limits?: Partial<ReportLimits>,
): Promise<ParsedReport> {
  const lim = resolveLimits(limits);
  const fileName = nonEmpty(ctx.fileName) ?? 'report.tap';
  const warnings = new Warnings(lim.maxWarnings);
  const reader = new SourceReader(source, requireProject(ctx), lim, fileName);

  /** Finished points by indentation, waiting for a parent at a smaller indentation. */
  const waiting = new Map<number, Point[]>();
  let last: Point | null = null;
  let yaml: { start: number; indent: number; lines: string[]; point: Point } | null = null;
  let plan: { count: number; line: number } | null = null;
  let points = 0;
  let sawTap = false;

  const finish = (p: Point) => {
    const children: Point[] = [];
    for (const [indent, list] of [...waiting].sort((a, b) => a[0] - b[0])) {
      if (indent <= p.indent) continue;
      for (const c of list) children.push(c);
      waiting.delete(indent);
    }
    p.children = children;
    const siblings = waiting.get(p.indent);
    if (siblings === undefined) waiting.set(p.indent, [p]);
    else siblings.push(p);
  };

  for await (const { number, text } of readLines(reader.text(), lim.maxTextNodeChars, fileName)) {
    const indent = /^ */.exec(text)![0].length;
    const body = text.slice(indent);
    if (yaml !== null) {
      if (body.trimEnd() === '...' && indent <= yaml.indent) {
        yaml.point.yaml = parseYamlBlock(yaml.lines, yaml.indent);
        yaml = null;
      } else if (body.trim() !== '' && indent < yaml.indent) {
        throw badInput(
          `${fileName}:${yaml.start}: the YAML block (---) of test "${yaml.point.name}" has no closing "..." before line ${number}`,
        );
      } else {
        yaml.lines.push(text);
      }
      continue;
    }
    if (last !== null && body.trimEnd() === '---' && indent > last.indent) {
      yaml = { start: number, indent, lines: [], point: last };
      continue;
    }
    const point = POINT.exec(body.trimEnd());
    if (point) {
      checkCaseCount(points, lim.maxTestCases, `${fileName}:${number}`, 'test points');
      points += 1;
      sawTap = true;
      // The description ends at the first unescaped '#': a SKIP / TODO directive, or a comment.
      const rest = point[3] ?? '';
      const hash = /(?:^|[^\\])#/.exec(rest);
      const cut = hash === null ? rest.length : hash.index + (rest[hash.index] === '#' ? 0 : 1);
      const comment = hash === null ? '' : rest.slice(cut + 1);
      const directive = DIRECTIVE.exec(comment);
      const time = TIME_COMMENT.exec(comment);
      const description = rest.slice(0, cut).replace(/\\#/g, '#').trim();
      const n = point[2] === undefined ? null : Number(point[2]);
      if (last !== null) finish(last);
      last = {
        line: number,
        indent,
        ok: point[1] === undefined,
        number: n,
        name: description || `test ${n ?? points}`,
        directive: directive ? (directive[1]!.toUpperCase() as 'SKIP' | 'TODO') : null,
        reason: directive ? nonEmpty(directive[2]) : null,
        timeMs: time === null ? null : Number(time[1]) * (time[2] === 's' ? 1000 : 1),
        yaml: null,
        children: [],
      };
      if (description === '') {
        warnings.add('unnamed-case', `test point at line ${number} has no description; named "${last.name}"`);
      }
      continue;
    }
    const p = PLAN.exec(body.trim());
    if (p) {
      sawTap = true;
      if (indent === 0) plan = { count: Number(p[1]), line: number };
      continue;
    }
    if (/^TAP version \d+/i.test(body)) {
      sawTap = true;
      const v = Number(/\d+/.exec(body)![0]);
      if (v < 12 || v > 14)
        throw badInput(`${fileName}:${number}: TAP version ${v} is not read; TAP 12, 13 and 14 are`);
      continue;
    }
    if (/^Bail out!/i.test(body)) {
      sawTap = true;
      warnings.add('bail-out', `line ${number}: ${body.trim()}; later tests did not run`);
    }
  }
  if (yaml !== null) {
    throw badInput(
      `${fileName}:${yaml.start}: the YAML block (---) of test "${yaml.point.name}" has no closing "..." before the end of the report`,
    );
  }
  if (last !== null) finish(last);
  if (!sawTap) {
    throw badInput(
      `${fileName}:1: no TAP found: expected "TAP version 13", a plan such as "1..4", or test lines such as "ok 1 - adds" / "not ok 2 - removes"`,
    );
  }

  const results = new ResultList(lim.maxAttempts, warnings);
  const minIndent = Math.min(...waiting.keys());
  const top = waiting.get(minIndent) ?? [];
  if (plan !== null && plan.count !== top.length) {
    warnings.add(
      'plan',
      `the plan at line ${plan.line} announces ${plan.count} tests but the report has ${top.length}`,
    );
  }
  for (const p of top) addPoint(p, [], results, warnings);

  const run = buildRun(
    ctx,
    (placement) => reader.runId('tap', placement),
    { startedAt: null, finishedAt: null, branch: null, commit: null, tags: [] },
    warnings,
    fileName,
  );
  return { format: 'tap', input: { run, results: results.results }, warnings: warnings.list() };
}

function statusOf(p: Point): Status {
  if (p.directive === 'SKIP') return 'SKIPPED';
  if (p.directive === 'TODO') return p.ok ? 'PASSED' : 'SKIPPED';
  return p.ok ? 'PASSED' : 'FAILED';
}

const failing = (p: Point): boolean => statusOf(p) === 'FAILED' || p.children.some((c) => failing(c));

/**
 * Records a test point: one with subtests is their suite, and is itself a
 * result only when it failed with no failing subtest (a hook, a plan
 * mismatch): then an ERROR.
 */
function addPoint(p: Point, path: readonly string[], results: ResultList, warnings: Warnings): void {
  if (p.children.length > 0) {
    for (const c of p.children) addPoint(c, [...path, p.name], results, warnings);
    if (statusOf(p) !== 'FAILED' || p.children.some((c) => failing(c))) return;
  }
  const y = p.yaml ?? new Map<string, string>();
  const duration = Number(y.get('duration_ms') ?? p.timeMs ?? Number.NaN);
  const status = p.children.length > 0 ? 'ERROR' : statusOf(p);
  const stack = nonEmpty(y.get('stack'));
  const message =
    nonEmpty(y.get('message')) ??
    nonEmpty(y.get('error')) ??
    (p.directive === null ? null : `${p.directive}${p.reason === null ? '' : `: ${p.reason}`}`);
  results.add({
    suite: boundedName(path.length === 0 ? TAP_SUITE : path.join(SUITE_SEPARATOR), 'suite', warnings),
    className: null,
    name: boundedName(p.name, 'test name', warnings),
    worker: null,
    hardware: null,
    tags: {},
    metrics: [],
    attempts: [
      {
        status,
        durationMs: Number.isFinite(duration) && duration >= 0 ? Math.round(duration * 1e3) / 1e3 : 0,
        message: stripAnsi(message),
        stackTrace: status === 'FAILED' || status === 'ERROR' ? stripAnsi(stack) : null,
        startedAt: null,
      },
    ],
  });
}

/**
 * The top-level scalar keys of a TAP YAML diagnostics block: `key: value`
 * (plain, 'single' or "double" quoted), and `key: |` / `key: >` block
 * scalars. Nested maps and lists are skipped; no YAML feature that could
 * expand (anchors, aliases, tags) is read.
 */
function parseYamlBlock(lines: readonly string[], indent: number): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = /^( *)([\w.-]+):(?:\s+(.*))?$/.exec(line);
    if (!m || m[1]!.length !== indent) continue;
    const key = m[2]!;
    const raw = (m[3] ?? '').trim();
    if (/^[|>][-+]?$/.test(raw)) {
      const block: string[] = [];
      while (i + 1 < lines.length) {
        const next = lines[i + 1]!;
        if (next.trim() !== '' && /^ */.exec(next)![0].length <= indent) break;
        block.push(next);
        i++;
      }
      const cut = Math.min(...block.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
      const text = block
        .map((l) => l.slice(Number.isFinite(cut) ? cut : 0))
        .join(raw.startsWith('>') ? ' ' : '\n');
      out.set(key, text.replace(/\s+$/, ''));
    } else if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2) {
      out.set(key, raw.slice(1, -1).replace(/''/g, "'"));
    } else if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) {
      try {
        out.set(key, JSON.parse(raw) as string);
      } catch {
        out.set(key, raw.slice(1, -1));
      }
    } else if (raw !== '') {
      out.set(key, raw);
    }
  }
  return out;
}
