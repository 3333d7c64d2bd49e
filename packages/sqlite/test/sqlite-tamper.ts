import { AUDIT_COLUMNS, AUDIT_COLUMN_LIST, auditRowValues } from '@privacy-kit/core/store';
import { auditLogColumn, type AuditTamper } from '@privacy-kit/core/testing';
import type { SqliteStore } from '@privacy-kit/sqlite';

/**
 * Raw tampering with a SQLite store's audit rows, as someone with file access could do it: drops the
 * append-only triggers first, then edits rows directly.
 */
export function sqliteTamper(store: SqliteStore): AuditTamper {
  const db = store.db;
  const unguard = (): void => {
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  };
  return {
    async changeRecord(seq, patch) {
      unguard();
      for (const [field, value] of Object.entries(patch)) {
        const { column, json } = auditLogColumn(field);
        db.prepare(`UPDATE audit_log SET ${column} = ? WHERE seq = ?`).run(json ? JSON.stringify(value) : value, seq);
      }
    },
    async deleteRecord(seq) {
      unguard();
      db.prepare('DELETE FROM audit_log WHERE seq = ?').run(seq);
    },
    async swapRecords(a, b) {
      unguard();
      db.transaction(() => {
        db.prepare('UPDATE audit_log SET seq = -1 WHERE seq = ?').run(a);
        db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(a, b);
        db.prepare('UPDATE audit_log SET seq = ? WHERE seq = -1').run(b);
      })();
    },
    async insertRecord(afterSeq, record) {
      unguard();
      db.transaction(() => {
        db.prepare('UPDATE audit_log SET seq = -seq - 1 WHERE seq > ?').run(afterSeq);
        db.prepare('UPDATE audit_log SET seq = -seq WHERE seq < 0').run();
        db.prepare(`INSERT INTO audit_log (${AUDIT_COLUMN_LIST}) VALUES (${AUDIT_COLUMNS.map(() => '?').join(', ')})`)
          .run(auditRowValues({ ...record, seq: afterSeq + 1 }, JSON.stringify));
        const last = db.prepare('SELECT seq FROM audit_head WHERE id = 1').get() as { seq: number };
        // Keep the head pointing at the same (now renumbered) last record, as an attacker would.
        db.prepare('UPDATE audit_head SET seq = ? WHERE id = 1').run(last.seq + 1);
      })();
    },
    async truncateFrom(seq) {
      unguard();
      db.prepare('DELETE FROM audit_log WHERE seq >= ?').run(seq);
    },
    async moveHead(seq) {
      const row = db.prepare('SELECT mac FROM audit_log WHERE seq = ?').get(seq) as { mac: string };
      db.prepare('UPDATE audit_head SET seq = ?, mac = ? WHERE id = 1').run(seq, row.mac);
    },
    async saveHead() {
      return db.prepare('SELECT * FROM audit_head WHERE id = 1').get();
    },
    async restoreHead(saved) {
      const row = saved as Record<string, unknown>;
      const columns = Object.keys(row);
      db.prepare(`INSERT OR REPLACE INTO audit_head (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
    },
  };
}
