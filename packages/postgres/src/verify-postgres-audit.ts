import { Client, type Pool, type PoolClient } from 'pg';
import { keyBytes, type AuditCheckpoint, type AuditVerifyReport } from '@privacy-kit/core';
import { auditKeyId, verifyAuditChainRows, verifyAuditRows } from '@privacy-kit/core/store';
import { selectAuditChains, selectLegacyAuditSnapshot } from './postgres-audit-read';
import { postgresError, storeUnavailable } from './postgres-errors';
import { DEFAULT_POSTGRES_CONNECTION_TIMEOUT_MS, DEFAULT_POSTGRES_SCHEMA } from './postgres-store.options';

/** Options of {@link verifyPostgresAudit}: exactly one of `connectionString` and `pool`. */
export interface PostgresAuditVerifyOptions {
  /** e.g. `process.env.DATABASE_URL`; one connection is opened and closed again. */
  readonly connectionString?: string;
  /** A `pg.Pool` to borrow one connection from (it stays open). */
  readonly pool?: Pool;
  /** The audit key the app writes with (see `deriveKey`). */
  readonly auditKey: string | Buffer;
  /** The schema of the store's tables. Default {@link DEFAULT_POSTGRES_SCHEMA}. */
  readonly schema?: string;
  /** The newest checkpoint published for this log: the log must reach it and agree with it. */
  readonly checkpoint?: AuditCheckpoint;
  /** Whether a well-formed log without any record verifies (a new store). Default false. */
  readonly allowEmpty?: boolean;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Verifies the audit log of a PostgreSQL store without changing anything: runs no migration, creates nothing,
 * and reads the log and its head in one READ ONLY, REPEATABLE READ transaction (consistent while instances append).
 * A schema without the audit tables is reported as `missing`, an empty log as `empty` unless `allowEmpty`;
 * tampering, a wrong key and a disagreeing checkpoint as in `verifyAuditChain`.
 *
 * @param options - the connection, the audit key, and optionally the schema, a checkpoint and the empty-log policy
 * @returns the report; rejects with `PK_STORE_UNAVAILABLE` when the server cannot be reached
 * @example
 * const report = await verifyPostgresAudit({ connectionString: process.env.DATABASE_URL, auditKey: deriveKey(secret, 'audit') });
 */
export async function verifyPostgresAudit(options: PostgresAuditVerifyOptions): Promise<AuditVerifyReport> {
  if (typeof options !== 'object' || options === null || (options.connectionString === undefined) === (options.pool === undefined)) {
    throw postgresError('PK_INVALID_OPTION', 'verifyPostgresAudit() needs { connectionString or pool, auditKey }.');
  }
  const key = keyBytes(options.auditKey, 'auditKey');
  const schema = options.schema ?? DEFAULT_POSTGRES_SCHEMA;
  if (typeof schema !== 'string' || !IDENTIFIER.test(schema)) {
    throw postgresError('PK_INVALID_OPTION', `'schema' must be a plain identifier (letters, digits and _); got ${typeof schema === 'string' ? `'${schema}'` : typeof schema}.`);
  }
  const s = `"${schema}"`;
  let client: Client | PoolClient;
  let end: () => Promise<void>;
  try {
    if (options.pool !== undefined) {
      const pooled = await options.pool.connect();
      client = pooled;
      end = () => {
        pooled.release(true);
        return Promise.resolve();
      };
    } else {
      const own = new Client({ connectionString: options.connectionString, connectionTimeoutMillis: DEFAULT_POSTGRES_CONNECTION_TIMEOUT_MS, application_name: 'privacy-kit verify' });
      own.on('error', () => undefined);
      client = own;
      end = () => own.end().catch(() => undefined);
      await own.connect();
    }
  } catch (cause) {
    throw storeUnavailable('verifying the audit log', cause);
  }
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tables = (await client.query<{ log: string | null; head: string | null; chains: string | null }>(
      'SELECT to_regclass($1) AS log, to_regclass($2) AS head, to_regclass($3) AS chains', [`${s}.audit_log`, `${s}.audit_head`, `${s}.audit_chains`],
    )).rows[0];
    const verifyOptions = { ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }), allowEmpty: options.allowEmpty ?? false };
    if (tables?.log != null && tables.chains != null) {
      const { rows, heads, checkpoints } = await selectAuditChains(client, s);
      await client.query('COMMIT');
      return verifyAuditChainRows(rows, heads, checkpoints, key, verifyOptions);
    }
    const absent = [tables?.log == null ? 'audit_log' : undefined, tables?.head == null ? 'audit_chains' : undefined].filter((t) => t !== undefined);
    if (absent.length > 0) {
      await client.query('ROLLBACK');
      return {
        ok: false, checked: 0, problem: 'missing', keyId: auditKeyId(key),
        message: `The schema '${schema}' holds no privacy-kit audit log: it has no ${absent.join(' and no ')} table. If the tables were dropped, the log was destroyed; otherwise check the database and the schema.`,
      };
    }
    // A schema no store of this version migrated yet: one chain with its audit_head, verified as it is.
    const { rows, head } = await selectLegacyAuditSnapshot(client, s);
    await client.query('COMMIT');
    return verifyAuditRows(rows, head, key, verifyOptions);
  } catch (cause) {
    throw storeUnavailable('verifying the audit log', cause);
  } finally {
    await end();
  }
}
