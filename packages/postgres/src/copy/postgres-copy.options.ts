import type { ConnectionOptions } from 'node:tls';
import { defineOptionKeys, rejectUnknownOptions, type PrivacyKitError } from '@privacy-kit/core';
import { postgresError } from '../postgres-errors';
import { PostgresConnections } from '../postgres-pool';
import { DEFAULT_POSTGRES_CONNECTION_TIMEOUT_MS, usesTls } from '../postgres-store.options';

/** The schema a copy reads from and writes to when no `schema` is given. */
export const DEFAULT_POSTGRES_COPY_SCHEMA = 'public';
/** Connections of a copy's pool: a read, a write and the catalog queries at once, with room to spare. */
const COPY_POOL_MAX = 4;

/** Options of `openPostgresCopySource` and `openPostgresCopyTarget`. */
export interface PostgresCopyOptions {
  /** e.g. `postgres://user:password@host:5432/db?sslmode=verify-full&sslrootcert=ca.crt`; never repeated in errors. */
  readonly connectionString: string;
  /** The schema whose tables are read (source) or created (target). Default {@link DEFAULT_POSTGRES_COPY_SCHEMA}. */
  readonly schema?: string;
  /**
   * TLS to the server, as the store's option: `false` to connect in the clear, or Node's `tls.connect` options
   * (e.g. `{ ca }`). Default: what the connection string says. With `NODE_ENV=production` a connection string
   * without `sslmode=require|verify-ca|verify-full` is refused unless `ssl` is given.
   */
  readonly ssl?: false | ConnectionOptions;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const KEYS = defineOptionKeys<PostgresCopyOptions>({ connectionString: true, schema: true, ssl: true });
const ALIASES: Readonly<Record<string, string>> = { url: 'connectionString', databaseUrl: 'connectionString', searchPath: 'schema' };

function invalid(problem: string): PrivacyKitError {
  return postgresError('PK_INVALID_OPTION', problem);
}

/** The checked options and the pool they make. */
export interface PostgresCopyConnection {
  readonly schema: string;
  readonly connections: PostgresConnections;
}

/**
 * Checks the options of a copy source or target and makes its pool. Messages never repeat the connection string.
 *
 * @param options - what the caller passed
 * @param where - the function's name, for the messages
 */
export function openPostgresCopyConnection(options: PostgresCopyOptions, where: string): PostgresCopyConnection {
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw invalid(`${where} needs options: { connectionString: process.env.DATABASE_URL }.`);
  }
  rejectUnknownOptions(options, KEYS, where, postgresError, ALIASES);
  const { connectionString, ssl } = options;
  if (typeof connectionString !== 'string' || connectionString.trim() === '') {
    throw invalid(`${where}: 'connectionString' must be a non-empty string such as postgres://user:password@host:5432/db; got ${typeof connectionString === 'string' ? 'an empty string' : typeof connectionString}.`);
  }
  const schema = options.schema ?? DEFAULT_POSTGRES_COPY_SCHEMA;
  if (typeof schema !== 'string' || !IDENTIFIER.test(schema)) {
    throw invalid(`${where}: 'schema' must be a plain identifier (letters, digits and _, not starting with a digit, at most 63 characters); got ${typeof schema === 'string' ? `'${schema}'` : typeof schema}.`);
  }
  if (ssl !== undefined && ssl !== false && (typeof ssl !== 'object' || (ssl as unknown) === null)) {
    throw invalid(`${where}: 'ssl' must be false or TLS options such as { ca }; got ${typeof ssl}.`);
  }
  if (ssl === undefined && process.env.NODE_ENV === 'production' && !usesTls(connectionString, undefined)) {
    throw invalid(
      `${where}: the connection to PostgreSQL is not encrypted, and NODE_ENV=production: add ?sslmode=verify-full&sslrootcert=/path/to/ca.crt to the connection string ` +
      "(or pass ssl: { ca }), or say ssl: false explicitly if the connection never leaves a trusted host.",
    );
  }
  const connections = new PostgresConnections({
    pool: undefined,
    connectionString,
    connectionTimeoutMs: DEFAULT_POSTGRES_CONNECTION_TIMEOUT_MS,
    max: COPY_POOL_MAX,
    ...(ssl === undefined ? {} : { ssl }),
  });
  return { schema, connections };
}
