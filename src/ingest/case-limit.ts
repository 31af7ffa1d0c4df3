import { AssayError } from '../domain/errors.ts';

/** Refuses a report with more test cases than `REPORT_LIMITS.maxTestCases`, naming where it passed the limit. */
export function checkCaseCount(count: number, max: number, where: string, what: string): void {
  if (count >= max) {
    throw new AssayError(
      'PAYLOAD_TOO_LARGE',
      `${where}: the report has more than REPORT_LIMITS.maxTestCases (${max}) ${what}; split it into several files`,
    );
  }
}
