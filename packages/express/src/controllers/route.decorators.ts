import type { NextFunction, Request, Response, Router } from 'express';
import { getProcessingParts } from '@privacy-kit/core';
import { guardFor } from '../twins/route-twins';
import { CONTROLLER_ROUTES_KEY, HANDLER_TARGET_KEY } from '../symbols';
import { expressError } from '../errors';

/** An HTTP method a controller route can answer. */
export type HttpVerb = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface RouteMeta {
  readonly verb: HttpVerb;
  readonly path: string;
}

function routeRegistry(): WeakMap<Function, RouteMeta> {
  const holder = globalThis as unknown as Record<symbol, WeakMap<Function, RouteMeta> | undefined>;
  let found = holder[CONTROLLER_ROUTES_KEY];
  if (found === undefined) {
    found = new WeakMap();
    Object.defineProperty(holder, CONTROLLER_ROUTES_KEY, { value: found });
  }
  return found;
}

function routeDecorator(verb: HttpVerb, path: string) {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw expressError('PK_INVALID_DECORATOR', `@${verb[0]?.toUpperCase()}${verb.slice(1)}(path): the path must start with '/'; got ${JSON.stringify(path)}.`);
  }
  // Keyed by the method function, so the same code works with legacy and standard decorators.
  return function httpRoute(target: unknown, keyOrContext: unknown, descriptor?: PropertyDescriptor): void {
    const method: unknown = typeof keyOrContext === 'object' && keyOrContext !== null ? target : descriptor?.value;
    if (typeof method !== 'function') {
      throw expressError('PK_INVALID_DECORATOR', `@${verb.toUpperCase()} belongs on a method.`);
    }
    routeRegistry().set(method, { verb, path });
  };
}

/** Serves the method on `GET path` when its controller is mounted. Works in both decorator modes. */
export const Get = (path: string) => routeDecorator('get', path);
/** Serves the method on `POST path`. */
export const Post = (path: string) => routeDecorator('post', path);
/** Serves the method on `PUT path`. */
export const Put = (path: string) => routeDecorator('put', path);
/** Serves the method on `PATCH path`. */
export const Patch = (path: string) => routeDecorator('patch', path);
/** Serves the method on `DELETE path`. */
export const Delete = (path: string) => routeDecorator('delete', path);

/** A controller method: it may answer itself, or return a value that is sent as JSON. */
export type ControllerMethod = (req: Request, res: Response) => unknown;

/**
 * Registers every `@Get`/`@Post`/... method of a controller instance on a router. Methods that carry
 * `@PersonalData` or `@RequiresConsent` are guarded exactly like routes using the `personalData()` twin.
 *
 * @param router - an Express app or Router
 * @param controller - an instance of a class with route decorators
 * @returns the number of routes mounted
 * @example
 * mountController(app, new ProfileController(users));
 */
export function mountController(router: Pick<Router, HttpVerb>, controller: object): number {
  if (typeof controller !== 'object' || controller === null) {
    throw expressError('PK_INVALID_OPTION', 'mountController(router, controller) takes an instance, e.g. new ProfileController().');
  }
  const className = controller.constructor.name;
  const seen = new Set<string>();
  let mounted = 0;
  for (let proto = Object.getPrototypeOf(controller) as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || seen.has(name)) continue;
      seen.add(name);
      const fn = Object.getOwnPropertyDescriptor(proto, name)?.value as unknown;
      if (typeof fn !== 'function') continue;
      const meta = routeRegistry().get(fn);
      if (meta === undefined) continue;
      const handler = Object.defineProperty(function controllerHandler(req: Request, res: Response, next: NextFunction): void {
        Promise.resolve()
          .then(() => (fn as ControllerMethod).call(controller, req, res))
          .then((result) => {
            if (result !== undefined && !res.headersSent) res.json(result);
          })
          .catch(next);
      }, 'name', { value: `${className}.${name}` });
      // The inventory locates the method itself, not this wrapper.
      Object.defineProperty(handler, HANDLER_TARGET_KEY, { value: fn });
      const annotation = getProcessingParts(fn);
      if (annotation === undefined) router[meta.verb](meta.path, handler);
      else router[meta.verb](meta.path, guardFor(annotation.parts, `${className}.${name}`), handler);
      mounted++;
    }
  }
  if (mounted === 0) {
    throw expressError('PK_INVALID_OPTION', `mountController(): ${className} has no @Get/@Post/@Put/@Patch/@Delete methods.`);
  }
  return mounted;
}
