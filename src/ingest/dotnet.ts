/**
 * Pieces the .NET report formats (TRX, NUnit 3, xUnit.net) share.
 */
import { parseTimestamp } from '../domain/time.ts';
import { nonEmpty } from './fields.ts';
import type { Warnings } from './warnings.ts';

/**
 * A .NET TimeSpan as TRX writes it (`00:00:00.1084258`, `1.02:03:04.5`: days,
 * hours, minutes, seconds with up to 7 decimals) in milliseconds, or null if
 * it is not one.
 */
export function timeSpanMs(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(raw.trim());
  if (!m) return null;
  const seconds = Number(m[1] ?? 0) * 86_400 + Number(m[2]) * 3_600 + Number(m[3]) * 60 + Number(m[4]);
  return Math.round(seconds * 1e6) / 1e3;
}

/** The last segment of a Windows or POSIX path: the assembly's file name. */
export function baseName(path: string | null): string | null {
  if (path === null) return null;
  const parts = path.split(/[\\/]/);
  return nonEmpty(parts[parts.length - 1]);
}

/**
 * A test's name without its class in front: .NET runners name a test
 * `Namespace.Class.Method(args)`; with className `Namespace.Class` the name
 * kept is `Method(args)`. A display name that does not start with the class
 * is kept whole.
 */
export function withoutClass(name: string, className: string | null): string {
  if (className === null) return name;
  const prefix = `${className}.`;
  return name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : name;
}

/**
 * A timestamp attribute (ISO-8601 or NUnit's `2021-06-28 20:23:41Z`; without
 * a zone it is UTC), or null with a warning when it is unreadable.
 */
export function readTimestamp(raw: string | undefined, what: string, warnings: Warnings): Date | null {
  if (raw === undefined || raw.trim() === '') return null;
  const t = parseTimestamp(raw);
  if (typeof t === 'string') {
    warnings.add('timestamp', `${what} ${t}; ignored`);
    return null;
  }
  return t;
}

/** Keeps the earliest start and latest end seen. */
export class Span {
  start: Date | null = null;
  end: Date | null = null;
  add(start: Date | null, end: Date | null = start): void {
    if (start !== null && (this.start === null || start < this.start)) this.start = start;
    if (end !== null && (this.end === null || end > this.end)) this.end = end;
  }
}

/** Text with Windows line ends (`&#xD;` + LF in .NET reports) as LF only. */
export const lf = (text: string): string => text.replace(/\r\n?/g, '\n');
