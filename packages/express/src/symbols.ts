/**
 * Every `Symbol.for` key of @privacy-kit/express, in one file (core keeps its own in `metadata-keys.ts`).
 * `Symbol.for` makes two installed copies of the package share them; the strings never change.
 */

/** The privacy context of a request (see `context/request-context.ts`). */
export const REQUEST_CONTEXT_KEY = Symbol.for('privacy-kit.request-context');

/** Marks an app whose `listen()` checks the routes first, so it is wrapped once. */
export const LISTEN_GUARDED_KEY = Symbol.for('privacy-kit.listen-guarded');

/** Marks a kit, or an app a kit is mounted on, with the kit (see `discovery/kit-holder.ts`). */
export const KIT_HOLDER_KEY = Symbol.for('privacy-kit.kit-holder');

/** The global registry of `@Get`/`@Post`/... methods of controllers. */
export const CONTROLLER_ROUTES_KEY = Symbol.for('privacy-kit.express.controller-routes');

/** A wrapper may point at the function it calls (e.g. a controller method) under this key. */
export const HANDLER_TARGET_KEY = Symbol.for('privacy-kit.handler-target');

/** Where `locateFunctions` leaves the functions for the inspector to read (only during the call). */
export const LOCATE_HOLDER_KEY = Symbol.for('privacy-kit.discovery.locate');

/** Tags Express's `mounted_app` closure with the sub-app it calls. */
export const MOUNTED_APP_KEY = Symbol.for('privacy-kit.discovery.mounted-app');

/** Marks an `application.use` already wrapped by `trackSubApps`. */
export const TRACKED_USE_KEY = Symbol.for('privacy-kit.discovery.tracked-use');

/** The drift recorders of the process that write a file, flushed once at exit. */
export const DRIFT_RECORDERS_KEY = Symbol.for('privacy-kit.drift.recorders');
