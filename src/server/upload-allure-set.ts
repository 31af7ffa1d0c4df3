import {
  allureFileKind,
  detectFormat,
  parseAllureResults,
  peek,
  type ParsedReport,
  type ReportContext,
  type ReportSource,
} from '../ingest/index.ts';

/** The other files an Allure adapter writes into allure-results/ beside its results. */
const ALLURE_EXTRA = /(-attachment(\.[\w-]+)?|^executor\.json|^environment\.properties|^categories\.json)$/i;

interface Held {
  readonly name: string;
  readonly bytes: readonly Uint8Array[];
  readonly byContent?: boolean;
}

async function hold(name: string, source: ReportSource): Promise<Held> {
  const bytes: Uint8Array[] = [];
  if (typeof source === 'string') bytes.push(Buffer.from(source));
  else if (source instanceof Uint8Array) bytes.push(source);
  else for await (const c of source) bytes.push(typeof c === 'string' ? Buffer.from(c) : c);
  return { name, bytes };
}

/**
 * The Allure files of a multipart upload whose format is detected: the
 * `*-result.json`, `*-container.json` and `*-globals.json` files (by name, or
 * by content: a JSON object whose first key is "uuid") are one set, read
 * together at the end as /ingest/allure reads them (retries by historyId,
 * fixtures by container), not each as a report of its own. The adapter's
 * other files (attachments, executor.json, …, and any file that is no
 * report) go with the set; without one, they are read alone, as before.
 */
export class AllureSet {
  private readonly files: Held[] = [];
  private readonly extras: Held[] = [];

  /** Keeps a file of an upload known to be one allure-results directory (/ingest/allure). */
  async add(name: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    this.files.push(await hold(name, chunks));
  }

  /** The part's bytes to parse on their own, or null when the part was kept for the set. */
  async sort(name: string, chunks: AsyncIterable<Uint8Array>): Promise<ReportSource | null> {
    if (allureFileKind(name)) {
      this.files.push(await hold(name, chunks));
      return null;
    }
    const { head, source } = await peek(chunks);
    const format = detectFormat(head, name);
    if (format === 'allure') this.files.push({ ...(await hold(name, source)), byContent: true });
    else if (format === null || ALLURE_EXTRA.test(name)) this.extras.push(await hold(name, source));
    else return source;
    return null;
  }

  /** How many files the set holds, its extras included. */
  get size(): number {
    return this.files.length + (this.files.length ? this.extras.length : 0);
  }

  /** The set read as one report; throws as parseAllureResults refuses it. */
  read(ctx: ReportContext): Promise<ParsedReport> {
    const all = [...this.files, ...this.extras];
    return parseAllureResults(
      all.map((f) => ({ name: f.name, read: () => Buffer.concat(f.bytes), byContent: f.byContent ?? false })),
      ctx,
    );
  }

  /** The extras when no Allure result came: each a report of its own, as before. */
  strays(): { name: string; source: ReportSource }[] {
    if (this.files.length) return [];
    return this.extras.map((f) => ({ name: f.name, source: Buffer.concat(f.bytes) }));
  }
}
