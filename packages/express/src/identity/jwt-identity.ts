import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Request } from 'express';
import { defineOptionKeys, rejectUnknownOptions } from '@privacy-kit/core';
import { expressError } from '../errors';
import type { AuthFailure, IdentifyResult } from './identity';

/** Algorithms jsonwebtoken can verify; 'none' is deliberately absent. */
export const SUPPORTED_JWT_ALGORITHMS = [
  'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512',
] as const;

/** A JWT algorithm privacy-kit accepts. */
export type JwtAlgorithm = (typeof SUPPORTED_JWT_ALGORITHMS)[number];

/**
 * How to verify `Authorization: Bearer` tokens. `algorithms`, `issuer` and `audience` are required; `issuer` and
 * `audience` may be `null` to accept tokens without those claims (weaker: see {@link JwtOptions.issuer}).
 */
export interface JwtOptions {
  /** The HMAC secret or the PEM public key that signs tokens. */
  readonly secret: string | Buffer;
  /** The algorithms to accept, e.g. ['HS256']; never 'none'. */
  readonly algorithms: readonly JwtAlgorithm[];
  /**
   * The expected `iss` claim(s), or `null` to accept a token whatever its `iss` (or without one). Weaker: any
   * issuer holding the same secret or key (another service, a staging auth server) then mints tokens this app
   * accepts. Use it for an app whose own tokens carry no `iss`.
   */
  readonly issuer: string | readonly string[] | null;
  /**
   * The expected `aud` claim(s), or `null` to accept a token whatever its `aud` (or without one). Weaker: a token
   * minted for another service that trusts the same issuer is then accepted here too.
   */
  readonly audience: string | readonly string[] | null;
  /** Allowed clock skew in seconds, for `exp`, `nbf`, `iat` and `maxAge`. Default 0. */
  readonly clockToleranceSec?: number;
  /**
   * The claim with the caller's roles: an array of strings, or one string (`role: 'staff'` is the role 'staff');
   * the `scope` and `scp` claims are space-separated lists (`scope: 'read staff'` is two roles). Default 'roles'.
   */
  readonly rolesClaim?: string;
  /**
   * Refuse tokens without an `exp` claim (401 `token_no_expiry`): such a token would never expire. Default true;
   * set false only when another check bounds a token's life (e.g. `maxAge`).
   */
  readonly requireExp?: boolean;
  /**
   * Refuse tokens issued longer ago than this (401 `token_expired`; a token without `iat` gets `token_claims`):
   * seconds, or a duration such as '15m', '1h', '7d'. Default: no limit beyond `exp`.
   */
  readonly maxAge?: number | string;
  /**
   * How many verified tokens to remember (keyed by the token itself, least recently used out first), so that a
   * token's signature and claims are checked once, not on every request. On every hit the token's `exp` and `nbf`
   * (with `clockToleranceSec`), `maxAge` and an `iat` in the future are checked again against the current time; an
   * expired token is dropped from the cache and refused (`token_expired`), and a refused token is never cached.
   * 0 turns the cache off. Default 1000 (as fast-jwt).
   */
  readonly cacheSize?: number;
}

/** Default number of verified tokens remembered by the JWT verifier ({@link JwtOptions.cacheSize}). */
export const DEFAULT_JWT_CACHE_SIZE = 1000;

/** Every option of {@link JwtOptions}, checked against the interface when the package is built. */
const JWT_OPTION_KEYS = defineOptionKeys<JwtOptions>({
  secret: true, algorithms: true, issuer: true, audience: true, clockToleranceSec: true, rolesClaim: true, requireExp: true, maxAge: true,
  cacheSize: true,
});

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `maxAge` in seconds, or undefined when not set. */
function maxAgeSeconds(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? DURATION.exec(value) : null;
  const seconds = typeof value === 'number' ? value : match === null ? NaN : Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw expressError('PK_INVALID_OPTION', `privacy({ jwt }): 'maxAge' must be a number of seconds > 0 or a duration such as '15m', '1h', '7d'; got ${JSON.stringify(value)}.`);
  }
  return seconds;
}

/** A compiled verifier for one configuration. */
export type JwtVerifier = (req: Request) => IdentifyResult;

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/** The accepted values of `issuer` or `audience`, or undefined when the app accepts any (`null`). */
function checkList(value: unknown, name: string, example: string): string[] | undefined {
  if (value === null) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== 'string' || v === '')) {
    throw expressError(
      'PK_INVALID_OPTION',
      `privacy({ jwt }): '${name}' is required so that tokens minted for another service are refused; e.g. ${name}: ${example}, ` +
        `or ${name}: null to accept tokens without one (weaker: see the README).`,
    );
  }
  return list as string[];
}

/** Claims whose string value is a space-separated list (RFC 8693 §4.2 `scope`, and Microsoft's `scp`). */
const LIST_CLAIMS: ReadonlySet<string> = new Set(['scope', 'scp']);

