import type { Request, Response } from 'express';
import { getRequestContext, type RequestContextState } from '../context/request-context';
import type { Engine } from './engine.interface';
import type { Identity, IdentifyResult } from '../identity/identity';
import { sendJsonError } from '../http/json-error';

/** The identified caller of one of privacy-kit's own endpoints (consents, rights, inventory). */
export interface Caller {
  readonly identity: Identity;
  /** The caller's keyed pseudonym, as written to the audit. */
  readonly pseudonym: string;
  readonly ctx: RequestContextState;
}

/**
 * Identifies the caller (`req.user`, `identify` or JWT), answering 401 with the reason and returning undefined when
 * that fails; an identity that cannot be read (a throwing `identify`, a `req.user` of another shape) is reported and
 * answered 500 `privacy_misconfigured`.
 *
 * @param engine - the engine of `privacy()`
 */
export async function identifyCaller(engine: Engine, req: Request, res: Response): Promise<Caller | undefined> {
  const ctx = getRequestContext(req) as RequestContextState;
  let result: IdentifyResult;
  try {
    result = await engine.identify(req, ctx);
  } catch (error) {
    engine.report(error, 'identifying the caller');
    sendJsonError(res, 500, { error: 'privacy_misconfigured' });
    return undefined;
  }
  if (!result.ok) {
    res.set('WWW-Authenticate', `Bearer error="invalid_token", error_description="${result.reason}"`);
    sendJsonError(res, 401, { error: 'unauthenticated', reason: result.reason });
    return undefined;
  }
  return { identity: result.identity, pseudonym: engine.pseudonym(result.identity.id), ctx };
}

/**
 * Identifies an admin: 401 without an identity, 403 (audited as a refusal) without one of the `adminRoles`.
 *
 * @param pattern - the route pattern for the audit, base path included
 */
export async function identifyAdmin(engine: Engine, req: Request, res: Response, pattern: string): Promise<Caller | undefined> {
  const caller = await identifyCaller(engine, req, res);
  if (caller === undefined) return undefined;
  if (!engine.options.adminRoles.some((role) => caller.identity.roles.includes(role))) {
    await engine.audit(req, caller.ctx, { actor: caller.pseudonym, subject: null }, pattern, undefined, {
      event: 'denied', decision: 'denied', reason: 'forbidden', status: 403, durationMs: null,
    });
    sendJsonError(res, 403, { error: 'forbidden' });
    return undefined;
  }
  return caller;
}
