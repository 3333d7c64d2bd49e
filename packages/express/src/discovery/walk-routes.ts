import { METHODS } from 'node:http';
import type { SourceLocation } from '@privacy-kit/core';
import { getRouteMarker, markedHandlersOf, type RouteMarker } from '../routes/route-marker';
import { express4Paths } from './express4-paths';
import { locateFunctions } from './source-location';
import { isKit } from './kit-holder';
import { isMountedAppLayer, mountedAppOf, stackOf } from './sub-apps';

/** One route of an Express app, found by walking its router. */
export interface DiscoveredRoute {
  /** Upper-case method, or 'ALL'. */
  readonly method: string;
  /** The full path pattern, mount prefixes included, e.g. '/api/users/:id'. */
  readonly path: string;
  /** Other full paths that reach the same route (an array of paths, a router mounted under several prefixes). */
  readonly aliases: readonly string[];
  /** The Express Route object (identity used to find a route at request time). */
  readonly route: object;
  /** The name of the last handler (the one that answers), or '<anonymous>'. */
  readonly handlerName: string;
  /** The route's handlers in order. */
  readonly handlers: readonly Function[];
  /** Declarations of privacy-kit twins on the route, and on `use()` middleware in front of it. */
  readonly markers: readonly RouteMarker[];
  /** Where the answering handler is defined; only with `sourceLocations: true`. */
  readonly source?: SourceLocation | null;
}

/** Options of {@link discoverApp}. */
export interface DiscoverOptions {
  /** Find where each answering handler is defined (uses the in-process inspector; for tools, not hot paths). */
  readonly sourceLocations?: boolean;
  /** Source paths are shown relative to this folder. Default: the working directory. */
  readonly cwd?: string;
}

/**
 * A mount the walk cannot look into: routes behind it (and their declarations) are only learned when a request
 * reaches them.
 */
export interface UnseenMount {
  /** The full mount path, e.g. '/wrap'. */
  readonly path: string;
  /**
   * 'sub-app': an app mounted with `app.use(path, subApp)` while sub-apps were not tracked (see `trackSubApps`);
   * 'function': a function mounted on a path, e.g. `app.use('/wrap', (req, res, next) => router(req, res, next))`.
   */
  readonly kind: 'sub-app' | 'function';
  /** The mounted function's name, or '<anonymous>'. */
  readonly handler: string;
}

/** Everything a router walk found. */
export interface AppDiscovery {
  readonly routes: DiscoveredRoute[];
  /** The sub-app of `privacy()`, when it is mounted on the app. */
  readonly kit: unknown;
  /** Things the walk could not see, for people (one sentence each). */
  readonly warnings: string[];
  /** The mounts the walk could not look into. */
  readonly unseen: UnseenMount[];
}

/**
 * Middleware that Express itself ships; mounted on a path they serve files or parse bodies and hide no routes.
 * Any other function mounted on a path may (a wrapper around a router), and the walk cannot tell.
 */
const ROUTELESS_MIDDLEWARE = new Set(['serveStatic', 'jsonParser', 'urlencodedParser', 'rawParser', 'textParser']);

interface Layer {
  readonly handle?: Function & { stack?: Layer[] };
  readonly route?: { path: unknown; methods?: Record<string, boolean>; stack?: { method?: string; handle?: Function; name?: string }[] };
  readonly rawPath?: unknown;
  readonly regexp?: RegExp & { fast_slash?: boolean };
  readonly keys?: readonly { name: string | number; optional?: boolean }[];
  readonly name?: string;
}

/** Express 5's app.all() registers the route for every method one by one. */
const EVERY_METHOD = METHODS.map((m) => m.toLowerCase());

interface ScopedMarker {
  readonly marker: RouteMarker;
  /** The absolute path prefix the `use()` middleware was mounted on ('/' for all). */
  readonly prefix: string;
}

interface Found {
  readonly method: string;
  readonly path: string;
  readonly route: object;
  readonly handlers: readonly Function[];
  readonly markers: readonly RouteMarker[];
}