/** The roles in a token's roles claim, or undefined when the claim has another shape. */
function rolesOf(value: unknown, claim: string): string[] | undefined {
  if (value === undefined) return [];
  if (typeof value === 'string') return LIST_CLAIMS.has(claim) ? value.split(/\s+/).filter((r) => r !== '') : value === '' ? undefined : [value];
  if (Array.isArray(value) && value.every((r) => typeof r === 'string')) return value;
  return undefined;
}

/**
 * Validates the JWT options once and returns a verifier. Refuses to start without an explicit algorithm list,
 * with 'none', or with symmetric and asymmetric algorithms mixed (the classic algorithm-confusion hole).
 *
 * @param options - the `jwt` option of `privacy()`
 */
export function createJwtVerifier(options: JwtOptions): JwtVerifier {
  if (typeof options !== 'object' || options === null) throw expressError('PK_INVALID_OPTION', "privacy({ jwt }): expected { secret, algorithms, issuer, audience }.");
  rejectUnknownOptions(options, JWT_OPTION_KEYS, 'privacy({ jwt })', expressError);
  const givenAlgorithms: unknown = options.algorithms;
  if (!Array.isArray(givenAlgorithms) || givenAlgorithms.length === 0) {
    throw expressError('PK_INVALID_OPTION', "privacy({ jwt }): 'algorithms' is required: list the algorithms your tokens use, e.g. algorithms: ['HS256']. privacy-kit never guesses them from the token.");
  }
  for (const alg of options.algorithms) {
    if (!(SUPPORTED_JWT_ALGORITHMS as readonly string[]).includes(alg)) {
      throw expressError('PK_INVALID_OPTION', `privacy({ jwt }): algorithm ${JSON.stringify(alg)} is not accepted; use one of ${SUPPORTED_JWT_ALGORITHMS.join(', ')} ('none' is never allowed).`);
    }
  }
  const symmetric = options.algorithms.filter((a) => a.startsWith('HS'));
  if (symmetric.length > 0 && symmetric.length !== options.algorithms.length) {
    throw expressError('PK_INVALID_OPTION', 'privacy({ jwt }): do not mix HMAC (HS*) and public-key algorithms in one configuration: a public key could then be used as an HMAC secret.');
  }
  if ((typeof options.secret !== 'string' && !Buffer.isBuffer(options.secret)) || options.secret.length === 0) {
    throw expressError('PK_INVALID_OPTION', "privacy({ jwt }): 'secret' is required: the HMAC secret or the PEM public key.");
  }
  if (symmetric.length > 0 && Buffer.byteLength(options.secret) < 32) {
    throw expressError('PK_INVALID_OPTION', "privacy({ jwt }): an HMAC 'secret' must be at least 32 bytes (RFC 7518 §3.2).");
  }
  const issuer = checkList(options.issuer, 'issuer', "'https://auth.example.com'");
  const audience = checkList(options.audience, 'audience', "'shop-api'");
  const rolesClaim = options.rolesClaim ?? 'roles';
  if (typeof rolesClaim !== 'string' || rolesClaim === '') {
    throw expressError('PK_INVALID_OPTION', `privacy({ jwt }): 'rolesClaim' must name a claim, e.g. 'roles', 'role' or 'scope'; got ${JSON.stringify(rolesClaim)}.`);
  }
  const tolerance = options.clockToleranceSec ?? 0;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw expressError('PK_INVALID_OPTION', `privacy({ jwt }): 'clockToleranceSec' must be a number of seconds ≥ 0, e.g. 30; got ${JSON.stringify(tolerance)}.`);
  }
  const requireExp = options.requireExp ?? true;
  if (typeof requireExp !== 'boolean') throw expressError('PK_INVALID_OPTION', `privacy({ jwt }): 'requireExp' must be true or false; got ${JSON.stringify(requireExp)}.`);
  const maxAge = maxAgeSeconds(options.maxAge);
  const cacheSize = options.cacheSize ?? DEFAULT_JWT_CACHE_SIZE;
  if (typeof cacheSize !== 'number' || !Number.isSafeInteger(cacheSize) || cacheSize < 0) {
    throw expressError('PK_INVALID_OPTION', `privacy({ jwt }): 'cacheSize' must be a whole number of tokens ≥ 0 (0 turns the cache off; default ${DEFAULT_JWT_CACHE_SIZE}); got ${JSON.stringify(cacheSize) ?? String(cacheSize)}.`);
  }
  const verifyOptions: jwt.VerifyOptions = {
    algorithms: [...options.algorithms],
    ...(issuer === undefined ? {} : { issuer: issuer as [string, ...string[]] }),
    ...(audience === undefined ? {} : { audience: audience as [string, ...string[]] }),
    clockTolerance: tolerance,
  };
  // Turning the secret into a KeyObject once saves jsonwebtoken from doing it (and failing a PEM parse) per request.
  let secret: KeyObject;
  try {
    secret = symmetric.length > 0 ? createSecretKey(Buffer.from(options.secret)) : createPublicKey(options.secret);
  } catch {
    throw expressError('PK_INVALID_OPTION', "privacy({ jwt }): 'secret' is not a usable public key: give the PEM text of the key that verifies your tokens.");
  }

  const lifetime: TokenLifetime = { requireExp, maxAge, tolerance };
  // Verified tokens by the token string itself (so a token differing in any character misses), oldest use first.
  const verified = new Map<string, VerifiedToken>();

  return function verifyBearer(req: Request): IdentifyResult {
    const header = req.headers.authorization;
    if (header === undefined || header === '') return { ok: false, reason: 'token_missing' };
    const match = BEARER.exec(header);
    if (match === null) return { ok: false, reason: 'token_malformed' };
    const token = match[1] as string;
    if (cacheSize > 0) {
      const hit = verified.get(token);
      if (hit !== undefined) {
        verified.delete(token);
        // Time has passed since the token was verified: what bounds its life is checked again. A token no longer
        // valid is dropped and verified in full below, so that it is refused for the same reason as uncached.
        if (stillValid(hit, lifetime)) {
          verified.set(token, hit);
          return hit.result;
        }
      }
    }
    let claims: unknown;
    try {
      claims = jwt.verify(token, secret, verifyOptions);
    } catch (error) {
      return { ok: false, reason: classify(error, token) };
    }
    // Checked once the signature holds, so that an unsigned or forged token learns nothing about its claims.
    const problem = lifetimeProblem(claims as { exp?: unknown; iat?: unknown }, lifetime);
    if (problem !== undefined) return { ok: false, reason: problem };
    const { sub, exp, nbf, iat } = claims as { sub?: unknown; exp?: unknown; nbf?: unknown; iat?: unknown };
    const roles = rolesOf((claims as Record<string, unknown>)[rolesClaim], rolesClaim);
    if (typeof sub !== 'string' || sub === '' || roles === undefined) return { ok: false, reason: 'token_claims' };
    // Frozen: with the cache, the same identity serves every request with this token, so no handler may change it.
    const result: IdentifyResult = Object.freeze({ ok: true, identity: Object.freeze({ id: sub, roles: Object.freeze([...roles]) }) });
    if (cacheSize > 0) {
      verified.set(token, { result, exp: numberOrUndefined(exp), nbf: numberOrUndefined(nbf), iat: numberOrUndefined(iat) });
      if (verified.size > cacheSize) verified.delete(verified.keys().next().value as string);
    }
    return result;
  };
}

