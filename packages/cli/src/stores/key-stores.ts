import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { deriveKey, type AuditStore, type DataKeyStore } from '@privacy-kit/core';
import { auditEntryOf, auditMac } from '@privacy-kit/core/store';
import { CliFailure, problemOf } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';
import { verifyAuditSource } from './audit-sources';

/** A store opened for writing by `keys`: its wrapped data keys and its audit log. */
export interface WritableKeyStore extends DataKeyStore, AuditStore {
  close(): Promise<void>;
}

/** Where `keys` writes: one of a SQLite file or a PostgreSQL database. */
export interface KeyStoreSource {
  readonly db?: string;
  readonly databaseUrl?: string;
  readonly schema?: string;
}

/** How a command names the store in its messages: itself and its two flags. */
export interface KeyStoreFlags {
  readonly command: string;
  readonly db: string;
  readonly url: string;
  /** The flag naming the variable of the app's audit secret. */
  readonly secret: string;
}

const KEYS_ROTATE_FLAGS: KeyStoreFlags = { command: 'keys rotate', db: '--db', url: '--database-url', secret: '--audit-key-env' };

/**
 * The secret in an environment variable, checked to be usable as a key (at least 32 bytes).
 *
 * @param env - the environment
 * @param name - the variable
 * @param what - what the secret is for, for the message (e.g. 'the new secret')
 * @param flag - the flag that names the variable, for the message
 */
export function secretFrom(env: NodeJS.ProcessEnv, name: string, what: string, flag: string): string {
  const secret = env[name];
  if (secret === undefined || secret === '') {
    throw new CliFailure('PK_SECRET_MISSING', `set ${name} to ${what}, or name another variable with ${flag} VAR.`, EXIT_CODES.USAGE);
  }
  try {
    deriveKey(secret, 'data-key-encryption');
  } catch (error) {
    throw new CliFailure('PK_SECRET_MISSING', `${name} (${what}): ${problemOf(error)}`, EXIT_CODES.USAGE, { cause: error });
  }
  return secret;
}

/**
 * Opens an existing store for writing, with the audit key the app's log is keyed with. Before anything is opened
 * for writing, the audit log is verified read-only (nothing created or migrated): a file that is not there, a
 * database without a privacy-kit store, or an audit log written under another key ends the command (a record
 * appended under a wrong key would break the app's chain).
 *
 * @param source - the SQLite file or the PostgreSQL connection
 * @param auditKey - `deriveKey(secret, 'audit')` of the app's audit secret
 * @param cwd - the working directory
 * @param flags - the command and its store flags, for messages (default `keys rotate`'s)
 */
export async function openKeyStore(source: KeyStoreSource, auditKey: Buffer, cwd: string, flags: KeyStoreFlags = KEYS_ROTATE_FLAGS, check: 'chain' | 'key' = 'chain'): Promise<WritableKeyStore> {
  if ((source.db === undefined) === (source.databaseUrl === undefined)) {
    throw new CliFailure('PK_INVALID_OPTION', `${flags.command} needs exactly one store: ${flags.db} FILE (SQLite) or ${flags.url} URL (PostgreSQL).`, EXIT_CODES.USAGE);
  }
  if (check === 'key' && source.db !== undefined) return openSqliteCheckingKey(resolve(cwd, source.db), source.db, auditKey, flags);
  let report;
  try {
    report = await verifyAuditSource({ ...source, allowEmpty: true }, auditKey, cwd);
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'CliFailure') throw error;
    throw new CliFailure('PK_STORE_UNAVAILABLE', `cannot open the store: ${problemOf(error)}`, EXIT_CODES.USAGE, { cause: error });
  }
  if (report.problem === 'missing') {
    throw new CliFailure('PK_NOT_FOUND', `${source.db ?? 'the database'} holds no privacy-kit store: give the store the app writes (${source.db === undefined ? 'and its --schema' : "the 'filename' of createSqliteStore"}). Nothing was created.`, EXIT_CODES.USAGE);
  }
  if (report.problem === 'key') {
    throw new CliFailure(
      'PK_AUDIT_KEY',
      `the store's audit log is keyed with another secret than the audit secret given (${report.message}). Name the variable holding the app's audit secret with ${flags.secret} VAR. Nothing was changed.`,
      EXIT_CODES.WRONG_KEY,
    );
  }
  try {
    if (source.db !== undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the store package (and its native driver) loads only when a --db is opened
      const { createSqliteStore } = require('@privacy-kit/sqlite') as typeof import('@privacy-kit/sqlite');
      return createSqliteStore({ filename: resolve(cwd, source.db), auditKey });
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional peer, present: verifyAuditSource loaded it
    const { createPostgresStore } = require('@privacy-kit/postgres') as typeof import('@privacy-kit/postgres');
    const store = createPostgresStore({ connectionString: source.databaseUrl, auditKey, ...(source.schema === undefined ? {} : { schema: source.schema }) });
    await store.ready();
    return store;
  } catch (error) {
    throw new CliFailure('PK_STORE_UNAVAILABLE', `cannot open the store for writing: ${problemOf(error)}`, EXIT_CODES.USAGE, { cause: error });
  }
}

/**
 * Opens an existing SQLite store for writing after a check of the key alone, not of the whole chain: the file must be
 * a privacy-kit store (read-only first: nothing is created), and its first audit record must verify under the key. For commands that
 * read and append but do not vouch for the log (`incidents`): verifying a million records takes longer than the
 * command itself; `privacy-kit audit verify` is the command that checks the chain.
 */
async function openSqliteCheckingKey(filename: string, shown: string, auditKey: Buffer, flags: KeyStoreFlags): Promise<WritableKeyStore> {
  if (!existsSync(filename)) {
    throw new CliFailure('PK_NOT_FOUND', `no database file ${shown}. Give the SQLite file the app writes (the 'filename' of createSqliteStore). Nothing was created.`, EXIT_CODES.USAGE);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the store package (and its native driver) loads only when a --db is opened
  const sqlite = require('@privacy-kit/sqlite') as typeof import('@privacy-kit/sqlite');
  let first;
  try {
    // Read-only: a file that is not a privacy-kit store is refused before anything could be created in it.
    first = (await sqlite.readSqliteAudit({ filename, query: { limit: 1 } }))[0];
  } catch (error) {
    throw new CliFailure('PK_NOT_FOUND', `${shown} holds no privacy-kit store (${problemOf(error)}). Nothing was created.`, EXIT_CODES.USAGE, { cause: error });
  }
  if (first !== undefined && auditMac(auditKey, auditEntryOf(first), first.prevMac) !== first.mac) {
    throw new CliFailure(
      'PK_AUDIT_KEY',
      `the store's audit log is keyed with another secret than the audit secret given (its first record does not verify under it). Name the variable holding the app's audit secret with ${flags.secret} VAR. Nothing was changed.`,
      EXIT_CODES.WRONG_KEY,
    );
  }
  let store: WritableKeyStore;
  try {
    store = sqlite.createSqliteStore({ filename, auditKey });
  } catch (error) {
    throw new CliFailure('PK_STORE_UNAVAILABLE', `cannot open the store for writing: ${problemOf(error)}`, EXIT_CODES.USAGE, { cause: error });
  }
  return store;
}
