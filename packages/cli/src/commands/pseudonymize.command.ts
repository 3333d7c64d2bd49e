import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  createCopyTransformer,
  createFieldCipher,
  definePseudonymization,
  deriveKey,
  describePlan,
  isPrivacyKitError,
  isoTime,
  localKeyProvider,
  planCopy,
  runCopy,
  type AuditEntry,
  type CopyDatabaseKind,
  type CopyMapping,
  type CopyPlan,
  type CopyReport,
  type CopySource,
  type CopyTarget,
} from '@privacy-kit/core';
import { CliFailure, problemOf } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';
import { importUserModule } from '../load/app-module.loader';
import { createProgress } from '../output/progress';
import { DEFAULT_SECRET_ENV } from '../stores/audit-sources';
import { openKeyStore, secretFrom, type WritableKeyStore } from '../stores/key-stores';
import { scanCopy, type ScanFinding } from '../copy/copy-scan';
import type { CommandContext } from './command-context';

interface PseudonymizeFlags {
  readonly from: string;
  readonly to: string;
  readonly mapping: string;
  readonly export?: string;
  readonly store?: string;
  readonly storeUrl?: string;
  readonly storeSchema?: string;
  readonly schema?: string;
  readonly toSchema?: string;
  readonly keyEnv?: string;
  readonly secretEnv?: string;
  readonly batchSize: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

/** The variable the copy secret is read from by default: the key of the copy's pseudonyms and fakes. */
export const DEFAULT_COPY_SECRET_ENV = 'PRIVACY_KIT_COPY_SECRET';
/** Rows read, transformed and written per batch (and per transaction of the target) by default. */
const DEFAULT_BATCH_SIZE = 5000;
/** The app id of the audit records the CLI writes. */
const CLI_APP_ID = 'privacy-kit-cli';
/** Export names a mapping module is looked up under, in order. */
const MAPPING_EXPORTS = ['pseudonymization', 'mapping', 'default'];

/** A database named on the command line: a SQLite file or a PostgreSQL URL. */
interface DatabaseRef {
  readonly kind: CopyDatabaseKind;
  /** The file (resolved) or the connection string. */
  readonly location: string;
  /** What is shown in messages: the file as given, or the URL without its credentials. */
  readonly shown: string;
}

function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text);
}

/** A connection string without user and password, for messages (never print credentials). */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return 'the PostgreSQL URL';
  }
}

function databaseRef(text: string, flag: string, cwd: string): DatabaseRef {
  if (text.trim() === '') throw new CliFailure('PK_INVALID_OPTION', `${flag} needs a SQLite file or a postgres:// URL (not empty).`, EXIT_CODES.USAGE);
  if (isPostgresUrl(text)) return { kind: 'postgres', location: text, shown: withoutCredentials(text) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new CliFailure('PK_INVALID_OPTION', `${flag}: ${text.split('://')[0]}:// is not a database privacy-kit copies; give a SQLite file path or a postgres:// (postgresql://) URL.`, EXIT_CODES.USAGE);
  }
  return { kind: 'sqlite', location: resolve(cwd, text), shown: text };
}

function batchSizeOf(text: string): number {
  const size = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(size) || size < 1 || size > 1_000_000) {
    throw new CliFailure('PK_INVALID_OPTION', `--batch-size must be a whole number from 1 to 1000000; got ${JSON.stringify(text)}.`, EXIT_CODES.USAGE);
  }
  return size;
}

function isMapping(value: unknown): value is CopyMapping {
  return typeof value === 'object' && value !== null && typeof (value as { tables?: unknown }).tables === 'object' && (value as { tables?: unknown }).tables !== null;
}

