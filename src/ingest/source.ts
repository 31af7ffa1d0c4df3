import { createHash, type Hash } from 'node:crypto';
import { AssayError, badInput } from '../domain/errors.ts';
import type { ReportFormat, ReportLimits, ReportSource } from './report-context.ts';

/** The branch and commit a run is stored under (the context's, else the report's). */
export interface RunPlacement {
  readonly branch: string | null;
  readonly commit: string | null;
}

const MIB = 1024 * 1024;
const describeBytes = (n: number): string => (n % MIB === 0 ? `${n / MIB} MiB` : `${n} bytes`);

/**
 * Reads a report source as text while counting and hashing its bytes, so the
 * run id can be derived from the file as sent, whatever its chunking.
 * Strings are hashed as their UTF-8 bytes; byte chunks are decoded as strict UTF-8.
 */
export class SourceReader {
  readonly #hash: Hash;
  #bytes = 0;
  #done = false;

  constructor(
    private readonly source: ReportSource,
    project: string,
    private readonly limits: ReportLimits,
    private readonly fileName: string,
  ) {
    this.#hash = createHash('sha256').update(project, 'utf8').update('\0', 'utf8');
  }

  /** The file's text, in chunks (a BOM is dropped). Can be read once. */
  async *text(): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let first = true;
    let pendingSurrogate = '';
    let decoding = false;
    const flushBytes = (): string => {
      if (!decoding) return '';
      decoding = false;
      return this.#decode(decoder, undefined);
    };
    for await (const piece of pieces(this.source)) {
      let text: string;
      if (typeof piece === 'string') {
        // A string chunk may end inside a surrogate pair: carry the high half to the next chunk.
        let s = flushBytes() + pendingSurrogate + piece;
        pendingSurrogate = '';
        const last = s.charCodeAt(s.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          pendingSurrogate = s.slice(-1);
          s = s.slice(0, -1);
        }
        for (const part of slices(s, MIB)) this.#count(Buffer.from(part, 'utf8'));
        text = s;
      } else {
        if (
          first &&
          piece.length >= 2 &&
          ((piece[0] === 0xff && piece[1] === 0xfe) || (piece[0] === 0xfe && piece[1] === 0xff))
        ) {
          throw badInput(`${this.fileName}: the report is UTF-16 encoded; save it as UTF-8 and upload again`);
        }
        this.#count(piece);
        decoding = true;
        text = pendingSurrogate + this.#decode(decoder, piece);
        pendingSurrogate = '';
      }
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      if (text.length > 0) yield text;
    }
    const tail = flushBytes() + pendingSurrogate;
    if (pendingSurrogate !== '') this.#count(Buffer.from(pendingSurrogate, 'utf8'));
    if (tail.length > 0) yield first && tail.charCodeAt(0) === 0xfeff ? tail.slice(1) : tail;
    this.#done = true;
  }

  /** Bytes read so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * The derived run id: `${format}-` + first 16 hex of sha256(project + '\0' + file bytes
   * [+ '\0branch\0' + branch + '\0commit\0' + commit]). The run's branch and commit are part
   * of it because a stored run keeps them: the same file sent for another branch or commit is
   * another run, not a re-send. Without either, the id is the bytes' alone (as ids made before).
   * Only after `text()` is consumed.
   */
  runId(format: ReportFormat, placement: RunPlacement): string {
    if (!this.#done) throw new Error('SourceReader.runId() before the source was read to its end');
    const h = this.#hash.copy();
    // A NUL cannot occur in UTF-8 XML or JSON text, so the suffix cannot collide with file bytes.
    if (placement.branch !== null || placement.commit !== null) {
      h.update(`\0branch\0${placement.branch ?? ''}\0commit\0${placement.commit ?? ''}`, 'utf8');
    }
    return `${format}-${h.digest('hex').slice(0, 16)}`;
  }

  #count(bytes: Uint8Array): void {
    this.#bytes += bytes.length;
    if (this.#bytes > this.limits.maxBytes) {
      throw new AssayError(
        'PAYLOAD_TOO_LARGE',
        `${this.fileName}: the report is larger than REPORT_LIMITS.maxBytes (${describeBytes(this.limits.maxBytes)}); split it into several files`,
        { limit: this.limits.maxBytes },
      );
    }
    this.#hash.update(bytes);
  }

  #decode(decoder: TextDecoder, bytes: Uint8Array | undefined): string {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch {
      throw badInput(
        `${this.fileName}: the report is not valid UTF-8 (near byte ${this.#bytes}); save it as UTF-8 and upload again`,
      );
    }
  }
}

async function* pieces(source: ReportSource): AsyncGenerator<Uint8Array | string> {
  if (typeof source === 'string' || source instanceof Uint8Array) {
    yield source;
    return;
  }
  for await (const piece of source) yield piece;
}

/** Splits text into slices of at most `size` characters without cutting a surrogate pair. */
export function* slices(text: string, size = 64 * 1024): Generator<string> {
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + size);
    const c = text.charCodeAt(end - 1);
    if (end < text.length && c >= 0xd800 && c <= 0xdbff) end -= 1;
    yield text.slice(i, end);
    i = end;
  }
}
