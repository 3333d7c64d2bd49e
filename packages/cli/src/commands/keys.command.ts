import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import {
  createFieldCipher,
  deriveKey,
  isPrivacyKitError,
  isoTime,
  localKeyProvider,
  rewrapDataKeys,
  type AuditEntry,
  type DataKeyStore,
  type KeyProvider,
} from '@privacy-kit/core';
import { CliFailure, problemOf } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';
import { createProgress } from '../output/progress';
import { DEFAULT_SECRET_ENV } from '../stores/audit-sources';
import { openKeyStore, secretFrom, type WritableKeyStore } from '../stores/key-stores';
import type { CommandContext } from './command-context';

interface RotateFlags {
  readonly db?: string;
  readonly databaseUrl?: string;
  readonly schema?: string;
  readonly keyEnv?: string;
  readonly previousKeyEnv: readonly string[];
  readonly auditKeyEnv?: string;
  readonly subject?: string;
  readonly pageSize: string;
  readonly json?: boolean;
}

/** The app id of the audit records the CLI writes. */
const CLI_APP_ID = 'privacy-kit-cli';
/** Keys listed and re-wrapped per page by default (also the interval of the plain progress lines). */
const DEFAULT_PAGE_SIZE = 500;

/** What `keys rotate` did to the key-encryption key, as printed (and, with --json, as JSON). */
interface KekRotationReport {
  readonly ok: true;
  readonly operation: 'rotate-kek';
  /** The new key-encryption key's id (a fingerprint, not a secret). */
  readonly kekId: string;
  /** Data keys in the store. */
  readonly keys: number;
  /** Re-wrapped by this run. */
  readonly rewrapped: number;
  /** Already under the new key-encryption key (an earlier, interrupted run, or another one at the same time). */
  readonly skipped: number;
  readonly durationMs: number;
}

function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}

