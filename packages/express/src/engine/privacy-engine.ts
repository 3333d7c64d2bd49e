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
  type ConsentChange,
  type ConsentState,
  type ProcessingDeclaration,
  type Pseudonymizer,
} from '@privacy-kit/core';
import { ConsentCache } from './consent-cache';
import { PseudonymCache } from './pseudonym-cache';
import { DeadlineQueue } from './deadline-queue';
import { indexConsentablePurposes, type ConsentablePurposes } from './consentable-purposes';
import { getRequestContext, type AccessDecision, type RequestContextState, type RouteEnforcer } from '../context/request-context';
import { mountPrefixOf } from '../discovery/sub-apps';
import { discoverApp, discoverRoutes, joinPaths, type UnseenMount } from '../discovery/walk-routes';
import { denialOf } from '../http/denial';
import { sendJsonError, type HttpErrorBody } from '../http/json-error';
import type { Identity, IdentifyResult } from '../identity/identity';
import { createJwtVerifier, type JwtVerifier } from '../identity/jwt-identity';
import { identityOfUser, requestUser } from '../identity/user-identity';
import { getRouteMarker, markedHandlersOf, type RouteMarker } from '../routes/route-marker';
import {
  compileDiscovered,
  compileRoute,
  enforceableRoute,
  fallbackPattern,
  guardPattern,
  isRouteProblem,
  type CompiledRoute,
  type RouteProblem,
} from './route-compiler';
import type { AuditFacts, AuditParties, ConsentChangeRequest, Engine, EngineOptions } from './engine.interface';
import { RefusalFlood } from './refusal-flood';
import { expressError } from '../errors';

/** What the router walk learned about a route: its full pattern and every declaration in front of it and on it. */
interface KnownRoute {
  readonly method: string;
  readonly pattern: string;
  readonly markers: readonly RouteMarker[];
}

/** The compiled declaration of an Express Route, and which of its handlers are twins (compiled into it). */
interface RouteDeclarations {
  readonly twins: ReadonlySet<unknown>;
  /** Undefined for a route without twins (seen as a left-over `req.route` by a `use()` twin). */
  readonly compiled: CompiledRoute | RouteProblem | undefined;
}

const NO_TWINS: ReadonlySet<unknown> = new Set();

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/** What the app's `identify` returned, checked. */
function identifiedAs(identity: Identity | null | undefined): IdentifyResult {
  if (identity === null || identity === undefined) return { ok: false, reason: 'not_authenticated' };
  if (typeof identity.id !== 'string' || identity.id === '' || !Array.isArray(identity.roles)) {
    throw expressError('PK_INVALID_OPTION', 'identify(req) must return { id: string, roles: string[] } or null.');
  }
  return { ok: true, identity };
}

/** Milliseconds since `started` (a performance.now() reading), to two decimals. */
function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

function isSubset(items: readonly string[], of: readonly string[]): boolean {
  return items.every((item) => of.includes(item));
}

/**
 * Whether a decision already made covers everything a declaration asks for the same subject: its lawful basis,
 * purposes, consent purposes and categories. (Roles are checked for every twin: that costs no store call.)
 */
function covers(decision: AccessDecision, subjectPseudonym: string, declaration: ProcessingDeclaration): boolean {
  const made = decision.declaration;
  return decision.subjectPseudonym === subjectPseudonym
    && made.basis === declaration.basis
    && isSubset(declaration.purposes, made.purposes)
    && isSubset(declaration.consentPurposes, made.consentPurposes)
    && isSubset(declaration.categories, made.categories);
}

/**
 * The engine behind `privacy()`: identity, consent decisions (with the per-process cache), the audit trail and
 * route enforcement. One per `privacy()` call. Only `privacy()` knows this class; features see {@link Engine}, the
 * route twins {@link RouteEnforcer}.
 */
