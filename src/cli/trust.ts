import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError, parse } from './args.ts';

export const TRUST_USAGE = `assay trust FILE.graphql… [--out manifest.json]

Makes the manifest of trusted documents \`assay serve --trusted-documents\`
reads (Apollo's persisted query manifest): every operation of the files with
the fragments it uses, and its SHA-256. A gateway serving a manifest runs
those documents only, e.g. the public contract's:
\`assay trust ../shared/contract/operations.graphql --out trusted.json\`.

  --out FILE   write the manifest there instead of standard output`;

export async function trustCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string' } });
  if (!positionals.length) throw new UsageError('name the .graphql files whose operations to trust');
  const { manifestFromDocument } = await import('../server/persisted.ts');
  const sources = positionals.map((f) => {
    try {
      return readFileSync(f, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${f}: ${(err as Error).message}`);
    }
  });
  let manifest;
  try {
    manifest = manifestFromDocument(sources.join('\n\n'));
  } catch (err) {
    throw new UsageError(`the documents do not parse: ${(err as Error).message}`);
  }
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  if (values.out) {
    writeFileSync(values.out, text);
    out(`${manifest.operations.length} trusted operations written to ${values.out}`);
  } else out(text.trimEnd());
  return 0;
}

/** Reads a manifest `assay trust` wrote, for `serve --trusted-documents`. */
export function readManifest(file: string): import('../server/persisted.ts').TrustedManifest {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--trusted-documents ${file}: ${(err as Error).message}`);
  }
  const m = json as { format?: unknown; operations?: unknown };
  if (
    m.format !== 'apollo-persisted-query-manifest' ||
    !Array.isArray(m.operations) ||
    !m.operations.every(
      (o: { id?: unknown; body?: unknown }) => typeof o.id === 'string' && typeof o.body === 'string',
    )
  ) {
    throw new UsageError(
      `--trusted-documents ${file} is not a persisted query manifest (format "apollo-persisted-query-manifest" with operations { id, body }): make one with \`assay trust\``,
    );
  }
  return json as import('../server/persisted.ts').TrustedManifest;
}
