import type { AuditCheckpoint, AuditEntry, AuditRecord, AuditVerifyOptions, AuditVerifyReport } from '../audit/audit-record';

/** What happened to a consent. */
export type ConsentAction = 'granted' | 'withdrawn' | 'expired';

/** How the consent was collected (Art. 7(1): the controller must be able to demonstrate it). */
export type ConsentMethod = 'api' | 'gpc' | 'import' | 'erasure' | 'admin' | (string & {});

/** A consent event as a caller records it. `subject` is a pseudonym. */
export interface ConsentEventInput {
  readonly subject: string;
  readonly purpose: string;
  readonly action: ConsentAction;
  readonly policyVersion: string | null;
  readonly method: ConsentMethod;
  /** When the grant lapses by itself (ISO 8601), if it does. */
  readonly expiresAt?: string | null;
  /** ISO 8601 with offset; defaults to now. */
  readonly time?: string;
}

/** A stored consent event: events are only ever appended, never updated. */
export interface ConsentEvent extends Required<Omit<ConsentEventInput, 'expiresAt'>> {
  readonly id: string;
  /** Order of events in the store. */
  readonly seq: number;
  readonly expiresAt: string | null;
}

/** The current state of one purpose, derived from the events. */
export interface ConsentState {
  readonly purpose: string;
  readonly granted: boolean;
  /** The action of the event the state comes from ('expired' when a grant lapsed). */
  readonly status: ConsentAction;
  readonly policyVersion: string | null;
  readonly method: ConsentMethod;
  /** When the deciding event happened. */
  readonly since: string;
  readonly expiresAt: string | null;
}

/** What {@link ConsentStore.recordConsentChange} stored: the consent events and the audit record of the change. */
export interface ConsentChange {
  readonly events: readonly ConsentEvent[];
  readonly record: AuditRecord;
}

/** Consents: an append-only event log, the current state derived from it. */
export interface ConsentStore {
  /**
   * Appends one event without an audit record; the state changes only through events. For imports and tools:
   * a change a person makes goes through {@link recordConsentChange}, so it cannot exist without its record.
   */
  recordConsent(event: ConsentEventInput): Promise<ConsentEvent>;
  /**
   * Appends consent events together with the audit entry that records them, in ONE transaction: the events and the
   * record are all stored, or none is (a failing audit append leaves no consent event behind). The record joins
   * the audit chain like an `appendAudit` one, and only once the events are committed does the promise resolve.
   * Watchers ({@link watchConsents}) hear each subject once the change is committed.
   *
   * @param events - one or more events (e.g. every purpose an erasure withdraws), validated like `recordConsent`'s
   * @param audit - the audit entry of the change (usually event 'consent')
   * @example
   * await store.recordConsentChange([{ subject, purpose: 'personalize.content', action: 'granted', policyVersion: 'v2', method: 'api' }], entry);
   */
  recordConsentChange(events: readonly ConsentEventInput[], audit: AuditEntry): Promise<ConsentChange>;
  /** The current state of every purpose the subject has events for; lapsed grants read as 'expired'. */
  currentConsents(subject: string, at?: Date): Promise<readonly ConsentState[]>;
  /** Every event of the subject, oldest first. */
  consentHistory(subject: string): Promise<readonly ConsentEvent[]>;
  /**
   * Calls the listener when a consent of the store changes, also from other processes where the store can tell
   * (PostgreSQL LISTEN/NOTIFY; SQLite polls the shared file). Returns an unsubscribe function. Optional.
   */
  watchConsents?(listener: (subject: string) => void): () => void;
}

/** What to read back from the audit log. */
export interface AuditQuery {
  readonly subject?: string;
  readonly actor?: string;
  readonly requestId?: string;
  readonly event?: AuditEntry['event'];
  /**
   * Only records at or after this instant (ISO 8601 with offset, inclusive). Compared as instants, not as text:
   * `2026-01-01T01:00:00+02:00` is before `2026-01-01T00:00:00+00:00`. SQLite compares to the millisecond.
   */
  readonly from?: string;
  /** Only records at or before this instant (ISO 8601 with offset, inclusive), compared like {@link from}. */
  readonly to?: string;
  /** Only records of this HTTP method, e.g. `'GET'`. */
  readonly method?: string;
  /** Only records of this route pattern, e.g. `'/users/:id'` (the pattern, not a concrete path). */
  readonly route?: string;
  /** Only records with this decision. */
  readonly decision?: AuditEntry['decision'];
  /** Only records after this seq. */
  readonly afterSeq?: number;
  readonly limit?: number;
}

/** The audit log: a keyed HMAC chain with a signed head. */
export interface AuditStore {
  /** Appends an entry; resolves only when the record is durably committed. */
  appendAudit(entry: AuditEntry): Promise<AuditRecord>;
  /** Records in seq order, filtered. */
  readAudit(query?: AuditQuery): Promise<readonly AuditRecord[]>;
  /**
   * Checks the whole chain and the head (and, when given, that the log reaches and agrees with a checkpoint);
   * never throws for tampering, reports it.
   */
  verifyAudit(options?: AuditVerifyOptions): Promise<AuditVerifyReport>;
  /**
   * Signs a checkpoint of the committed head, publishes it where the store's `checkpoints` option says, and
   * returns it; undefined while the log is empty. Optional.
   */
  checkpoint?(): Promise<AuditCheckpoint | undefined>;
}

/** Kinds of data subject requests (GDPR Art. 15–20). */
export type RightsRequestKind = 'export' | 'erasure' | 'rectification' | 'access';
/**
 * Where a request stands. `completed`: every step done; `closed`: finished by an admin with a reason, steps left as
 * they were (e.g. the person withdrew the request). Both are final.
 */
