import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Engine } from '../engine/engine.interface';
import { identifyAdmin as identifySharedAdmin, identifyCaller as identifySharedCaller, type Caller } from '../engine/caller';
import { sendJsonError } from '../http/json-error';
import type { RightsActor } from './rights.service';

/** The identified caller of a rights endpoint. */
export interface RightsCaller extends Caller {
  /** For the audit records written on the caller's behalf. */
  readonly by: RightsActor;
}

/**
 * Identifies the caller (JWT or `identify`), answering 401 and returning undefined when that fails.
 *
 * @param pattern - the route pattern for the audit, base path included
 */
export async function identifyCaller(engine: Engine, req: Request, res: Response, pattern: string): Promise<RightsCaller | undefined> {
  return asRightsCaller(await identifySharedCaller(engine, req, res), req, pattern);
}

/**
 * Identifies an admin: 401 without identity, 403 (audited as a refusal) without one of the admin roles.
 *
 * @param pattern - the route pattern for the audit, base path included
 */
export async function identifyAdmin(engine: Engine, req: Request, res: Response, pattern: string): Promise<RightsCaller | undefined> {
  return asRightsCaller(await identifySharedAdmin(engine, req, res, pattern), req, pattern);
}

function asRightsCaller(caller: Caller | undefined, req: Request, pattern: string): RightsCaller | undefined {
  if (caller === undefined) return undefined;
  return { ...caller, by: { requestId: caller.ctx.requestId, actor: caller.pseudonym, method: req.method, route: pattern } };
}

/** Wraps an async handler: a store failure (or any unexpected error) answers 503 and is reported. */
export function handleAsync(engine: Engine, what: string, fn: (req: Request, res: Response) => Promise<void>): RequestHandler {
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
