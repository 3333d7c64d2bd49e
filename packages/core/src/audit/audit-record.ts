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
  | 'retention'
  /** Data keys were rotated or destroyed. */
  | 'keys'
  /** A pseudonymized copy of the app's database was made (`privacy-kit pseudonymize`). */
  | 'copy'
  /** The monitor raised an alert on unusual access (details: rule, count, threshold, window). */
  | 'alert'
  /** An incident of the register was opened or changed, or its people were resolved for notification. */
  | 'incident';

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

/**
 * The signed head as the first stores wrote it (format 1): it binds only `(seq, mac)`, so any head that was once
 * valid is valid again. Still verified, so existing logs keep verifying; the next append replaces it with a
 * {@link AuditHeadV2}.
 */
export interface AuditHeadV1 {
  readonly version?: 1;
  readonly seq: number;
  readonly mac: string;
  /** HMAC over (seq, mac), so the head cannot be moved back without the key. */
  readonly headMac: string;
}

/**
 * The store's signed claim of where the log ends (format 2): the last position and its MAC, how many records the
 * log holds, when the last append committed, and which key signed it.
 */
export interface AuditHeadV2 {
  readonly version: 2;
  readonly seq: number;
  readonly mac: string;
  /** Records in the log. */
  readonly count: number;
  /** When the append that wrote this head committed (ISO 8601 with offset). */
  readonly time: string;
  /** The fingerprint of the audit key (see `auditKeyId`): tells a wrong key from tampering. Not secret. */
  readonly keyId: string;
  /** HMAC over every field above. */
  readonly headMac: string;
}

/** The store's signed claim of where the log ends; lets verify() see a truncated tail. */
export type AuditHead = AuditHeadV1 | AuditHeadV2;

/**
 * A signed checkpoint: the same claim as a head, published outside the store (an append-only file, a hook), where
 * whoever controls the database cannot take it back. `verify` with a checkpoint fails when the log is shorter than
 * it or disagrees with it.
 */
export interface AuditCheckpoint {
  /** Format of the checkpoint (1). */
  readonly version: 1;
  /** Last position the log had. */
  readonly seq: number;
  /** MAC of the record at `seq`. */
  readonly mac: string;
  /** Records the log held. */
  readonly count: number;
  /** When that position was committed (ISO 8601 with offset). */
  readonly time: string;
  /** The fingerprint of the audit key that signed it. */
  readonly keyId: string;
  /** HMAC over every field above, base64url. */
  readonly sig: string;
}

/** What kind of problem `verify()` found. */
export type AuditProblem =
  /** A record's contents differ from what was written. */
  | 'changed'
  /** A record is missing from the middle or the start of the chain. */
  | 'deleted'
  /** Records were moved. */
  | 'reordered'
  /** A record that was never written through the store, or a copy of one. */
  | 'inserted'
  /** The tail of the log is missing (shorter than its head or a checkpoint). */
  | 'truncated'
  /** The head is missing or its signature does not match. */
  | 'head'
  /** The log was written under another audit key than the one given: a setup problem, not tampering. */
  | 'key'
  /** A stored record cannot be read back (e.g. details that are not JSON): tampering. */
  | 'unparsable'
  /** A checkpoint is forged or changed, or the log disagrees with it. */
  | 'checkpoint'
  /** The log has no record (and the caller did not say it may be new). */
  | 'empty'
  /** There is no audit log at all: not a privacy-kit store, or its tables were dropped. */
  | 'missing';

/** How to verify. */
export interface AuditVerifyOptions {
  /** A checkpoint published earlier: the log must reach it and agree with it. */
  readonly checkpoint?: AuditCheckpoint;
  /**
   * Whether a log without any record (and without a head) verifies. Default true for a running store's
   * `verifyAudit()`; the read-only verification of an operator (`privacy-kit audit verify`) defaults to false.
   */
  readonly allowEmpty?: boolean;
}

/** What a head claims, as a report shows it (no secret in it). */
export interface AuditHeadSummary {
  readonly version: 1 | 2;
  readonly seq: number;
  readonly count?: number;
  readonly time?: string;
  readonly keyId?: string;
}

/** What `verify()` found. */
export interface AuditVerifyReport {
  readonly ok: boolean;
  /** Records checked. */
  readonly checked: number;
  /** The first position (seq) where the chain is broken, if any (in the chain named by `chain`, when the log has several). */
  readonly firstBadSeq?: number;
  /** The chain the problem is in, for a log kept as one chain per writer (the PostgreSQL store). */
  readonly chain?: string;
  /** How many chains the log has, for a log kept as one chain per writer. */
  readonly chains?: number;
  readonly problem?: AuditProblem;
  /** One sentence for people. */
  readonly message: string;
  /** The fingerprint of the key the log was verified with. */
  readonly keyId?: string;
  /** What the stored head claims, when there is one. */
  readonly head?: AuditHeadSummary;
  /** The checkpoint the log was checked against, when one was given. */
  readonly checkpoint?: { readonly seq: number; readonly time: string };
}
