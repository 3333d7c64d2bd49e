import type { AuditEntry, AuditHeadV2, ConsentEvent } from '@privacy-kit/core';
import type { NewConsentRow } from '@privacy-kit/core/store';

/** What the audit writer thread is started with. */
export interface AuditThreadData {
  readonly filename: string;
  readonly key: Uint8Array;
  /** SQLite's `synchronous` setting for the thread's connection ('NORMAL' or 'FULL'). */
  readonly synchronous: 'NORMAL' | 'FULL';
  /** How long the thread's connection waits for another connection's lock, in ms (it may block: it is not the event loop). */
  readonly busyTimeoutMs: number;
  /** The file as the store opened it: a commit is refused once the path names another file (or none). */
  readonly file: { readonly dev: number; readonly ino: number };
  /** The subject index file the thread keeps up to date (see subject-index.ts). */
  readonly subjectIndexFile: string;
  /** One Int32 the store sets to 1 (and notifies) when it closes: the thread then stops waiting for a lock. */
  readonly closing: SharedArrayBuffer;
}

/**
 * A request to the thread; answered by one {@link AuditThreadReply} with the same id, in the order they were sent.
 * The thread answers everything it found waiting in one message (an array of replies), and commits consecutive
 * appends together in one transaction.
 */
export type AuditThreadRequest =
  | { readonly id: number; readonly kind: 'append'; readonly entries: readonly AuditEntry[] }
  | { readonly id: number; readonly kind: 'consent'; readonly rows: readonly NewConsentRow[]; readonly entry: AuditEntry }
  | { readonly id: number; readonly kind: 'settings' }
  | { readonly id: number; readonly kind: 'index' };

/** Why a request failed, in words that carry no stored value (SQLite's code only, never its message). */
export interface AuditThreadFailure {
  readonly id: number;
  readonly ok: false;
  /** SQLite's result code (e.g. 'SQLITE_BUSY', 'SQLITE_CONSTRAINT_TRIGGER'), if the driver gave one. */
  readonly code?: string;
  /** A TypeError or RangeError: a value could not be bound. */
  readonly badValue?: boolean;
  /** SQLite's own message: kept as the cause of the store error, never put in its message (it can quote stored values). */
  readonly message?: string;
  /** The database file was deleted or replaced while open. */
  readonly replaced?: boolean;
  /** The store was closed while the request waited for another connection's lock. */
  readonly closed?: boolean;
}

/**
 * A committed append, compactly: the records are the entries with positions `seq`, `seq + 1`, ... and the MACs in
 * order (each record's prevMac is the MAC before it, the first one's is `prevMac`).
 */
export interface AuditAppendReply {
  readonly id: number;
  readonly ok: true;
  readonly seq: number;
  readonly prevMac: string;
  readonly macs: readonly string[];
  readonly head: AuditHeadV2;
}

/** A committed consent change: its events, its record's position and MACs, and the new head. */
export interface AuditConsentReply {
  readonly id: number;
  readonly ok: true;
  readonly events: readonly ConsentEvent[];
  readonly seq: number;
  readonly prevMac: string;
  readonly macs: readonly string[];
  readonly head: AuditHeadV2;
}

/** One entry's record, when the entries of a request were committed one by one (see {@link AuditEachReply}). */
export interface AuditEntryResult {
  readonly seq: number;
  readonly prevMac: string;
  readonly mac: string;
}

/**
 * The answer to an append whose batch failed as a whole, so that its entries were committed one by one: one result
 * per entry, in order, each a record or that entry's failure (a bad entry fails alone).
 */
export interface AuditEachReply {
  readonly id: number;
  readonly ok: 'each';
  readonly results: readonly (AuditEntryResult | AuditThreadFailure)[];
  /** The head after the last entry committed, if any was. */
  readonly head: AuditHeadV2 | undefined;
}

/** How the thread's connection is set up, as SQLite reports it (for tests and diagnostics). */
export interface AuditSettingsReply {
  readonly id: number;
  readonly ok: true;
  readonly settings: { readonly journalMode: string; readonly synchronous: number };
}

/** The subject index caught up with the log (answer to an 'index' request). */
export interface AuditIndexReply {
  readonly id: number;
  readonly ok: true;
  readonly indexed: number;
}

/** The thread's answer to one request. */
export type AuditThreadReply = AuditAppendReply | AuditEachReply | AuditConsentReply | AuditSettingsReply | AuditIndexReply | AuditThreadFailure;
