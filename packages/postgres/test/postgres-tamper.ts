import { AUDIT_COLUMNS, AUDIT_COLUMN_LIST, auditRowValues } from '@privacy-kit/core/store';
import { auditLogColumn, type AuditTamper } from '@privacy-kit/core/testing';
import type { PostgresStore } from '@privacy-kit/postgres';

/**
 * Raw tampering with a PostgreSQL store's audit rows, as someone with database access could do it: drops the
 * append-only triggers first, then edits rows directly.
 */
export function postgresTamper(store: PostgresStore): AuditTamper {
  const s = `"${store.schema}"`;
  const pool = store.pool;
  const unguard = async (): Promise<void> => {
    await pool.query(`DROP TRIGGER IF EXISTS audit_log_append_only ON ${s}.audit_log; DROP TRIGGER IF EXISTS audit_log_no_truncate ON ${s}.audit_log`);
  };
  const inTransaction = async (statements: Array<[string, unknown[]]>): Promise<void> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (const [text, params] of statements) await client.query(text, params);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  };
  return {
    async changeRecord(seq, patch) {
      await unguard();
      for (const [field, value] of Object.entries(patch)) {
        const { column, json } = auditLogColumn(field);
        await pool.query(`UPDATE ${s}.audit_log SET ${column} = ${json ? '$1::jsonb' : '$1'} WHERE seq = $2`, [json ? JSON.stringify(value) : value, seq]);
      }
    },
    async deleteRecord(seq) {
      await unguard();
      await pool.query(`DELETE FROM ${s}.audit_log WHERE seq = $1`, [seq]);
    },
    async swapRecords(a, b) {
      await unguard();
      await inTransaction([
        [`UPDATE ${s}.audit_log SET seq = -1 WHERE seq = $1`, [a]],
        [`UPDATE ${s}.audit_log SET seq = $1 WHERE seq = $2`, [a, b]],
        [`UPDATE ${s}.audit_log SET seq = $1 WHERE seq = -1`, [b]],
      ]);
    },
    async insertRecord(afterSeq, record) {
      await unguard();
      await inTransaction([
        [`UPDATE ${s}.audit_log SET seq = -seq - 1 WHERE seq > $1`, [afterSeq]],
        [`UPDATE ${s}.audit_log SET seq = -seq WHERE seq < 0`, []],
        [
          `INSERT INTO ${s}.audit_log (${AUDIT_COLUMN_LIST}) VALUES (${AUDIT_COLUMNS.map((c, i) => `$${i + 1}${c.json ? '::jsonb' : ''}`).join(', ')})`,
          auditRowValues({ ...record, seq: afterSeq + 1 }, JSON.stringify),
        ],
        // Keep the head pointing at the same (now renumbered) last record, as an attacker would.
        [`UPDATE ${s}.audit_head SET seq = seq + 1 WHERE id = 1`, []],
      ]);
    },
    async truncateFrom(seq) {
      await unguard();
      await pool.query(`DELETE FROM ${s}.audit_log WHERE seq >= $1`, [seq]);
    },
    async moveHead(seq) {
      await pool.query(`UPDATE ${s}.audit_head SET seq = $1, mac = (SELECT mac FROM ${s}.audit_log WHERE seq = $1) WHERE id = 1`, [seq]);
    },
    async saveHead() {
      return (await pool.query(`SELECT * FROM ${s}.audit_head WHERE id = 1`)).rows[0];
    },
    async restoreHead(saved) {
      const row = saved as Record<string, unknown>;
      const columns = Object.keys(row);
      await inTransaction([
        [`DELETE FROM ${s}.audit_head`, []],
        [`INSERT INTO ${s}.audit_head (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, columns.map((c) => row[c])],
      ]);
    },
  };
}
