import { builder } from './builder.ts';
import { ResultFilter } from './inputs.ts';
import { DateTime } from './scalars.ts';
import { report } from '../resolvers/report.ts';
import { REPORT_FORMATS, type Report as ReportModel } from '../src/domain/report.ts';

const ReportFormatEnum = builder.enumType('ReportFormat', {
  description: 'MARKDOWN for pull-request comments, HTML for a standalone page, JSON for machines.',
  values: REPORT_FORMATS,
});

const Report = builder.objectRef<ReportModel>('Report').implement({
  description: 'A summary of a slice: pass rates, new failures, flaky tests and slow tests.',
  fields: (t) => ({
    format: t.expose('format', { type: ReportFormatEnum }),
    generatedAt: t.expose('generatedAt', { type: DateTime }),
    content: t.exposeString('content', { description: 'The report document in `format`.' }),
  }),
});

builder.queryFields((t) => ({
  report: t.field({
    type: Report,
    nullable: false,
    description: 'A summary report of a slice.',
    args: {
      filter: t.arg({ type: ResultFilter }),
      format: t.arg({ type: ReportFormatEnum, required: true }),
    },
    resolve: (_r, { filter, format }, ctx) => report(ctx, filter, format),
  }),
}));
