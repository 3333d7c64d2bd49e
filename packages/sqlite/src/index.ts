export { DEFAULT_SQLITE_FILENAME, SqliteStore, createSqliteStore } from './sqlite.store';
export type { SqliteStoreOptions } from './sqlite.store';
