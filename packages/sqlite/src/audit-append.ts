import type Database from 'better-sqlite3';
import { auditEntryOf, auditHeadMac, auditMac, type AuditEntry, type AuditRecord } from '@privacy-kit/core';

/** Appends a batch of entries to the chain in one immediate transaction; returns the stored records. */
export type AuditAppender = (entries: readonly AuditEntry[]) => AuditRecord[];

/**
 * Prepares the append transaction on a connection: read the head, chain each entry to the one before, insert,
 * move the signed head, commit. The immediate lock serialises writers across connections and processes.
 *
 * @param db - an open connection to a migrated database
 * @param key - the audit key
 */
export function createAuditAppender(db: Database.Database, key: Buffer): AuditAppender {
  const insert = db.prepare(
    `INSERT INTO audit_log (seq, event, time, request_id, app_id, actor, subject, method, route, purposes, basis, categories,
       decision, reason, status, duration_ms, details, prev_mac, mac)
     VALUES (@seq, @event, @time, @requestId, @appId, @actor, @subject, @method, @route, @purposes, @basis, @categories,
       @decision, @reason, @status, @durationMs, @details, @prevMac, @mac)`,
  );
  const readHead = db.prepare('SELECT seq, mac FROM audit_head WHERE id = 1');
  const writeHead = db.prepare(
    'INSERT INTO audit_head (id, seq, mac, head_mac) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, mac = excluded.mac, head_mac = excluded.head_mac',
  );
  const transaction = db.transaction((entries: readonly AuditEntry[]): AuditRecord[] => {
    const head = readHead.get() as { seq: number; mac: string } | undefined;
    let seq = head?.seq ?? 0;
    let prevMac = head?.mac ?? '';
    const records = entries.map((entry) => {
      const clean = auditEntryOf(entry);
      seq += 1;
      const mac = auditMac(key, clean, prevMac);
      insert.run({
        ...clean,
        seq,
        purposes: JSON.stringify(clean.purposes),
        categories: JSON.stringify(clean.categories),
        details: clean.details === undefined ? null : JSON.stringify(clean.details),
        prevMac,
        mac,
      });
      const record: AuditRecord = { ...clean, seq, prevMac, mac };
      prevMac = mac;
      return record;
    });
    writeHead.run(seq, prevMac, auditHeadMac(key, seq, prevMac));
    return records;
  });
  return (entries) => transaction.immediate(entries);
}

/** Opens a connection with the pragmas every privacy-kit connection uses. */
export function configureConnection(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // FULL makes each commit durable in WAL mode: an audit record is on disk before the handler runs.
  db.pragma('synchronous = FULL');
}