export class PrivacyEngine implements Engine, RouteEnforcer {
  readonly pseudonym: Pseudonymizer;
  readonly cache: ConsentCache;
  private readonly verifyJwt: JwtVerifier | undefined;
  /** Compiled once per Express Route (every twin on it together). */
  private readonly routeDeclarations = new WeakMap<object, RouteDeclarations>();
  /** Compiled once per twin mounted with `use()`, keyed on the twin itself. */
  private readonly guardDeclarations = new WeakMap<object, CompiledRoute | RouteProblem>();
  private patterns = new WeakMap<object, KnownRoute>();
  /** Each route's pattern as the request log names it (see routePattern). */
  private readonly loggedPatterns = new WeakMap<object, string>();
  /** Sub-apps whose routes were learned at request time (their mount is hidden from the walk). */
  private learnedApps = new WeakSet<object>();
  private consentIndex: ConsentablePurposes | undefined;
  /** What the last walk could not look into. */
  private unseen: readonly UnseenMount[] = [];
  private app: unknown;
  private checked = false;
  /** Whether the app was told where callers are looked for (once, on the first request without req.user). */
  private toldAboutUser = false;
  private readonly unwatch: (() => void) | undefined;
  /** The deadlines of this engine's store calls: one timer for all of them (see {@link withDeadline}). */
  private readonly deadlines: DeadlineQueue;
  /** Counts identical refusals of unidentified callers into one record (see {@link RefusalFlood}). */
  private readonly refusals = new RefusalFlood((entry) => {
    this.appendAudit(entry).catch((error: unknown) => this.report(error, 'writing the audit record of counted refusals'));
  });

  constructor(readonly options: EngineOptions) {
    // Bounded memo: the callers and subjects of recent requests are pseudonymized without an HMAC each time.
    this.pseudonym = new PseudonymCache(createPseudonymizer(options.pseudonymKey)).pseudonymize;
    this.cache = new ConsentCache(options.consentCacheTtlMs, options.consentCacheSize);
    this.verifyJwt = options.jwt === undefined ? undefined : createJwtVerifier(options.jwt);
    this.unwatch = options.store.watchConsents?.((subject) => this.cache.invalidate(subject));
    const ms = options.storeTimeoutMs;
    this.deadlines = new DeadlineQueue(ms, (call) => {
      call.reject(expressError('PK_STORE_UNAVAILABLE', `${call.what} did not finish within ${ms} ms (storeTimeoutMs); the store counts as failed for this request.`));
    });
  }

  /** Stops listening to the store and writes the records of refusals still being counted. */
  dispose(): void {
    this.unwatch?.();
    this.cache.clear();
    this.refusals.flush();
  }

  /** Remembers the app whose routes this engine guards (set when `privacy()` is mounted). */
  attach(app: unknown): void {
    this.app = app;
    this.checked = false;
    this.consentIndex = undefined;
  }

  /**
   * Walks the app's routes and compiles every annotated one; returns the problems (empty when all is well).
   * Also learns each route's full pattern for the audit, and which purposes the consent API takes.
   */
  checkRoutes(app: unknown = this.app): RouteProblem[] {
    if (app === undefined) return [];
    const discovery = discoverApp(app);
    const discovered = discovery.routes;
    this.unseen = discovery.unseen;
    const patterns = new WeakMap<object, KnownRoute>();
    for (const route of discovered) {
      // Every route, annotated or not: the request log names routes by their pattern too.
      if (!patterns.has(route.route)) patterns.set(route.route, { method: route.method, pattern: route.path, markers: route.markers });
    }
    this.patterns = patterns;
    this.learnedApps = new WeakSet();
    this.checked = true;
    const compiled = compileDiscovered(discovered);
    const declarations = compiled.flatMap((c) => (isRouteProblem(c) ? [] : [c.declaration]));
    this.consentIndex = indexConsentablePurposes(declarations, this.options.consentPurposes);
    return compiled.filter(isRouteProblem);
  }

