import type { ConnectionOptions } from 'node:tls';
import type { Pool } from 'pg';
import { defineOptionKeys, keyBytes, rejectUnknownOptions, type AuditCheckpointOptions, type PrivacyKitError } from '@privacy-kit/core';
import { resolveAuditCheckpointOptions, type ResolvedAuditCheckpointOptions } from '@privacy-kit/core/store';
import { PACKAGE, postgresError } from './postgres-errors';

/** The schema the store's tables live in when no `schema` is given. */
export const DEFAULT_POSTGRES_SCHEMA = 'privacy_kit';
/** Connections of the pool the store makes from a connection string. */
export const DEFAULT_POSTGRES_POOL_MAX = 10;
/** How long to wait for a new connection before the operation fails (and the route answers 503), in ms. */
export const DEFAULT_POSTGRES_CONNECTION_TIMEOUT_MS = 5000;
/** Audit chains one store instance appends to at once, each with one commit in flight. */
export const DEFAULT_POSTGRES_AUDIT_CHAINS = 1;

/** Options of {@link createPostgresStore}: exactly one of `connectionString` and `pool`. */
export interface PostgresStoreOptions {
  /** e.g. `process.env.DATABASE_URL` (`postgres://user:password@host:5432/db`); the store makes and owns a pool. */
  readonly connectionString?: string;
  /**
   * A `pg.Pool` the app already has; the store borrows it and never ends it. Attach your own
   * `pool.on('error', …)` handler: pg emits idle-connection errors on the pool when the server restarts.
   */
  readonly pool?: Pool;
  /** Keys the audit chain: at least 32 bytes, kept secret and the same on every instance (see `deriveKey`). */
  readonly auditKey: string | Buffer;
  /** The schema of the store's tables, created if missing. Default {@link DEFAULT_POSTGRES_SCHEMA}. */
  readonly schema?: string;
  /** Pool size when the store makes the pool. Default {@link DEFAULT_POSTGRES_POOL_MAX}. */
  readonly max?: number;
  /** Connection timeout when the store makes the pool, in ms. Default {@link DEFAULT_POSTGRES_CONNECTION_TIMEOUT_MS}. */
  readonly connectionTimeoutMs?: number;
  /**
   * TLS to the server: `false` to connect in the clear (refused in production unless said explicitly), or Node's
   * `tls.connect` options (e.g. `{ ca }`). Default: what the connection string says (`?sslmode=verify-full&sslrootcert=…`).
   * With `NODE_ENV=production` the store refuses a connection string without `sslmode=require|verify-ca|verify-full`
   * (or a pool without `ssl`) unless `ssl` is given.
   */
  readonly ssl?: false | ConnectionOptions;
  /**
   * How many audit chains this instance appends to at once: each is its own chain in the log with one group commit
   * in flight, so more chains keep more commits going while the round trip to the server is long. Default
   * {@link DEFAULT_POSTGRES_AUDIT_CHAINS}; at most `max` (the pool size) minus one.
   */
  readonly auditChains?: number;
  /**
   * Publish signed checkpoints of the audit log outside the database (an append-only file, a hook), so that
   * `privacy-kit audit verify --checkpoint` can tell when the log was cut short. See `AuditCheckpointOptions`.
   */
  readonly checkpoints?: AuditCheckpointOptions;
}

/** {@link PostgresStoreOptions} with defaults applied and everything checked. */
export interface ResolvedPostgresStoreOptions {
  readonly connectionString: string | undefined;
  readonly pool: Pool | undefined;
  readonly auditKey: Buffer;
  readonly schema: string;
  readonly max: number;
  readonly connectionTimeoutMs: number;
  readonly auditChains: number;
  readonly ssl: false | ConnectionOptions | undefined;
  readonly checkpoints: ResolvedAuditCheckpointOptions | undefined;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** Every option of {@link PostgresStoreOptions}, checked against the interface at compile time. */
const POSTGRES_STORE_OPTION_KEYS = defineOptionKeys<PostgresStoreOptions>({
  connectionString: true, pool: true, auditKey: true, schema: true, max: true, connectionTimeoutMs: true, auditChains: true, ssl: true, checkpoints: true,
});
/** Names people pass for an option that no spelling rule finds. */
const ALIASES: Readonly<Record<string, string>> = { url: 'connectionString', databaseUrl: 'connectionString', connection: 'connectionString', key: 'auditKey', searchPath: 'schema' };

function invalid(problem: string): PrivacyKitError {
  return postgresError('PK_INVALID_OPTION', problem);
}

function positiveInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalid(`'${name}' must be a positive whole number; got ${typeof value === 'number' ? value : typeof value}.`);
  }
  return value;
}