/** Joins a mount prefix and a path: one slash between, none trailing (except for the root). */
export function joinPaths(prefix: string, path: string): string {
  if (path.startsWith('regexp:') && prefix === '') return path;
  const joined = `${prefix}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined || '/';
}

/** The path texts a layer or route path stands for (several for an array of paths). */
function pathTexts(path: unknown): string[] {
  if (typeof path === 'string') return [path];
  if (Array.isArray(path)) return path.flat(Infinity).flatMap(pathTexts);
  if (path instanceof RegExp) return [`regexp:${path.source}`];
  return ['/'];
}

function mountPaths(layer: Layer): string[] {
  if (layer.rawPath !== undefined) return pathTexts(layer.rawPath);
  if (layer.regexp === undefined || layer.regexp.fast_slash === true) return [''];
  return express4Paths(layer.regexp, layer.keys ?? []);
}

/** Whether a `use()` prefix applies to an absolute route path: segment by segment, ':param' matching any. */
function prefixCovers(prefix: string, path: string): boolean {
  if (prefix === '' || prefix === '/') return true;
  if (prefix.includes('regexp:') || path.includes('regexp:')) return true;
  const want = prefix.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length > have.length) return false;
  return want.every((segment, i) => segment.startsWith(':') || segment.startsWith('*') || segment === have[i]);
}

interface WalkState {
  kit: unknown;
  readonly warnings: string[];
  readonly unseen: UnseenMount[];
}

function functionName(fn: Function): string {
  const name = fn.name.replace(/^bound /, '');
  return name === '' ? '<anonymous>' : name;
}

function walk(stack: readonly Layer[], prefix: string, inherited: readonly ScopedMarker[], out: Found[], found: WalkState, seen: Set<unknown>): void {
  const markers = [...inherited];
  for (const layer of stack) {
    if (layer.route !== undefined) {
      const route = layer.route;
      const handlers = [...new Set((route.stack ?? []).map((l) => l.handle))].filter((h): h is Function => typeof h === 'function');
      const own = markedHandlersOf(route).map((h) => getRouteMarker(h) as RouteMarker);
      const declared = Object.keys(route.methods ?? {}).filter((m) => route.methods?.[m] === true);
      const methods = EVERY_METHOD.every((m) => declared.includes(m)) ? ['_all'] : declared;
      for (const text of pathTexts(route.path)) {
        const path = joinPaths(prefix, text);
        const scoped = markers.filter((m) => prefixCovers(m.prefix, path)).map((m) => m.marker);
        for (const method of methods.length > 0 ? methods : ['_all']) {
          out.push({ method: method === '_all' ? 'ALL' : method.toUpperCase(), path, route, handlers, markers: [...scoped, ...own] });
        }
      }
      continue;
    }
    const handle = layer.handle;
    if (Array.isArray(handle?.stack)) {
      if (seen.has(handle)) continue;
      seen.add(handle);
      for (const mount of mountPaths(layer)) walk(handle.stack, joinPaths(prefix, mount), markers, out, found, seen);
      seen.delete(handle);
      continue;
    }
    if (isMountedAppLayer(handle)) {
      const app = mountedAppOf(handle);
      const where = mountPaths(layer).map((m) => joinPaths(prefix, m)).join(', ');
      if (isKit(app)) found.kit ??= app;
      else if (app === undefined) {
        found.warnings.push(`A sub-app is mounted at ${where} with app.use(path, app); its routes are hidden from the router walk. Mount an express.Router() instead, or run privacy-kit's CLI, which sees sub-apps.`);
        for (const mount of mountPaths(layer)) found.unseen.push({ path: joinPaths(prefix, mount), kind: 'sub-app', handler: '<sub-app>' });
      } else {
        const sub = stackOf(app) as Layer[] | undefined;
        if (sub !== undefined && !seen.has(app)) {
          seen.add(app);
          for (const mount of mountPaths(layer)) walk(sub, joinPaths(prefix, mount), markers, out, found, seen);
          seen.delete(app);
        }
      }
      continue;
    }
    const marker = getRouteMarker(handle);
    if (marker !== undefined) {
      for (const mount of mountPaths(layer)) markers.push({ marker, prefix: joinPaths(prefix, mount) });
    } else if (typeof handle === 'function' && !ROUTELESS_MIDDLEWARE.has(handle.name)) {
      const paths = mountPaths(layer).filter((mount) => mount !== '' && mount !== '/');
      for (const mount of paths) {
        const path = joinPaths(prefix, mount);
        const name = functionName(handle);
        found.unseen.push({ path, kind: 'function', handler: name });
        found.warnings.push(
          `A function (${name}) is mounted at ${path} with app.use(path, fn); the router walk cannot see routes behind it (e.g. a router called from a wrapper). ` +
            'Their declarations are enforced when a request reaches them, but not checked before start. Mount the router itself, or allow-list the mount with a reason.',
        );
      }
    }
  }
}

