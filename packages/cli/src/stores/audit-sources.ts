import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { deriveKey, isPrivacyKitError, type AuditRouteHit, type AuditVerifyReport } from '@privacy-kit/core';
import { CliFailure } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';

/** The environment variable the audit secret is read from by default (the key is `deriveKey(secret, 'audit')`). */
export const DEFAULT_SECRET_ENV = 'PRIVACY_KIT_SECRET';

/** The part of a store that `audit verify` uses. */
interface VerifiableStore {
  verifyAudit(): Promise<AuditVerifyReport>;
  close(): Promise<void>;
}

function existingFile(cwd: string, shown: string): string {
  const file = resolve(cwd, shown);
  if (!existsSync(file)) throw new CliFailure('PK_STORE_UNAVAILABLE', `no database file ${shown}. Give the SQLite file the app writes (the 'filename' of createSqliteStore).`, EXIT_CODES.USAGE);
  return file;
}

/**
 * Reads what coverage needs from the audit log of a SQLite store file, opened read-only with better-sqlite3 and
 * without the audit key (reading needs none; nothing is migrated or written).
 *
 * @param cwd - the working directory
 * @param shown - the `--db` path as given
 */
export function readSqliteAuditHits(cwd: string, shown: string): AuditRouteHit[] {
  const file = existingFile(cwd, shown);
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return db.prepare('SELECT event, method, route, decision FROM audit_log ORDER BY seq').all() as AuditRouteHit[];
  } catch (error) {
    throw new CliFailure(
      'PK_STORE_UNAVAILABLE',
      `cannot read the audit log in ${shown}: ${(error as Error).message}. Is it the SQLite file of a privacy-kit store (@privacy-kit/sqlite)?`,
      EXIT_CODES.USAGE,
      { cause: error },
    );
  } finally {
    db?.close();
  }
}

/**
 * The audit key: `deriveKey(secret, 'audit')` of the secret in `--key-env VAR`, else in PRIVACY_KIT_SECRET, the way
 * an app derives it.
 *
 * @param env - the environment
 * @param keyEnv - the variable named by `--key-env`
 */
export function auditKeyFrom(env: NodeJS.ProcessEnv, keyEnv: string | undefined): Buffer {
  const name = keyEnv ?? DEFAULT_SECRET_ENV;
  const secret = env[name];
  if (secret === undefined || secret === '') {
    throw new CliFailure(
      'PK_AUDIT_KEY',
      `set ${name} to the secret the app derives its audit key from (deriveKey(secret, 'audit')), or name another variable with --key-env VAR.`,
      EXIT_CODES.USAGE,
    );
  }
  try {
    return deriveKey(secret, 'audit');
  } catch (error) {
    throw new CliFailure('PK_AUDIT_KEY', `${name}: ${isPrivacyKitError(error) ? error.message.replace(/^@privacy-kit\/[a-z]+: /, '') : String(error)}`, EXIT_CODES.USAGE, { cause: error });
  }
}

/**
 * Opens a store to verify its audit chain: a SQLite file (`--db`), or PostgreSQL (`--database-url`) through
 * @privacy-kit/postgres, which is loaded only then, so the CLI works without it.
 */
export function openVerifiableStore(source: { readonly db?: string; readonly databaseUrl?: string }, auditKey: Buffer, cwd: string): VerifiableStore {
  if (source.db !== undefined) {
    const filename = existingFile(cwd, source.db);
    const { createSqliteStore } = require('@privacy-kit/sqlite') as typeof import('@privacy-kit/sqlite');
    try {
      return createSqliteStore({ filename, auditKey });
    } catch (error) {
      throw new CliFailure('PK_STORE_UNAVAILABLE', `cannot open ${source.db}: ${(error as Error).message}`, EXIT_CODES.USAGE, { cause: error });
    }
  }
  let postgres: { createPostgresStore?: (options: { connectionString: string; auditKey: Buffer }) => VerifiableStore };
  try {
    postgres = require('@privacy-kit/postgres') as typeof postgres;
  } catch (error) {
    throw new CliFailure('PK_STORE_UNAVAILABLE', '--database-url needs @privacy-kit/postgres: npm install @privacy-kit/postgres.', EXIT_CODES.USAGE, { cause: error });
  }
  if (typeof postgres.createPostgresStore !== 'function') {
    throw new CliFailure('PK_STORE_UNAVAILABLE', 'the installed @privacy-kit/postgres has no createPostgresStore(); update it.', EXIT_CODES.USAGE);
  }
  return postgres.createPostgresStore({ connectionString: source.databaseUrl as string, auditKey });
}
