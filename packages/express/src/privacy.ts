import { randomUUID } from 'node:crypto';
import type { Application, NextFunction, Request, RequestHandler, Response } from 'express';
import { setRequestContext } from './context/request-context';
import { createConsentRouter } from './consent/consent.router';
import { PrivacyEngine } from './engine/privacy-engine';
import type { RouteProblem } from './engine/route-compiler';
import { resolvePrivacyOptions, type PrivacyOptions } from './privacy.options';
import { hasGpcSignal } from './gpc/gpc-signal';
import { createGpcMiddleware } from './gpc/gpc.middleware';
import { markKitHolder } from './find-privacy-kit';
import type { RetentionPolicy } from './retention/retention-policy';
import { RetentionSweeper, type SweepOptions, type SweepReport } from './retention/retention-sweeper';
import type { DataSource } from './sources/data-source';
import { DataSourceRegistry } from './sources/data-source.registry';
import { createRightsRouter } from './rights/rights.router';
import { RightsService } from './rights/rights.service';
import { tagMountedApp } from './discovery/sub-apps';
import type { UnseenMount } from './discovery/walk-routes';
import { createDriftRecorder } from './drift/create-drift-recorder';
import type { DriftRecorder } from './drift/drift-recorder';
import { createInventoryEndpoint } from './inventory/inventory.endpoint';

/**
 * A client's X-Request-Id is kept only in a shape that cannot carry a name or an address: a UUID, a ULID, or 8 to 64
 * hex digits (e.g. a W3C trace id). Anything else is replaced, so it never reaches logs or audit records.
 */
const REQUEST_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-7][0-9a-hjkmnp-tv-z]{25}|[0-9a-f]{8,64})$/i;
const LISTEN_GUARDED = Symbol.for('privacy-kit.listen-guarded');

/** What `privacy()` returns: the middleware to `app.use()`, plus its engine and checks. */
export type PrivacyKit = RequestHandler & {
  /** The engine: identity, consent decisions, audit. */
  readonly engine: PrivacyEngine;
  /** The problems of every annotated route of `app` (default: the app this kit is mounted on). */
  checkRoutes(app?: unknown): RouteProblem[];
  /**
   * Throws a `PK_CONFIG` error listing every misdeclared route; runs by itself before `app.listen()`, and reports
   * the mounts the route walk cannot look into (see `unseenMounts`) through `onError` as a `PK_ROUTES_UNSEEN` warning.
   */
  assertRoutes(app?: unknown): void;
  /**
   * The mounts of `app` (default: the app this kit is mounted on) the route walk cannot look into: a function
   * mounted on a path (e.g. a wrapper around a router), a sub-app mounted while sub-apps were not tracked. Routes
   * behind them are enforced when a request reaches them, but are not checked before start.
   */
  unseenMounts(app?: unknown): UnseenMount[];
  /** Stops listening to the store for consent changes and stops scheduled sweeps. Does not close the store. */
  dispose(): void;
  /** Adds a data source after `privacy()` was created; same rules as the `sources` option (throws on a bad one). */
  registerSource(name: string, source: DataSource): void;
  /** Data subject requests: export, erasure, rectification, manual steps, resumption (what the rights API uses). */
  readonly rights: RightsService;
  /** Asks each source to purge what is past its retention period; every purge is audited. */
  sweep(options?: SweepOptions): Promise<SweepReport>;
  /** Each data category's retention and each source's purge plan (for the inventory). */
  retentionPolicy(now?: Date): RetentionPolicy;
  /** Drift detection (the `drift` option): what each route's responses were seen to contain; undefined when off. */
  readonly drift: DriftRecorder | undefined;
};

export { hasGpcSignal };

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
  const sources = new DataSourceRegistry(resolved.sources);
  const rights = new RightsService(engine, sources, resolved.rights);
  const rightsRouter = createRightsRouter(engine, rights);
  const gpc = createGpcMiddleware(engine, resolved.gpc);
  const sweeper = new RetentionSweeper(engine, sources, resolved.retention);
  const basePath = resolved.basePath;
  const drift = resolved.drift === undefined ? undefined : createDriftRecorder(resolved.drift, (error) => engine.report(error, 'drift detection'));

  function privacyMiddleware(req: Request, res: Response, next: NextFunction): void {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    setRequestContext(req, { engine, requestId, gpc: hasGpcSignal(req), identity: undefined, access: undefined });
    res.setHeader('X-Request-Id', requestId);
    if (drift !== undefined) drift.watch(req, res);
    const path = req.path;
    // privacy-kit's own endpoints under the base path (inventory, consents, rights); GPC handling for the app's routes.
    if (path === basePath || path.startsWith(`${basePath}/`)) {
      if (inventory.handles(req)) return inventory(req, res, next);
      consentRouter(req, res, (error?: unknown) => (error === undefined ? rightsRouter(req, res, next) : next(error)));
    } else if (gpc !== undefined) gpc(req, res, next);
    else next();
  }

  function onMount(mountedOn: Application): void {
    const parent = mountedOn as Application & Record<symbol, unknown>;
    engine.attach(parent);
    sweeper.attach(parent);
    markKitHolder(parent, privacyMiddleware);
    tagMountedApp(parent, privacyMiddleware);
    drift?.attach(parent);
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

  markKitHolder(privacyMiddleware, privacyMiddleware);
  const inventory = createInventoryEndpoint(engine, privacyMiddleware);
  sweeper.start();

  return Object.assign(privacyMiddleware, {
    engine,
    checkRoutes: (app?: unknown) => engine.checkRoutes(app),
    assertRoutes: (app?: unknown) => engine.assertRoutes(app),
    unseenMounts: (app?: unknown) => engine.unseenMounts(app),
    dispose: () => {
      sweeper.stop();
      engine.dispose();
      drift?.dispose();
    },
    registerSource: (name: string, source: DataSource) => {
      sources.register(name, source);
    },
    rights,
    sweep: (sweepOptions?: SweepOptions) => sweeper.sweep(sweepOptions),
    retentionPolicy: (now?: Date) => sweeper.policy(now),
    drift,
  });
}
