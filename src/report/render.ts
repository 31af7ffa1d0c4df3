import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import type { ReportFormat } from '../domain/report.ts';
import type { ReportData } from '../domain/report.ts';

/** The report data in one format: JSON is the data itself (src/domain/report.ts documents it). */
export function renderReport(data: ReportData, format: ReportFormat): string {
  switch (format) {
    case 'MARKDOWN':
      return renderMarkdown(data);
    case 'HTML':
      return renderHtml(data);
    case 'JSON':
      return `${JSON.stringify(data, null, 2)}\n`;
  }
}
