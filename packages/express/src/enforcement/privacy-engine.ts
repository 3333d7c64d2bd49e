import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';
import {
  PrivacyKitError,
  createPseudonymizer,
  isPrivacyKitError,
  isoTime,
  resolveTerm,
  type AuditEntry,
  type AuditRecord,
  type ConsentEvent,
  type ConsentState,
  type ProcessingDeclaration,
  type Pseudonymizer,
} from '@privacy-kit/core';
import { ConsentCache } from '../consent/consent-cache';
import { getRequestContext, type RequestContextState } from '../context/request-context';
import { discoverRoutes } from '../discovery/walk-routes';
import { sendJsonError } from '../http/json-error';
import type { Identity, IdentifyResult } from '../identity/identity';
import { createJwtVerifier, type JwtVerifier } from '../identity/jwt-identity';
import type { ResolvedPrivacyOptions } from '../privacy-options';
import type { RouteMarker } from '../routes/route-marker';
import type { RouteEnforcer } from '../routes/route-twins';
import { compileDiscovered, compileRoute, fallbackPattern, isRouteProblem, type CompiledRoute, type RouteProblem } from './route-compiler';

type AuditFacts = Pick<AuditEntry, 'event' | 'decision' | 'reason' | 'status' | 'durationMs'> & { readonly details?: AuditEntry['details'] };

/**
 * The engine behind `privacy()`: identity, consent decisions (with the per-process cache), the audit trail and
 * route enforcement. One per `privacy()` call.
 */
export class PrivacyEngine implements RouteEnforcer {
  readonly pseudonym: Pseudonymizer;
  readonly cache: ConsentCache;
  private readonly verifyJwt: JwtVerifier | undefined;
  private readonly compiled = new WeakMap<object, CompiledRoute | RouteProblem>();
  private patterns = new WeakMap<object, { readonly method: string; readonly pattern: string; readonly markers: readonly RouteMarker[] }>();
  private app: unknown;
  private checked = false;
  private readonly unwatch: (() => void) | undefined;

  constructor(readonly options: ResolvedPrivacyOptions) {
    this.pseudonym = createPseudonymizer(options.pseudonymKey);
    this.cache = new ConsentCache(options.consentCacheTtlMs, options.consentCacheSize);
    this.verifyJwt = options.jwt === undefined ? undefined : createJwtVerifier(options.jwt);
    this.unwatch = options.store.watchConsents?.((subject) => this.cache.invalidate(subject));
  }

  /** Stops listening to the store. */
  dispose(): void {
    this.unwatch?.();
    this.cache.clear();
  }

  /** Remembers the app whose routes this engine guards (set when `privacy()` is mounted). */
  attach(app: unknown): void {
    this.app = app;
    this.checked = false;
  }

  /**
   * Walks the app's routes and compiles every annotated one; returns the problems (empty when all is well).
   * Also learns each route's full pattern for the audit.
   */
  checkRoutes(app: unknown = this.app): RouteProblem[] {
    if (app === undefined) return [];
    const discovered = discoverRoutes(app);
    const patterns = new WeakMap<object, { method: string; pattern: string; markers: readonly RouteMarker[] }>();
    for (const route of discovered) {
      if (route.markers.length > 0 && !patterns.has(route.route)) patterns.set(route.route, { method: route.method, pattern: route.path, markers: route.markers });
    }
    this.patterns = patterns;
    this.checked = true;
    return compileDiscovered(discovered).filter(isRouteProblem);
  }

  /** Throws a `PK_CONFIG` error listing every misdeclared route. */
  assertRoutes(app: unknown = this.app): void {
    const problems = this.checkRoutes(app);
    if (problems.length > 0) {
      const details = problems.flatMap((p) => p.problems);
      throw new PrivacyKitError('PK_CONFIG', `@privacy-kit/express: ${details.length} privacy configuration problem(s):\n- ${details.join('\n- ')}`, { details });
    }
  }

  /** Identifies the caller once per request (JWT or the app's `identify`). */
  identify(req: Request, ctx: RequestContextState): Promise<IdentifyResult> {
    ctx.identity ??= this.runIdentify(req);
    return ctx.identity;
  }

