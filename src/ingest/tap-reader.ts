/**
 * Reads TAP lines into the tree of test points (subtests by indentation), with
 * their YAML diagnostics and the plan; tap.ts maps the tree to results.
 */
import { badInput } from '../domain/errors.ts';
import { checkCaseCount } from './case-limit.ts';
import { nonEmpty } from './fields.ts';
import type { Warnings } from './warnings.ts';

export interface Point {
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

/** TAP lines in, finished points out: a point is finished when the next one starts or the report ends. */
export class TapReader {
  /** Finished points by indentation, waiting for a parent at a smaller indentation. */
  readonly #waiting = new Map<number, Point[]>();
  #last: Point | null = null;
  #yaml: { start: number; indent: number; lines: string[]; point: Point } | null = null;
  #plan: { count: number; line: number } | null = null;
  #points = 0;
  #sawTap = false;

  constructor(
    private readonly fileName: string,
    private readonly maxTestCases: number,
    private readonly warnings: Warnings,
  ) {}

  line(number: number, text: string): void {
    const indent = /^ */.exec(text)![0].length;
    const body = text.slice(indent);
    if (this.#yaml !== null) return this.#yamlLine(number, text, indent, body);
    if (this.#last !== null && body.trimEnd() === '---' && indent > this.#last.indent) {
      this.#yaml = { start: number, indent, lines: [], point: this.#last };
      return;
    }
    const point = POINT.exec(body.trimEnd());
    if (point) return this.#point(number, indent, point);
    const p = PLAN.exec(body.trim());
    if (p) {
      this.#sawTap = true;
      if (indent === 0) this.#plan = { count: Number(p[1]), line: number };
      return;
    }
    if (/^TAP version \d+/i.test(body)) {
      this.#sawTap = true;
      const v = Number(/\d+/.exec(body)![0]);
      if (v < 12 || v > 14)
        throw badInput(`${this.fileName}:${number}: TAP version ${v} is not read; TAP 12, 13 and 14 are`);
      return;
    }
    if (/^Bail out!/i.test(body)) {
      this.#sawTap = true;
      this.warnings.add('bail-out', `line ${number}: ${body.trim()}; later tests did not run`);
    }
  }

  /** The top-level points (each with its subtests), and the plan; refuses a report with no TAP in it. */
  end(): { top: Point[]; plan: { count: number; line: number } | null } {
    const yaml = this.#yaml;
    if (yaml !== null) {
      throw badInput(
        `${this.fileName}:${yaml.start}: the YAML block (---) of test "${yaml.point.name}" has no closing "..." before the end of the report`,
      );
    }
    if (this.#last !== null) this.#finish(this.#last);
    if (!this.#sawTap) {
      throw badInput(
        `${this.fileName}:1: no TAP found: expected "TAP version 13", a plan such as "1..4", or test lines such as "ok 1 - adds" / "not ok 2 - removes"`,
      );
    }
    const minIndent = Math.min(...this.#waiting.keys());
    return { top: this.#waiting.get(minIndent) ?? [], plan: this.#plan };
  }

  /** A line inside a YAML block: collected until its closing `...`. */
  #yamlLine(number: number, text: string, indent: number, body: string): void {
    const yaml = this.#yaml!;
    if (body.trimEnd() === '...' && indent <= yaml.indent) {
      yaml.point.yaml = parseYamlBlock(yaml.lines, yaml.indent);
      this.#yaml = null;
    } else if (body.trim() !== '' && indent < yaml.indent) {
      throw badInput(
        `${this.fileName}:${yaml.start}: the YAML block (---) of test "${yaml.point.name}" has no closing "..." before line ${number}`,
      );
    } else {
      yaml.lines.push(text);
    }
  }

  /** A test line (`ok 1 - adds # SKIP reason`): the previous point is finished, this one starts. */
  #point(number: number, indent: number, point: RegExpExecArray): void {
    checkCaseCount(this.#points, this.maxTestCases, `${this.fileName}:${number}`, 'test points');
    this.#points += 1;
    this.#sawTap = true;
    // The description ends at the first unescaped '#': a SKIP / TODO directive, or a comment.
    const rest = point[3] ?? '';
    const hash = /(?:^|[^\\])#/.exec(rest);
    const cut = hash === null ? rest.length : hash.index + (rest[hash.index] === '#' ? 0 : 1);
    const comment = hash === null ? '' : rest.slice(cut + 1);
    const directive = DIRECTIVE.exec(comment);
    const time = TIME_COMMENT.exec(comment);
    const description = rest.slice(0, cut).replace(/\\#/g, '#').trim();
    const n = point[2] === undefined ? null : Number(point[2]);
    if (this.#last !== null) this.#finish(this.#last);
    const last: Point = {
      line: number,
      indent,
      ok: point[1] === undefined,
      number: n,
      name: description || `test ${n ?? this.#points}`,
      directive: directive ? (directive[1]!.toUpperCase() as 'SKIP' | 'TODO') : null,
      reason: directive ? nonEmpty(directive[2]) : null,
      timeMs: time === null ? null : Number(time[1]) * (time[2] === 's' ? 1000 : 1),
      yaml: null,
      children: [],
    };
    this.#last = last;
    if (description === '') {
      this.warnings.add(
        'unnamed-case',
        `test point at line ${number} has no description; named "${last.name}"`,
      );
    }
  }

  /** A finished point adopts the finished points indented deeper than it, as its subtests. */
  #finish(p: Point): void {
    const children: Point[] = [];
    for (const [indent, list] of [...this.#waiting].sort((a, b) => a[0] - b[0])) {
      if (indent <= p.indent) continue;
      for (const c of list) children.push(c);
      this.#waiting.delete(indent);
    }
    p.children = children;
    const siblings = this.#waiting.get(p.indent);
    if (siblings === undefined) this.#waiting.set(p.indent, [p]);
    else siblings.push(p);
  }
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
