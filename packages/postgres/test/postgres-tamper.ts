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
          `INSERT INTO ${s}.audit_log (seq, event, time, request_id, app_id, actor, subject, method, route, purposes, basis, categories, decision, reason, status, duration_ms, details, prev_mac, mac)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12::jsonb, $13, $14, $15, $16, $17::jsonb, $18, $19)`,
          [
            afterSeq + 1, record.event, record.time, record.requestId, record.appId, record.actor, record.subject, record.method, record.route,
            JSON.stringify(record.purposes), record.basis, JSON.stringify(record.categories), record.decision, record.reason, record.status,
            record.durationMs, record.details === undefined ? null : JSON.stringify(record.details), record.prevMac, record.mac,
          ],
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
