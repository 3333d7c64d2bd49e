import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { getRequestContext, type RequestContextState } from '../context/request-context';
import type { PrivacyEngine } from '../enforcement/privacy-engine';
import { sendJsonError, type HttpErrorBody, type HttpErrorCode } from '../http/json-error';
import type { Identity } from '../identity/identity';
import type { RightsActor } from './rights.service';

/** Error codes of the rights API on top of the shared ones. */
export type RightsErrorCode =
  | HttpErrorCode
  | 'request_not_found'
  | 'step_not_found'
  | 'step_not_manual'
  | 'request_finished'
  | 'not_resumable'
  | 'source_failed'
  | 'invalid_query';

/** Sends a JSON error of the rights API (never with personal data). */
export function sendRightsError(res: Response, status: number, body: { readonly error: RightsErrorCode } & Readonly<Record<string, unknown>>): void {
  // The shared sender only types the shared codes; the body shape is the same.
  sendJsonError(res, status, body as unknown as HttpErrorBody);
}

/** The identified caller of a rights endpoint. */
export interface RightsCaller {
  readonly identity: Identity;
  /** The caller's pseudonym. */
  readonly pseudonym: string;
  readonly ctx: RequestContextState;
  /** For the audit records written on the caller's behalf. */
  readonly by: RightsActor;
}

/**
 * Identifies the caller (JWT or `identify`), answering 401 and returning undefined when that fails.
 *
 * @param pattern - the route pattern for the audit, base path included
 */
export async function identifyCaller(engine: PrivacyEngine, req: Request, res: Response, pattern: string): Promise<RightsCaller | undefined> {
  const ctx = getRequestContext(req) as RequestContextState;
  const result = await engine.identify(req, ctx);
  if (!result.ok) {
    res.set('WWW-Authenticate', `Bearer error="invalid_token", error_description="${result.reason}"`);
    sendJsonError(res, 401, { error: 'unauthenticated', reason: result.reason });
    return undefined;
  }
  const pseudonym = engine.pseudonym(result.identity.id);
  return { identity: result.identity, pseudonym, ctx, by: { requestId: ctx.requestId, actor: pseudonym, method: req.method, route: pattern } };
}

/**
 * Identifies an admin: 401 without identity, 403 (audited as a refusal) without one of the admin roles.
 *
 * @param pattern - the route pattern for the audit, base path included
 */
export async function identifyAdmin(engine: PrivacyEngine, req: Request, res: Response, pattern: string): Promise<RightsCaller | undefined> {
  const caller = await identifyCaller(engine, req, res, pattern);
  if (caller === undefined) return undefined;
  if (!engine.options.adminRoles.some((role) => caller.identity.roles.includes(role))) {
    await engine.audit(req, caller.ctx, { actor: caller.pseudonym, subject: null }, { method: req.method, pattern }, undefined, {
      event: 'denied', decision: 'denied', reason: 'forbidden', status: 403, durationMs: null,
    });
    sendJsonError(res, 403, { error: 'forbidden' });
    return undefined;
  }
  return caller;
}

/** Wraps an async handler: a store failure (or any unexpected error) answers 503 and is reported. */
export function handleAsync(engine: PrivacyEngine, what: string, fn: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    fn(req, res).catch((error: unknown) => {
      engine.report(error, what);
      if (!res.headersSent) sendJsonError(res, 503, { error: 'privacy_store_unavailable' });
      else next(error);
    });
  };
}

/** Parses a JSON body (unless the app already did), answering 400 with an example when it is not JSON. */
export function jsonBody(example: string): RequestHandler {
  const parse = express.json({ limit: '64kb', strict: true });
  return (req: Request, res: Response, next: NextFunction): void => {
    parse(req, res, (error?: unknown) => {
      if (error !== undefined) {
        sendJsonError(res, 400, { error: 'invalid_json', message: `The body must be a JSON object such as ${example}.` });
        return;
      }
      next();
    });
  };
}
