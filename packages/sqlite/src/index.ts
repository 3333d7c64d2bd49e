export { CONSENT_POLL_MS, SqliteStore, createSqliteStore } from './sqlite.store';
export { DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_SQLITE_FILENAME, SQLITE_DURABILITY_MODES } from './sqlite-store.options';
export type { SqliteDurability, SqliteStoreOptions } from './sqlite-store.options';
export { verifySqliteAudit } from './verify-sqlite-audit';
export type { SqliteAuditVerifyOptions } from './verify-sqlite-audit';
export { readSqliteAudit } from './read-sqlite-audit';
export type { SqliteAuditReadOptions } from './read-sqlite-audit';
