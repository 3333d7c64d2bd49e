import { randomUUID } from 'node:crypto';
import type { Application, NextFunction, Request, RequestHandler, Response } from 'express';
import { setRequestContext } from './context/request-context';
import { createConsentRouter } from './consent/consent-router';
import { PrivacyEngine } from './enforcement/privacy-engine';
import type { RouteProblem } from './enforcement/route-compiler';
import { resolvePrivacyOptions, type PrivacyOptions } from './privacy-options';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const LISTEN_GUARDED = Symbol.for('privacy-kit.listen-guarded');

/** What `privacy()` returns: the middleware to `app.use()`, plus its engine and checks. */
export type PrivacyKit = RequestHandler & {
  /** The engine: identity, consent decisions, audit. */
  readonly engine: PrivacyEngine;
  /** The problems of every annotated route of `app` (default: the app this kit is mounted on). */
  checkRoutes(app?: unknown): RouteProblem[];
  /** Throws a `PK_CONFIG` error listing every misdeclared route; runs by itself before `app.listen()`. */
  assertRoutes(app?: unknown): void;
  /** Stops listening to the store for consent changes. Does not close the store. */
  dispose(): void;
};

/**
 * Whether a request carries a Global Privacy Control signal: the exact value "1"; with several headers, any "1".
 *
 * @param req - the request
 */
export function hasGpcSignal(req: Request): boolean {
  const values = req.headersDistinct?.['sec-gpc'] ?? [];
  return values.some((value) => value.split(',').some((v) => v.trim() === '1'));
}

/**
 * The one middleware an app mounts (`app.use(privacy(...))`). It gives each request an id and a privacy context, serves the consent API
 * under the base path, and makes the `personalData()` / `requiresConsent()` twins (and mounted controllers)
 * identify the caller, check roles and consent, and write the audit record before the handler runs.
 * Before `app.listen()` it checks every annotated route and refuses to start on a misdeclared one.
 *
 * @param options - store, pseudonym key, and `jwt` or `identify`
 * @example
 * app.use(privacy({
 *   store: createSqliteStore({ filename: 'privacy-kit.db', auditKey }),
 *   pseudonymKey,
 *   jwt: { secret: process.env.JWT_SECRET!, algorithms: ['HS256'], issuer: 'shop', audience: 'shop-api' },
 * }));
 */
export function privacy(options: PrivacyOptions): PrivacyKit {
  const resolved = resolvePrivacyOptions(options);
  const engine = new PrivacyEngine(resolved);
  const consentRouter = createConsentRouter(engine);
  const basePath = resolved.basePath;

  function privacyMiddleware(req: Request, res: Response, next: NextFunction): void {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    setRequestContext(req, { engine, requestId, gpc: hasGpcSignal(req), identity: undefined, enforced: new Set(), access: undefined });
    res.setHeader('X-Request-Id', requestId);
    const path = req.path;
    if (path === basePath || path.startsWith(`${basePath}/`)) consentRouter(req, res, next);
    else next();
  }

  function onMount(mountedOn: Application): void {
    const parent = mountedOn as Application & Record<symbol, unknown>;
    engine.attach(parent);
    if (parent[LISTEN_GUARDED] === true) return;
    const listen = parent.listen;
    Object.defineProperty(parent, LISTEN_GUARDED, { value: true });
    parent.listen = function guardedListen(this: Application, ...args: unknown[]) {
      engine.assertRoutes(parent);
      return (listen as (...a: unknown[]) => ReturnType<Application['listen']>).apply(this, args);
    } as Application['listen'];
  }

  // Express mounts anything with `handle` and `set` as a sub-app and then emits 'mount' with the parent app.
  // Looking like one (without being a full sub-app, which would cost two prototype swaps per request) is how
  // privacy() learns which app it guards, so that it can check every route before `app.listen()`.
  Object.assign(privacyMiddleware, {
    handle: privacyMiddleware,
    set: () => privacyMiddleware,
    emit: (event: string, parent: Application) => {
      if (event === 'mount') onMount(parent);
      return true;
    },
  });

  return Object.assign(privacyMiddleware, {
    engine,
    checkRoutes: (app?: unknown) => engine.checkRoutes(app),
    assertRoutes: (app?: unknown) => engine.assertRoutes(app),
    dispose: () => engine.dispose(),
  });
}
