import type { Command } from 'commander';
import type { AuditVerifyReport } from '@privacy-kit/core';
import { CliFailure } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';
import { DEFAULT_SECRET_ENV, auditKeyFrom, openVerifiableStore } from '../stores/audit-sources';
import type { CommandContext } from './command-context';

interface VerifyFlags {
  readonly db?: string;
  readonly databaseUrl?: string;
  readonly keyEnv?: string;
  readonly json?: boolean;
}

/** Registers `privacy-kit audit verify`. */
export function registerAuditCommand(program: Command, ctx: CommandContext): void {
  const audit = program
    .command('audit')
    .summary('work with the tamper-evident audit trail')
    .description('Commands for the audit trail that privacy() writes.');

  audit
    .command('verify')
    .summary('verify the audit chain of a store (exit 1 when it was tampered with)')
    .description(
      'Recomputes the keyed HMAC chain of the audit log and its signed head: any changed, deleted, reordered,\n' +
        `inserted or truncated record is found. The key is deriveKey(secret, 'audit') of the secret in ${DEFAULT_SECRET_ENV}\n` +
        '(or in the variable named by --key-env), exactly as the app derives it.',
    )
    .option('--db <file>', 'the SQLite file of the store')
    .option('--database-url <url>', 'a PostgreSQL connection string (needs @privacy-kit/postgres)')
    .option('--key-env <var>', `environment variable holding the secret (default ${DEFAULT_SECRET_ENV})`)
    .option('--json', 'print the report as JSON')
    .addHelpText('after', `
Examples:
  $ PRIVACY_KIT_SECRET=... privacy-kit audit verify --db privacy-kit.db
  $ privacy-kit audit verify --database-url "$DATABASE_URL" --key-env AUDIT_SECRET --json

Exit codes: 0 intact, 1 broken, 2 usage error (no store, no key, store unreachable).`)
    .action(async (flags: VerifyFlags) => {
      if ((flags.db === undefined) === (flags.databaseUrl === undefined)) {
        throw new CliFailure('PK_INVALID_OPTION', 'audit verify needs exactly one store: --db FILE (SQLite) or --database-url URL (PostgreSQL).', EXIT_CODES.USAGE);
      }
      const key = auditKeyFrom(ctx.env, flags.keyEnv);
      const store = openVerifiableStore({ ...(flags.db === undefined ? {} : { db: flags.db }), ...(flags.databaseUrl === undefined ? {} : { databaseUrl: flags.databaseUrl }) }, key, ctx.cwd);
      let report: AuditVerifyReport;
      try {
        report = await store.verifyAudit();
      } catch (error) {
        throw new CliFailure('PK_STORE_UNAVAILABLE', `cannot read the audit log: ${(error as Error).message.replace(/^@privacy-kit\/[a-z]+: /, '')}`, EXIT_CODES.USAGE, { cause: error });
      } finally {
        await store.close().catch(() => undefined);
      }
      if (flags.json === true) ctx.output.out(`${JSON.stringify(report, null, 2)}\n`);
      else if (report.ok) ctx.output.out(ctx.styles.green(`✔ audit chain intact: ${report.checked} record(s) checked. ${report.message}\n`));
      else {
        const where = report.firstBadSeq === undefined ? '' : ` at record #${report.firstBadSeq}`;
        ctx.output.out(ctx.styles.red(`✖ audit chain broken${where} (${report.problem ?? 'unknown'}): ${report.message}\n`));
      }
      ctx.exit(report.ok ? EXIT_CODES.OK : EXIT_CODES.FAILED);
    });
}
