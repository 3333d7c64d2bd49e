import type { Request } from 'express';
import { expressError } from '../errors';
import type { Identity } from './identity';

const HOW_TO_FIX = 'or give privacy({ identify: (req) => ({ id, roles }) }) for another shape.';

/**
 * The `req.user` an authentication middleware left on the request (passport's convention), or undefined when the
 * request is not authenticated (no `req.user`, or passport's `false`/`null`).
 */
export function requestUser(req: Request): unknown {
  const user = (req as Request & { user?: unknown }).user;
  return user === undefined || user === null || user === false ? undefined : user;
}

/**
 * The caller described by a `req.user` object: its `id` (or else `sub`), a string or a number, and its roles from
 * `roles` (an array of strings) or `role` (one string). Throws `PK_INVALID_OPTION` for any other shape, naming the
 * property but never its value.
 *
 * @param user - `req.user` as an authentication middleware (passport, a session lookup, the app's JWT check) set it
 * @example
 * identityOfUser({ id: 42, role: 'staff' }); // { id: '42', roles: ['staff'] }
 */
export function identityOfUser(user: unknown): Identity {
  if (typeof user !== 'object' || user === null) {
    throw expressError('PK_INVALID_OPTION', `privacy(): req.user must be an object with 'id' or 'sub' (it is a ${typeof user}), ${HOW_TO_FIX}`);
  }
  const { id, sub, roles, role } = user as { id?: unknown; sub?: unknown; roles?: unknown; role?: unknown };
  const found = usableId(id) ?? usableId(sub);
  if (found === undefined) {
    throw expressError('PK_INVALID_OPTION', `privacy(): req.user has no usable 'id' or 'sub' (a non-empty string or a number): privacy() identifies callers from req.user.id or req.user.sub, ${HOW_TO_FIX}`);
  }
  return { id: found, roles: [...rolesOf(roles, role)] };
}

function usableId(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function rolesOf(roles: unknown, role: unknown): readonly string[] {
  if (roles !== undefined && (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string'))) {
    throw expressError('PK_INVALID_OPTION', `privacy(): req.user.roles must be an array of strings (or give one role as req.user.role), ${HOW_TO_FIX}`);
  }
  if (role !== undefined && role !== null && typeof role !== 'string') {
    throw expressError('PK_INVALID_OPTION', `privacy(): req.user.role must be a string (or give several as req.user.roles, an array), ${HOW_TO_FIX}`);
  }
  const all = [...((roles as string[] | undefined) ?? []), ...(typeof role === 'string' && role !== '' ? [role] : [])];
  return [...new Set(all)];
}
