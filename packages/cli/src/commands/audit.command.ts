import type { Command } from 'commander';
import type { AuditVerifyReport } from '@privacy-kit/core';
import { CliFailure, problemOf } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';
import { DEFAULT_SECRET_ENV, auditKeyFrom, readCheckpointFile, verifyAuditSource, type CheckpointFileReading } from '../stores/audit-sources';
import type { CommandContext } from './command-context';

interface VerifyFlags {
  readonly db?: string;
  readonly databaseUrl?: string;
  readonly schema?: string;
  readonly keyEnv?: string;
  readonly checkpoint?: string;
  readonly allowEmpty?: boolean;
  readonly json?: boolean;
}

/** The report of `audit verify`: the log's, plus what the checkpoint file held. */
interface VerifyOutcome extends AuditVerifyReport {
  readonly checkpointFile?: { readonly file: string; readonly valid: number; readonly problems: CheckpointFileReading['problems'] };
}

const HEADLINES: Partial<Record<NonNullable<AuditVerifyReport['problem']>, string>> = {
  key: 'wrong audit key',
  empty: 'the audit log is empty',
  missing: 'not a privacy-kit audit log',
};

/** The report's message without the sentence start that the headline already says. */
function detail(report: AuditVerifyReport): string {
  return report.message.replace(/^(Wrong audit key|The audit log is empty): /, '');
}

/** Registers `privacy-kit audit verify`. */
export function registerAuditCommand(program: Command, ctx: CommandContext): void {
  const audit = program
    .command('audit')
    .summary('work with the tamper-evident audit trail')
    .description('Commands for the audit trail that privacy() writes.');

  audit
    .command('verify')
    .summary('verify the audit chain of a store (exit 1 when it was tampered with, 4 for a wrong key)')
    .description(
      'Recomputes the keyed HMAC chain of the audit log and its signed head: any changed, deleted, reordered,\n' +
        'inserted or unreadable record is found, and a truncated tail unless an older head was put back. With\n' +
        '--checkpoint, the log must also reach and agree with the newest signed checkpoint the app published\n' +
        'outside the store, which catches that too. The store is only read: nothing is created or migrated.\n' +
        `The key is deriveKey(secret, 'audit') of the secret in ${DEFAULT_SECRET_ENV} (or in the variable named by\n` +
        '--key-env), exactly as the app derives it.',
    )
    .option('--db <file>', 'the SQLite file of the store')
    .option('--database-url <url>', 'a PostgreSQL connection string (needs @privacy-kit/postgres)')
    .option('--schema <name>', 'the PostgreSQL schema of the store (default privacy_kit)')
    .option('--key-env <var>', `environment variable holding the secret (default ${DEFAULT_SECRET_ENV})`)
    .option('--checkpoint <file>', "a checkpoint file the store's checkpoints option writes: the log must reach its newest checkpoint")
    .option('--allow-empty', 'accept a well-formed log without any record (a new store)')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', `
Examples:
  $ PRIVACY_KIT_SECRET=... privacy-kit audit verify --db privacy-kit.db --checkpoint /var/log/shop/audit-checkpoints.jsonl
  $ privacy-kit audit verify --database-url "$DATABASE_URL" --key-env AUDIT_SECRET --json

Exit codes:
  0  the chain is intact (and reaches the checkpoint)
  1  tampering: a changed, deleted, reordered, inserted or unreadable record, a truncated tail, a bad head,
     a log that disagrees with the checkpoint or a bad checkpoint line; an empty log (without --allow-empty);
     no privacy-kit audit log at all
  2  usage error: no store, no key, no such file, store unreachable
  4  wrong key: the log was written under another audit key (its key fingerprint differs)`)
    .action(async (flags: VerifyFlags) => {
      if ((flags.db === undefined) === (flags.databaseUrl === undefined)) {
        throw new CliFailure('PK_INVALID_OPTION', 'audit verify needs exactly one store: --db FILE (SQLite) or --database-url URL (PostgreSQL).', EXIT_CODES.USAGE);
      }
      const key = auditKeyFrom(ctx.env, flags.keyEnv);
      const checkpoints = flags.checkpoint === undefined ? undefined : readCheckpointFile(ctx.cwd, flags.checkpoint, key);
      let report: AuditVerifyReport;
      try {
        report = await verifyAuditSource({
          ...(flags.db === undefined ? {} : { db: flags.db }),
          ...(flags.databaseUrl === undefined ? {} : { databaseUrl: flags.databaseUrl }),
          ...(flags.schema === undefined ? {} : { schema: flags.schema }),
          ...(checkpoints?.newest === undefined ? {} : { checkpoint: checkpoints.newest }),
          allowEmpty: flags.allowEmpty === true,
        }, key, ctx.cwd);
      } catch (error) {
        if ((error as { name?: unknown } | null)?.name === 'CliFailure') throw error;
        throw new CliFailure('PK_STORE_UNAVAILABLE', `cannot read the audit log: ${problemOf(error)}`, EXIT_CODES.USAGE, { cause: error });
      }
      const wrongKey = report.problem === 'key';
      // Lines signed under another key say nothing new when the key itself is wrong.
      const fileProblems = checkpoints === undefined ? [] : checkpoints.problems.filter((p) => !(wrongKey && p.wrongKey));
      const noCheckpoint = checkpoints !== undefined && checkpoints.newest === undefined && checkpoints.problems.length === 0;
      const outcome: VerifyOutcome = {
        ...report,
        ...(report.ok && (fileProblems.length > 0 || noCheckpoint)
          ? {
            ok: false,
            problem: 'checkpoint' as const,
            message: noCheckpoint
              ? `The checkpoint file ${checkpoints?.file ?? ''} holds no checkpoint: it was emptied, or the app has not written one yet (then verify without --checkpoint).`
              : `${report.message} But the checkpoint file has ${fileProblems.length} bad line(s).`,
          }
          : {}),
        ...(checkpoints === undefined ? {} : { checkpointFile: { file: checkpoints.file, valid: checkpoints.valid, problems: fileProblems } }),
      };
      if (flags.json === true) ctx.output.out(`${JSON.stringify(outcome, null, 2)}\n`);
      else {
        if (report.ok) ctx.output.out(ctx.styles.green(`✔ audit chain intact: ${report.checked} record(s) checked. ${report.message}\n`));
        else {
          const headline = report.problem === undefined ? undefined : HEADLINES[report.problem];
          const where = report.firstBadSeq === undefined ? '' : ` at record #${report.firstBadSeq}`;
          ctx.output.out(ctx.styles.red(headline !== undefined
            ? `✖ ${headline}: ${detail(report)}\n`
            : `✖ audit chain broken${where} (${report.problem ?? 'unknown'}): ${report.message}\n`));
        }
        for (const p of fileProblems) ctx.output.out(ctx.styles.red(`✖ checkpoint file broken at line ${p.line}: ${p.message}.\n`));
        if (noCheckpoint) ctx.output.out(ctx.styles.red(`✖ no checkpoint: ${outcome.message}\n`));
      }
      ctx.exit(wrongKey ? EXIT_CODES.WRONG_KEY : outcome.ok ? EXIT_CODES.OK : EXIT_CODES.FAILED);
    });
}
