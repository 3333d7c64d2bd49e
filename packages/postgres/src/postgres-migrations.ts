import type { PoolClient } from 'pg';
import { postgresError } from './postgres-errors';
import type { PostgresSchemaNames } from './postgres-names';
import { MIGRATIONS, POSTGRES_SCHEMA_VERSION } from './schema';

/**
 * Applies the migrations the schema lacks, in one transaction (run it in one) under the schema's migration
 * advisory lock, so instances starting at once apply each exactly once; creates the schema if missing. Refuses a
 * schema written by a newer version of the package.
 *
 * @param client - a client inside a transaction
 * @param names - the schema's names
 * @returns the transaction horizon (`txid_snapshot_xmin`) taken then, where consent watching starts replaying
 */
export async function applyMigrations(client: PoolClient, names: PostgresSchemaNames): Promise<string> {
  const s = names.quoted;
  await client.query(`SELECT pg_advisory_xact_lock(${names.migrationLockKey})`);
  const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [names.schema]);
  // Checked first: CREATE SCHEMA IF NOT EXISTS needs the CREATE right even when the schema exists.
  if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${s}.privacy_kit_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const { rows } = await client.query<{ version: number }>(`SELECT coalesce(max(version), 0)::integer AS version FROM ${s}.privacy_kit_migrations`);
  const current = rows[0]?.version ?? 0;
  if (current > POSTGRES_SCHEMA_VERSION) {
    throw postgresError(
      'PK_STORE_UNAVAILABLE',
      `the schema '${names.schema}' is at version ${current}, newer than this package knows (${POSTGRES_SCHEMA_VERSION}). Upgrade @privacy-kit/postgres on this instance.`,
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    await client.query(migration.sql(s));
    await client.query(`INSERT INTO ${s}.privacy_kit_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
  }
  const horizon = await client.query<{ xmin: string }>('SELECT txid_snapshot_xmin(txid_current_snapshot())::text AS xmin');
  return horizon.rows[0]?.xmin ?? '0';
}
