/**
 * The exit codes of every `assay` command (README, "Exit codes"), distinct so
 * CI can tell a failing build from a broken pipeline.
 */
export const EXIT = {
  OK: 0,
  /** The command's check failed: a quality gate did not pass, or ingest refused a file. */
  FAILED: 1,
  /** A bad command line: unknown command or option, a missing or out-of-range value. */
  USAGE: 2,
  /** The gateway cannot be reached, the database file cannot be opened (missing, in use), or serve's port is taken. */
  UNAVAILABLE: 3,
  /** Anything else: the gateway answered with an error, or Assay failed. */
  ERROR: 4,
} as const;

/** Thrown when what a command talks to is not there; main prints it and exits 3. */
export class UnavailableError extends Error {}
