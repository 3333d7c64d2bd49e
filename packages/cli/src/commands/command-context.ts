import type { ExitCode } from '../exit-codes';
import type { CliOutput, Styles } from '../output/terminal';

/** What every command gets from the program. */
export interface CommandContext {
  readonly output: CliOutput;
  readonly styles: Styles;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Sets the exit code of the run (the last call wins). */
  exit(code: ExitCode): void;
}

/**
 * A check finding's message without its package prefix, for terminal output. Findings are plain strings: the
 * inventory keeps each problem as the package that found it wrote it (errors themselves are shown through
 * `problemOf`).
 */
export function plain(message: string): string {
  return message.replace(/^@privacy-kit\/[a-z]+: /, '');
}