export type RightsRequestStatus = 'open' | 'in_progress' | 'waiting_manual' | 'completed' | 'closed' | 'failed';

/** One step of a request, per data source. */
export interface RightsRequestStep {
  readonly source: string;
  readonly status: 'pending' | 'done' | 'manual' | 'failed';
  readonly error?: string;
  readonly completedAt?: string;
}

/**
 * A data subject request as a caller creates it. `subject` identifies the data subject; the store treats it as an
 * opaque string (@privacy-kit/express stores the keyed pseudonym here and keeps the app's raw identifier in `details`
 * only while a step still needs it).
 */
export interface RightsRequestInput {
  readonly kind: RightsRequestKind;
  readonly subject: string;
  /** ISO 8601 with offset. */
  readonly dueAt: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A stored data subject request. */
export interface RightsRequest extends RightsRequestInput {
  readonly id: string;
  readonly status: RightsRequestStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly steps: readonly RightsRequestStep[];
  readonly error: string | null;
}

/** What a request update may change. */
export interface RightsRequestPatch {
  readonly status?: RightsRequestStatus;
  readonly steps?: readonly RightsRequestStep[];
  readonly error?: string | null;
  /** Replaces the details as a whole (not merged), so a caller can drop what it no longer needs. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Which requests `listRightsRequests` returns: all of these that are given must hold. */
export interface RightsRequestFilter {
  readonly subject?: string;
  /** Any of these statuses (an empty list does not filter). */
  readonly status?: readonly RightsRequestStatus[];
  /** Only requests due before this instant (ISO 8601 with offset). */
  readonly dueBefore?: string;
}

/** Data subject requests with due dates. */
export interface RightsRequestStore {
  createRightsRequest(input: RightsRequestInput): Promise<RightsRequest>;
  updateRightsRequest(id: string, patch: RightsRequestPatch): Promise<RightsRequest>;
  getRightsRequest(id: string): Promise<RightsRequest | undefined>;
  listRightsRequests(filter?: RightsRequestFilter): Promise<readonly RightsRequest[]>;
}

/** Everything privacy-kit keeps: one object implements all contracts. */
export interface PrivacyStore extends ConsentStore, AuditStore, RightsRequestStore {
  /**
   * True when what the store keeps lasts only as long as the process (an in-memory database, as in tests): tools
   * that leave records for later, such as `privacy-kit sweep`, refuse such a store. Absent or false: durable.
   */
  readonly ephemeral?: boolean;
  /** Resolves when the store can serve; rejects when it cannot (used for health and fail-closed checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A data subject's data key as a store keeps it: wrapped (encrypted) under a key-encryption key, never in the
 * clear. Field encryption seals a subject's personal fields under the subject's current data key; destroying the
 * subject's keys (crypto-shredding) leaves every copy of those fields, backups included, unreadable.
 */
export interface WrappedDataKey {
  /** The data subject's pseudonym. */
  readonly subject: string;
  /** The data key's id (random, base64url), carried by every envelope it sealed. */
  readonly keyId: string;
  /** The id of the key-encryption key that wrapped it (the key provider's, e.g. `local-…`). */
  readonly kekId: string;
  /** The wrapped key, in the key provider's format (text). */
  readonly wrapped: string;
  /** When the key was created (ISO 8601 with offset). */
  readonly createdAt: string;
  /** Whether new seals of the subject use it; a subject's earlier keys only open what they sealed. */
  readonly current: boolean;
}

/** Which wrapped data keys to list, for re-wrapping them under a new key-encryption key. */
export interface DataKeyListQuery {
  /** Only keys wrapped under another key-encryption key than this one. */
  readonly notKekId?: string;
  /** Only keys after this one, in (subject, keyId) order: the cursor of a resumable walk. */
  readonly after?: { readonly subject: string; readonly keyId: string };
  /** At most this many. */
  readonly limit: number;
}

/**
 * Where the wrapped data keys live (both stores implement it; `describeDataKeyStoreContract` of
 * `@privacy-kit/core/testing` is its contract suite). Unwrapped keys never reach the store.
 */
export interface DataKeyStore {
  /**
   * Adds a data key for its subject and makes it the subject's current key (earlier keys stay, not current). With
   * `ifNoCurrent`, adds it only if the subject has no current key. Resolves with the subject's current key after
   * the call: the given key, or (with `ifNoCurrent`) the one that was already there, e.g. added by another instance.
   */
  addDataKey(key: Omit<WrappedDataKey, 'current'>, options?: { readonly ifNoCurrent?: boolean }): Promise<WrappedDataKey>;
  /** The subject's key with this id (current or earlier), or undefined (never added, or destroyed). */
  dataKey(subject: string, keyId: string): Promise<WrappedDataKey | undefined>;
  /** The subject's current key, or undefined. */
  currentDataKey(subject: string): Promise<WrappedDataKey | undefined>;
  /**
   * Destroys every data key of the subject, for good (crypto-shredding); resolves with how many were destroyed.
   * A later `addDataKey` for the subject works (new data gets a new key); what the destroyed keys sealed never opens.
   */
  destroyDataKeys(subject: string): Promise<number>;
  /**
   * Wrapped keys in (subject, keyId) order, filtered: the walk of a key-encryption-key rotation. The order is that
   * of the text's code points (byte order of its UTF-8, never a locale's), the same in every store.
   */
  listDataKeys(query: DataKeyListQuery): Promise<readonly WrappedDataKey[]>;
  /**
   * Replaces a key's wrapping if it is still wrapped under `fromKekId` (compare and set, so two rotations never
   * overwrite each other); resolves whether it replaced it.
   */
  rewrapDataKey(subject: string, keyId: string, fromKekId: string, wrapped: string, kekId: string): Promise<boolean>;
}
