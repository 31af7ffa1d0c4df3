/** Midnight UTC of the day `t` falls on. @example startOfDayUtc(new Date('2026-11-22T15:04:05Z')) // 2026-11-22T00:00:00.000Z */
export const startOfDayUtc = (t: Date): Date =>
  new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));

// ISO-8601 date-time; without an offset it is read as UTC.
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * What is impossible about the parts of a timestamp, or null. JavaScript's Date rolls
 * 2026-02-30 over to March 2 and 24:00 to the next day; a timestamp that names a day or
 * time that does not exist is a mistake to report, not to guess at.
 */
function impossible(parts: readonly (string | undefined)[]): string | null {
  const [year, month, day, hour, minute, second] = parts.map((p) => (p === undefined ? 0 : Number(p))) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12) return `has month ${month}; months run from 01 to 12`;
  const days = daysIn(year, month);
  if (day < 1 || day > days) return `has day ${day}, but ${MONTHS[month - 1]} ${year} has ${days} days`;
  if (hour > 23 || minute > 59 || second > 59)
    return 'has a time of day that does not exist; hours run 00–23, minutes and seconds 00–59';
  return null;
}

/** Parses an ISO-8601 timestamp, or returns an explanation of what is wrong. */
export function parseTimestamp(value: unknown): Date | string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'is not a valid date' : value;
  if (typeof value !== 'string') return 'must be an ISO-8601 string such as 2026-11-01T10:00:00Z';
  const s = value.trim();
  const m = ISO.exec(s);
  if (!m) return `"${value}" is not an ISO-8601 timestamp; use a form such as 2026-11-01T10:00:00Z`;
  const wrong = impossible(m.slice(1, 7));
  if (wrong) return `"${value}" is not a real date and time: it ${wrong}`;
  const withZone = m[8] ? s : `${s}Z`;
  const ms = Date.parse(withZone.replace(' ', 'T'));
  return Number.isNaN(ms) ? `"${value}" is not a real date and time` : new Date(ms);
}
