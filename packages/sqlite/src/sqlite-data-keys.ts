import type Database from 'better-sqlite3';
import type { DataKeyListQuery, WrappedDataKey } from '@privacy-kit/core';
import {
  DATA_KEY_COLUMNS,
  dataKeyFromRow,
  dataKeyIdTaken,
  validateDataKey,
  validateDataKeyListQuery,
  validateDataKeyRewrap,
  validateDataKeySubject,
  type DataKeyRow,
} from '@privacy-kit/core/store';
import { PACKAGE } from './sqlite-errors';

const SELECT_KEYS = `SELECT ${DATA_KEY_COLUMNS.join(', ')} FROM data_keys`;

/** What {@link SqliteDataKeys.destroy} did: how many keys it deleted, and whether the WAL still holds their old pages. */
export interface DestroyedDataKeys {
  readonly count: number;
  /** True when the WAL could not be checkpointed and truncated yet (another connection was reading). */
  readonly walPending: boolean;
}

/**
 * The wrapped data keys of a SQLite store, on the store's own connection: every call is one short synchronous
 * statement or immediate transaction (they are rare: one key per data subject, plus erasures and rotations), so
 * they run on the event loop like the rights requests. Callers wrap each call in the store's `run()`, which waits
 * on a timer when another process holds the write lock.
 */
export class SqliteDataKeys {
  private readonly insert: Database.Statement;
  private readonly uncurrent: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly current: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly rewrapOne: Database.Statement;

  /**
   * @param db - the store's connection (migrated)
   * @param synchronous - the connection's usual `synchronous` level, restored after each key write
   */
  constructor(private readonly db: Database.Database, private readonly synchronous: string) {
    this.insert = db.prepare(`INSERT INTO data_keys (${DATA_KEY_COLUMNS.join(', ')}) VALUES (@subject, @key_id, @kek_id, @wrapped, @created_at, 1)`);
    this.uncurrent = db.prepare('UPDATE data_keys SET current = 0 WHERE subject = ? AND current = 1');
    this.byId = db.prepare(`${SELECT_KEYS} WHERE subject = ? AND key_id = ?`);
    this.current = db.prepare(`${SELECT_KEYS} WHERE subject = ? AND current = 1`);
    this.remove = db.prepare('DELETE FROM data_keys WHERE subject = ?');
    this.rewrapOne = db.prepare('UPDATE data_keys SET wrapped = ?, kek_id = ? WHERE subject = ? AND key_id = ? AND kek_id = ?');
  }

  /** See `DataKeyStore.addDataKey`: one immediate transaction, so two processes never both make a key current. */
  add(key: Omit<WrappedDataKey, 'current'>, ifNoCurrent: boolean): WrappedDataKey {
    validateDataKey(key, PACKAGE);
    return this.durably(() => this.db.transaction((): WrappedDataKey => {
      const existing = this.current.get(key.subject) as DataKeyRow | undefined;
      if (ifNoCurrent && existing !== undefined) return dataKeyFromRow(existing);
      if (this.byId.get(key.subject, key.keyId) !== undefined) throw dataKeyIdTaken(PACKAGE);
      this.uncurrent.run(key.subject);
      this.insert.run({ subject: key.subject, key_id: key.keyId, kek_id: key.kekId, wrapped: key.wrapped, created_at: key.createdAt });
      return { subject: key.subject, keyId: key.keyId, kekId: key.kekId, wrapped: key.wrapped, createdAt: key.createdAt, current: true };
    }).immediate());
  }

  get(subject: string, keyId: string): WrappedDataKey | undefined {
    validateDataKeySubject('dataKey', PACKAGE, subject, keyId);
    const row = this.byId.get(subject, keyId) as DataKeyRow | undefined;
    return row === undefined ? undefined : dataKeyFromRow(row);
  }

  currentOf(subject: string): WrappedDataKey | undefined {
    validateDataKeySubject('currentDataKey', PACKAGE, subject);
    const row = this.current.get(subject) as DataKeyRow | undefined;
    return row === undefined ? undefined : dataKeyFromRow(row);
  }

  /**
   * Deletes the subject's keys (secure_delete zeroes their bytes in the pages), then checkpoints the WAL into the
   * file and truncates it, so the pages that still held them before the delete are gone from the WAL too.
   */
  destroy(subject: string): DestroyedDataKeys {
    validateDataKeySubject('destroyDataKeys', PACKAGE, subject);
    const count = this.durably(() => this.remove.run(subject).changes);
    return { count, walPending: count > 0 && !this.truncateWal() };
  }

  /**
   * Checkpoints the whole WAL into the database file and truncates the WAL to zero bytes; false when another
   * connection's read or write kept it from finishing (never waits: the connection's busy timeout is 0).
   */
  truncateWal(): boolean {
    if (this.db.memory) return true;
    const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    return result !== undefined && result.busy === 0;
  }

  list(query: DataKeyListQuery): WrappedDataKey[] {
    validateDataKeyListQuery(query, PACKAGE);
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.notKekId !== undefined) {
      where.push('kek_id <> ?');
      params.push(query.notKekId);
    }
    if (query.after !== undefined) {
      // SQLite compares text byte by byte (BINARY collation): the code point order the contract lists in.
      where.push('(subject, key_id) > (?, ?)');
      params.push(query.after.subject, query.after.keyId);
    }
    const sql = `${SELECT_KEYS}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY subject, key_id LIMIT ?`;
    return (this.db.prepare(sql).all(...params, query.limit) as DataKeyRow[]).map(dataKeyFromRow);
  }

  /** Compare and set on the kek id: one UPDATE whose WHERE holds the old kek id. */
  rewrap(subject: string, keyId: string, fromKekId: string, wrapped: string, kekId: string): boolean {
    validateDataKeyRewrap(PACKAGE, subject, keyId, fromKekId, wrapped, kekId);
    return this.durably(() => this.rewrapOne.run(wrapped, kekId, subject, keyId, fromKekId).changes === 1);
  }

  /**
   * Commits a key write with synchronous=FULL (the WAL is fsynced before it resolves) whatever the store's
   * durability: a data key lost in a power cut would leave what it sealed unreadable, and key writes are rare.
   */
  private durably<T>(write: () => T): T {
    if (this.synchronous === 'FULL') return write();
    this.db.pragma('synchronous = FULL');
    try {
      return write();
    } finally {
      this.db.pragma(`synchronous = ${this.synchronous}`);
    }
  }
}
