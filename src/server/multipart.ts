import { Busboy, type BusboyFileStream } from '@fastify/busboy';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { AssayError, badInput } from '../domain/errors.ts';

/** One part of a multipart/form-data body, handed over as it arrives. */
export type Part =
  | { readonly kind: 'field'; readonly name: string; readonly value: string }
  | {
      readonly kind: 'file';
      readonly name: string;
      readonly filename: string;
      /** The file's bytes as they arrive; read them (or call `skip`) before asking for the next part. */
      readonly chunks: AsyncIterable<Uint8Array>;
      /** Reads and drops what is left of the file, so the parts after it can arrive. */
      skip(): Promise<void>;
    };

const MIB = 2 ** 20;
const describeLimit = (bytes: number): string =>
  bytes % MIB === 0 ? `${bytes / MIB} MiB` : `${bytes} bytes`;

/** The upload was larger than the limit: what `maxBytes` is and what to do instead. */
export function tooLarge(maxBytes: number, what = 'the upload'): AssayError {
  return new AssayError(
    'PAYLOAD_TOO_LARGE',
    `${what} is larger than the upload limit of ${describeLimit(maxBytes)} (REPORT_LIMITS.maxBytes); split the report into several files, or bulk-load with \`assay ingest --db\``,
    { limit: maxBytes },
  );
}

/** Counts a body's bytes as they pass, refusing the body past `maxBytes`. */
export async function* counted(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) throw tooLarge(maxBytes);
    yield chunk;
  }
}

/**
 * Reads a multipart/form-data body part by part without holding a file in
 * memory: a file part's bytes flow to its reader as they arrive (busboy),
 * and the body waits while the reader is busy (back-pressure). The whole body
 * and each file are refused past `maxBytes`. Returning early stops reading.
 */
export async function* readMultipart(
  body: AsyncIterable<Uint8Array>,
  contentType: string,
  maxBytes: number,
): AsyncGenerator<Part> {
  let bb;
  try {
    bb = Busboy({
      headers: { 'content-type': contentType },
      limits: { fileSize: maxBytes, fieldSize: 4 * MIB, fields: 100, files: 1000 },
    });
  } catch (e) {
    throw badInput(`the multipart body cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const queue: Part[] = [];
  // Set by busboy's callbacks while the loop below waits.
  const state: { failure: AssayError | null; ended: boolean } = { failure: null, ended: false };
  let wake: (() => void) | null = null;
  let current: BusboyFileStream | null = null;
  const signal = (): void => {
    wake?.();
    wake = null;
  };
  const fail = (error: unknown): void => {
    state.failure ??=
      error instanceof AssayError ? error : badInput(`the multipart body is malformed: ${String(error)}`);
    current?.destroy(state.failure);
    signal();
  };
  bb.on('field', (name, value, _nameTruncated, valueTruncated) => {
    if (valueTruncated) fail(badInput(`the multipart field "${name}" is longer than 4 MiB`));
    else queue.push({ kind: 'field', name, value });
    signal();
  });
  bb.on('file', (name, stream, filename) => {
    current = stream;
    stream.on('limit', () => stream.destroy(tooLarge(maxBytes, `the file "${filename}"`)));
    queue.push({ kind: 'file', name, filename, chunks: fileChunks(stream), skip: () => skip(stream) });
    signal();
  });
  for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const)
    bb.on(limit, () => fail(badInput(`the multipart body has too many parts (${limit})`)));
  bb.on('error', fail);
  bb.on('finish', () => {
    state.ended = true;
    signal();
  });
  const source = Readable.from(counted(body, maxBytes), { objectMode: false });
  source.on('error', fail);
  source.pipe(bb);
  try {
    for (;;) {
      const part = queue.shift();
      if (part) yield part;
      else if (state.failure) throw state.failure;
      else if (state.ended) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    source.unpipe(bb);
    source.destroy();
    bb.destroy();
  }
}

/** A file part's chunks; stopping early leaves the stream open for `skip`. */
async function* fileChunks(stream: BusboyFileStream): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    yield chunk;
  }
}

async function skip(stream: BusboyFileStream): Promise<void> {
  if (stream.readableEnded || stream.destroyed) return;
  stream.resume();
  // A file refused on the way (too large) has told its reader already.
  await finished(stream).catch(() => undefined);
}
