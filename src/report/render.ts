import { renderHtml } from './html.ts';
import { infraHtml, infraMarkdown } from './infra-section.ts';
import { renderMarkdown } from './markdown.ts';
import type { ReportFormat } from '../domain/report.ts';
import type { ReportData } from '../domain/report.ts';

/** The report data in one format: JSON is the data itself (src/domain/report.ts documents it). */
export function renderReport(data: ReportData, format: ReportFormat): string {
  const marks = data.infrastructureFailures;
  switch (format) {
    case 'MARKDOWN':
      return marks ? renderMarkdown(data) + infraMarkdown(marks) : renderMarkdown(data);
    case 'HTML':
      return marks ? renderHtml(data).replace('</main>', `${infraHtml(marks)}</main>`) : renderHtml(data);
    case 'JSON':
      return `${JSON.stringify(data, null, 2)}\n`;
  }
}
