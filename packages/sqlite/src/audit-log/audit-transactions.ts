import type Database from 'better-sqlite3';
import type { AuditEntry, AuditRecord, ConsentChange } from '@privacy-kit/core';
import {
  AUDIT_COLUMN_LIST,
  AUDIT_HEAD_COLUMNS,
  auditHeadColumns,
  auditRowValues,
  chainAuditBatch,
  consentEventFromRow,
  CONSENT_INSERT_COLUMNS,
  type AuditChainBatch,
  type NewConsentRow,
} from '@privacy-kit/core/store';

/** A consent change as committed: its events and record, and the batch (for the new head). */
export interface CommittedConsentChange {
  readonly change: ConsentChange;
  readonly batch: AuditChainBatch;
}

/**
 * The two write transactions that extend the audit chain, prepared on one connection: an append of a batch of
 * entries, and a consent change (its events and its audit record, both or neither). The same code runs on the
 * store's own connection (an in-memory database) and on the audit writer thread's (a file).
 */
export interface AuditTransactions {
  /** Appends the entries as the next records of the chain, in one immediate transaction. */
  append(entries: readonly AuditEntry[]): AuditChainBatch;
  /** Inserts the consent events and appends their audit record, in one immediate transaction. */
  consentChange(rows: readonly NewConsentRow[], entry: AuditEntry): CommittedConsentChange;
}

/**
 * Prepares the audit transactions on a connection.
 *
 * @param db - an open, migrated connection
 * @param key - the audit key
 */
export function prepareAuditTransactions(db: Database.Database, key: Buffer): AuditTransactions {
  // Positional parameters, bound from one reused array: cheaper than named ones on this hot path.
  const insert = db.prepare(`INSERT INTO audit_log (${AUDIT_COLUMN_LIST}) VALUES (${AUDIT_COLUMN_LIST.split(', ').map(() => '?').join(', ')})`);
  const values: unknown[] = [];
  const readHead = db.prepare('SELECT seq, mac, count FROM audit_head WHERE id = 1');
  const writeHead = db.prepare(
    `INSERT INTO audit_head (id, ${AUDIT_HEAD_COLUMNS.join(', ')}) VALUES (1, ${AUDIT_HEAD_COLUMNS.map(() => '?').join(', ')})
     ON CONFLICT (id) DO UPDATE SET ${AUDIT_HEAD_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`,
  );
  const insertConsent = db.prepare(
    `INSERT INTO consent_events (${CONSENT_INSERT_COLUMNS.join(', ')}) VALUES (${CONSENT_INSERT_COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  const appendTx = db.transaction((entries: readonly AuditEntry[]): AuditChainBatch => {
    const head = readHead.get() as { seq: number; mac: string; count: number | null } | undefined;
    const batch = chainAuditBatch(key, head === undefined ? undefined : { seq: head.seq, mac: head.mac, count: head.count ?? undefined }, entries);
    for (const record of batch.records) insert.run(auditRowValues(record, JSON.stringify, values));
    writeHead.run(...auditHeadColumns(batch.head));
    return batch;
  });
  // The consent events and their audit record commit together or not at all (appendTx nests as a savepoint).
  const consentTx = db.transaction((rows: readonly NewConsentRow[], entry: AuditEntry): CommittedConsentChange => {
    const events = rows.map((row) => consentEventFromRow({ ...row, seq: Number(insertConsent.run(row).lastInsertRowid) }));
    const batch = appendTx([entry]);
    return { change: { events, record: batch.records[0] as AuditRecord }, batch };
  });
  return {
    append: (entries) => appendTx.immediate(entries),
    consentChange: (rows, entry) => consentTx.immediate(rows, entry),
  };
}
