import { AUDIT_COLUMNS, auditRowValues } from '@privacy-kit/core/store';
import { auditLogColumn, type AuditTamper } from '@privacy-kit/core/testing';
import type { PostgresStore } from '@privacy-kit/postgres';

/**
 * Raw tampering with a PostgreSQL store's audit rows, as someone with database access could do it: drops the
 * append-only triggers first, then edits rows directly. Positions are positions in the chain the log's first record
 * is in (the tests append one after the other, so one chain holds every record).
 */
export function postgresTamper(store: PostgresStore): AuditTamper {
  const s = `"${store.schema}"`;
  const pool = store.pool;
  const chain = `(SELECT chain FROM ${s}.audit_log ORDER BY seq LIMIT 1)`;
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
  const columns = AUDIT_COLUMNS.slice(1);
  return {
    async changeRecord(seq, patch) {
      await unguard();
      for (const [field, value] of Object.entries(patch)) {
        const { column, json } = auditLogColumn(field);
        await pool.query(`UPDATE ${s}.audit_log SET ${column} = ${json ? '$1::jsonb' : '$1'} WHERE chain = ${chain} AND chain_seq = $2`, [json ? JSON.stringify(value) : value, seq]);
      }
    },
    async deleteRecord(seq) {
      await unguard();
      await pool.query(`DELETE FROM ${s}.audit_log WHERE chain = ${chain} AND chain_seq = $1`, [seq]);
    },
    async swapRecords(a, b) {
      await unguard();
      const [row] = (await pool.query<{ chain: string }>(`SELECT ${chain} AS chain`)).rows;
      await inTransaction([
        [`UPDATE ${s}.audit_log SET chain_seq = -1 WHERE chain = $2 AND chain_seq = $1`, [a, row?.chain]],
        [`UPDATE ${s}.audit_log SET chain_seq = $1 WHERE chain = $3 AND chain_seq = $2`, [a, b, row?.chain]],
        [`UPDATE ${s}.audit_log SET chain_seq = $1 WHERE chain = $2 AND chain_seq = -1`, [b, row?.chain]],
      ]);
    },
    async insertRecord(afterSeq, record) {
      await unguard();
      const [row] = (await pool.query<{ chain: string }>(`SELECT ${chain} AS chain`)).rows;
      const values = auditRowValues({ ...record, seq: afterSeq + 1 }, JSON.stringify);
      await inTransaction([
        [`UPDATE ${s}.audit_log SET chain_seq = -chain_seq - 1 WHERE chain = $2 AND chain_seq > $1`, [afterSeq, row?.chain]],
        [`UPDATE ${s}.audit_log SET chain_seq = -chain_seq WHERE chain = $1 AND chain_seq < 0`, [row?.chain]],
        [
          `INSERT INTO ${s}.audit_log (chain, chain_seq, ${columns.map((c) => c.name).join(', ')}) VALUES ($1, ${AUDIT_COLUMNS.map((c, i) => `$${i + 2}${c.json ? '::jsonb' : ''}`).join(', ')})`,
          [row?.chain, ...values],
        ],
        // Keep the head pointing at the same (now renumbered) last record, as an attacker would.
        [`UPDATE ${s}.audit_chains SET seq = seq + 1 WHERE chain = $1`, [row?.chain]],
      ]);
    },
    async truncateFrom(seq) {
      await unguard();
      await pool.query(`DELETE FROM ${s}.audit_log WHERE chain = ${chain} AND chain_seq >= $1`, [seq]);
    },
    async moveHead(seq) {
      await pool.query(`UPDATE ${s}.audit_chains c SET seq = $1, mac = (SELECT mac FROM ${s}.audit_log l WHERE l.chain = c.chain AND l.chain_seq = $1) WHERE c.chain = ${chain}`, [seq]);
    },
    async saveHead() {
      return (await pool.query(`SELECT * FROM ${s}.audit_chains WHERE chain = ${chain}`)).rows[0];
    },
    async restoreHead(saved) {
      const row = saved as Record<string, unknown>;
      const names = Object.keys(row).filter((c) => c !== 'chain');
      await pool.query(`UPDATE ${s}.audit_chains SET ${names.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE chain = $1`, [row.chain, ...names.map((c) => row[c])]);
    },
  };
}