/** Loads the module that holds the mapping and validates it against the annotations (definePseudonymization). */
async function loadMapping(cwd: string, specifier: string, exportName: string | undefined): Promise<CopyMapping> {
  const file = resolve(cwd, specifier);
  if (!existsSync(file)) {
    throw new CliFailure('PK_NOT_FOUND', `--mapping: no such module ${specifier}. Give the module that exports your mapping (definePseudonymization({ tables: … })), e.g. src/pseudonymization.ts.`, EXIT_CODES.USAGE);
  }
  const exported = await importUserModule(file, specifier);
  const names = exportName === undefined ? MAPPING_EXPORTS : [exportName];
  const inner = (exported as { default?: unknown }).default;
  const lookIn = [exported, ...(typeof inner === 'object' && inner !== null && !isMapping(inner) ? [inner as Record<string, unknown>] : [])];
  let found: unknown;
  for (const name of names) {
    for (const place of lookIn) {
      if (found === undefined && isMapping(place[name])) found = place[name];
    }
  }
  if (found === undefined && exportName === undefined) {
    const candidates = Object.entries(exported).filter(([, value]) => isMapping(value));
    if (candidates.length === 1) found = (candidates[0] as [string, unknown])[1];
  }
  if (found === undefined) {
    const listing = Object.keys(exported).join(', ') || '(nothing)';
    throw new CliFailure(
      'PK_COPY_MAPPING',
      `${specifier} exports no mapping${exportName === undefined ? '' : ` named '${exportName}'`} (it exports: ${listing}). ` +
        "Export one: `export const pseudonymization = definePseudonymization({ tables: { … } });` (or name it with --export NAME).",
      EXIT_CODES.USAGE,
    );
  }
  try {
    return definePseudonymization(found as CopyMapping);
  } catch (error) {
    throw new CliFailure(isPrivacyKitError(error) ? error.code : 'PK_COPY_MAPPING', `${specifier}: ${problemOf(error)}`, EXIT_CODES.USAGE, { cause: error });
  }
}

/** Opens a source or target through its store package (loaded only when that kind is used). */
async function openDatabase(ref: DatabaseRef, role: 'source' | 'target', schema: string | undefined): Promise<CopySource | CopyTarget> {
  try {
    if (ref.kind === 'sqlite') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the store package (and its native driver) loads only when a SQLite file is copied
      const sqlite = require('@privacy-kit/sqlite') as typeof import('@privacy-kit/sqlite');
      return role === 'source' ? await sqlite.openSqliteCopySource(ref.location) : await sqlite.openSqliteCopyTarget(ref.location);
    }
    let postgres: typeof import('@privacy-kit/postgres');
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional peer: installed by apps on PostgreSQL
      postgres = require('@privacy-kit/postgres') as typeof import('@privacy-kit/postgres');
    } catch (error) {
      throw new CliFailure('PK_INVALID_OPTION', `copying PostgreSQL needs @privacy-kit/postgres: npm install @privacy-kit/postgres pg (${problemOf(error)}).`, EXIT_CODES.USAGE, { cause: error });
    }
    const options = { connectionString: ref.location, ...(schema === undefined ? {} : { schema }) };
    return role === 'source' ? await postgres.openPostgresCopySource(options) : await postgres.openPostgresCopyTarget(options);
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'CliFailure') throw error;
    throw new CliFailure(isPrivacyKitError(error) ? error.code : 'PK_STORE_UNAVAILABLE', `cannot open the ${role} ${ref.shown}: ${problemOf(error)}`, EXIT_CODES.USAGE, { cause: error });
  }
}

/** The audit record of a run: what was copied (tables and row counts), under which key, into which kind of database. */
function copyEntry(details: NonNullable<AuditEntry['details']>, durationMs: number, reason: string | null): AuditEntry {
  return {
    event: 'copy', time: isoTime(), requestId: `copy-${randomUUID()}`, appId: CLI_APP_ID, actor: null, subject: null, method: null, route: null,
    purposes: [], basis: null, categories: [], decision: 'allowed', reason, status: null, durationMs, details,
  };
}

function tableCounts(report: CopyReport | undefined): string {
  return report === undefined ? '' : report.tables.map((t) => `${t.name}=${t.rows}`).join(', ');
}

function printPlan(ctx: CommandContext, plan: CopyPlan): void {
  ctx.output.out(`${describePlan(plan)}\n`);
}

function printFindings(ctx: CommandContext, findings: readonly ScanFinding[]): void {
  ctx.output.out(ctx.styles.red(`✖ the scan of the copy found values that look personal in ${findings.length} column(s):\n`));
  for (const finding of findings) ctx.output.out(`  ${finding.table}.${finding.column}: ${finding.count} × ${finding.label}\n`);
  ctx.output.out('  Do not hand this copy out. Map those columns to a field or a strategy (scrub, nullify, pseudonym…) and copy again into an empty target.\n');
}

/** Data keys looked at by {@link checkDataKeys}: enough to tell a wrong secret, without reading a large store. */
const KEK_SAMPLE = 1000;

/**
 * Before anything is written: when the plan opens sealed fields, the store's data keys must be wrapped under the
 * key-encryption key the app's secret derives; with another secret every sealed value would fail to open mid-copy.
 */
