import type { Request } from 'express';
import type {
  AuditEntry,
  AuditRecord,
  ConsentChange,
  ConsentState,
  PrivacyKitError,
  PrivacyStore,
  ProcessingDeclaration,
  Pseudonymizer,
} from '@privacy-kit/core';
import type { RequestContextState } from '../context/request-context';
import type { DenialHandler } from '../http/denial';
import type { IdentifyFunction, IdentifyResult } from '../identity/identity';
import type { JwtOptions } from '../identity/jwt-identity';
import type { ConsentablePurposes } from './consentable-purposes';

/** The options the engine runs on: the part of the resolved `privacy()` options that is not a feature's own. */
export interface EngineOptions {
  readonly store: PrivacyStore;
  readonly pseudonymKey: Buffer;
  readonly jwt: JwtOptions | undefined;
  readonly identify: IdentifyFunction | undefined;
  readonly appId: string;
  readonly basePath: string;
  readonly adminRoles: readonly string[];
  readonly consentCacheTtlMs: number;
  readonly consentCacheSize: number;
  readonly failOpen: boolean;
  readonly storeTimeoutMs: number;
  readonly onError: (error: PrivacyKitError) => void;
  /** Sends the refusals of annotated routes in the app's shape; undefined for the default JSON bodies. */
  readonly onDenied: DenialHandler | undefined;
  readonly consentPurposes: readonly string[];
  /** Personal-data routes refuse plain HTTP and send HSTS with this max-age (seconds); undefined when TLS is not required. */
  readonly requireTls: { readonly hstsMaxAgeSeconds: number } | undefined;
}

/** Who an audit record is about: the actor's and the subject's pseudonyms (null when unknown). */
export interface AuditParties {
  readonly actor: string | null;
  readonly subject: string | null;
}

/** What an audit record of a request says besides who, where and what was declared. */
export type AuditFacts = Pick<AuditEntry, 'event' | 'decision' | 'reason' | 'status' | 'durationMs'> & { readonly details?: AuditEntry['details'] };

/** One consent change of a subject: the purpose and whether it is now granted. */
export interface ConsentChangeRequest {
  readonly purpose: string;
  readonly granted: boolean;
  readonly policyVersion: string | null;
}

/**
 * What the features (consent API, GPC, rights, retention, inventory) need from the engine of `privacy()`: its
 * options, pseudonyms, identity, consents and the audit trail, each bounded by the store deadline where a request
 * waits on it. Features depend on this interface, never on the engine class, so the package's imports run one way:
 * leaves ← this interface ← the engine ← features ← `privacy()`.
 */
export interface Engine {
  readonly options: EngineOptions;

  /** The keyed pseudonym of an app identifier, as audited. */
  readonly pseudonym: Pseudonymizer;

  /**
   * Identifies the caller once per request (JWT or the app's `identify`): the result itself when that is
   * synchronous (JWT, `req.user`, an `identify` that returns a value), else a promise of it.
   *
   * @param ctx - the request's privacy context (the answer is kept there)
   */
  identify(req: Request, ctx: RequestContextState): IdentifyResult | Promise<IdentifyResult>;

  /** The subject's current consents, from the cache or the store. */
  consents(subjectPseudonym: string): Promise<ReadonlyMap<string, ConsentState>>;

  /**
   * Records consent changes of one subject together with their audit record, in one store transaction and within
   * `storeTimeoutMs`, and drops the subject's cached answers.
   *
   * @param method - how the change was collected ('api', 'gpc', 'erasure', ...)
   * @param entry - the audit entry of the change
   */
  recordConsentChange(subjectPseudonym: string, changes: readonly ConsentChangeRequest[], method: string, entry: AuditEntry): Promise<ConsentChange>;

  /** The purposes the consent API takes (learned from the routes and the `consentPurposes` option). */
  consentablePurposes(): ConsentablePurposes;

  /**
   * Bounds a store call on the request path by `storeTimeoutMs`: past it the promise rejects with
   * `PK_STORE_UNAVAILABLE`, and what the call does later is reported through `onError`.
   *
   * @param what - what the call does, for messages (e.g. 'reading consents')
   * @param lateWrite - for writes: says what a result that arrives after the deadline means
   */
  withDeadline<T>(work: Promise<T>, what: string, lateWrite?: (value: T) => string): Promise<T>;

  /** Appends an audit entry within `storeTimeoutMs`. */
  appendAudit(entry: AuditEntry): Promise<AuditRecord>;

  /**
   * Appends the audit record of a request.
   *
   * @param pattern - the route pattern (never the raw URL), or null
   */
  audit(req: Request, ctx: RequestContextState, who: AuditParties, pattern: string | null, declaration: ProcessingDeclaration | undefined, facts: AuditFacts): Promise<AuditRecord>;

  /** The audit entry of a request, as {@link Engine.audit} appends it. */
  auditEntry(req: Request, ctx: RequestContextState, who: AuditParties, pattern: string | null, declaration: ProcessingDeclaration | undefined, facts: AuditFacts): AuditEntry;

  /**
   * Reports an error nobody else will see through `onError`, wrapping foreign errors without their (possibly
   * personal) message.
   *
   * @param what - what failed, for the message
   */
  report(error: unknown, what: string): void;
}
