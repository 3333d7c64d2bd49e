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

/** A message of a privacy-kit error without its package prefix, for terminal output. */
export function plain(message: string): string {
  return message.replace(/^@privacy-kit\/[a-z]+: /, '');
}
