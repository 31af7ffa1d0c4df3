import type { ReportFormat } from './report-context.ts';

/**
 * Which JSON report format a file's first bytes (about 1 KiB, leading
 * whitespace and BOM dropped) are, from the keys each tool writes first;
 * one line a format. CTRF, the general JSON format, is the fallback.
 */
const JSON_FORMATS: readonly (readonly [ReportFormat, RegExp])[] = [
  ['playwright', /^\{\s*"config"\s*:\s*\{/],
  ['jest', /^\{\s*"num(Failed|Passed|Pending|Total|RuntimeError|Todo)Test(Suite)?s"\s*:/],
  ['otlp', /^\{\s*"resourceSpans"\s*:/],
  // Allure 2 adapters write a result's (and container's) uuid first.
  ['allure', /^\{\s*"uuid"\s*:/],
];

export function detectJsonFormat(head: string): ReportFormat {
  for (const [format, pattern] of JSON_FORMATS) if (pattern.test(head)) return format;
  return 'ctrf';
}