  private async runIdentify(req: Request): Promise<IdentifyResult> {
    if (this.verifyJwt !== undefined) return this.verifyJwt(req);
    const identity = await (this.options.identify as NonNullable<ResolvedPrivacyOptions['identify']>)(req);
    if (identity === null || identity === undefined) return { ok: false, reason: 'not_authenticated' };
    if (typeof identity.id !== 'string' || identity.id === '' || !Array.isArray(identity.roles)) {
      throw new PrivacyKitError('PK_INVALID_OPTION', '@privacy-kit/express: identify(req) must return { id: string, roles: string[] } or null.');
    }
    return { ok: true, identity };
  }

  /** The subject's current consents, from the cache or the store. */
  async consents(subjectPseudonym: string): Promise<ReadonlyMap<string, ConsentState>> {
    const cached = this.cache.get(subjectPseudonym);
    if (cached !== undefined) return cached;
    const ticket = this.cache.ticket(subjectPseudonym);
    const states = await this.options.store.currentConsents(subjectPseudonym);
    this.cache.set(subjectPseudonym, states, ticket);
    return new Map(states.map((s) => [s.purpose, s]));
  }

  /** Records a consent change and drops the cached answers of that subject at once. */
  async recordConsent(subjectPseudonym: string, purpose: string, granted: boolean, policyVersion: string | null, method: string): Promise<ConsentEvent> {
    try {
      return await this.options.store.recordConsent({ subject: subjectPseudonym, purpose, action: granted ? 'granted' : 'withdrawn', policyVersion, method });
    } finally {
      this.cache.invalidate(subjectPseudonym);
    }
  }

  /** Appends an audit record for a request; `pattern` is the route pattern (never the raw URL), or null. */
  audit(req: Request, ctx: RequestContextState, who: { actor: string | null; subject: string | null }, pattern: string | null, declaration: ProcessingDeclaration | undefined, facts: AuditFacts): Promise<AuditRecord> {
    return this.options.store.appendAudit({
      time: isoTime(),
      requestId: ctx.requestId,
      appId: this.options.appId,
      actor: who.actor,
      subject: who.subject,
      method: req.method,
      route: pattern,
      purposes: declaration?.purposes ?? [],
      basis: declaration?.basis ?? null,
      categories: declaration?.categories ?? [],
      ...facts,
    });
  }

  /** Reports an error nobody else will see, wrapping foreign errors without their (possibly personal) message. */
  report(error: unknown, what: string): void {
    const wrapped = isPrivacyKitError(error)
      ? error
      : new PrivacyKitError('PK_STORE_UNAVAILABLE', `@privacy-kit/express: ${what} failed.`, { cause: error });
    try {
      this.options.onError(wrapped);
    } catch {
      // An onError hook that throws must not take the request down with it.
    }
  }

  private compiledFor(req: Request, marker: RouteMarker, self: object): CompiledRoute | RouteProblem {
    const key = (req.route as object | undefined) ?? self;
    const found = this.compiled.get(key);
    if (found !== undefined) return found;
    if (!this.checked || (req.route !== undefined && !this.patterns.has(req.route as object))) this.checkRoutes();
    const known = req.route === undefined ? undefined : this.patterns.get(req.route as object);
    const compiled = known !== undefined
      ? compileRoute(known.method, known.pattern, known.markers)
      : compileRoute(req.method, fallbackPattern(req), [marker]);
    this.compiled.set(key, compiled);
    return compiled;
  }

  enforce(req: Request, res: Response, next: NextFunction, marker: RouteMarker, self: object): void {
    const ctx = getRequestContext(req) as RequestContextState;
    const key = (req.route as object | undefined) ?? self;
    if (ctx.enforced.has(key)) {
      next();
      return;
    }
    ctx.enforced.add(key);
    this.runChecks(req, res, next, ctx, this.compiledFor(req, marker, self)).catch((error: unknown) => {
      this.report(error, 'privacy enforcement');
      sendJsonError(res, 503, { error: 'privacy_store_unavailable' });
    });
  }

