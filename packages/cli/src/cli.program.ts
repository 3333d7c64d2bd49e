import { Command, CommanderError } from 'commander';
import { isPrivacyKitError } from '@privacy-kit/core';
import { exitCodeOf, problemOf } from './cli-failure';
import { registerAuditCommand } from './commands/audit.command';
import { registerCheckCommand } from './commands/check.command';
import { registerCoverageCommand } from './commands/coverage.command';
import { registerKeysCommand } from './commands/keys.command';
import { registerLogsCommand } from './commands/logs.command';
import { registerIncidentsCommand } from './commands/incidents.command';
import { registerMapCommand } from './commands/map.command';
import { registerPseudonymizeCommand } from './commands/pseudonymize.command';
import { registerSchemaCommand } from './commands/schema.command';
import { registerSweepCommand } from './commands/sweep.command';
import type { CommandContext } from './commands/command-context';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import { shouldColor, stylesFor, type CliOutput } from './output/terminal';

/** Where a run reads and writes; defaults to the process's. */
export interface CliEnvironment {
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  readonly isTTY?: boolean;
  /** Standard error is a terminal (where progress bars are drawn). */
  readonly stderrIsTTY?: boolean;
  readonly columns?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json is outside rootDir (src), so it is read at run time
const VERSION = (require('../package.json') as { version: string }).version;

/**
 * Builds the `privacy-kit` program (commander) with its commands: map, check, coverage, audit verify, schema, sweep, keys rotate, logs open, pseudonymize.
 *
 * @param ctx - output, styles, working directory, environment, exit code
 */
export function createProgram(ctx: CommandContext): Command {
  const program = new Command('privacy-kit')
    .description('The compliance map of an Express app that uses privacy-kit: map it, check it in CI, measure what the tests cover, verify the audit trail.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.output.out(s), writeErr: (s) => ctx.output.err(s) })
    .exitOverride();
  program.addHelpText('after', `
Exit codes:
  0  success
  1  check found problems, coverage below --min, the audit chain is broken, a copy stopped or its scan found personal data, or an incident is overdue
  2  usage or configuration error
  3  the app (or mapping) module could not be loaded, or exports no Express app
  4  audit verify, keys rotate, pseudonymize: the audit log was written under another key (wrong secret)

Colour only on a terminal; NO_COLOR turns it off, FORCE_COLOR on.`);
  registerMapCommand(program, ctx);
  registerCheckCommand(program, ctx);
  registerCoverageCommand(program, ctx);
  registerAuditCommand(program, ctx);
  registerSchemaCommand(program, ctx);
  registerSweepCommand(program, ctx);
  registerKeysCommand(program, ctx);
  registerLogsCommand(program, ctx);
  registerPseudonymizeCommand(program, ctx);
  registerIncidentsCommand(program, ctx);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: (s) => ctx.output.out(s), writeErr: (s) => ctx.output.err(s) });
  return program;
}

/**
 * Runs `privacy-kit` with arguments (without `node` and the script) and returns the exit code; never calls
 * `process.exit`.
 *
 * @param argv - e.g. ['check', 'src/app.ts', '--strict']
 * @param environment - output streams, terminal facts, environment, working directory
 * @example
 * process.exitCode = await run(process.argv.slice(2));
 */
export async function run(argv: readonly string[], environment: CliEnvironment = {}): Promise<ExitCode> {
  const env = environment.env ?? process.env;
  const isTTY = environment.isTTY ?? process.stdout.isTTY === true;
  const output: CliOutput = {
    out: environment.stdout ?? ((text) => void process.stdout.write(text)),
    err: environment.stderr ?? ((text) => void process.stderr.write(text)),
    isTTY,
    errIsTTY: environment.stderrIsTTY ?? (environment.stderr === undefined && process.stderr.isTTY === true),
    columns: environment.columns ?? (isTTY ? process.stdout.columns : undefined),
    color: shouldColor(isTTY, env),
  };
  const styles = stylesFor(output.color);
  let code: ExitCode = EXIT_CODES.OK;
  const ctx: CommandContext = { output, styles, cwd: environment.cwd ?? process.cwd(), env, exit: (c) => { code = c; } };
  const program = createProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    // Commander has printed its message (or the help) already.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.OK : EXIT_CODES.USAGE;
    // The CLI's own failures are shown as the command's ('privacy-kit: ...'); any other package's keep its name.
    const ours = isPrivacyKitError(error) && error.package === '@privacy-kit/cli';
    const message = ours ? `privacy-kit: ${problemOf(error)}` : error instanceof Error ? error.message : String(error);
    output.err(`${styles.red('error')}: ${message}\n`);
    return exitCodeOf(error);
  }
}

/**
 * Runs the command line as the `privacy-kit` binary does: {@link run}, then exit with its code once the output is
 * written. The loaded app may hold handles (a database, timers, even a listening server), so the process exits
 * instead of waiting for them. Both binaries (this package's and the `privacy-kit` umbrella's) call it.
 *
 * @param argv - the arguments after the command name
 * @example
 * runAndExit(process.argv.slice(2));
 */
export function runAndExit(argv: readonly string[]): void {
  run(argv).then(
    (code) => {
      process.exitCode = code;
      process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
    },
    (error: unknown) => {
      process.stderr.write(`privacy-kit: unexpected error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`, () => process.exit(2));
    },
  );
}