async function checkDataKeys(store: WritableKeyStore, kekId: string, plan: CopyPlan, secretEnv: string): Promise<void> {
  if (!plan.tables.some((table) => table.columns.some((column) => column.sealed))) return;
  const keys = await store.listDataKeys({ limit: KEK_SAMPLE });
  const foreign = [...new Set(keys.map((key) => key.kekId).filter((id) => id !== kekId))];
  if (foreign.length > 0) {
    throw new CliFailure(
      'PK_DECRYPT',
      `the store's data keys are wrapped under key-encryption key ${foreign.join(', ')}, but the secret in ${secretEnv} derives ${kekId}: ` +
        `give the secret the app seals with in ${secretEnv} (or name its variable with --secret-env VAR). Nothing was written.`,
      EXIT_CODES.USAGE,
    );
  }
}

interface RunInputs {
  readonly flags: PseudonymizeFlags;
  readonly from: DatabaseRef;
  readonly to: DatabaseRef;
  readonly mapping: CopyMapping;
  readonly copySecret: string;
  readonly appSecret: string;
  readonly batchSize: number;
  readonly json: boolean;
}

async function copy(ctx: CommandContext, store: WritableKeyStore, source: CopySource, inputs: RunInputs): Promise<void> {
  const { from, to, mapping, copySecret, appSecret, batchSize, json } = inputs;
  const started = performance.now();
  // The gate: the whole schema is checked against the mapping before the target is even opened.
  let plan: CopyPlan;
  try {
    plan = planCopy(mapping, await source.tables());
  } catch (error) {
    if (inputs.flags.dryRun !== true) {
      await store.appendAudit(copyEntry({ operation: 'pseudonymize', status: 'refused', source: from.kind, target: to.kind, rows: 0 }, Math.round(performance.now() - started), 'copy_refused'));
    }
    throw error;
  }
  if (inputs.flags.dryRun === true) {
    printPlan(ctx, plan);
    ctx.exit(EXIT_CODES.OK);
    return;
  }
  const keyProvider = localKeyProvider({ secret: appSecret });
  await checkDataKeys(store, keyProvider.kekId, plan, inputs.flags.secretEnv ?? DEFAULT_SECRET_ENV);
  const cipher = createFieldCipher({ keys: store, keyProvider, cache: { max: 10_000 } });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the redaction engine loads only for a copy
  const { createRedactor } = require('@privacy-kit/redact') as typeof import('@privacy-kit/redact');
  const scrubber = createRedactor({ keys: false, classAware: false, maxStringLength: 1024 * 1024 });
  const transformer = createCopyTransformer(plan, {
    secret: copySecret,
    scrub: (text: string) => scrubber.text(text),
    cipher,
    pseudonymKey: deriveKey(appSecret, 'pseudonym'),
  });
  const target = await openDatabase(to, 'target', inputs.flags.toSchema ?? inputs.flags.schema) as CopyTarget;
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let report: CopyReport | undefined;
  let failure: unknown;
  let findings: readonly ScanFinding[] = [];
  let scanMs = 0;
  try {
    let total = 0;
    for (const table of plan.tables) total += await source.countRows(table.spec.name);
    const counted = new Map<string, number>();
    const progress = createProgress(ctx.output, { label: 'copying rows', total, every: batchSize * 10, quiet: json });
    const done = (): number => [...counted.values()].reduce((sum, n) => sum + n, 0);
    try {
      report = await runCopy({
        source, target, plan, transformer, secret: copySecret, batchSize, signal: abort.signal,
        onProgress: (p) => {
          counted.set(p.table, p.rows);
          progress.update(done());
        },
      });
    } finally {
      progress.finish(done());
    }
    const scanStarted = performance.now();
    findings = await scanCopy(target, { batchSize });
    scanMs = Math.round(performance.now() - scanStarted);
  } catch (error) {
    failure = error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await target.close().catch(() => undefined);
  }
  const durationMs = Math.round(performance.now() - started);
  const status = failure !== undefined ? (abort.signal.aborted ? 'interrupted' : 'failed') : findings.length > 0 ? 'findings' : 'done';
  await store.appendAudit(copyEntry({
    operation: 'pseudonymize', status, source: from.kind, target: to.kind, keyId: transformer.keyId,
    tables: tableCounts(report), rows: report?.rows ?? 0, resumed: report?.resumed ?? false, findings: findings.length,
  }, durationMs, status === 'done' ? null : `copy_${status}`));
  if (failure !== undefined && !abort.signal.aborted && isPrivacyKitError(failure) && failure.code === 'PK_COPY') {
    // Refused before a row was written: the target is the source, holds other data, or is another copy's.
    throw new CliFailure('PK_COPY', problemOf(failure), EXIT_CODES.USAGE, { cause: failure });
  }
  if (failure !== undefined) {
    throw new CliFailure(
      isPrivacyKitError(failure) ? failure.code : 'PK_COPY',
      `the copy into ${to.shown} stopped: ${problemOf(failure)} What was written stays, with its progress: run the same command again to resume (or give an empty target to start afresh).`,
      EXIT_CODES.FAILED,
      { cause: failure },
    );
  }
  const done = report as CopyReport;
  if (json) {
    ctx.output.out(`${JSON.stringify({ ok: findings.length === 0, source: from.kind, target: to.kind, keyId: done.keyId, rows: done.rows, tables: done.tables, resumed: done.resumed, durationMs, copyMs: done.durationMs, scanMs, findings }, null, 2)}\n`);
  } else if (findings.length === 0) {
    ctx.output.out(ctx.styles.green(`✔ copied ${done.rows} row(s) of ${done.tables.length} table(s) into ${to.shown} in ${(durationMs / 1000).toFixed(1)} s${done.resumed ? ' (resumed)' : ''}; the scan of the copy found nothing personal.\n`));
    for (const table of done.tables) ctx.output.out(`  ${table.name}: ${table.rows}\n`);
  }
  if (findings.length > 0) {
    if (!json) printFindings(ctx, findings);
    ctx.exit(EXIT_CODES.FAILED);
    return;
  }
  ctx.exit(EXIT_CODES.OK);
}

