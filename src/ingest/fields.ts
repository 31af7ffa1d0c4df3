import { createHash } from 'node:crypto';
import { INGEST_LIMITS } from '../domain/ingest.ts';
import type { Warnings } from './warnings.ts';

/** Suite paths of nested suites (JUnit) and suite arrays (CTRF) are joined with this. */
export const SUITE_SEPARATOR = ' / ';

/**
 * A name that fits ingest's limit. Longer names keep their head and gain a
 * hash of the whole, so two long names stay distinct and the same name gets
 * the same test id in every run.
 */
export function boundedName(name: string, what: string, warnings: Warnings): string {
  if (name.length <= INGEST_LIMITS.maxNameLength) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  warnings.add(
    `long-${what}`,
    `a ${what} is longer than ${INGEST_LIMITS.maxNameLength} characters; kept its start and a hash (${hash})`,
  );
  return `${name.slice(0, INGEST_LIMITS.maxNameLength - 16)}… #${hash}`;
}

/** First non-empty line of a text, trimmed. */
export function firstLine(text: string | null | undefined): string | null {
  if (!text) return null;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t !== '') return t;
  }
  return null;
}

export function nonEmpty(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = s.trim();
  return t === '' ? null : t;
}

/** Text kept for a message or stack trace: ingest truncates at this length anyway, so holding more is waste. */
export function appendBounded(into: string, more: string): string {
  const room = INGEST_LIMITS.maxTextLength + 1 - into.length;
  return room <= 0 ? into : into + (more.length > room ? more.slice(0, room) : more);
}

/**
 * Tags that pass ingest's checks: at most maxTags, keys up to maxTagKeyLength
 * (longer keys are dropped), values up to maxTagValueLength (longer values are
 * cut). The first writer of the budget wins: callers add the most important tags first.
 */
export class TagBag {
  readonly #tags = new Map<string, string>();
  constructor(
    private readonly warnings: Warnings,
    private readonly where: string,
  ) {}

  /** Sets a tag unless the bag is full; `override` replaces an existing value. */
  set(key: string, value: string, override = true): void {
    const k = key.trim();
    if (k === '') return;
    if (k.length > INGEST_LIMITS.maxTagKeyLength) {
      this.warnings.add(
        'tag-key',
        `${this.where} tag "${k.slice(0, 40)}…" has a key longer than ${INGEST_LIMITS.maxTagKeyLength} characters; dropped`,
      );
      return;
    }
    let v = value;
    if (v.length > INGEST_LIMITS.maxTagValueLength) {
      this.warnings.add(
        'tag-value',
        `${this.where} tag "${k}" is longer than ${INGEST_LIMITS.maxTagValueLength} characters; cut`,
      );
      v = `${v.slice(0, INGEST_LIMITS.maxTagValueLength - 1)}…`;
    }
    if (this.#tags.has(k)) {
      if (override) this.#tags.set(k, v);
      return;
    }
    if (this.#tags.size >= INGEST_LIMITS.maxTags) {
      this.warnings.add(
        'tag-count',
        `${this.where} has more than ${INGEST_LIMITS.maxTags} tags; "${k}" and later ones dropped`,
      );
      return;
    }
    this.#tags.set(k, v);
  }

  get size(): number {
    return this.#tags.size;
  }

  toObject(): Record<string, string> {
    return Object.fromEntries(this.#tags);
  }
}

/**
 * Seconds as JUnit tools write them, in milliseconds. Odd forms are read
 * leniently and warned about: "" / missing → 0; "1,234.5" (grouping commas
 * next to a decimal point) → 1234.5 s; "0,25" (one comma, no point: a decimal
 * comma from a localised formatter) → 0.25 s; negative or unreadable → 0.
 * @returns milliseconds, and a warning kind + text when the value was odd
 */
export function secondsToMs(raw: string | undefined): { ms: number; odd: string | null } {
  if (raw === undefined) return { ms: 0, odd: 'has no time; read as 0 ms' };
  const s = raw.trim();
  if (s === '') return { ms: 0, odd: 'has an empty time ""; read as 0 ms' };
  let text = s;
  let odd: string | null = null;
  if (s.includes(',')) {
    if (s.includes('.') || /^-?\d{1,3}(,\d{3}){2,}$/.test(s)) {
      text = s.replaceAll(',', '');
      odd = `has time "${s}" with grouping commas; read as ${text} s`;
    } else if (/^-?\d+,\d+$/.test(s)) {
      text = s.replace(',', '.');
      odd = `has time "${s}" with a decimal comma; read as ${text} s`;
    }
  }
  const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n))
    return { ms: 0, odd: `has time "${s}", which is not a number of seconds; read as 0 ms` };
  if (n < 0) return { ms: 0, odd: `has a negative time "${s}"; read as 0 ms` };
  // Round to microseconds: "0.1" should be 100 ms, not 100.00000000000001.
  return { ms: Math.round(n * 1e6) / 1e3, odd };
}

// ANSI escape sequences (colours, cursor moves, OSC links) as terminals print them;
// the pattern of the ansi-regex package.
const ANSI =
  // eslint-disable-next-line no-control-regex -- ANSI escapes begin with control characters
  /[\u001B\u009B][[\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\d/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d/#&.:=?%@~_]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-ntqry=><~]))/g;
// An ESC the XML reader replaced with U+FFFD (XML 1.0 forbids it) still leaves "\uFFFD[31m": a CSI sequence.
const REPLACED_CSI = /\uFFFD\[[0-?]*[ -/]*[@-~]/g;

/**
 * A message or trace without terminal colour codes (`\u001b[31m…`).
 * `replacedEsc`: the reader replaced ESC characters with U+FFFD, so
 * U+FFFD + "[…m" is a colour code too. Text that becomes blank is null.
 */
export function stripAnsi(text: string | null, replacedEsc = false): string | null {
  if (text === null) return null;
  // eslint-disable-next-line no-control-regex -- ESC and CSI are control characters
  let out = /[\u001B\u009B]/.test(text) ? text.replace(ANSI, '') : text;
  if (replacedEsc && out.includes('\uFFFD[')) out = out.replace(REPLACED_CSI, '');
  return out === text ? text : nonEmpty(out) === null ? null : out;
}
