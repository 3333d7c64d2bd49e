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
