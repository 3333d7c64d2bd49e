export { CONSENT_POLL_MS, DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_SQLITE_FILENAME, SqliteStore, createSqliteStore } from './sqlite.store';
export type { SqliteStoreOptions } from './sqlite.store';
export { verifySqliteAudit } from './verify-sqlite-audit';
export type { SqliteAuditVerifyOptions } from './verify-sqlite-audit';
