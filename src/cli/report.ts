import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError, parse } from './args.ts';
import { SLICE_OPTIONS, SLICE_USAGE, sliceFilter } from './slice.ts';
import { openTarget, TARGET_OPTIONS, TARGET_USAGE } from './target.ts';

export const REPORT_USAGE = `assay report [--format md|html|json] [--out FILE] [slice] [--server URL | --db PATH]

Writes a report of a slice (default: the last 30 days of everything): pass rate
and trend, new failures, flakiest and slowest tests, duration regressions,
failure patterns and open alerts. Markdown fits a pull-request comment; HTML is
one self-contained page; JSON is documented in src/domain/report.ts.

  --format F   md (default), html or json
  --out FILE   write to FILE instead of standard output
${SLICE_USAGE}
${TARGET_USAGE}`;

const FORMATS = { md: 'MARKDOWN', markdown: 'MARKDOWN', html: 'HTML', json: 'JSON' } as const;

const QUERY = `query Report($filter: ResultFilter, $format: ReportFormat!) { report(filter: $filter, format: $format) { content } }`;

export async function reportCommand(
  args: readonly string[],
  out: (line: string) => void,
  now: () => Date,
): Promise<number> {
  const { values, positionals } = parse(args, {
    ...TARGET_OPTIONS,
    ...SLICE_OPTIONS,
    format: { type: 'string' },
    out: { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const format = FORMATS[(values.format ?? 'md').toLowerCase() as keyof typeof FORMATS];
  if (!format) throw new UsageError(`--format must be md, html or json (got "${values.format}")`);
  const filter = sliceFilter(values, now());
  const target = await openTarget(values, { discover: true, now });
  let content: string;
  try {
    content = (await target.graphql<{ report: { content: string } }>(QUERY, { filter, format })).report
      .content;
  } finally {
    await target.close();
  }
  if (values.out) {
    mkdirSync(dirname(resolve(values.out)), { recursive: true });
    writeFileSync(values.out, content);
    out(`Report (${format.toLowerCase()}) written to ${values.out}`);
  } else {
    out(content.replace(/\n$/, ''));
  }
  return 0;
}
