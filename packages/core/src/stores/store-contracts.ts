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
