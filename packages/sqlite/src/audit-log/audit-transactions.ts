import type Database from 'better-sqlite3';
import type { AuditEntry, AuditHeadV2, AuditRecord, ConsentEvent } from '@privacy-kit/core';
import {
  AUDIT_COLUMN_LIST,
  AUDIT_HEAD_COLUMNS,
  auditRecordOf,
  auditEntryRowValues,
  auditHeadColumns,
  chainAuditEntries,
  consentEventFromRow,
  CONSENT_INSERT_COLUMNS,
  type NewConsentRow,
} from '@privacy-kit/core/store';

/**
 * A batch as committed, compactly: the entries got the positions `seq`, `seq + 1`, ... and the MACs in `macs` (the
 * first one's predecessor MAC is `prevMac`); `head` is the signed head after them.
 */
export interface AppendedBatch {
  readonly seq: number;
  readonly prevMac: string;
  readonly macs: readonly string[];
  readonly head: AuditHeadV2;
}

/** A consent change as committed: its events and its record's place in the chain. */
export interface CommittedConsentChange {
  readonly events: readonly ConsentEvent[];
  readonly appended: AppendedBatch;
}

/**
 * The two write transactions that extend the audit chain, prepared on one connection: an append of a batch of
 * entries, and a consent change (its events and its audit record, both or neither). The same code runs on the
 * store's own connection (an in-memory database) and on the audit writer thread's (a file). Rows are written
 * straight from the entries (no record objects are built on this path).
 */
export interface AuditTransactions {
  /** Appends the entries as the next records of the chain, in one immediate transaction. */
  append(entries: readonly AuditEntry[]): AppendedBatch;
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
  const appendTx = db.transaction((entries: readonly AuditEntry[]): AppendedBatch => {
    const found = readHead.get() as { seq: number; mac: string; count: number | null } | undefined;
    const macs = new Array<string>(entries.length);
    let i = 0;
    const head = chainAuditEntries(key, found === undefined ? undefined : { seq: found.seq, mac: found.mac, count: found.count ?? undefined }, entries, (entry, seq, prevMac, mac) => {
      insert.run(auditEntryRowValues(entry, seq, prevMac, mac, JSON.stringify, values));
      macs[i++] = mac;
    });
    writeHead.run(...auditHeadColumns(head));
    return { seq: (found?.seq ?? 0) + 1, prevMac: found?.mac ?? '', macs, head };
  });
  // The consent events and their audit record commit together or not at all (appendTx nests as a savepoint).
  const consentTx = db.transaction((rows: readonly NewConsentRow[], entry: AuditEntry): CommittedConsentChange => {
    const events = rows.map((row) => consentEventFromRow({ ...row, seq: Number(insertConsent.run(row).lastInsertRowid) }));
    return { events, appended: appendTx([entry]) };
  });
  return {
    append: (entries) => appendTx.immediate(entries),
    consentChange: (rows, entry) => consentTx.immediate(rows, entry),
  };
}

/**
 * The records of a committed batch: the entries with the positions and MACs the chain gave them (as
 * `chainAuditBatch` builds them).
 *
 * @param entries - the entries, in the order they were appended
 * @param appended - their batch as committed
 */
export function recordsOf(entries: readonly AuditEntry[], appended: Pick<AppendedBatch, 'seq' | 'prevMac' | 'macs'>): AuditRecord[] {
  const records = new Array<AuditRecord>(entries.length);
  let prevMac = appended.prevMac;
  for (let i = 0; i < entries.length; i++) {
    const mac = appended.macs[i] as string;
    records[i] = auditRecordOf(entries[i] as AuditEntry, appended.seq + i, prevMac, mac);
    prevMac = mac;
  }
  return records;
}
