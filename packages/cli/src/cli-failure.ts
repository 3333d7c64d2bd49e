import { PrivacyKitError, type PrivacyKitErrorCode } from '@privacy-kit/core';
import { EXIT_CODES, type ExitCode } from './exit-codes';

/** An error that ends a command with a message for people and a given exit code. */
export class CliFailure extends PrivacyKitError {
  /** How the process should exit. */
  readonly exitCode: ExitCode;

  constructor(code: PrivacyKitErrorCode, message: string, exitCode: ExitCode = EXIT_CODES.USAGE, options?: { readonly cause?: unknown }) {
    super(code, message.startsWith('@privacy-kit/cli:') ? message : `@privacy-kit/cli: ${message}`, options);
    this.name = 'CliFailure';
    this.exitCode = exitCode;
  }
}

/** The exit code an error asks for (usage error when it says nothing). */
export function exitCodeOf(error: unknown): ExitCode {
  const code = (error as { exitCode?: unknown } | null)?.exitCode;
  return code === EXIT_CODES.FAILED || code === EXIT_CODES.USAGE || code === EXIT_CODES.MODULE ? code : EXIT_CODES.USAGE;
}
