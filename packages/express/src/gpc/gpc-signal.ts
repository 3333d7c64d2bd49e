import type { Request } from 'express';

/** The request header of Global Privacy Control. */
export const GPC_HEADER = 'sec-gpc';

/** Optional whitespace around a field value is not part of it (RFC 9110 §5.5); Node strips it already. */
const OWS = /^[ \t]+|[ \t]+$/g;

/** Every `Sec-GPC` field value of a request, one per header line. */
export function gpcHeaderValues(req: Pick<Request, 'headers'> & { readonly headersDistinct?: Request['headersDistinct'] }): readonly string[] {
  const distinct = req.headersDistinct?.[GPC_HEADER];
  if (distinct !== undefined) return distinct;
  const raw = req.headers?.[GPC_HEADER];
  return raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
}

/**
 * Whether a request carries a Global Privacy Control signal, as the W3C GPC specification says: a `Sec-GPC` field
 * value of exactly "1" counts, any other value (`0`, `true`, `1, 0`, empty) is ignored as if the header were absent,
 * and with several `Sec-GPC` header lines the request has the signal when at least one of them is exactly "1".
 *
 * @param req - the request
 * @example
 * hasGpcSignal(req); // true for `Sec-GPC: 1`
 */
export function hasGpcSignal(req: Pick<Request, 'headers'> & { readonly headersDistinct?: Request['headersDistinct'] }): boolean {
  // Most requests carry no signal: answer without building `headersDistinct`, which copies every header.
  if (req.headers?.[GPC_HEADER] === undefined) return false;
  return gpcHeaderValues(req).some((value) => value.replace(OWS, '') === '1');
}