  private async runChecks(req: Request, res: Response, next: NextFunction, ctx: RequestContextState, compiled: CompiledRoute | RouteProblem): Promise<void> {
    const started = performance.now();
    const elapsed = (): number => Math.round((performance.now() - started) * 100) / 100;
    if (isRouteProblem(compiled)) {
      this.report(new PrivacyKitError('PK_CONFIG', compiled.problems.join(' ')), 'route configuration');
      sendJsonError(res, 500, { error: 'privacy_misconfigured' });
      return;
    }
    const { declaration } = compiled;
    const deny = async (status: number, who: { actor: string | null; subject: string | null }, reason: string, body: Record<string, unknown>): Promise<void> => {
      try {
        await this.audit(req, ctx, who, compiled.pattern, declaration, { event: 'denied', decision: 'denied', reason, status, durationMs: elapsed() });
      } catch (error) {
        // The refusal serves no personal data, so it still goes out; the missing record is reported.
        this.report(error, 'writing the audit record of a refusal');
      }
      sendJsonError(res, status, body as { error: 'forbidden' });
    };

    let identified: IdentifyResult;
    try {
      identified = await this.identify(req, ctx);
    } catch (error) {
      this.report(error, 'identify(req)');
      sendJsonError(res, 500, { error: 'privacy_misconfigured' });
      return;
    }
    if (!identified.ok) {
      res.set('WWW-Authenticate', `Bearer error="invalid_token", error_description="${identified.reason}"`);
      await deny(401, { actor: null, subject: null }, `unauthenticated:${identified.reason}`, { error: 'unauthenticated', reason: identified.reason });
      return;
    }
    const identity: Identity = identified.identity;
    const actor = this.pseudonym(identity.id);
    if (declaration.roles.length > 0 && !declaration.roles.some((role) => identity.roles.includes(role))) {
      await deny(403, { actor, subject: null }, 'forbidden', { error: 'forbidden' });
      return;
    }
    let subjectId: unknown;
    try {
      subjectId = declaration.subject === 'self' ? identity.id : await declaration.subject(req);
    } catch (error) {
      this.report(new PrivacyKitError('PK_CONFIG', `@privacy-kit/express: the subject resolver of ${compiled.method} ${compiled.pattern} threw.`, { cause: error }), 'subject resolver');
      sendJsonError(res, 500, { error: 'privacy_misconfigured' });
      return;
    }
    if (typeof subjectId !== 'string' || subjectId === '') {
      await deny(400, { actor, subject: null }, 'subject_required', { error: 'subject_required' });
      return;
    }
    const subject = subjectId === identity.id ? actor : this.pseudonym(subjectId);
    if (declaration.consentPurposes.length > 0) {
      let states: ReadonlyMap<string, ConsentState> | undefined;
      try {
        states = await this.consents(subject);
      } catch (error) {
        this.report(error, 'reading consents');
        if (!this.options.failOpen) {
          sendJsonError(res, 503, { error: 'privacy_store_unavailable' });
          return;
        }
      }
      if (states !== undefined) {
        const missing = declaration.consentPurposes.find((purpose) => !this.hasConsent(states, purpose, ctx.gpc));
        if (missing !== undefined) {
          await deny(403, { actor, subject }, ctx.gpc && resolveTerm('purpose', missing, 'GPC').gpcOptOut ? 'consent_required:gpc' : 'consent_required', { error: 'consent_required', purpose: missing });
          return;
        }
      }
    }
    try {
      await this.audit(req, ctx, { actor, subject }, compiled.pattern, declaration, { event: 'access', decision: 'allowed', reason: null, status: null, durationMs: null });
    } catch (error) {
      this.report(error, 'writing the audit record');
      if (!this.options.failOpen) {
        sendJsonError(res, 503, { error: 'privacy_store_unavailable' });
        return;
      }
    }
    ctx.access = { identity, subject: subjectId, declaration };
    let recorded = false;
    const recordOutcome = (reason: string | null): void => {
      if (recorded) return;
      recorded = true;
      this.audit(req, ctx, { actor, subject }, compiled.pattern, declaration, { event: 'outcome', decision: 'allowed', reason, status: res.statusCode, durationMs: elapsed() })
        .catch((error: unknown) => this.report(error, 'writing the outcome record'));
    };
    // 'close' follows 'finish' for a completed response, and comes alone when the client went away first.
    res.once('close', () => recordOutcome(res.writableFinished ? null : 'client_closed'));
    next();
  }

  /**
   * Whether a purpose is consented to: a current grant, and no GPC opt-out for purposes that GPC covers
   * (sale, sharing, targeted advertising).
   */
  hasConsent(states: ReadonlyMap<string, ConsentState>, purpose: string, gpc: boolean): boolean {
    if (gpc && resolveTerm('purpose', purpose, 'GPC').gpcOptOut) return false;
    const state = states.get(purpose);
    if (state === undefined || !state.granted) return false;
    return state.expiresAt === null || Date.parse(state.expiresAt) > Date.now();
  }
}