function pageSizeOf(text: string): number {
  const size = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(size) || size < 1) {
    throw new CliFailure('PK_INVALID_OPTION', `--page-size must be a whole number ≥ 1; got ${JSON.stringify(text)}.`, EXIT_CODES.USAGE);
  }
  return size;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One audit record of a key operation, written by the CLI (no actor: an operator ran it with the app's secrets). */
function keysEntry(subject: string | null, durationMs: number, reason: string | null, details: NonNullable<AuditEntry['details']>): AuditEntry {
  return {
    event: 'keys', time: isoTime(), requestId: `keys-${randomUUID()}`, appId: CLI_APP_ID, actor: null, subject, method: null, route: null,
    purposes: [], basis: null, categories: [], decision: 'allowed', reason, status: null, durationMs, details,
  };
}

/** Keys by their key-encryption key, over every data key of the store. */
async function surveyKeys(store: DataKeyStore, pageSize: number): Promise<{ total: number; byKek: Map<string, number> }> {
  const byKek = new Map<string, number>();
  let total = 0;
  let after: { subject: string; keyId: string } | undefined;
  for (;;) {
    const page = await store.listDataKeys({ limit: pageSize, ...(after === undefined ? {} : { after }) });
    if (page.length === 0) break;
    for (const key of page) byKek.set(key.kekId, (byKek.get(key.kekId) ?? 0) + 1);
    total += page.length;
    const last = page[page.length - 1] as { subject: string; keyId: string };
    after = { subject: last.subject, keyId: last.keyId };
  }
  return { total, byKek };
}

async function rotateKek(ctx: CommandContext, store: WritableKeyStore, provider: KeyProvider, previousKekIds: readonly string[], pageSize: number, json: boolean): Promise<void> {
  const started = performance.now();
  const { total, byKek } = await surveyKeys(store, pageSize);
  const unknown = [...byKek].filter(([kekId]) => kekId !== provider.kekId && !previousKekIds.includes(kekId));
  if (unknown.length > 0) {
    const count = unknown.reduce((sum, [, n]) => sum + n, 0);
    throw new CliFailure(
      'PK_DECRYPT',
      `${count} data key(s) are wrapped under key-encryption key(s) ${unknown.map(([kekId]) => kekId).join(', ')}, which none of the given secrets derive ` +
        `(new ${provider.kekId}; previous ${previousKekIds.join(', ')}): add the secret they were wrapped with as another --previous-key-env VAR. Nothing was changed.`,
      EXIT_CODES.USAGE,
    );
  }
  const already = byKek.get(provider.kekId) ?? 0;
  const toDo = total - already;
  let rewrapped = 0;
  let lost = 0;
  const progress = createProgress(ctx.output, { label: 're-wrapping data keys', total: toDo, every: pageSize, quiet: json });
  // Counts each compare and set as it lands, so an interrupted run still says (and audits) what it changed.
  const counting: DataKeyStore = {
    addDataKey: (key, options) => store.addDataKey(key, options),
    dataKey: (subject, keyId) => store.dataKey(subject, keyId),
    currentDataKey: (subject) => store.currentDataKey(subject),
    destroyDataKeys: (subject) => store.destroyDataKeys(subject),
    listDataKeys: (query) => store.listDataKeys(query),
    async rewrapDataKey(subject, keyId, fromKekId, wrapped, kekId) {
      const replaced = await store.rewrapDataKey(subject, keyId, fromKekId, wrapped, kekId);
      if (replaced) rewrapped++;
      else lost++;
      progress.update(rewrapped + lost);
      return replaced;
    },
  };
  let failure: unknown;
  try {
    await rewrapDataKeys(counting, provider, { pageSize });
  } catch (error) {
    failure = error;
  }
  progress.finish(rewrapped + lost);
  const durationMs = Math.round(performance.now() - started);
  const skipped = already + lost;
  await store.appendAudit(keysEntry(null, durationMs, failure === undefined ? null : 'rotation_failed', {
    operation: 'rotate-kek', rewrapped, skipped, kekId: provider.kekId, status: failure === undefined ? 'done' : 'failed',
  }));
  if (failure !== undefined) {
    throw new CliFailure(
      isPrivacyKitError(failure) ? failure.code : 'PK_STORE_UNAVAILABLE',
      `the rotation stopped after re-wrapping ${rewrapped} of ${toDo} data key(s): ${problemOf(failure)} The keys re-wrapped so far stay so; ` +
        'fix the cause and run the same command again: it continues with the keys left.',
      EXIT_CODES.FAILED,
      { cause: failure },
    );
  }
  const report: KekRotationReport = { ok: true, operation: 'rotate-kek', kekId: provider.kekId, keys: total, rewrapped, skipped, durationMs };
  if (json) ctx.output.out(`${JSON.stringify(report, null, 2)}\n`);
  else {
    ctx.output.out(ctx.styles.green(`✔ re-wrapped ${rewrapped} data key(s) under key-encryption key ${provider.kekId} in ${seconds(durationMs)}.\n`));
    if (skipped > 0) ctx.output.out(`  skipped ${skipped} already under it (an earlier run that stopped, or another rotation).\n`);
    ctx.output.out(`  All ${total} data key(s) of the store now open with the new secret alone.\n`);
  }
  ctx.exit(EXIT_CODES.OK);
}

async function rotateSubject(ctx: CommandContext, store: WritableKeyStore, provider: KeyProvider, subject: string, json: boolean): Promise<void> {
  const started = performance.now();
  if (await store.currentDataKey(subject) === undefined) {
    throw new CliFailure(
      'PK_NOT_FOUND',
      'the store holds no data key for the given subject: give the pseudonym as the store keeps it (the subject the app seals with); a subject whose fields were never sealed, or whose keys an erasure destroyed, has none. Nothing was changed.',
      EXIT_CODES.USAGE,
    );
  }
  const cipher = createFieldCipher({ keys: store, keyProvider: provider, cache: { max: 0 } });
  const key = await cipher.rotateSubjectKey(subject);
  const durationMs = Math.round(performance.now() - started);
  await store.appendAudit(keysEntry(subject, durationMs, null, { operation: 'rotate-subject-key', keyId: key.keyId, kekId: key.kekId }));
  if (json) ctx.output.out(`${JSON.stringify({ ok: true, operation: 'rotate-subject-key', keyId: key.keyId, kekId: key.kekId, durationMs }, null, 2)}\n`);
  else ctx.output.out(ctx.styles.green(`✔ the subject has a new data key (${key.keyId}, wrapped under ${key.kekId}): new values are sealed under it; values sealed under its earlier keys still open.\n`));
  ctx.exit(EXIT_CODES.OK);
}

/** Registers `privacy-kit keys rotate`. */
export function registerKeysCommand(program: Command, ctx: CommandContext): void {
  const keys = program
    .command('keys')
    .summary('work with the data keys of field encryption')
    .description('Commands for the wrapped data keys that field encryption keeps in the store.');

  keys
    .command('rotate')
    .summary("re-wrap every data key under a new secret's key-encryption key, or give one subject a new data key")
    .description(
      'Re-wraps every data key of the store under the key-encryption key (KEK) of the new secret (--key-env, default\n' +
        `${DEFAULT_SECRET_ENV}), unwrapping with the previous secret(s) (--previous-key-env, repeatable). The data keys, and\n` +
        'so the data, do not change. Resumable: each key is replaced by compare and set, and a run after a crash or a\n' +
        'failure continues with the keys still under an earlier KEK. Safe while the app runs if it holds both secrets\n' +
        '(localKeyProvider({ secret: new, previousSecrets: [old] })).\n\n' +
        'With --subject, gives one data subject a new current data key wrapped under the new secret\'s KEK instead:\n' +
        'new values are sealed under it; values sealed under the earlier keys still open.\n\n' +
        "Each run appends one audit record (event 'keys') to the store's audit log, keyed with deriveKey(secret, 'audit')\n" +
        "of the secret in --audit-key-env; by default the first --previous-key-env variable (the secret the app's\n" +
        'audit log is keyed with before the switch), or --key-env with --subject alone. The log is checked to be keyed\n' +
        'with it before anything is written. The store must exist: nothing is created.',
    )
    .option('--db <file>', 'the SQLite file of the store')
    .option('--database-url <url>', 'a PostgreSQL connection string (needs @privacy-kit/postgres)')
    .option('--schema <name>', 'the PostgreSQL schema of the store (default privacy_kit)')
    .option('--key-env <var>', `environment variable holding the new secret (default ${DEFAULT_SECRET_ENV})`)
    .option('--previous-key-env <var>', 'environment variable holding a secret the keys are wrapped under now (repeatable)', collect, [])
    .option('--audit-key-env <var>', "environment variable holding the secret the app's audit log is keyed with (default: the first --previous-key-env)")
    .option('--subject <pseudonym>', 'give this data subject (its pseudonym) a new data key instead of re-wrapping all keys')
    .option('--page-size <n>', 'keys listed and re-wrapped per page; off a terminal, one progress line per page', String(DEFAULT_PAGE_SIZE))
    .option('--json', 'print only the final report, as JSON (no progress)')
    .addHelpText('after', `
Examples:
  $ OLD_SECRET=... PRIVACY_KIT_SECRET=... privacy-kit keys rotate --db privacy-kit.db --previous-key-env OLD_SECRET
  $ privacy-kit keys rotate --database-url "$DATABASE_URL" --previous-key-env OLD_SECRET --key-env NEW_SECRET --json
  $ privacy-kit keys rotate --db privacy-kit.db --subject psn_… --audit-key-env PRIVACY_KIT_SECRET

Progress goes to standard error: a bar on a terminal, a line per page elsewhere, nothing with --json.

Exit codes:
  0  done: every data key is under the new KEK (or the subject has a new data key)
  1  the rotation stopped part-way (e.g. a wrapped key that does not open): fix the cause and run it again
  2  usage error: no store, no such file, no privacy-kit store, a missing secret, the same old and new secret,
     keys under a KEK none of the secrets derive, an unknown subject
  4  the audit log is keyed with another secret than --audit-key-env's: nothing was written`)
    .action(async (flags: RotateFlags) => {
      const json = flags.json === true;
      const pageSize = pageSizeOf(flags.pageSize);
      const newName = flags.keyEnv ?? DEFAULT_SECRET_ENV;
      const secret = secretFrom(ctx.env, newName, 'the new secret (the one the app runs with after the rotation)', '--key-env');
      if (flags.subject === undefined && flags.previousKeyEnv.length === 0) {
        throw new CliFailure(
          'PK_INVALID_OPTION',
          'keys rotate needs --previous-key-env VAR, the variable holding the secret the data keys are wrapped under now (or --subject PSEUDONYM to give one subject a new data key).',
          EXIT_CODES.USAGE,
        );
      }
      if (flags.subject !== undefined && flags.subject.trim() === '') {
        throw new CliFailure('PK_INVALID_OPTION', '--subject needs the pseudonym of a data subject (not empty).', EXIT_CODES.USAGE);
      }
      const previous = flags.previousKeyEnv.map((name) => ({ name, secret: secretFrom(ctx.env, name, 'a secret the data keys are wrapped under now', '--previous-key-env') }));
      const newKekId = localKeyProvider({ secret }).kekId;
      const previousKekIds = previous.map((p) => localKeyProvider({ secret: p.secret }).kekId);
      const same = previous.find((_, i) => previousKekIds[i] === newKekId);
      if (same !== undefined) {
        throw new CliFailure(
          'PK_INVALID_OPTION',
          `${same.name} and ${newName} hold the same secret: there is nothing to rotate. Put the new secret in ${newName} (or name its variable with --key-env) and the current one in --previous-key-env.`,
          EXIT_CODES.USAGE,
        );
      }
      const auditName = flags.auditKeyEnv ?? previous[0]?.name ?? newName;
      const auditKey = deriveKey(secretFrom(ctx.env, auditName, "the secret the app's audit log is keyed with", '--audit-key-env'), 'audit');
      const provider = localKeyProvider({ secret, previousSecrets: previous.map((p) => p.secret) });
      const store = await openKeyStore({
        ...(flags.db === undefined ? {} : { db: flags.db }),
        ...(flags.databaseUrl === undefined ? {} : { databaseUrl: flags.databaseUrl }),
        ...(flags.schema === undefined ? {} : { schema: flags.schema }),
      }, auditKey, ctx.cwd);
      try {
        if (flags.subject === undefined) await rotateKek(ctx, store, provider, previousKekIds, pageSize, json);
        else await rotateSubject(ctx, store, provider, flags.subject, json);
      } finally {
        await store.close();
      }
    });
}
