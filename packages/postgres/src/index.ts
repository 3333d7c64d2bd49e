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
export { openPostgresCopySource } from './copy/postgres-copy-source';
export { openPostgresCopyTarget } from './copy/postgres-copy-target';
export { DEFAULT_POSTGRES_COPY_SCHEMA } from './copy/postgres-copy.options';
export type { PostgresCopyOptions } from './copy/postgres-copy.options';
