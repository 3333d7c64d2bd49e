import type { Application, NextFunction, Request, Response } from 'express';
import { setRequestContext } from './context/request-context';
import { requestUuid } from './context/request-uuid';
import { createConsentRouter } from './consent/consent.router';
import { PrivacyEngine } from './engine/privacy-engine';
import { resolvePrivacyOptions, type PrivacyOptions } from './privacy.options';
import { hasGpcSignal } from './gpc/gpc-signal';
import { createGpcMiddleware } from './gpc/gpc.middleware';
import { RetentionSweeper, type SweepOptions } from './retention/retention-sweeper';
import type { DataSource } from './sources/data-source';
import { DataSourceRegistry } from './sources/data-source.registry';
import { createRightsRouter } from './rights/rights.router';
import { createIncidentsAdminRouter } from './incidents/incidents-admin.router';
import { RightsService } from './rights/rights.service';
import { markKitHolder } from './discovery/kit-holder';
import { tagMountedApp } from './discovery/sub-apps';
import { createDriftRecorder } from './drift/create-drift-recorder';
import { createInventoryEndpoint } from './inventory/inventory.endpoint';
import { requestLogger, type RequestLogWriter } from './logging/request-log';
import type { PrivacyKit } from './privacy-kit';
import { LISTEN_GUARDED_KEY } from './symbols';

/**
 * A client's X-Request-Id is kept only in a shape that cannot carry a name or an address: a UUID, a ULID, or 8 to 64
 * hex digits (e.g. a W3C trace id). Anything else is replaced, so it never reaches logs or audit records.
 */
const REQUEST_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-7][0-9a-hjkmnp-tv-z]{25}|[0-9a-f]{8,64})$/i;

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
  const incidentsRouter = createIncidentsAdminRouter(engine, resolved.contacts, resolved.controller);
  const gpc = createGpcMiddleware(engine, resolved.gpc);
  const sweeper = new RetentionSweeper(engine, sources, resolved.retention);
  const basePath = resolved.basePath;
  const underBasePath = `${basePath}/`;
  const drift = resolved.drift === undefined ? undefined : createDriftRecorder(resolved.drift, (error) => engine.report(error, 'drift detection'));

  function privacyMiddleware(req: Request, res: Response, next: NextFunction): void {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : requestUuid();
    setRequestContext(req, { engine, requestId, gpc: hasGpcSignal(req), identity: undefined, access: undefined });
    res.setHeader('X-Request-Id', requestId);
    if (drift !== undefined) drift.watch(req, res);
    const path = req.path;
    // privacy-kit's own endpoints under the base path (inventory, consents, rights); GPC handling for the app's routes.
    if (path === basePath || path.startsWith(underBasePath)) {
      if (inventory.handles(req)) return inventory(req, res, next);
      consentRouter(req, res, (error?: unknown) => {
        if (error !== undefined) return next(error);
        rightsRouter(req, res, (after?: unknown) => (after === undefined ? incidentsRouter(req, res, next) : next(after)));
      });
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
    if (parent[LISTEN_GUARDED_KEY] === true) return;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- applied to the app again below
    const listen = parent.listen;
    Object.defineProperty(parent, LISTEN_GUARDED_KEY, { value: true });
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
  const kit: PrivacyKit = Object.assign(privacyMiddleware, {
    appId: resolved.appId,
    store: resolved.store,
    pseudonym: engine.pseudonym,
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
    measures: resolved.measures,
    monitoring: resolved.monitor === undefined ? undefined : { flush: () => (resolved.monitor as NonNullable<typeof resolved.monitor>).flush() },
    logRequests: (write: RequestLogWriter) => requestLogger((req) => engine.routePattern(req), write, (error, what) => engine.report(error, what)),
  });
  const inventory = createInventoryEndpoint(engine, kit);
  sweeper.start();
  return kit;
}
