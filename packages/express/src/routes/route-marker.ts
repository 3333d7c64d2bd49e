import type { RequestHandler } from 'express';
import { ROUTE_DECLARATION_KEY, type ProcessingOptions } from '@privacy-kit/core';

/** What a twin middleware declares for the route it sits on. */
export interface RouteMarker {
  readonly parts: readonly ProcessingOptions[];
  /** Who declared it, for messages, e.g. "personalData()". */
  readonly where: string;
}

/** A route middleware that carries a privacy declaration. */
export type MarkedHandler = RequestHandler & { readonly [ROUTE_DECLARATION_KEY]: RouteMarker };

/**
 * The declaration a middleware carries, if it is one of privacy-kit's route twins.
 *
 * @param handler - any route handler or middleware
 */
export function getRouteMarker(handler: unknown): RouteMarker | undefined {
  if (typeof handler !== 'function') return undefined;
  return (handler as Partial<MarkedHandler>)[ROUTE_DECLARATION_KEY];
}

/** Attaches a marker to a middleware function. */
export function markHandler(handler: RequestHandler, marker: RouteMarker): MarkedHandler {
  Object.defineProperty(handler, ROUTE_DECLARATION_KEY, { value: marker, enumerable: false });
  return handler as MarkedHandler;
}

/**
 * The distinct privacy-kit twins among an Express Route's handlers, in order (every method of the route).
 *
 * @param route - an Express Route object (`layer.route`, `req.route`)
 */
export function markedHandlersOf(route: unknown): MarkedHandler[] {
  const stack: unknown = (route as { stack?: unknown } | undefined)?.stack;
  if (!Array.isArray(stack)) return [];
  const found: MarkedHandler[] = [];
  for (const layer of stack as readonly { handle?: unknown }[]) {
    const handle = layer.handle;
    if (getRouteMarker(handle) !== undefined && !found.includes(handle as MarkedHandler)) found.push(handle as MarkedHandler);
  }
  return found;
}
