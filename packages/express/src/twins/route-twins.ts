import type { NextFunction, Request, Response } from 'express';
import { validateProcessingPart, type ProcessingOptions } from '@privacy-kit/core';
import { getRequestContext } from '../context/request-context';
import { sendJsonError } from '../http/json-error';
import { markHandler, type MarkedHandler, type RouteMarker } from '../routes/route-marker';
import { expressError } from '../errors';

function guard(marker: RouteMarker): MarkedHandler {
  const handler = markHandler(function privacyGuard(req: Request, res: Response, next: NextFunction): void {
    const ctx = getRequestContext(req);
    if (ctx === undefined) {
      // Fail closed: without privacy() nobody can check the basis or write the audit record.
      sendJsonError(res, 500, { error: 'privacy_not_mounted', message: 'app.use(privacy(...)) must come before annotated routes.' });
      return;
    }
    ctx.engine.enforce(req, res, next, marker, handler);
  }, marker);
  return handler;
}

/**
 * Declares the personal data a route processes, in its middleware chain (the function twin of
 * `@PersonalData` on a method). The request is then identified, checked (roles, consent) and audited
 * before the next handler runs.
 *
 * @param options - categories, purpose, basis, subject resolver, roles, retention, recipients
 * @example
 * app.get('/me/profile', personalData({ categories: ['user.name', 'user.contact.email'], purpose: 'essential.service', basis: 'contract' }), handler);
 */
export function personalData<Req = Request>(options: ProcessingOptions<Req>): MarkedHandler {
  validateProcessingPart(options, 'personalData()');
  return guard({ parts: [options], where: 'personalData()' });
}

/**
 * Requires the data subject's current consent for the purpose(s) (the function twin of `@RequiresConsent`).
 * Without it the answer is 403 `{"error":"consent_required","purpose":"..."}` and the handler does not run.
 *
 * @param purposes - a purpose key or several
 * @example
 * app.get('/me/recommendations', requiresConsent('personalize.content'), handler);
 */
export function requiresConsent(purposes: string | readonly string[]): MarkedHandler {
  const list = typeof purposes === 'string' ? [purposes] : purposes;
  if (!Array.isArray(list) || list.length === 0) {
    throw expressError('PK_INVALID_OPTION', "requiresConsent() needs a purpose, e.g. requiresConsent('personalize.content').");
  }
  const part: ProcessingOptions = { consent: list };
  validateProcessingPart(part, 'requiresConsent()');
  return guard({ parts: [part], where: 'requiresConsent()' });
}

/** A guard for an already-resolved set of parts (used when mounting decorated controllers). */
export function guardFor(parts: readonly ProcessingOptions[], where: string): MarkedHandler {
  for (const part of parts) validateProcessingPart(part, where);
  return guard({ parts, where });
}
