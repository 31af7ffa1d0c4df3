import { nonEmpty } from './fields.ts';
import { resolveLimits, type ReportContext, type ReportLimits, type ReportSource } from './report-context.ts';
import { requireProject } from './run.ts';
import { SourceReader } from './source.ts';
import { Warnings } from './warnings.ts';
import { readXml, type XmlHandler, type XmlReadFacts } from './xml-reader.ts';

/** What every XML report parser has once the whole file is read: its mapper holds the elements. */
export interface XmlReport<M> {
  readonly lim: ReportLimits;
  readonly fileName: string;
  readonly warnings: Warnings;
  readonly reader: SourceReader;
  readonly mapper: M;
  readonly read: XmlReadFacts;
}

/**
 * Reads a whole XML report (JUnit, TRX, NUnit, xUnit.net) through the shared reader into the
 * format's mapper: limits resolved, the project required, the file named in every message.
 */
export async function readXmlReport<M extends XmlHandler>(
  source: ReportSource,
  ctx: ReportContext,
  limits: Partial<ReportLimits> | undefined,
  defaultName: string,
  mapperFor: (lim: ReportLimits, warnings: Warnings, fileName: string) => M,
): Promise<XmlReport<M>> {
  const lim = resolveLimits(limits);
  const fileName = nonEmpty(ctx.fileName) ?? defaultName;
  const warnings = new Warnings(lim.maxWarnings);
  const reader = new SourceReader(source, requireProject(ctx), lim, fileName);
  const mapper = mapperFor(lim, warnings, fileName);
  const read = await readXml(reader.text(), fileName, lim, mapper, warnings);
  return { lim, fileName, warnings, reader, mapper, read };
}
