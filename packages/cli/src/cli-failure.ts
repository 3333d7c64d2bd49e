import { PrivacyKitError, isPrivacyKitError, type PrivacyKitErrorCode } from '@privacy-kit/core';
import { EXIT_CODES, type ExitCode } from './exit-codes';

/** An error that ends a command with a message for people and a given exit code. */
export class CliFailure extends PrivacyKitError {
  /** How the process should exit. */
  readonly exitCode: ExitCode;

  /**
   * @param code - what happened
   * @param problem - what is wrong and how to fix it; the message is `@privacy-kit/cli: <problem>`
   * @param exitCode - how the process exits (usage error by default)
   */
  constructor(code: PrivacyKitErrorCode, problem: string, exitCode: ExitCode = EXIT_CODES.USAGE, options?: { readonly cause?: unknown }) {
    super(code, problem, { ...options, package: '@privacy-kit/cli' });
    this.name = 'CliFailure';
    this.exitCode = exitCode;
  }
}

/**
 * A usage error of the CLI (exit 2), in the shape of core's error factories, for `rejectUnknownOptions`.
 *
 * @param code - what happened
 * @param problem - what is wrong and how to fix it
 */
export function usageError(code: PrivacyKitErrorCode, problem: string): CliFailure {
  return new CliFailure(code, problem, EXIT_CODES.USAGE);
}

/**
 * What an error says, without the package that raised it: a privacy-kit error's `problem` (its message when an
 * older copy has none), another error's message.
 *
 * @param error - anything caught
 */
export function problemOf(error: unknown): string {
  if (isPrivacyKitError(error)) return (error as { problem?: string }).problem ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

/** The text of an I/O failure for a message: the system's error code (ENOENT, EACCES...), else its message. */
export function ioReason(error: unknown): string {
  return (error as NodeJS.ErrnoException | null)?.code ?? problemOf(error);
}

/** The exit code an error asks for (usage error when it says nothing). */
export function exitCodeOf(error: unknown): ExitCode {
  const code = (error as { exitCode?: unknown } | null)?.exitCode;
  return code === EXIT_CODES.FAILED || code === EXIT_CODES.USAGE || code === EXIT_CODES.MODULE || code === EXIT_CODES.WRONG_KEY ? code : EXIT_CODES.USAGE;
}