/**
 * Checks the options of {@link createPostgresStore} and applies the defaults. Messages never repeat the
 * connection string: it usually carries the password.
 */
export function resolvePostgresStoreOptions(options: PostgresStoreOptions): ResolvedPostgresStoreOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalid('createPostgresStore() needs options: { connectionString: process.env.DATABASE_URL, auditKey }.');
  }
  rejectUnknownOptions(options, POSTGRES_STORE_OPTION_KEYS, 'createPostgresStore()', postgresError, ALIASES);
  const { connectionString, pool } = options;
  if ((connectionString === undefined) === (pool === undefined)) {
    throw invalid("pass exactly one of 'connectionString' (e.g. process.env.DATABASE_URL) and 'pool' (a pg.Pool).");
  }
  if (connectionString !== undefined && (typeof connectionString !== 'string' || connectionString.trim() === '')) {
    throw invalid(`'connectionString' must be a non-empty string such as postgres://user:password@host:5432/db; got ${typeof connectionString === 'string' ? 'an empty string' : typeof connectionString}. Is DATABASE_URL set?`);
  }
  if (pool !== undefined && (typeof pool !== 'object' || pool === null || typeof (pool as Partial<Pool>).connect !== 'function')) {
    throw invalid("'pool' must be a pg.Pool (new Pool({ connectionString }) from the 'pg' package).");
  }
  const schema = options.schema ?? DEFAULT_POSTGRES_SCHEMA;
  if (typeof schema !== 'string' || !IDENTIFIER.test(schema)) {
    const shown = typeof schema === 'string' ? `'${schema}'` : typeof schema;
    const fixed = typeof schema === 'string' ? schema.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=[0-9])/, '_').slice(0, 63) : '';
    throw invalid(`'schema' must be a plain identifier (letters, digits and _, not starting with a digit, at most 63 characters); got ${shown}.${fixed !== '' && IDENTIFIER.test(fixed) ? ` Did you mean '${fixed}'?` : ''}`);
  }
  const ssl = options.ssl;
  if (ssl !== undefined && ssl !== false && (typeof ssl !== 'object' || ssl === null)) {
    throw invalid(`'ssl' must be false or TLS options such as { ca }; got ${typeof ssl}.`);
  }
  if (ssl === undefined && process.env.NODE_ENV === 'production' && !usesTls(connectionString, pool)) {
    throw invalid(
      'the connection to PostgreSQL is not encrypted, and NODE_ENV=production: add ?sslmode=verify-full&sslrootcert=/path/to/ca.crt to the connection string ' +
      "(or pass ssl: { ca }), or say ssl: false explicitly if the connection never leaves a trusted host.",
    );
  }
  const max = positiveInteger(options.max, 'max', DEFAULT_POSTGRES_POOL_MAX);
  const auditChains = positiveInteger(options.auditChains, 'auditChains', DEFAULT_POSTGRES_AUDIT_CHAINS);
  if (pool === undefined && auditChains >= max) {
    throw invalid(`'auditChains' (${auditChains}) must be smaller than 'max' (${max}): each chain keeps a connection busy while it commits, and the other operations need one too. Lower auditChains or raise max.`);
  }
  return {
    connectionString,
    pool,
    auditKey: keyBytes(options.auditKey, 'auditKey'),
    schema,
    max,
    connectionTimeoutMs: positiveInteger(options.connectionTimeoutMs, 'connectionTimeoutMs', DEFAULT_POSTGRES_CONNECTION_TIMEOUT_MS),
    auditChains,
    ssl,
    checkpoints: options.checkpoints === undefined ? undefined : resolveAuditCheckpointOptions(options.checkpoints, PACKAGE),
  };
}

/** Whether a connection string or a borrowed pool asks for TLS (sslmode require, verify-ca or verify-full, or ssl=true). */
export function usesTls(connectionString: string | undefined, pool: Pool | undefined): boolean {
  if (pool !== undefined) return Boolean((pool as unknown as { options?: { ssl?: unknown } }).options?.ssl);
  let params: URLSearchParams;
  try {
    params = new URL(connectionString ?? '').searchParams;
  } catch {
    return false;
  }
  const mode = params.get('sslmode');
  return (mode !== null && ['require', 'verify-ca', 'verify-full'].includes(mode)) || params.get('ssl') === 'true' || params.get('ssl') === '1';
}
