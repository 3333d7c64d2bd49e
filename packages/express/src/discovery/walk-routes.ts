import { getRouteMarker, type RouteMarker } from '../routes/route-marker';

/** One route of an Express app, found by walking its router. */
export interface DiscoveredRoute {
  /** Upper-case method, or 'ALL'. */
  readonly method: string;
  /** The full path pattern, mount prefixes included, e.g. '/api/users/:id'. */
  readonly path: string;
  /** The Express Route object (identity used to find a route at request time). */
  readonly route: object;
  /** The name of the last handler (the one that answers), or '<anonymous>'. */
  readonly handlerName: string;
  /** The route's handlers in order. */
  readonly handlers: readonly Function[];
  /** Declarations of privacy-kit twins on the route, and on `use()` middleware in front of it. */
  readonly markers: readonly RouteMarker[];
}

interface Layer {
  readonly handle?: Function & { stack?: Layer[] };
  readonly route?: { path: unknown; methods?: Record<string, boolean>; stack?: { method?: string; handle?: Function; name?: string }[] };
  readonly rawPath?: unknown;
  readonly regexp?: RegExp & { fast_slash?: boolean };
  readonly keys?: readonly { name: string | number }[];
  readonly name?: string;
}

function joinPaths(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined || '/';
}

function pathText(path: unknown): string {
  if (typeof path === 'string') return path;
  if (Array.isArray(path)) return path.map(pathText).join('|');
  if (path instanceof RegExp) return `regexp:${path.source}`;
  return '/';
}

/** Recovers an Express 4 mount path from its compiled regexp (Express 4 keeps no string). */
function express4MountPath(layer: Layer): string {
  const regexp = layer.regexp;
  if (regexp === undefined || regexp.fast_slash === true) return '';
  const keys = [...(layer.keys ?? [])];
  const source = regexp.source
    .replace(/^\^/, '')
    .replace(/\\\/\?\(\?=\\\/\|\$\)$/, '')
    .replace(/\(\?:\(\[\^\\\/\]\+\?\)\)/g, () => `:${String(keys.shift()?.name ?? 'param')}`)
    .replace(/\\(.)/g, '$1');
  return /[()[\]|^$*+?]/.test(source) ? `regexp:${regexp.source}` : source;
}

function mountPath(layer: Layer): string {
  if (layer.rawPath !== undefined) return pathText(layer.rawPath);
  return express4MountPath(layer);
}

function walk(stack: readonly Layer[], prefix: string, inherited: readonly RouteMarker[], out: DiscoveredRoute[]): void {
  const markers = [...inherited];
  for (const layer of stack) {
    if (layer.route !== undefined) {
      const route = layer.route;
      const path = joinPaths(prefix, pathText(route.path));
      const handlers = (route.stack ?? []).map((l) => l.handle).filter((h): h is Function => typeof h === 'function');
      const own = handlers.map(getRouteMarker).filter((m): m is RouteMarker => m !== undefined);
      const methods = Object.keys(route.methods ?? {}).filter((m) => route.methods?.[m] === true);
      const last = handlers[handlers.length - 1];
      for (const method of methods.length > 0 ? methods : ['_all']) {
        out.push({
          method: method === '_all' ? 'ALL' : method.toUpperCase(),
          path,
          route,
          handlerName: last?.name || '<anonymous>',
          handlers,
          markers: [...markers, ...own],
        });
      }
    } else if (Array.isArray(layer.handle?.stack)) {
      walk(layer.handle.stack, joinPaths(prefix, mountPath(layer)), markers, out);
    } else {
      const marker = getRouteMarker(layer.handle);
      if (marker !== undefined) markers.push(marker);
    }
  }
}

/**
 * Every route of an Express 5 or 4 app, with nested routers and mount prefixes resolved.
 * Sub-apps mounted with `app.use(otherApp)` are opaque to Express and are not listed.
 *
 * @param app - an Express application or Router
 * @example
 * discoverRoutes(app).map((r) => `${r.method} ${r.path}`); // ['GET /me/profile', ...]
 */
export function discoverRoutes(app: unknown): DiscoveredRoute[] {
  const out: DiscoveredRoute[] = [];
  const stack = routerStack(app);
  if (stack !== undefined) walk(stack, '', [], out);
  return out;
}

function routerStack(app: unknown): Layer[] | undefined {
  if (typeof app !== 'function' && (typeof app !== 'object' || app === null)) return undefined;
  const candidate = app as { _router?: { stack?: Layer[] }; stack?: Layer[]; router?: { stack?: Layer[] }; set?: unknown };
  if (Array.isArray(candidate.stack)) return candidate.stack;
  if (candidate._router !== undefined) return candidate._router.stack;
  try {
    // Express 5 creates its router lazily behind this getter; Express 4's getter throws.
    return candidate.router?.stack;
  } catch {
    return undefined;
  }
}
