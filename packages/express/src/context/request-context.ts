import type { Request } from 'express';
import type { ProcessingDeclaration } from '@privacy-kit/core';
import type { Identity, IdentifyResult } from '../identity/identity';

const CONTEXT_KEY = Symbol.for('privacy-kit.request-context');

/** What privacy-kit knows about a request; internal, shared by the middleware and the route twins. */
export interface RequestContextState {
  readonly engine: unknown;
  readonly requestId: string;
  /** The request carries a Global Privacy Control signal (`Sec-GPC: 1`). */
  readonly gpc: boolean;
  identity: Promise<IdentifyResult> | undefined;
  /** Routes (or use-middleware) already enforced for this request. */
  readonly enforced: Set<object>;
  /** Set once a route's checks passed. */
  access: { readonly identity: Identity; readonly subject: string; readonly declaration: ProcessingDeclaration } | undefined;
}

/** The context of a request, or undefined when `privacy()` did not see it. */
export function getRequestContext(req: Request): RequestContextState | undefined {
  return (req as unknown as Record<symbol, RequestContextState | undefined>)[CONTEXT_KEY];
}

/** Attaches a context to a request (done by `privacy()` for every request). */
export function setRequestContext(req: Request, state: RequestContextState): void {
  Object.defineProperty(req, CONTEXT_KEY, { value: state, enumerable: false, configurable: true });
}

/** What a handler can learn about the privacy decision for its request. */
export interface PrivacyRequestInfo {
  readonly requestId: string;
  /** `Sec-GPC: 1` was sent. */
  readonly gpc: boolean;
  /** The identified caller and the resolved data subject, once an annotated route allowed the request. */
  readonly actor?: Identity;
  readonly subject?: string;
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
  return ctx.access === undefined
    ? { requestId: ctx.requestId, gpc: ctx.gpc }
    : { requestId: ctx.requestId, gpc: ctx.gpc, actor: ctx.access.identity, subject: ctx.access.subject, purposes: ctx.access.declaration.purposes };
}