function handlerName(handlers: readonly Function[]): string {
  const last = handlers[handlers.length - 1];
  return last === undefined ? '<anonymous>' : functionName(last);
}

/**
 * Walks an Express 5 or 4 app (or Router) and returns its routes, the `privacy()` sub-app if mounted, and
 * warnings about what the walk could not see. Nested routers, `app.use` prefixes (strings, parameters, arrays,
 * Express 4's compiled regexps), arrays of route paths and mounted controllers are resolved. A route reachable
 * under several paths is listed once, with the other paths as `aliases`.
 *
 * @param app - an Express application or Router
 * @param options - `sourceLocations: true` to find where handlers are defined
 * @example
 * discoverApp(app, { sourceLocations: true }).routes.map((r) => `${r.method} ${r.path}`);
 */
export function discoverApp(app: unknown, options: DiscoverOptions = {}): AppDiscovery {
  const found: Found[] = [];
  const state: WalkState = { kit: undefined, warnings: [], unseen: [] };
  const stack = stackOf(app) as Layer[] | undefined;
  if (stack !== undefined) walk(stack, '', [], found, state, new Set([app]));

  const grouped = new Map<object, Map<string, { first: Found; aliases: string[] }>>();
  const order: { first: Found; aliases: string[] }[] = [];
  for (const f of found) {
    let byMethod = grouped.get(f.route);
    if (byMethod === undefined) {
      byMethod = new Map();
      grouped.set(f.route, byMethod);
    }
    const group = byMethod.get(f.method);
    if (group === undefined) {
      const created = { first: f, aliases: [] as string[] };
      byMethod.set(f.method, created);
      order.push(created);
    } else if (f.path !== group.first.path && !group.aliases.includes(f.path)) group.aliases.push(f.path);
  }

  const answering = order.map((g) => g.first.handlers[g.first.handlers.length - 1]);
  const locations = options.sourceLocations === true
    ? locateFunctions(answering.filter((h): h is Function => h !== undefined), options.cwd)
    : [];
  let located = 0;
  const routes = order.map(({ first, aliases }, i): DiscoveredRoute => {
    const base = {
      method: first.method,
      path: first.path,
      aliases,
      route: first.route,
      handlerName: handlerName(first.handlers),
      handlers: first.handlers,
      markers: first.markers,
    };
    if (options.sourceLocations !== true) return base;
    const source = answering[i] === undefined ? null : (locations[located++] ?? null);
    return { ...base, source };
  });
  return { routes, kit: state.kit, warnings: state.warnings, unseen: state.unseen };
}

/**
 * Every route of an Express 5 or 4 app, with nested routers and mount prefixes resolved (see {@link discoverApp}).
 *
 * @param app - an Express application or Router
 * @example
 * discoverRoutes(app).map((r) => `${r.method} ${r.path}`); // ['GET /me/profile', ...]
 */
export function discoverRoutes(app: unknown, options: DiscoverOptions = {}): DiscoveredRoute[] {
  return discoverApp(app, options).routes;
}
