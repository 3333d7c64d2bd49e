import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { AuditEntry, ConsentEvent, ConsentState, ProcessingDeclaration } from '@privacy-kit/core';
import type { Engine } from '../engine/engine.interface';
import { identifyCaller, type Caller } from '../engine/caller';
import { sendJsonError } from '../http/json-error';
import { classValidator } from '../on-demand';
import type * as ConsentBodyModule from './consent-body.dto';
import { consentVerdict } from '../engine/consentable-purposes';

let consentBodyModule: typeof ConsentBodyModule | undefined;

/** The consent body's class, loaded with the first body it checks: its decorators load class-validator (see on-demand.ts). */
function consentBodyClass(): typeof ConsentBodyModule.ConsentBody {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, like class-validator itself
  return (consentBodyModule ??= require('./consent-body.dto') as typeof ConsentBodyModule).ConsentBody;
}

/** What reading or changing one's own consent records is, for the audit (built once). */
const CONSENT_DECLARATION: ProcessingDeclaration = {
  purposes: ['essential.legal'],
  basis: 'legal_obligation',
  categories: ['user.account.settings'],
  models: [],
  subject: 'self',
  caller: 'required',
  subjectTypes: ['customer'],
  roles: [],
  recipients: [],
  consentPurposes: [],
  specialCategoryConditions: [],
  special: false,
};

function stateView(state: ConsentState): Record<string, unknown> {
  return {
    purpose: state.purpose,
    granted: state.granted,
    status: state.status,
    policyVersion: state.policyVersion,
    method: state.method,
    since: state.since,
    expiresAt: state.expiresAt,
  };
}

function eventView(event: ConsentEvent): Record<string, unknown> {
  return {
    id: event.id,
    purpose: event.purpose,
    action: event.action,
    policyVersion: event.policyVersion,
    method: event.method,
    time: event.time,
    expiresAt: event.expiresAt,
  };
}

/**
 * The consent API for the authenticated person, under the base path: `GET {base}/me/consents`,
 * `GET {base}/me/consents/history`, and `GET`/`PUT {base}/me/consents/:purpose`. A purpose is taken only when a
 * route (or the `consentPurposes` option) declares it consent-based: any other answers 404 listing those that are,
 * one processed under another basis 409 naming it.
 */
export function createConsentRouter(engine: Engine): Router {
  const router = express.Router();
  const base = engine.options.basePath;
  const json = express.json({ limit: '16kb', strict: true });

  /** The audit entry of a read or change of the caller's own consent records. */
  function selfEntry(req: Request, who: Caller, pattern: string, event: 'access' | 'consent', details?: Record<string, string | boolean>): AuditEntry {
    return engine.auditEntry(req, who.ctx, { actor: who.pseudonym, subject: who.pseudonym }, `${engine.options.basePath}${pattern}`, CONSENT_DECLARATION, { event, decision: 'allowed', reason: null, status: null, durationMs: null, ...(details === undefined ? {} : { details }) });
  }

  /** Audits the read of the caller's own consent records. */
  function auditSelf(req: Request, who: Caller, pattern: string): Promise<unknown> {
    return engine.appendAudit(selfEntry(req, who, pattern, 'access'));
  }

  /** Reads the caller's consents within the store deadline. */
  const currentConsents = (who: Caller) => engine.withDeadline(engine.options.store.currentConsents(who.pseudonym), 'reading consents');

  const handle = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction): void => {
    fn(req, res).catch((error: unknown) => {
      engine.report(error, 'the consent API');
      if (!res.headersSent) sendJsonError(res, 503, { error: 'privacy_store_unavailable' });
      else next(error);
    });
  };

  router.get(`${base}/me/consents`, handle(async (req, res) => {
    const who = await identifyCaller(engine, req, res);
    if (who === undefined) return;
    await auditSelf(req, who, '/me/consents');
    const states = await currentConsents(who);
    res.set('Cache-Control', 'no-store').json({ consents: states.map(stateView), consentable: engine.consentablePurposes().consentable });
  }));

  router.get(`${base}/me/consents/history`, handle(async (req, res) => {
    const who = await identifyCaller(engine, req, res);
    if (who === undefined) return;
    await auditSelf(req, who, '/me/consents/history');
    const events = await engine.withDeadline(engine.options.store.consentHistory(who.pseudonym), 'reading the consent history');
    res.set('Cache-Control', 'no-store').json({ events: events.map(eventView) });
  }));

  /** Answers 404/409 for a purpose the API does not take; returns whether it does. */
  function takesPurpose(res: Response, purpose: string): boolean {
    const verdict = consentVerdict(engine.consentablePurposes(), purpose);
    if (!verdict.ok) sendJsonError(res, verdict.status, verdict.body);
    return verdict.ok;
  }

  router.get(`${base}/me/consents/:purpose`, handle(async (req, res) => {
    const who = await identifyCaller(engine, req, res);
    if (who === undefined) return;
    const purpose = String(req.params.purpose);
    if (!takesPurpose(res, purpose)) return;
    await auditSelf(req, who, '/me/consents/:purpose');
    const state = (await currentConsents(who)).find((s) => s.purpose === purpose);
    res.set('Cache-Control', 'no-store').json({ consent: state === undefined ? null : stateView(state) });
  }));

  router.put(`${base}/me/consents/:purpose`, (req: Request, res: Response, next: NextFunction) => {
    json(req, res, (error?: unknown) => {
      if (error !== undefined) {
        sendJsonError(res, 400, { error: 'invalid_json', message: 'The body must be a JSON object such as {"granted": true, "policyVersion": "2026-05"}.' });
        return;
      }
      next();
    });
  }, handle(async (req, res) => {
    const who = await identifyCaller(engine, req, res);
    if (who === undefined) return;
    const purpose = String(req.params.purpose);
    if (!takesPurpose(res, purpose)) return;
    const raw: unknown = req.body;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      sendJsonError(res, 400, { error: 'invalid_body', problems: [{ property: '(body)', messages: ['the body must be a JSON object such as {"granted": true, "policyVersion": "2026-05"}'] }] });
      return;
    }
    const body = Object.assign(new (consentBodyClass())(), raw);
    const errors = await classValidator().validate(body, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
    if (errors.length > 0) {
      const problems = errors.map((e) => ({
        property: e.property,
        messages: Object.values(e.constraints ?? {}).map((m) => (m.startsWith('property ') ? `${e.property} is not allowed` : m)),
      }));
      sendJsonError(res, 400, { error: 'invalid_body', problems });
      return;
    }
    // The event and its audit record commit together: a failing audit leaves no consent behind (503).
    const entry = selfEntry(req, who, '/me/consents/:purpose', 'consent', { purpose, granted: body.granted, policyVersion: body.policyVersion });
    await engine.recordConsentChange(who.pseudonym, [{ purpose, granted: body.granted, policyVersion: body.policyVersion }], 'api', entry);
    const states = await currentConsents(who);
    const state = states.find((s) => s.purpose === purpose);
    res.set('Cache-Control', 'no-store').json({ consent: state === undefined ? null : stateView(state) });
  }));

  return router;
}
