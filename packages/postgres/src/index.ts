export { PostgresStore, createPostgresStore } from './postgres.store';
export {
  DEFAULT_POSTGRES_AUDIT_CHAINS,
  DEFAULT_POSTGRES_CONNECTION_TIMEOUT_MS,
  DEFAULT_POSTGRES_POOL_MAX,
  DEFAULT_POSTGRES_SCHEMA,
  resolvePostgresStoreOptions,
} from './postgres-store.options';
export type { PostgresStoreOptions, ResolvedPostgresStoreOptions } from './postgres-store.options';
export { POSTGRES_SCHEMA_VERSION } from './schema';
export { verifyPostgresAudit } from './verify-postgres-audit';
export type { PostgresAuditVerifyOptions } from './verify-postgres-audit';
