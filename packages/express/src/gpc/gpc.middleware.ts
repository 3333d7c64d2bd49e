import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isKnownTerm, isoTime, resolveTerm, type ConsentState } from '@privacy-kit/core';
import { getRequestContext, type RequestContextState } from '../context/request-context';
import type { Engine } from '../engine/engine.interface';
import type { ResolvedGpcOptions } from './gpc.options';

/** The path of the GPC support resource (W3C GPC, "GPC Support Resource"). */
export const GPC_WELL_KNOWN_PATH = '/.well-known/gpc.json';

/** Whether GPC covers a purpose: sale, sharing or targeted advertising (`gpcOptOut` in the vocabulary, inherited). */
export function isGpcOptOutPurpose(purpose: string): boolean {
  return isKnownTerm('purpose', purpose) && resolveTerm('purpose', purpose, 'GPC').gpcOptOut;
}

/**
 * Global Privacy Control beyond the per-request rule (which the engine applies on enforced routes): serves
 * `/.well-known/gpc.json` and, with `record: true`, turns the signal of an identified person on the app's routes into
 * `withdrawn` consent events (method 'gpc') for the GPC-covered purposes they had granted, audited as a 'consent'
 * record. privacy-kit's own endpoints under the base path do not record. Undefined when neither is wanted.
 *
 * @param engine - the kit's engine
 * @param options - resolved `gpc` options
 */
export function createGpcMiddleware(engine: Engine, options: ResolvedGpcOptions): RequestHandler | undefined {
  if (!options.wellKnown && !options.record) return undefined;
  const support = JSON.stringify(options.lastUpdate === undefined ? { gpc: true } : { gpc: true, lastUpdate: options.lastUpdate });

  async function recordSignal(req: Request, ctx: RequestContextState): Promise<void> {
    let identified;
    try {
      identified = await engine.identify(req, ctx);
    } catch (error) {
      engine.report(error, 'identify(req) while recording a GPC signal');
      return;
    }
    if (!identified.ok) return;
    const subject = engine.pseudonym(identified.identity.id);
    const states: ReadonlyMap<string, ConsentState> = await engine.consents(subject);
    const optedIn = [...states.values()].filter((s) => s.granted && isGpcOptOutPurpose(s.purpose));
    if (optedIn.length === 0) return;
    // The withdrawals and their audit record commit together, or none does.
    await engine.recordConsentChange(subject, optedIn.map((s) => ({ purpose: s.purpose, granted: false, policyVersion: s.policyVersion })), 'gpc', {
      event: 'consent',
      time: isoTime(),
      requestId: ctx.requestId,
      appId: engine.options.appId,
      actor: subject,
      subject,
      method: req.method,
      route: null,
      purposes: optedIn.map((s) => s.purpose),
      basis: null,
      categories: ['user.account.settings'],
      decision: 'allowed',
      reason: 'gpc',
      status: null,
      durationMs: null,
      details: { method: 'gpc', granted: false, withdrawn: optedIn.length },
    });
  }

  return function globalPrivacyControl(req: Request, res: Response, next: NextFunction): void {
    if (options.wellKnown && req.path === GPC_WELL_KNOWN_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      res.status(200).set('Content-Type', 'application/json').set('Cache-Control', 'public, max-age=86400').send(support);
      return;
    }
    const ctx = getRequestContext(req);
    if (!options.record || ctx === undefined || !ctx.gpc) {
      next();
      return;
    }
    // The request goes on either way: the per-request GPC rule already applies; recording only makes it last.
    recordSignal(req, ctx).then(() => next(), (error: unknown) => {
      engine.report(error, 'recording a GPC signal');
      next();
    });
  };
}
