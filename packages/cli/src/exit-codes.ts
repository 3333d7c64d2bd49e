/**
 * The exit codes of `privacy-kit`, so CI scripts can tell a failed check from a broken setup.
 *
 * | code | meaning |
 * | ---- | ------- |
 * | 0 | success: the check passed, coverage met `--min`, the audit chain is intact |
 * | 1 | the check found problems, coverage is below `--min`, the audit chain is broken, a copy stopped or its scan found personal data, or an incident is overdue |
 * | 2 | usage or configuration error: a bad flag, config file, observations file, database or key |
 * | 3 | the app module could not be loaded, or it exports no Express app |
 * | 4 | `audit verify`, `keys rotate`, `pseudonymize`: the audit log was written under another key than the one given (not tampering) |
 */
export const EXIT_CODES = {
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  MODULE: 3,
  WRONG_KEY: 4,
} as const;

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