  /**
   * The mounts of the app the route walk cannot look into (a function mounted on a path, a sub-app mounted while
   * sub-apps were not tracked): the declarations behind them are enforced, but only learned when a request
   * reaches them, so they are not checked before start and their consent purposes are unknown to the consent API.
   */
  unseenMounts(app: unknown = this.app): UnseenMount[] {
    return app === undefined ? [] : discoverApp(app).unseen;
  }

  /**
   * Throws a `PK_CONFIG` error listing every misdeclared route. Mounts the walk cannot look into are not an
   * error: they are reported through `onError` as a `PK_ROUTES_UNSEEN` warning.
   */
  assertRoutes(app: unknown = this.app): void {
    const problems = this.checkRoutes(app);
    if (problems.length > 0) {
      const details = problems.flatMap((p) => p.problems);
      throw expressError('PK_CONFIG', `${details.length} privacy configuration problem(s):\n- ${details.join('\n- ')}`, { details });
    }
    if (this.unseen.length > 0) {
      const where = this.unseen.map((m) => `${m.path} (${m.kind === 'sub-app' ? 'a sub-app; call trackSubApps(express) before mounting it' : `the function ${m.handler}`})`);
      this.report(expressError(
        'PK_ROUTES_UNSEEN',
        `the route walk cannot see the routes behind ${where.join(', ')}. Their declarations are enforced when a request reaches them, ` +
          'but they were not checked before start, and the consent API only takes their consent purposes if privacy({ consentPurposes }) lists them. ' +
          'Mount routers directly (app.use(path, router)) where you can.',
      ), 'checking the routes');
    }
  }

  /** The purposes the consent API takes (learned from the routes on first use, and again whenever they are checked). */
  consentablePurposes(): ConsentablePurposes {
    if (this.consentIndex === undefined && !this.checked) this.checkRoutes();
    this.consentIndex ??= indexConsentablePurposes([], this.options.consentPurposes);
    return this.consentIndex;
  }

  /**
   * Identifies the caller once per request (JWT or the app's `identify`): the result itself when that is
   * synchronous (JWT verification is), so the request path makes no promise for it; else a promise of it.
   */
  identify(req: Request, ctx: RequestContextState): IdentifyResult | Promise<IdentifyResult> {
    if (ctx.identity === undefined) {
      try {
        ctx.identity = this.runIdentify(req);
      } catch (error) {
        // Kept like an answer, so that a throwing identify runs once per request, as every other answer does.
        ctx.identity = Promise.reject(error);
      }
    }
    return ctx.identity;
  }

  private runIdentify(req: Request): IdentifyResult | Promise<IdentifyResult> {
    if (this.verifyJwt !== undefined) return this.verifyJwt(req);
    if (this.options.identify === undefined) return this.identifyUser(req);
    const identity = this.options.identify(req);
    return isPromiseLike(identity) ? Promise.resolve(identity).then(identifiedAs) : identifiedAs(identity);
  }

  /** Neither `jwt` nor `identify` was given: the caller is `req.user`, as an authentication middleware set it. */
  private identifyUser(req: Request): IdentifyResult {
    const user = requestUser(req);
    if (user !== undefined) return { ok: true, identity: identityOfUser(user) };
    if (!this.toldAboutUser) {
      this.toldAboutUser = true;
      this.report(expressError(
        'PK_CONFIG',
        'a request reached a route that needs an identified caller without req.user, and was answered 401. With neither jwt nor identify given, ' +
          "privacy() identifies callers from req.user ('id' or 'sub', and 'roles' or 'role'), as passport and most authentication middleware set it: " +
          'mount privacy() after the middleware that sets req.user (and that middleware before the routes), or give jwt or identify. (Said once.)',
      ), 'identifying the caller');
    }
    return { ok: false, reason: 'not_authenticated' };
  }

  /** The subject's current consents, from the cache or the store. */
  async consents(subjectPseudonym: string): Promise<ReadonlyMap<string, ConsentState>> {
    const cached = this.cache.get(subjectPseudonym);
    if (cached !== undefined) return cached;
    const ticket = this.cache.ticket(subjectPseudonym);
    const states = await this.withDeadline(this.options.store.currentConsents(subjectPseudonym), 'reading consents');
    this.cache.set(subjectPseudonym, states, ticket);
    return new Map(states.map((s) => [s.purpose, s]));
  }

