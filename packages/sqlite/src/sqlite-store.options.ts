import { defineOptionKeys, keyBytes, rejectUnknownOptions, type AuditCheckpointOptions } from '@privacy-kit/core';
import { resolveAuditCheckpointOptions, type ResolvedAuditCheckpointOptions } from '@privacy-kit/core/store';
import { PACKAGE, sqliteError } from './sqlite-errors';

/** The default database file, relative to the working directory. */
export const DEFAULT_SQLITE_FILENAME = 'privacy-kit.db';

/**
 * SQLite copies the WAL back into the database file (a checkpoint) once it holds this many pages (4 KiB each), on
 * the connection that commits. SQLite's default is 1,000; audit records dirty the same index pages again and
 * again, and each checkpoint copies a page once however often it changed, so a larger WAL costs less per record
 * (measured: about a sixth less write work per audit record). The WAL file is cut back to
 * {@link WAL_SIZE_LIMIT_BYTES} after a checkpoint.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/** The size the WAL file is truncated to after a checkpoint (SQLite's `journal_size_limit`). */
export const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * The page cache of the store's connection, in KiB: SQLite's own default. better-sqlite3 builds SQLite with 16 MiB,
 * which the store's work does not use: it appends at the end of the audit log and reads a subject's consent events
 * (cached above it), and 16 MiB of pages, kept once touched, showed as +14 MiB of resident memory under
 * `npm run bench` with no gain in throughput.
 */
export const DEFAULT_CACHE_SIZE_KIB = 2048;

/** How long an operation waits for another connection's lock on the file by default, in ms. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * What an audit record (or a consent change) survives once the call that wrote it resolved, i.e. when the handler
 * of an annotated route starts:
 * - `'process-crash'` (the default): the commit is written to SQLite's WAL file, handed to the operating system
 *   (SQLite's `synchronous=NORMAL` in WAL mode). It survives the app's process crashing or being killed
 *   (`kill -9`); a power loss or an operating-system crash may lose the last commits (the database stays
 *   consistent and its audit chain verifies). As Vault's file audit device writes.
 * - `'power-loss'`: the WAL file is also fsynced before the call resolves (`synchronous=FULL`): the record is on the
 *   disk. Costs a flush to the disk per commit (batched: one per group of records), on the writer thread.
 */
export type SqliteDurability = 'process-crash' | 'power-loss';

/** The durability modes, for messages and checks. */
export const SQLITE_DURABILITY_MODES: readonly SqliteDurability[] = ['process-crash', 'power-loss'];

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file; ':memory:' for a throwaway store. Default {@link DEFAULT_SQLITE_FILENAME}. */
  readonly filename?: string;
  /** Keys the audit chain: at least 32 bytes, kept secret and stable (see `deriveKey` in @privacy-kit/core). */
  readonly auditKey: string | Buffer;
  /**
   * How long an operation waits for another process's lock on the file, in ms. Default 5000. The wait never
   * blocks the event loop: a locked operation is tried again on a timer, so requests that do not touch the store
   * go on meanwhile; after this long it rejects with `PK_STORE_UNAVAILABLE`.
   */
  readonly busyTimeoutMs?: number;
  /**
   * Publish signed checkpoints of the audit log outside the database (an append-only file on another path, a
   * hook), so that `privacy-kit audit verify --checkpoint` can tell when the log was cut short. See
   * `AuditCheckpointOptions` in @privacy-kit/core.
   */
  readonly checkpoints?: AuditCheckpointOptions;
  /** What a committed record survives: see {@link SqliteDurability}. Default `'process-crash'`. */
  readonly durability?: SqliteDurability;
  /**
   * The page cache of the store's connection, in KiB (SQLite's `cache_size`). Default 2048 (SQLite's own default).
   * Raise it when the app reads large parts of the audit log often (exports, audit queries over long periods).
   */
  readonly cacheSizeKiB?: number;
}

/** {@link SqliteStoreOptions} with defaults applied and everything checked. */
export interface ResolvedSqliteStoreOptions {
  readonly filename: string;
  /** Whether `filename` is ':memory:'. */
  readonly inMemory: boolean;
  readonly auditKey: Buffer;
  readonly busyTimeoutMs: number;
  readonly checkpoints: ResolvedAuditCheckpointOptions | undefined;
  readonly durability: SqliteDurability;
  readonly cacheSizeKiB: number;
}

/** Every option of {@link SqliteStoreOptions}, checked against the interface at compile time. */
const SQLITE_STORE_OPTION_KEYS = defineOptionKeys<SqliteStoreOptions>({ filename: true, auditKey: true, busyTimeoutMs: true, checkpoints: true, durability: true, cacheSizeKiB: true });
/** Names people pass for an option that no spelling rule finds. */
const ALIASES: Readonly<Record<string, string>> = { path: 'filename', database: 'filename', key: 'auditKey', timeout: 'busyTimeoutMs', cacheSize: 'cacheSizeKiB', cache_size: 'cacheSizeKiB' };

/**
 * Checks the options of {@link createSqliteStore} and applies the defaults; refuses an unknown option (a
 * mistyped `file` would otherwise leave the store on the default file) with the option it most likely meant.
 *
 * @param options - as given to createSqliteStore
 */
export function resolveSqliteStoreOptions(options: SqliteStoreOptions): ResolvedSqliteStoreOptions {
  if (typeof options !== 'object' || options === null) {
    throw sqliteError('PK_INVALID_OPTION', 'createSqliteStore() needs options: { filename, auditKey }.');
  }
  rejectUnknownOptions(options, SQLITE_STORE_OPTION_KEYS, 'createSqliteStore()', sqliteError, ALIASES);
  const auditKey = keyBytes(options.auditKey, 'auditKey');
  const filename = options.filename ?? DEFAULT_SQLITE_FILENAME;
  if (typeof filename !== 'string' || filename === '') {
    throw sqliteError('PK_INVALID_OPTION', `'filename' must be a path or ':memory:'; got ${JSON.stringify(filename)}.`);
  }
  const inMemory = filename === ':memory:';
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw sqliteError('PK_INVALID_OPTION', `'busyTimeoutMs' must be a whole number of ms ≥ 0 (default ${DEFAULT_BUSY_TIMEOUT_MS}); got ${JSON.stringify(busyTimeoutMs)}.`);
  }
  const checkpoints = options.checkpoints === undefined
    ? undefined
    : resolveAuditCheckpointOptions(options.checkpoints, PACKAGE, inMemory ? [] : [filename]);
  const durability = options.durability ?? 'process-crash';
  if (!SQLITE_DURABILITY_MODES.includes(durability)) {
    throw sqliteError(
      'PK_INVALID_OPTION',
      `'durability' must be ${SQLITE_DURABILITY_MODES.map((m) => `'${m}'`).join(' or ')} (what a committed audit record survives; default 'process-crash'); got ${JSON.stringify(durability)}.`,
    );
  }
  const cacheSizeKiB = options.cacheSizeKiB ?? DEFAULT_CACHE_SIZE_KIB;
  if (!Number.isInteger(cacheSizeKiB) || cacheSizeKiB < 64) {
    throw sqliteError('PK_INVALID_OPTION', `'cacheSizeKiB' must be a whole number of KiB ≥ 64 (default ${DEFAULT_CACHE_SIZE_KIB}); got ${JSON.stringify(cacheSizeKiB)}.`);
  }
  return { filename, inMemory, auditKey, busyTimeoutMs, checkpoints, durability, cacheSizeKiB };
}