/** Registers `privacy-kit pseudonymize`. */
export function registerPseudonymizeCommand(program: Command, ctx: CommandContext): void {
  program
    .command('pseudonymize')
    .summary('make a safe copy of the app\'s database for development or staging, driven by the annotations')
    .description(
      'Copies a database (schema and rows) from --from to --to, transforming every column as the mapping module says:\n' +
        'keyed pseudonyms for identifiers (the same in every table and run under the same copy secret, so joins keep\n' +
        'working), realistic fakes for e-mails, phones, IBANs, cards, names and addresses, dates of birth shifted per\n' +
        'subject, free text scrubbed by the redaction engine, and nullify / drop / keep (with a reason). Fields sealed\n' +
        'with field encryption are opened with the app\'s keys first: no key or cipher text reaches the copy.\n\n' +
        'Fail closed: a table or column the mapping does not account for stops the run before anything is written, and\n' +
        'every such column is listed. After the copy, every text column of the target is scanned with the redaction\n' +
        'engine\'s detectors; anything that looks personal (other than the copy\'s own fakes) fails the run. The target\n' +
        'is never the source, and must be new or empty (or an unfinished copy, which is resumed).\n\n' +
        `Keys: the copy's pseudonyms and fakes are keyed with the secret in --key-env (default ${DEFAULT_COPY_SECRET_ENV});\n` +
        `the app's secret (--secret-env, default ${DEFAULT_SECRET_ENV}) opens sealed fields and keys the audit record\n` +
        "appended to the app's privacy-kit store (--store FILE or --store-url URL): tables, row counts, the copy key's\n" +
        'id and the kind of target, never its location or credentials.',
    )
    .requiredOption('--from <db>', 'the source: a SQLite file or a postgres:// URL')
    .requiredOption('--to <db>', 'the target: a new SQLite file, or a postgres:// URL of an empty database (same kind as --from)')
    .requiredOption('--mapping <module>', 'the module that exports the mapping (definePseudonymization), TypeScript or JavaScript')
    .option('--export <name>', 'the export of the module that holds the mapping (default: pseudonymization, mapping, default)')
    .option('--store <file>', "the app's privacy-kit store (SQLite): its data keys open sealed fields; the run's audit record goes there")
    .option('--store-url <url>', "the app's privacy-kit store on PostgreSQL (needs @privacy-kit/postgres)")
    .option('--store-schema <name>', 'the PostgreSQL schema of the store (default privacy_kit)')
    .option('--schema <name>', 'PostgreSQL: the schema of the app\'s tables to copy (default public)')
    .option('--to-schema <name>', 'PostgreSQL: the schema to create in the target (default: the same as --schema)')
    .option('--key-env <var>', `environment variable holding the copy secret (default ${DEFAULT_COPY_SECRET_ENV})`)
    .option('--secret-env <var>', `environment variable holding the app's secret (default ${DEFAULT_SECRET_ENV})`)
    .option('--batch-size <n>', 'rows per batch and per transaction of the target', String(DEFAULT_BATCH_SIZE))
    .option('--dry-run', 'check the mapping against the source and print what each column becomes; write nothing')
    .option('--json', 'print only the final report, as JSON (no progress)')
    .addHelpText('after', `
Examples:
  $ PRIVACY_KIT_COPY_SECRET=... privacy-kit pseudonymize --from shop-data.db --to dev-copy.db \\
      --mapping dist/pseudonymization.js --store privacy-kit.db
  $ privacy-kit pseudonymize --from "$DATABASE_URL" --to "$STAGING_URL" --mapping src/pseudonymization.ts \\
      --store-url "$DATABASE_URL" --json

Progress goes to standard error: a bar on a terminal, a line every ${DEFAULT_BATCH_SIZE * 10} rows elsewhere, nothing with --json.
An interrupted copy (Ctrl-C, a crash, a lost connection) resumes when the same command runs again.

Exit codes:
  0  copied, and the scan of the copy found nothing personal
  1  the copy stopped part-way (run it again to resume), or the scan found values that look personal
  2  usage error: a bad flag or mapping, an unmapped column, a missing secret or store, the target is the source
     or holds other data
  3  the mapping module could not be loaded
  4  the store's audit log is keyed with another secret than --secret-env's: nothing was written`)
    .action(async (flags: PseudonymizeFlags) => {
      const json = flags.json === true;
      const batchSize = batchSizeOf(flags.batchSize);
      const from = databaseRef(flags.from, '--from', ctx.cwd);
      const to = databaseRef(flags.to, '--to', ctx.cwd);
      if (from.kind !== to.kind) {
        throw new CliFailure('PK_INVALID_OPTION', `--from is ${from.kind === 'sqlite' ? 'a SQLite file' : 'PostgreSQL'} and --to ${to.kind === 'sqlite' ? 'a SQLite file' : 'PostgreSQL'}: a copy stays in the same kind of database.`, EXIT_CODES.USAGE);
      }
      if (from.kind === 'sqlite' && from.location === to.location) {
        throw new CliFailure('PK_COPY', `--to is the source file ${from.shown}: the copy goes into a new file; nothing was written.`, EXIT_CODES.USAGE);
      }
      if (from.kind === 'sqlite' && !existsSync(from.location)) {
        throw new CliFailure('PK_NOT_FOUND', `--from: no such file ${from.shown}. Give the SQLite file of the app's own data.`, EXIT_CODES.USAGE);
      }
      const copyName = flags.keyEnv ?? DEFAULT_COPY_SECRET_ENV;
      const appName = flags.secretEnv ?? DEFAULT_SECRET_ENV;
      const copySecret = secretFrom(ctx.env, copyName, 'the copy secret (it keys the pseudonyms and fakes of the copy: keep it to make the same copy again)', '--key-env');
      const appSecret = secretFrom(ctx.env, appName, "the app's secret (it opens sealed fields and keys the audit log)", '--secret-env');
      if (copySecret === appSecret) {
        throw new CliFailure(
          'PK_INVALID_OPTION',
          `${copyName} and ${appName} hold the same secret: give copies a secret of their own (whoever makes copies needs it; the app's secret opens the production data).`,
          EXIT_CODES.USAGE,
        );
      }
      const mapping = await loadMapping(ctx.cwd, flags.mapping, flags.export);
      const store = await openKeyStore({
        ...(flags.store === undefined ? {} : { db: flags.store }),
        ...(flags.storeUrl === undefined ? {} : { databaseUrl: flags.storeUrl }),
        ...(flags.storeSchema === undefined ? {} : { schema: flags.storeSchema }),
      }, deriveKey(appSecret, 'audit'), ctx.cwd, { command: 'pseudonymize', db: '--store', url: '--store-url', secret: '--secret-env' });
      try {
        const source = await openDatabase(from, 'source', flags.schema) as CopySource;
        try {
          await copy(ctx, store, source, { flags, from, to, mapping, copySecret, appSecret, batchSize, json });
        } catch (error) {
          if (isPrivacyKitError(error) && (error.code === 'PK_COPY_MAPPING' || error.code === 'PK_COPY') && (error as { name?: unknown }).name !== 'CliFailure') {
            throw new CliFailure(error.code, problemOf(error), EXIT_CODES.USAGE, { cause: error });
          }
          throw error;
        } finally {
          await source.close();
        }
      } finally {
        await store.close();
      }
    });
}