  /**
   * Records consent changes of one subject together with their audit record, in one store transaction (no change
   * without its record) and within `storeTimeoutMs`; drops the subject's cached answers at once, and again if the
   * change commits after the deadline.
   *
   * @param subjectPseudonym - whose consents change
   * @param changes - each purpose and whether it is now granted
   * @param method - how the change was collected ('api', 'gpc', 'erasure', ...)
   * @param entry - the audit entry of the change
   */
  async recordConsentChange(
    subjectPseudonym: string,
    changes: readonly ConsentChangeRequest[],
    method: string,
    entry: AuditEntry,
  ): Promise<ConsentChange> {
    const events = changes.map((c) => ({ subject: subjectPseudonym, purpose: c.purpose, action: c.granted ? 'granted' as const : 'withdrawn' as const, policyVersion: c.policyVersion, method, time: entry.time }));
    try {
      return await this.withDeadline(this.options.store.recordConsentChange(events, entry), 'recording a consent change', (change) => {
        this.cache.invalidate(subjectPseudonym);
        return `it was stored after all (audit record ${change.record.seq}), although the caller was told it failed.`;
      });
    } finally {
      this.cache.invalidate(subjectPseudonym);
    }
  }

  /**
   * Bounds a store call on the request path by `storeTimeoutMs`: past it the returned promise rejects with
   * `PK_STORE_UNAVAILABLE`, so the request fails closed, and what the call does later is reported through
   * `onError` (a late failure as itself, a late write as a notice that it was stored after all), never lost.
   *
   * @param work - the store call
   * @param what - what it does, for messages (e.g. 'writing the audit record')
   * @param lateWrite - for writes: says what a result that arrives after the deadline means; omit for reads
   */
  withDeadline<T>(work: Promise<T>, what: string, lateWrite?: (value: T) => string): Promise<T> {
    const deadlines = this.deadlines;
    return new Promise<T>((resolve, reject) => {
      const call = deadlines.start(what, reject);
      work.then((value) => {
        if (deadlines.settle(call)) resolve(value);
        else if (lateWrite !== undefined) {
          this.report(expressError('PK_STORE_UNAVAILABLE', `${what} finished after the ${deadlines.ms} ms deadline: ${lateWrite(value)}`), what);
        }
      }, (error: unknown) => {
        if (deadlines.settle(call)) reject(error);
        else this.report(error, `${what} (after the ${deadlines.ms} ms deadline)`);
      });
    });
  }

  /** Appends an audit entry within `storeTimeoutMs` (see {@link withDeadline}). */
  appendAudit(entry: AuditEntry): Promise<AuditRecord> {
    return this.withDeadline(this.options.store.appendAudit(entry), 'writing the audit record', (record) => `record ${record.seq} was stored after all, although the request went on without it.`);
  }

  /** Appends an audit record for a request; `pattern` is the route pattern (never the raw URL), or null. */
  audit(req: Request, ctx: RequestContextState, who: AuditParties, pattern: string | null, declaration: ProcessingDeclaration | undefined, facts: AuditFacts): Promise<AuditRecord> {
    return this.appendAudit(this.auditEntry(req, ctx, who, pattern, declaration, facts));
  }

  /** The audit entry of a request, as {@link audit} appends it. */
  auditEntry(req: Request, ctx: RequestContextState, who: AuditParties, pattern: string | null, declaration: ProcessingDeclaration | undefined, facts: AuditFacts): AuditEntry {
    return {
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
    };
  }

  /** Reports an error nobody else will see, wrapping foreign errors without their (possibly personal) message. */
  report(error: unknown, what: string): void {
    const wrapped = isPrivacyKitError(error)
      ? error
      : expressError('PK_STORE_UNAVAILABLE', `${what} failed.`, { cause: error });
    try {
      this.options.onError(wrapped);
    } catch {
      // An onError hook that throws must not take the request down with it.
    }
  }

