import { badInput } from '../domain/errors.ts';

/** Reads one JSON value at a named path; wrong types are refused naming the path. */
export class Shape {
  constructor(
    readonly value: unknown,
    readonly path: string,
    private readonly fileName: string,
  ) {}

  fail(problem: string): never {
    throw badInput(`${this.fileName}: ${this.path} ${problem}`, { field: this.path });
  }

  at(key: string | number): Shape {
    const obj = this.value as Record<string, unknown>;
    const path =
      typeof key === 'number' ? `${this.path}[${key}]` : this.path === '' ? key : `${this.path}.${key}`;
    return new Shape(obj?.[key], path, this.fileName);
  }

  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  object(): Record<string, unknown> {
    if (typeof this.value !== 'object' || this.value === null || Array.isArray(this.value))
      this.fail(`must be an object (got ${kind(this.value)})`);
    return this.value as Record<string, unknown>;
  }

  optionalObject(): Record<string, unknown> | null {
    return this.present ? this.object() : null;
  }

  list(): Shape[] {
    if (!Array.isArray(this.value)) this.fail(`must be a list (got ${kind(this.value)})`);
    return this.value.map((_, i) => this.at(i));
  }

  optionalList(): Shape[] {
    return this.present ? this.list() : [];
  }

  optionalString(): string | null {
    if (!this.present) return null;
    if (typeof this.value !== 'string') this.fail(`must be a string (got ${kind(this.value)})`);
    return this.value;
  }

  /** A string, or a number written where a string id was meant (threadId: 3). */
  optionalLabel(): string | null {
    if (typeof this.value === 'number' && Number.isFinite(this.value)) return String(this.value);
    return this.optionalString();
  }

  optionalNumber(): number | null {
    if (!this.present) return null;
    if (typeof this.value !== 'number' || !Number.isFinite(this.value))
      this.fail(`must be a number (got ${kind(this.value)})`);
    return this.value;
  }

  optionalCount(): number | null {
    const n = this.optionalNumber();
    if (n !== null && (!Number.isInteger(n) || n < 0)) this.fail(`must be a whole number ≥ 0 (got ${n})`);
    return n;
  }

  optionalBoolean(): boolean | null {
    if (!this.present) return null;
    if (typeof this.value !== 'boolean') this.fail(`must be true or false (got ${kind(this.value)})`);
    return this.value;
  }

  oneOf<T extends string>(allowed: readonly T[]): T {
    if (typeof this.value !== 'string' || !(allowed as readonly string[]).includes(this.value)) {
      this.fail(
        `must be one of ${allowed.join(', ')} (got ${this.present ? JSON.stringify(this.value) : 'nothing'})`,
      );
    }
    return this.value as T;
  }
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return v === undefined ? 'nothing' : `${typeof v} ${String(v)}`;
}

/** Primitive values of an object, as tag strings (arrays of primitives joined with ","). */
export function primitiveEntries(obj: Record<string, unknown> | null): [string, string][] {
  if (obj === null) return [];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push([k, String(v)]);
    else if (
      Array.isArray(v) &&
      v.length > 0 &&
      v.every((x) => ['string', 'number', 'boolean'].includes(typeof x))
    )
      out.push([k, v.join(',')]);
  }
  return out;
}
