import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  deriveKey,
  readAuditCheckpoints,
  type AuditCheckpoint,
  type AuditCheckpointFile,
  type AuditRouteHit,
  type AuditVerifyReport,
} from '@privacy-kit/core';
import { CliFailure, problemOf } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';

/** The environment variable the audit secret is read from by default (the key is `deriveKey(secret, 'audit')`). */
export const DEFAULT_SECRET_ENV = 'PRIVACY_KIT_SECRET';

function existingFile(cwd: string, shown: string): string {
  const file = resolve(cwd, shown);
  if (!existsSync(file)) throw new CliFailure('PK_NOT_FOUND', `no database file ${shown}. Give the SQLite file the app writes (the 'filename' of createSqliteStore).`, EXIT_CODES.USAGE);
  return file;
}

/**
 * Reads what coverage needs from the audit log of a SQLite store file, through `readSqliteAudit` of
 * @privacy-kit/sqlite: read-only and without the audit key (reading needs none; nothing is migrated or written).
 *
 * @param cwd - the working directory
 * @param shown - the `--db` path as given
 */
export async function readSqliteAuditHits(cwd: string, shown: string): Promise<AuditRouteHit[]> {
  const filename = existingFile(cwd, shown);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the store package (and its native driver) loads only when a --db is read
  const { readSqliteAudit } = require('@privacy-kit/sqlite') as typeof import('@privacy-kit/sqlite');
  try {
    const records = await readSqliteAudit({ filename });
    return records.map(({ event, method, route, decision }) => ({ event, method, route, decision }));
  } catch (error) {
    throw new CliFailure('PK_STORE_UNAVAILABLE', `cannot read the audit log in ${shown}: ${problemOf(error)} Is it the SQLite file of a privacy-kit store (@privacy-kit/sqlite)?`, EXIT_CODES.USAGE, { cause: error });
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
    throw new CliFailure('PK_AUDIT_KEY', `${name}: ${problemOf(error)}`, EXIT_CODES.USAGE, { cause: error });
  }
}

/** What `audit verify` checks a log against: a checkpoint file's newest valid checkpoint and its bad lines. */
export interface CheckpointFileReading extends AuditCheckpointFile {
  /** The file as given. */
  readonly file: string;
}

/**
 * Reads a checkpoint file (one signed JSON checkpoint a line, as the stores' `checkpoints.file` option writes it)
 * and checks each line under the key.
 *
 * @param cwd - the working directory
 * @param shown - the `--checkpoint` path as given
 * @param auditKey - the audit key
 */
export function readCheckpointFile(cwd: string, shown: string, auditKey: Buffer): CheckpointFileReading {
  const file = resolve(cwd, shown);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliFailure(
      code === 'ENOENT' ? 'PK_NOT_FOUND' : 'PK_IO',
      code === 'ENOENT'
        ? `no checkpoint file ${shown}. Give the file the store's checkpoints.file option writes (on the path where the app publishes them).`
        : `cannot read the checkpoint file ${shown}: ${code ?? (error as Error).message}.`,
      EXIT_CODES.USAGE,
      { cause: error },
    );
  }
  return { file: shown, ...readAuditCheckpoints(text, auditKey) };
}

/** Where `audit verify` reads the log, and how. */
export interface VerifySource {
  readonly db?: string;
  readonly databaseUrl?: string;
  readonly schema?: string;
  readonly checkpoint?: AuditCheckpoint;
  readonly allowEmpty: boolean;
}

interface VerifyOptions {
  readonly auditKey: Buffer;
  readonly allowEmpty: boolean;
  readonly checkpoint?: AuditCheckpoint;
}

/**
 * Verifies the audit log of a store without changing anything: a SQLite file (`--db`) through
 * `verifySqliteAudit` (read-only, nothing created or migrated), or PostgreSQL (`--database-url`) through
 * `verifyPostgresAudit` of @privacy-kit/postgres, which is loaded only then, so the CLI works without it.
 *
 * @param source - the store, the checkpoint and the empty-log policy
 * @param auditKey - the audit key
 * @param cwd - the working directory
 */
export async function verifyAuditSource(source: VerifySource, auditKey: Buffer, cwd: string): Promise<AuditVerifyReport> {
  const options: VerifyOptions = { auditKey, allowEmpty: source.allowEmpty, ...(source.checkpoint === undefined ? {} : { checkpoint: source.checkpoint }) };
  if (source.db !== undefined) {
    const filename = existingFile(cwd, source.db);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the store package (and its native driver) loads only when a --db is verified
    const { verifySqliteAudit } = require('@privacy-kit/sqlite') as typeof import('@privacy-kit/sqlite');
    return verifySqliteAudit({ filename, ...options });
  }
  let postgres: { verifyPostgresAudit?: (options: { connectionString: string; schema?: string } & VerifyOptions) => Promise<AuditVerifyReport> };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional peer: the CLI works without it
    postgres = require('@privacy-kit/postgres') as typeof postgres;
  } catch (error) {
    throw new CliFailure('PK_STORE_UNAVAILABLE', '--database-url needs @privacy-kit/postgres: npm install @privacy-kit/postgres.', EXIT_CODES.USAGE, { cause: error });
  }
  if (typeof postgres.verifyPostgresAudit !== 'function') {
    throw new CliFailure('PK_STORE_UNAVAILABLE', 'the installed @privacy-kit/postgres has no verifyPostgresAudit(); update it to verify without migrating.', EXIT_CODES.USAGE);
  }
  return postgres.verifyPostgresAudit({ connectionString: source.databaseUrl as string, ...(source.schema === undefined ? {} : { schema: source.schema }), ...options });
}
