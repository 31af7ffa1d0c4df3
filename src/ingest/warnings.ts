/**
 * Warnings about what a parser read leniently. Warnings of one kind are
 * folded into one line with a count, so a report where every testcase lacks
 * a `time` gives one warning, not a million.
 */
export class Warnings {
  readonly #kinds = new Map<string, { first: string; count: number }>();
  constructor(private readonly max: number) {}

  /** Records a warning; later ones of the same kind only raise its count. */
  add(kind: string, message: string): void {
    const seen = this.#kinds.get(kind);
    if (seen) seen.count += 1;
    else this.#kinds.set(kind, { first: message, count: 1 });
  }

  list(): string[] {
    const all = [...this.#kinds.values()].map(({ first, count }) =>
      count === 1 ? first : `${first} (and ${count - 1} more like it)`,
    );
    if (all.length <= this.max) return all;
    return [...all.slice(0, this.max), `… and ${all.length - this.max} more warnings`];
  }
}
