/**
 * Express hides an app mounted with `app.use(path, subApp)` behind a closure (`mounted_app`), so a router walk
 * cannot reach its routes. These helpers tag that closure with the app it calls, so discovery can walk it.
 */

import { MOUNTED_APP_KEY, TRACKED_USE_KEY } from '../symbols';

interface LayerLike {
  readonly handle?: unknown;
}

/** The layers of an app's or router's stack, without creating a router that does not exist yet. */
export function stackOf(app: unknown): LayerLike[] | undefined {
  if (typeof app !== 'function' && (typeof app !== 'object' || app === null)) return undefined;
  const candidate = app as { _router?: { stack?: LayerLike[] }; stack?: LayerLike[]; router?: { stack?: LayerLike[] } };
  if (Array.isArray(candidate.stack)) return candidate.stack;
  if (candidate._router !== undefined) return candidate._router.stack;
  try {
    // Express 5 creates its router lazily behind this getter; Express 4's getter throws.
    return candidate.router?.stack;
  } catch {
    return undefined;
  }
}

function isApp(value: unknown): value is Function {
  const v = value as { handle?: unknown; set?: unknown } | null;
  return typeof value === 'function' && v !== null && typeof v.handle === 'function' && typeof v.set === 'function';
}

/**
 * Tags the newest untagged `mounted_app` layer of `parent` with `child`. Call it when `child` has just been
 * mounted (its 'mount' event).
 */
export function tagMountedApp(parent: unknown, child: unknown): void {
  const stack = stackOf(parent) ?? [];
  for (let i = stack.length - 1; i >= 0; i--) {
    const handle = stack[i]?.handle as (Function & Record<symbol, unknown>) | undefined;
    if (typeof handle !== 'function' || handle.name !== 'mounted_app') continue;
    if (handle[MOUNTED_APP_KEY] === undefined) Object.defineProperty(handle, MOUNTED_APP_KEY, { value: child });
    return;
  }
}

/** The app a `mounted_app` layer calls, when it was tagged. */
export function mountedAppOf(handle: unknown): unknown {
  return typeof handle === 'function' ? (handle as unknown as Record<symbol, unknown>)[MOUNTED_APP_KEY] : undefined;
}

/** Whether a layer handle is Express's closure around a mounted app. */
export function isMountedAppLayer(handle: unknown): boolean {
  return typeof handle === 'function' && handle.name === 'mounted_app';
}

/**
 * Makes every app later mounted with `app.use(path, subApp)` visible to route discovery, by wrapping
 * `application.use` of an Express module (4 or 5). The `privacy-kit` CLI does this before it loads an app module.
 * Idempotent.
 *
 * @param expressModule - the Express module the app uses, e.g. `require('express')`
 * @returns whether the module could be tracked
 * @example
 * trackSubApps(require('express'));
 */
export function trackSubApps(expressModule: unknown): boolean {
  const application = (expressModule as { application?: Record<string | symbol, unknown> } | undefined)?.application;
  const original = application?.use;
  if (application === undefined || typeof original !== 'function') return false;
  if ((original as unknown as Record<symbol, unknown>)[TRACKED_USE_KEY] === true) return true;
  const use = function trackedUse(this: unknown, ...args: unknown[]): unknown {
    const result = (original as (...a: unknown[]) => unknown).apply(this, args);
    const apps = args.flat(Infinity).filter(isApp);
    if (apps.length > 0) {
      const stack = stackOf(this) ?? [];
      const untagged = stack.filter((l) => isMountedAppLayer(l.handle) && mountedAppOf(l.handle) === undefined);
      // The newest layers belong to this call, in argument order.
      untagged.slice(-apps.length).forEach((layer, i) => Object.defineProperty(layer.handle as object, MOUNTED_APP_KEY, { value: apps[i] }));
    }
    return result;
  };
  Object.defineProperty(use, TRACKED_USE_KEY, { value: true });
  application.use = use;
  return true;
}

/** Sub-apps nested deeper than this are not followed up to their root app. */
const MAX_MOUNT_DEPTH = 32;

/**
 * The full mount path of a sub-app below `root`, from the `mountpath` and `parent` Express sets when an app is
 * mounted (e.g. '/shop/admin'); undefined when it cannot be told (an array or RegExp mount path, or `root` is not
 * among its parents).
 *
 * @param app - a mounted Express app (e.g. `req.app` inside a sub-app)
 * @param root - the app the paths are relative to
 * @param join - joins a prefix and a path the way the router walk does
 */
export function mountPrefixOf(app: unknown, root: unknown, join: (prefix: string, path: string) => string): string | undefined {
  let prefix = '';
  let current = app as { mountpath?: unknown; parent?: unknown } | undefined;
  for (let depth = 0; current !== root; depth++) {
    if (current === undefined || current === null || depth >= MAX_MOUNT_DEPTH || typeof current.mountpath !== 'string') return undefined;
    prefix = join(current.mountpath, prefix);
    current = current.parent as typeof current;
  }
  return prefix;
}