  /**
   * The declaration a twin enforces. A twin on the request's route compiles with every other twin of that route
   * (and, when the walk saw the route, the `use()` twins in front of it), once per route. Any other twin, i.e. one
   * mounted with `use()`, is compiled on its own and keyed on itself: `req.route` may be an earlier route's.
   */
  private compiledFor(req: Request, marker: RouteMarker, self: object): CompiledRoute | RouteProblem {
    const route = req.route as object | undefined;
    if (route !== undefined) {
      let entry = this.routeDeclarations.get(route);
      if (entry === undefined) {
        entry = this.compileRouteDeclarations(req, route);
        this.routeDeclarations.set(route, entry);
      }
      if (entry.compiled !== undefined && entry.twins.has(self)) return entry.compiled;
    }
    let compiled = this.guardDeclarations.get(self);
    if (compiled === undefined) {
      compiled = enforceableRoute(compileRoute(req.method, guardPattern(req), [marker]));
      this.guardDeclarations.set(self, compiled);
    }
    return compiled;
  }

  private compileRouteDeclarations(req: Request, route: object): RouteDeclarations {
    const twins = markedHandlersOf(route);
    if (twins.length === 0) return { twins: NO_TWINS, compiled: undefined };
    const own = twins.map((twin) => getRouteMarker(twin) as RouteMarker);
    const known = this.knownRoute(req, route);
    // Twins added to the route after the walk still count.
    const compiled = known === undefined
      ? compileRoute(req.method, fallbackPattern(req), own)
      : compileRoute(known.method, known.pattern, [...known.markers, ...own.filter((m) => !known.markers.includes(m))]);
    return { twins: new Set(twins), compiled: enforceableRoute(compiled) };
  }

  /** What the walk knows of a route; walks again (or walks the sub-app the request is in) for a route it has not seen. */
  private knownRoute(req: Request, route: object): KnownRoute | undefined {
    const walkedNow = !this.checked;
    if (walkedNow) this.checkRoutes();
    let known = this.patterns.get(route);
    const app = (req as { app?: unknown }).app;
    if (known === undefined && this.app !== undefined && app !== undefined && app !== this.app) {
      this.learnSubApp(app);
      known = this.patterns.get(route);
    }
    if (known === undefined && !walkedNow) {
      this.checkRoutes();
      known = this.patterns.get(route);
    }
    return known;
  }

  /**
   * The full pattern of the route a request matched, mount paths included ('/tenants/:tenant/orders/:id'), learned
   * once per route; a best-effort pattern for a route the walk cannot see; undefined when no route matched (a 404,
   * a static file, middleware only). Never the raw path.
   */
  routePattern(req: Request): string | undefined {
    const route = req.route as object | undefined;
    if (route === undefined) return undefined;
    let pattern = this.loggedPatterns.get(route);
    if (pattern === undefined) {
      pattern = this.knownRoute(req, route)?.pattern ?? fallbackPattern(req);
      this.loggedPatterns.set(route, pattern);
    }
    return pattern;
  }

  /** Learns the routes of a sub-app the walk could not see (mounted while sub-apps were not tracked), once. */
  private learnSubApp(app: unknown): void {
    if ((typeof app !== 'function' && typeof app !== 'object') || app === null || this.learnedApps.has(app)) return;
    this.learnedApps.add(app);
    const prefix = mountPrefixOf(app, this.app, joinPaths);
    if (prefix === undefined) return;
    for (const found of discoverRoutes(app)) {
      if (!this.patterns.has(found.route)) {
        this.patterns.set(found.route, { method: found.method, pattern: joinPaths(prefix, found.path), markers: found.markers });
      }
    }
  }

