import { createHmac } from 'node:crypto';

/** The longest reason an admin may give for an action on a rights request, in characters. */
export const MAX_ADMIN_REASON_LENGTH = 500;

/** Control and invisible format characters (line breaks, NUL, bidi overrides, zero-width marks). */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]+/gu;

/** What a reason check gives: the reason as it is kept and shown, or why it cannot be taken. */
export type AdminReasonCheck = { readonly ok: true; readonly reason: string } | { readonly ok: false; readonly message: string };

/**
 * Checks and normalises the reason an admin gives for re-planning, completing a step or closing a request. The
 * person sees it, so it is kept as given except that control and invisible format characters (which could fake line
 * breaks or reorder text) become spaces and runs of white space one space; it must then hold 1 to
 * {@link MAX_ADMIN_REASON_LENGTH} characters. The message never repeats the reason.
 *
 * @param value - as received
 * @example
 * checkAdminReason(' Withdrawn\r\nby phone ');  // { ok: true, reason: 'Withdrawn by phone' }
 */
export function checkAdminReason(value: unknown): AdminReasonCheck {
  const message = `reason must say why, in 1 to ${MAX_ADMIN_REASON_LENGTH} characters; the person sees it with their request, so name no one else`;
  if (typeof value !== 'string') return { ok: false, message: `${message} (got ${value === undefined ? 'none' : typeof value})` };
  const reason = value.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  const length = [...reason].length;
  if (length === 0 || length > MAX_ADMIN_REASON_LENGTH) return { ok: false, message: `${message} (got ${length})` };
  return { ok: true, reason };
}

/**
 * The keyed digest of a reason that the audit record of an admin action holds instead of its text: free text could
 * name someone, and audit records can never be erased. It ties the reason kept with the request to the tamper-evident
 * audit chain: a reason changed afterwards no longer has the digest of its record.
 *
 * @param key - a key of its own, e.g. `deriveKey(pseudonymKey, 'rights-reason')`
 * @param reason - as checked by {@link checkAdminReason}
 */
export function reasonMac(key: Buffer, reason: string): string {
  return createHmac('sha256', key).update(reason, 'utf8').digest('base64url').slice(0, 22);
}
