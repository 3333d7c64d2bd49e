import type { DataKeyListQuery, WrappedDataKey } from '@privacy-kit/core';
import { DATA_KEY_COLUMNS, dataKeyFromRow, dataKeyIdTaken, type DataKeyRow } from '@privacy-kit/core/store';
import { PACKAGE } from './postgres-errors';
import type { PostgresSchemaNames } from './postgres-names';
import type { PostgresConnections } from './postgres-pool';

const SELECT_KEYS = DATA_KEY_COLUMNS.join(', ');

/**
 * The wrapped data keys of a PostgreSQL store, through the pool like the rights requests. Writes that change which
 * key is current take a transaction-scoped advisory lock on the subject, so instances adding keys for one subject at
 * once are serialised (and `ifNoCurrent` sees the key the other one added); the partial unique index
 * `data_keys_one_current` refuses a second current key in any case. Validate the input first (the store does).
 */
export class PostgresDataKeys {
  private readonly table: string;

  constructor(private readonly connections: PostgresConnections, private readonly names: PostgresSchemaNames) {
    this.table = `${names.quoted}.data_keys`;
  }

  async add(key: Omit<WrappedDataKey, 'current'>, ifNoCurrent: boolean): Promise<WrappedDataKey> {
    return this.connections.transaction('BEGIN', async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1::integer, hashtext($2))', [this.names.dataKeyLockSpace, key.subject]);
      if (ifNoCurrent) {
        const { rows } = await client.query<DataKeyRow>(`SELECT ${SELECT_KEYS} FROM ${this.table} WHERE subject = $1 AND current`, [key.subject]);
        const existing = rows[0];
        if (existing !== undefined) return dataKeyFromRow(existing);
      }
      const taken = await client.query(`SELECT 1 FROM ${this.table} WHERE subject = $1 AND key_id = $2`, [key.subject, key.keyId]);
      if ((taken.rowCount ?? 0) > 0) throw dataKeyIdTaken(PACKAGE);
      await client.query(`UPDATE ${this.table} SET current = false WHERE subject = $1 AND current`, [key.subject]);
      await client.query(
        `INSERT INTO ${this.table} (${SELECT_KEYS}) VALUES ($1, $2, $3, $4, $5, true)`,
        [key.subject, key.keyId, key.kekId, key.wrapped, key.createdAt],
      );
      return { subject: key.subject, keyId: key.keyId, kekId: key.kekId, wrapped: key.wrapped, createdAt: key.createdAt, current: true };
    });
  }

  async get(subject: string, keyId: string): Promise<WrappedDataKey | undefined> {
    const { rows } = await this.connections.pool.query<DataKeyRow>(`SELECT ${SELECT_KEYS} FROM ${this.table} WHERE subject = $1 AND key_id = $2`, [subject, keyId]);
    const row = rows[0];
    return row === undefined ? undefined : dataKeyFromRow(row);
  }

  async currentOf(subject: string): Promise<WrappedDataKey | undefined> {
    const { rows } = await this.connections.pool.query<DataKeyRow>(`SELECT ${SELECT_KEYS} FROM ${this.table} WHERE subject = $1 AND current`, [subject]);
    const row = rows[0];
    return row === undefined ? undefined : dataKeyFromRow(row);
  }

  /** Deletes the subject's rows (one statement); resolves with how many. */
  async destroy(subject: string): Promise<number> {
    const result = await this.connections.pool.query(`DELETE FROM ${this.table} WHERE subject = $1`, [subject]);
    return result.rowCount ?? 0;
  }

  async list(query: DataKeyListQuery): Promise<WrappedDataKey[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.notKekId !== undefined) {
      params.push(query.notKekId);
      where.push(`kek_id <> $${params.length}`);
    }
    if (query.after !== undefined) {
      params.push(query.after.subject, query.after.keyId);
      where.push(`(subject, key_id) > ($${params.length - 1}, $${params.length})`);
    }
    params.push(query.limit);
    const filter = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
    const { rows } = await this.connections.pool.query<DataKeyRow>(
      `SELECT ${SELECT_KEYS} FROM ${this.table}${filter} ORDER BY subject, key_id LIMIT $${params.length}`,
      params,
    );
    return rows.map(dataKeyFromRow);
  }

  /** Compare and set on the kek id: one UPDATE whose WHERE holds the old kek id (row lock: one of two racers wins). */
  async rewrap(subject: string, keyId: string, fromKekId: string, wrapped: string, kekId: string): Promise<boolean> {
    const result = await this.connections.pool.query(
      `UPDATE ${this.table} SET wrapped = $1, kek_id = $2 WHERE subject = $3 AND key_id = $4 AND kek_id = $5`,
      [wrapped, kekId, subject, keyId, fromKekId],
    );
    return result.rowCount === 1;
  }
}
