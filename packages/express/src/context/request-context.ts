import type { NextFunction, Request, Response } from 'express';
import type { ProcessingDeclaration } from '@privacy-kit/core';
import type { Identity, IdentifyResult } from '../identity/identity';
import type { RouteMarker } from '../routes/route-marker';
import { REQUEST_CONTEXT_KEY } from '../symbols';

/**
 * What a route twin asks of the engine of the `privacy()` that saw its request: enforce the twin's declaration
 * (identify, check, audit), then call `next` or answer. Implemented by the engine; the twins reach it through the
 * request context, so they work with whichever `privacy()` is mounted.
 */
export interface RouteEnforcer {
  /**
   * @param marker - the twin's declaration
   * @param self - the twin itself (the key its compiled declaration is kept under)
   */
  enforce(req: Request, res: Response, next: NextFunction, marker: RouteMarker, self: object): void;
}

/** A declaration whose checks passed for a request: who asked, whose data, and what was declared and audited. */
export interface AccessDecision {
  /** The identified caller; undefined on a route whose caller is 'anonymous' or 'optional' and nobody was identified. */
  readonly identity: Identity | undefined;
  /** The app's own id of the data subject. */
  readonly subject: string;
  /** The subject's keyed pseudonym, as audited. */
  readonly subjectPseudonym: string;
  readonly declaration: ProcessingDeclaration;
  /** The decision made before this one on the same request (an earlier twin on its path), if any. */
  readonly previous: AccessDecision | undefined;
}

/** What privacy-kit knows about a request; internal, shared by the middleware and the route twins. */
export interface RequestContextState {
  /** The engine of the `privacy()` that saw the request. */
  readonly engine: RouteEnforcer;
  readonly requestId: string;
  /** The request carries a Global Privacy Control signal (`Sec-GPC: 1`). */
  readonly gpc: boolean;
  /** The caller, once identified: the result itself when identifying was synchronous (JWT, req.user), else its promise. */
  identity: IdentifyResult | Promise<IdentifyResult> | undefined;
  /** The newest decision whose checks passed (a twin's), linked to the earlier ones; undefined before any. */
  access: AccessDecision | undefined;
}

/** The context of a request, or undefined when `privacy()` did not see it. */
export function getRequestContext(req: Request): RequestContextState | undefined {
  return (req as unknown as Record<symbol, RequestContextState | undefined>)[REQUEST_CONTEXT_KEY];
}

/** Attaches a context to a request (done by `privacy()` for every request). */
export function setRequestContext(req: Request, state: RequestContextState): void {
  // Not a plain assignment (about 150 ns cheaper): an enumerable symbol key shows in util.inspect(req), and the
  // context holds the engine, whose options hold the keys.
  Object.defineProperty(req, REQUEST_CONTEXT_KEY, { value: state, enumerable: false, configurable: true });
}

/** What a handler can learn about the privacy decision for its request. */
export interface PrivacyRequestInfo {
  readonly requestId: string;
  /** `Sec-GPC: 1` was sent. */
  readonly gpc: boolean;
  /**
   * The identified caller, once an annotated route allowed the request; absent on a route without an identified
   * caller (`caller: 'anonymous'`, or `'optional'` when nobody was identified).
   */
  readonly actor?: Identity;
  /** The data subject of the newest twin that allowed the request. */
  readonly subject?: string;
  /** Every purpose the request was allowed for (of all the twins on its path). */
  readonly purposes?: readonly string[];
}

/**
 * What privacy-kit decided for this request: its id, the GPC signal and, on an annotated route, the caller and
 * the data subject (use `subject` to load the data, so that what was checked is what is served).
 *
 * @param req - the Express request
 * @example
 * app.get('/users/:id', personalData({ ... }), (req, res) => res.json(users.get(privacyInfo(req).subject!)));
 */
export function privacyInfo(req: Request): PrivacyRequestInfo {
  const ctx = getRequestContext(req);
  if (ctx === undefined) return { requestId: '', gpc: false };
  const access = ctx.access;
  if (access === undefined) return { requestId: ctx.requestId, gpc: ctx.gpc };
  // Several twins on the request's path: the request was allowed for the purposes of all of them.
  const purposes = access.previous === undefined
    ? access.declaration.purposes
    : [...new Set(decisionsOf(access).reverse().flatMap((d) => d.declaration.purposes))];
  return { requestId: ctx.requestId, gpc: ctx.gpc, ...(access.identity === undefined ? {} : { actor: access.identity }), subject: access.subject, purposes };
}

function decisionsOf(newest: AccessDecision): AccessDecision[] {
  const all: AccessDecision[] = [];
  for (let d: AccessDecision | undefined = newest; d !== undefined; d = d.previous) all.push(d);
  return all;
}