  enforce(req: Request, res: Response, next: NextFunction, marker: RouteMarker, self: object): void {
    const ctx = getRequestContext(req) as RequestContextState;
    const compiled = this.compiledFor(req, marker, self);
    if (!isRouteProblem(compiled)) {
      for (let made = ctx.access; made !== undefined; made = made.previous) {
        // The same declaration already passed for this request: another twin of the same route, or the same
        // use() twin again. A use() twin's subject resolver may read other path parameters this time, so it resolves again.
        if (made.declaration === compiled.declaration && (compiled.declaration.subject === 'self' || this.guardDeclarations.get(self) !== compiled)) {
          next();
          return;
        }
      }
    }
    this.runChecks(req, res, next, ctx, compiled).catch((error: unknown) => {
      this.report(error, 'privacy enforcement');
      return this.answer(req, res, 503, { error: 'privacy_store_unavailable' });
    });
  }

  /**
   * Sends a refusal of an annotated route: through `onDenied` when the app gave one, else (or when the hook throws
   * or sends nothing, which `onError` is told about) as the default JSON body. Never rejects.
   */
  private async answer(req: Request, res: Response, status: number, body: HttpErrorBody): Promise<void> {
    const hook = this.options.onDenied;
    if (hook !== undefined && !res.headersSent) {
      try {
        await hook(req, res, denialOf(status, body));
        if (res.headersSent) return;
        this.report(expressError('PK_CONFIG', `onDenied sent no response to a ${status} ${body.error} refusal, so the default JSON body was sent. The hook must send one (res.status(denial.status).json(...)).`), 'onDenied');
      } catch (error) {
        this.report(expressError('PK_CONFIG', `onDenied threw on a ${status} ${body.error} refusal, so the default JSON body was sent.`, { cause: error }), 'onDenied');
      }
    }
    sendJsonError(res, status, body);
  }

  /**
   * Refuses a request: audits the refusal (or counts it, for a flood of refusals of nobody in particular), then
   * answers. Never rejects.
   */
  private async deny(req: Request, res: Response, ctx: RequestContextState, compiled: CompiledRoute, started: number, status: number, who: AuditParties, reason: string, body: HttpErrorBody): Promise<void> {
    const { declaration } = compiled;
    const facts = { event: 'denied', decision: 'denied', reason, status, durationMs: elapsedSince(started) } as const;
    // A flood of refusals of nobody in particular is counted into one record per source and second (RefusalFlood).
    const counted = who.actor === null
      && this.refusals.absorb(`${req.socket?.remoteAddress ?? ''}\n${req.method}\n${compiled.pattern}\n${reason}`, () => this.auditEntry(req, ctx, who, compiled.pattern, declaration, facts));
    if (!counted) {
      try {
        await this.audit(req, ctx, who, compiled.pattern, declaration, facts);
      } catch (error) {
        // The refusal serves no personal data, so it still goes out; the missing record is reported.
        this.report(error, 'writing the audit record of a refusal');
      }
    }
    await this.answer(req, res, status, body);
  }

