import type { LawfulBasis } from '../vocabulary/taxonomy';

/** What an audit record is about. */
export type AuditEvent =
  /** Access to personal data was allowed; committed before the handler runs. */
  | 'access'
  /** Access was refused (no identity, wrong role, no consent, misconfiguration). */
  | 'denied'
  /** How an allowed access ended: status and duration, when the response finished. */
  | 'outcome'
  /** A data subject right was exercised or progressed (export, erasure, rectification). */
  | 'rights'
  /** A consent was granted or withdrawn. */
  | 'consent'
  /** Retention removed data. */
  | 'retention';

/** The facts of one audit record, as a caller appends it. Identifiers are pseudonyms, never raw values. */
export interface AuditEntry {
  readonly event: AuditEvent;
  /** ISO 8601 with offset, e.g. 2026-11-22T10:17:08.123+00:00. */
  readonly time: string;
  readonly requestId: string;
  readonly appId: string;
  /** Keyed-HMAC pseudonym of the caller, or null when nobody could be identified. */
  readonly actor: string | null;
  /** Keyed-HMAC pseudonym of the data subject, or null when unknown. */
  readonly subject: string | null;
  readonly method: string | null;
  /** The route pattern, e.g. '/users/:id'; never the raw URL. */
  readonly route: string | null;
  readonly purposes: readonly string[];
  readonly basis: LawfulBasis | null;
  readonly categories: readonly string[];
  readonly decision: 'allowed' | 'denied';
  /** Why: 'consent_required', 'forbidden', 'unauthenticated', or a short code; null when allowed. */
  readonly reason: string | null;
  /** Final HTTP status and duration, for 'outcome' and 'denied' records. */
  readonly status: number | null;
  readonly durationMs: number | null;
  /** Extra non-personal facts (e.g. a rights request id and step). */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

/** A stored audit record: the entry, its position and its place in the keyed chain. */
export interface AuditRecord extends AuditEntry {
  /** Position in the store's log, from 1. */
  readonly seq: number;
  /** MAC of the record before it in the chain ('' for the first). */
  readonly prevMac: string;
  /** HMAC-SHA-256 over this record's entry and prevMac, base64url. */
  readonly mac: string;
}

/** The store's signed claim of where the log ends; lets verify() see a truncated tail. */
export interface AuditHead {
  readonly seq: number;
  readonly mac: string;
  /** HMAC over (seq, mac), so the head cannot be moved back without the key. */
  readonly headMac: string;
}

/** What `verify()` found. */
export interface AuditVerifyReport {
  readonly ok: boolean;
  /** Records checked. */
  readonly checked: number;
  /** The first position (seq) where the chain is broken, if any. */
  readonly firstBadSeq?: number;
  readonly problem?: 'changed' | 'deleted' | 'reordered' | 'inserted' | 'truncated' | 'head';
  /** One sentence for people. */
  readonly message: string;
}
