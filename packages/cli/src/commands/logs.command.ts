import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { createLogOpener, deriveKey } from '@privacy-kit/core';
import { CliFailure } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';
import { DEFAULT_SECRET_ENV } from '../stores/audit-sources';
import { secretFrom } from '../stores/key-stores';
import type { CommandContext } from './command-context';

interface OpenFlags {
  readonly keyEnv?: string;
}

/**
 * Prints a log file written with `sealLines()` in the clear, line by line, for someone who holds the secret; a line
 * that does not open (another key, changed, not sealed) is reported on standard error with its number, never printed.
 */
async function openLogs(ctx: CommandContext, file: string, flags: OpenFlags): Promise<void> {
  const secret = secretFrom(ctx.env, flags.keyEnv ?? DEFAULT_SECRET_ENV, 'the secret the log key is derived from', '--key-env');
  const path = resolve(ctx.cwd, file);
  if (!existsSync(path)) throw new CliFailure('PK_NOT_FOUND', `no such file: ${file}.`, EXIT_CODES.USAGE);
  const open = createLogOpener(deriveKey(secret, 'log-encryption'));
  let number = 0;
  let failed = 0;
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    const opened = open(line);
    if (opened.ok) {
      ctx.output.out(`${opened.line}\n`);
    } else {
      failed++;
      ctx.output.err(`line ${number}: ${opened.problem}\n`);
    }
  }
  if (failed > 0) ctx.output.err(ctx.styles.red(`✖ ${failed} of ${number} line(s) could not be opened.\n`));
  ctx.exit(failed > 0 ? EXIT_CODES.FAILED : EXIT_CODES.OK);
}

/** Registers `privacy-kit logs open`. */
export function registerLogsCommand(program: Command, ctx: CommandContext): void {
  const logs = program
    .command('logs')
    .summary('read logs sealed at rest')
    .description("Commands for log files written with @privacy-kit/winston's sealLines().");
  logs
    .command('open <file>')
    .summary('print a sealed log file in the clear, for someone who holds the key')
    .description(
      "Opens every line of a log file written with sealLines({ key: deriveKey(secret, 'log-encryption') }) and prints it\n" +
      'on standard output. A line sealed under another key, changed after it was written, or not sealed is reported\n' +
      'on standard error with its line number, never printed.',
    )
    .option('--key-env <var>', `environment variable holding the secret the log key is derived from (default ${DEFAULT_SECRET_ENV})`)
    .addHelpText('after', `
Examples:
  $ PRIVACY_KIT_SECRET=... privacy-kit logs open /var/log/shop/app.log | jq .

Exit codes:
  0  every line opened
  1  some line could not be opened (see standard error)
  2  usage error: no such file, no secret`)
    .action((file: string, flags: OpenFlags) => openLogs(ctx, file, flags));
}
