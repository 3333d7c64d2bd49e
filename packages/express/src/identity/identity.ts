import type { Request } from 'express';

/** Who is calling: the app's own identifier of the person (never logged or audited raw) and their roles. */
export interface Identity {
  readonly id: string;
  readonly roles: readonly string[];
}

/**
 * Finds the caller from whatever the app's own authentication left on the request (passport's `req.user`, a
 * session, an API key), replacing JWT: return the identity, or null/undefined when the request is not
 * authenticated (answered with 401).
 *
 * @example
 * identify: (req) => (req.session.userId ? { id: req.session.userId, roles: req.session.roles } : null)
 */
export type IdentifyFunction = (req: Request) => Identity | null | undefined | Promise<Identity | null | undefined>;

/** Why a request could not be authenticated; sent as `reason` in the 401 body. */
export type AuthFailure =
  | 'token_missing'
  | 'token_malformed'
  | 'token_unsigned'
  | 'token_algorithm'
  | 'token_signature'
  | 'token_expired'
  | 'token_no_expiry'
  | 'token_not_yet_valid'
  | 'token_issued_in_future'
  | 'token_issuer'
  | 'token_audience'
  | 'token_claims'
  | 'not_authenticated';

/** The outcome of identifying a request. */
export type IdentifyResult = { readonly ok: true; readonly identity: Identity } | { readonly ok: false; readonly reason: AuthFailure };