/** What bounds the life of a token, besides its own claims. */
interface TokenLifetime {
  readonly requireExp: boolean;
  readonly maxAge: number | undefined;
  readonly tolerance: number;
}

/** A verified token in the cache: its identity, and the claims that bound its life. */
interface VerifiedToken {
  readonly result: IdentifyResult;
  readonly exp: number | undefined;
  readonly nbf: number | undefined;
  readonly iat: number | undefined;
}

/** jsonwebtoken refuses an `exp` or `nbf` that is not a number, and iat is checked to be one: undefined is only absence. */
function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** Whether a cached token is still valid now: jsonwebtoken's `exp` and `nbf` checks, then the lifetime rules. */
function stillValid(token: VerifiedToken, lifetime: TokenLifetime): boolean {
  const clock = Math.floor(Date.now() / 1000);
  if (token.exp !== undefined && clock >= token.exp + lifetime.tolerance) return false;
  if (token.nbf !== undefined && token.nbf > clock + lifetime.tolerance) return false;
  return lifetimeProblem(token, lifetime) === undefined;
}

/** Why a verified token's lifetime is not acceptable (`exp` itself is checked by jsonwebtoken), if it is not. */
function lifetimeProblem(claims: { exp?: unknown; iat?: unknown }, { requireExp, maxAge, tolerance }: TokenLifetime): AuthFailure | undefined {
  if (requireExp && claims.exp === undefined) return 'token_no_expiry';
  const iat = claims.iat;
  if (iat === undefined) return maxAge === undefined ? undefined : 'token_claims';
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return 'token_claims';
  const now = Date.now() / 1000;
  if (iat > now + tolerance) return 'token_issued_in_future';
  if (maxAge !== undefined && now >= iat + maxAge + tolerance) return 'token_expired';
  return undefined;
}

function classify(error: unknown, token: string): AuthFailure {
  const name = (error as { name?: string })?.name;
  const message = (error as { message?: string })?.message ?? '';
  if (name === 'TokenExpiredError') return 'token_expired';
  if (name === 'NotBeforeError') return 'token_not_yet_valid';
  if (/audience/.test(message)) return 'token_audience';
  if (/issuer/.test(message)) return 'token_issuer';
  if (/signature is required/.test(message) || headerAlgorithm(token) === 'none') return 'token_unsigned';
  if (/invalid algorithm/.test(message)) return 'token_algorithm';
  if (/invalid signature/.test(message)) return 'token_signature';
  return 'token_malformed';
}

function headerAlgorithm(token: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof header.alg === 'string' ? header.alg.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