  private async runChecks(req: Request, res: Response, next: NextFunction, ctx: RequestContextState, compiled: CompiledRoute | RouteProblem): Promise<void> {
    const started = performance.now();
    if (isRouteProblem(compiled)) {
      this.report(new PrivacyKitError('PK_CONFIG', compiled.problems.join(' ')), 'route configuration');
      await this.answer(req, res, 500, { error: 'privacy_misconfigured' });
      return;
    }
    const { declaration } = compiled;
    const tls = this.options.requireTls;
    if (tls !== undefined) {
      if (req.secure !== true) {
        await this.deny(req, res, ctx, compiled, started, 403, { actor: null, subject: null }, 'tls_required', { error: 'tls_required' });
        return;
      }
      res.setHeader('Strict-Transport-Security', `max-age=${tls.hstsMaxAgeSeconds}; includeSubDomains`);
    }

    let identity: Identity | undefined;
    if (declaration.caller !== 'anonymous') {
      let identified: IdentifyResult;
      try {
        const pending = this.identify(req, ctx);
        // JWT verification is synchronous: no promise, no await.
        identified = pending instanceof Promise ? await pending : pending;
      } catch (error) {
        this.report(error, 'identify(req)');
        await this.answer(req, res, 500, { error: 'privacy_misconfigured' });
        return;
      }
      if (identified.ok) identity = identified.identity;
      else if (declaration.caller === 'required') {
        res.set('WWW-Authenticate', `Bearer error="invalid_token", error_description="${identified.reason}"`);
        await this.deny(req, res, ctx, compiled, started, 401, { actor: null, subject: null }, `unauthenticated:${identified.reason}`, { error: 'unauthenticated', reason: identified.reason });
        return;
      }
      // An optional caller who cannot be identified (no token, or one that fails) is processed as nobody in particular.
    }
    const actor = identity === undefined ? null : this.pseudonym(identity.id);
    if (declaration.roles.length > 0 && !declaration.roles.some((role) => identity?.roles.includes(role) === true)) {
      await this.deny(req, res, ctx, compiled, started, 403, { actor, subject: null }, 'forbidden', { error: 'forbidden' });
      return;
    }
    let subjectId: unknown;
    try {
      // A route whose caller is not required always has a resolver (checked when its declaration is resolved).
      subjectId = declaration.subject === 'self' ? identity?.id : await declaration.subject(req);
    } catch (error) {
      this.report(expressError('PK_CONFIG', `the subject resolver of ${compiled.method} ${compiled.pattern} threw.`, { cause: error }), 'subject resolver');
      await this.answer(req, res, 500, { error: 'privacy_misconfigured' });
      return;
    }
    if (typeof subjectId !== 'string' || subjectId === '') {
      await this.deny(req, res, ctx, compiled, started, 400, { actor, subject: null }, 'subject_required', { error: 'subject_required' });
      return;
    }
    const subject = identity !== undefined && subjectId === identity.id ? (actor as string) : this.pseudonym(subjectId);
    for (let made = ctx.access; made !== undefined; made = made.previous) {
      if (covers(made, subject, declaration)) {
        next();
        return;
      }
    }
    if (declaration.consentPurposes.length > 0) {
      // A cached answer is used as it is: no store call, no promise.
      let states: ReadonlyMap<string, ConsentState> | undefined = this.cache.get(subject);
      if (states === undefined) {
        try {
          states = await this.consents(subject);
        } catch (error) {
          this.report(error, 'reading consents');
          if (!this.options.failOpen) {
            await this.answer(req, res, 503, { error: 'privacy_store_unavailable' });
            return;
          }
        }
      }
      if (states !== undefined) {
        const missing = declaration.consentPurposes.find((purpose) => !this.hasConsent(states, purpose, ctx.gpc));
        if (missing !== undefined) {
          await this.deny(req, res, ctx, compiled, started, 403, { actor, subject }, ctx.gpc && resolveTerm('purpose', missing, 'GPC').gpcOptOut ? 'consent_required:gpc' : 'consent_required', { error: 'consent_required', purpose: missing });
          return;
        }
      }
    }
    try {
      await this.audit(req, ctx, { actor, subject }, compiled.pattern, declaration, { event: 'access', decision: 'allowed', reason: null, status: null, durationMs: null });
    } catch (error) {
      this.report(error, 'writing the audit record');
      if (!this.options.failOpen) {
        await this.answer(req, res, 503, { error: 'privacy_store_unavailable' });
        return;
      }
    }
    ctx.access = { identity, subject: subjectId, subjectPseudonym: subject, declaration, previous: ctx.access };
    let recorded = false;
    // 'close' follows 'finish' for a completed response, and comes alone when the client went away first. A plain
    // listener with its own guard: once() would wrap it in one more closure per request.
    res.on('close', () => {
      if (recorded) return;
      recorded = true;
      this.audit(req, ctx, { actor, subject }, compiled.pattern, declaration, {
        event: 'outcome', decision: 'allowed', reason: res.writableFinished ? null : 'client_closed', status: res.statusCode, durationMs: elapsedSince(started),
      }).catch((error: unknown) => this.report(error, 'writing the outcome record'));
    });
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
