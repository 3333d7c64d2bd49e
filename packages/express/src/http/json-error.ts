import type { Response } from 'express';

/**
 * Every `error` code privacy-kit's HTTP answers carry (enforcement, consent API, rights API, admin endpoints), in one
 * union; bodies never carry personal data.
 */
export type HttpErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'consent_required'
  | 'subject_required'
  | 'tls_required'
  | 'privacy_store_unavailable'
  | 'privacy_misconfigured'
  | 'privacy_not_mounted'
  | 'invalid_body'
  | 'invalid_json'
  | 'invalid_query'
  | 'unknown_purpose'
  | 'not_consent_based'
  | 'request_not_found'
  | 'step_not_found'
  | 'step_not_manual'
  | 'step_done'
  | 'request_finished'
  | 'not_resumable'
  | 'source_failed'
  | 'incident_not_found'
  | 'incidents_unsupported'
  | 'scope_required';

/** A JSON error body: `{ error, ...facts }`. */
export type HttpErrorBody = { readonly error: HttpErrorCode } & Readonly<Record<string, unknown>>;

/**
 * Sends a JSON error unless a response was already started.
 *
 * @param res - the response
 * @param status - the HTTP status
 * @param body - `{ error: code, ... }`
 */
export function sendJsonError(res: Response, status: number, body: HttpErrorBody): void {
  if (res.headersSent) return;
  res.status(status).set('Cache-Control', 'no-store').json(body);
}
