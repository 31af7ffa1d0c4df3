/** Stable codes clients can branch on; they travel as `extensions.code`. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'NOT_IMPLEMENTED'
  | 'INSUFFICIENT_DATA'
  | 'TIMEOUT'
  | 'UNAVAILABLE'
  | 'STALE_REPLICA'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED';

/**
 * An expected failure whose message is safe to show the caller: it says what
 * was wrong and how to fix it. Anything that is not an AssayError is masked.
 */
export class AssayError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = 'AssayError';
    this.code = code;
    this.details = details;
  }
}

export const badInput = (message: string, details?: Readonly<Record<string, unknown>>): AssayError =>
  new AssayError('BAD_USER_INPUT', message, details);

export const notFound = (what: string, id: string): AssayError =>
  new AssayError(
    'NOT_FOUND',
    `No ${what} has id "${id}". List them with the \`${what}s\` query to find a valid id.`,
  );
