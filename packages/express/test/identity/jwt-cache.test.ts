import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Request } from 'express';
import request from 'supertest';
import { personalData } from '@privacy-kit/express';
import { createJwtVerifier, type JwtOptions } from '../../src/identity/jwt-identity';
import { AUDIENCE, ISSUER, JWT_SECRET, appWith, tempStore } from '../support/test-app';

const OPTIONS: JwtOptions = { secret: JWT_SECRET, algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE };

function requestWith(bearerToken: string): Request {
  return { headers: { authorization: `Bearer ${bearerToken}` } } as unknown as Request;
}

/** A token signed now for a generated subject, with the given claims and lifetime. */
function signed(sub: string, claims: Record<string, unknown> = {}, options: jwt.SignOptions = { expiresIn: '5m' }): string {
  return jwt.sign({ sub, ...claims }, JWT_SECRET, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, ...options });
}

describe('the verified-token cache', () => {
  let verifySpy: jest.SpyInstance;
  beforeEach(() => { verifySpy = jest.spyOn(jwt, 'verify'); });
  afterEach(() => jest.restoreAllMocks());

  it('verifies the signature of a token once and serves the next requests with it from the cache', () => {
    const verify = createJwtVerifier(OPTIONS);
    const t = signed('user-1');
    expect(verify(requestWith(t))).toEqual({ ok: true, identity: { id: 'user-1', roles: [] } });
    expect(verify(requestWith(t))).toEqual({ ok: true, identity: { id: 'user-1', roles: [] } });
    expect(verifySpy).toHaveBeenCalledTimes(1);
  });

  it('refuses a cached token as token_expired once its exp has passed', () => {
    const verify = createJwtVerifier(OPTIONS);
    const realNow = Date.now();
    const exp = Math.floor(realNow / 1000) + 2;
    const t = signed('user-1', { exp }, {});
    expect(verify(requestWith(t)).ok).toBe(true);
    jest.spyOn(Date, 'now').mockReturnValue(exp * 1000);
    expect(verify(requestWith(t))).toEqual({ ok: false, reason: 'token_expired' });
  });

  it('keeps accepting a cached token past its exp only within clockToleranceSec', () => {
    const verify = createJwtVerifier({ ...OPTIONS, clockToleranceSec: 30 });
    const exp = Math.floor(Date.now() / 1000) + 2;
    const t = signed('user-1', { exp }, {});
    expect(verify(requestWith(t)).ok).toBe(true);
    const now = jest.spyOn(Date, 'now').mockReturnValue((exp + 10) * 1000);
    expect(verify(requestWith(t)).ok).toBe(true);
    now.mockReturnValue((exp + 30) * 1000);
    expect(verify(requestWith(t))).toEqual({ ok: false, reason: 'token_expired' });
  });

  it('refuses a cached token as token_expired once it is older than maxAge', () => {
    const verify = createJwtVerifier({ ...OPTIONS, maxAge: 60 });
    const iat = Math.floor(Date.now() / 1000);
    const t = signed('user-1', { iat, exp: iat + 3600 }, {});
    expect(verify(requestWith(t)).ok).toBe(true);
    jest.spyOn(Date, 'now').mockReturnValue((iat + 61) * 1000);
    expect(verify(requestWith(t))).toEqual({ ok: false, reason: 'token_expired' });
  });

  it('refuses a cached token as token_issued_in_future when the clock is set back before its iat', () => {
    const verify = createJwtVerifier(OPTIONS);
    const iat = Math.floor(Date.now() / 1000);
    const t = signed('user-1', { iat, exp: iat + 3600 }, {});
    expect(verify(requestWith(t)).ok).toBe(true);
    jest.spyOn(Date, 'now').mockReturnValue((iat - 600) * 1000);
    expect(verify(requestWith(t))).toEqual({ ok: false, reason: 'token_issued_in_future' });
  });

  it('refuses a cached token as token_not_yet_valid when the clock is set back before its nbf', () => {
    const verify = createJwtVerifier(OPTIONS);
    const now = Math.floor(Date.now() / 1000);
    const t = signed('user-1', { iat: now - 600, nbf: now - 5, exp: now + 3600 }, {});
    expect(verify(requestWith(t)).ok).toBe(true);
    jest.spyOn(Date, 'now').mockReturnValue((now - 300) * 1000);
    expect(verify(requestWith(t))).toEqual({ ok: false, reason: 'token_not_yet_valid' });
  });

  it('drops a token from the cache once it has expired, so it is verified again', () => {
    const verify = createJwtVerifier(OPTIONS);
    const exp = Math.floor(Date.now() / 1000) + 2;
    const t = signed('user-1', { exp }, {});
    verify(requestWith(t));
    jest.spyOn(Date, 'now').mockReturnValue(exp * 1000);
    verify(requestWith(t));
    verify(requestWith(t));
    expect(verifySpy).toHaveBeenCalledTimes(3);
  });

  it('does not serve a tampered token that shares the cached token\'s prefix', () => {
    const verify = createJwtVerifier(OPTIONS);
    const t = signed('user-1');
    expect(verify(requestWith(t)).ok).toBe(true);
    const last = t.at(-1) === 'A' ? 'B' : 'A';
    expect(verify(requestWith(`${t.slice(0, -1)}${last}`))).toEqual({ ok: false, reason: 'token_signature' });
    const [header, payload, signature] = t.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
    expect(verify(requestWith(`${header}.${forgedPayload}.${signature}`))).toEqual({ ok: false, reason: 'token_signature' });
  });

  it('never caches a refusal: a token refused once is verified again', () => {
    const verify = createJwtVerifier(OPTIONS);
    const forged = jwt.sign({ sub: 'user-1' }, randomBytes(32), { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: '5m' });
    expect(verify(requestWith(forged))).toEqual({ ok: false, reason: 'token_signature' });
    expect(verify(requestWith(forged))).toEqual({ ok: false, reason: 'token_signature' });
    expect(verifySpy).toHaveBeenCalledTimes(2);
  });

  it('is bounded: with cacheSize 2, the oldest of three tokens is verified again', () => {
    const verify = createJwtVerifier({ ...OPTIONS, cacheSize: 2 });
    const [a, b, c] = [signed('user-1'), signed('user-2'), signed('user-3')] as [string, string, string];
    for (const t of [a, b, c]) verify(requestWith(t));
    expect(verifySpy).toHaveBeenCalledTimes(3);
    verify(requestWith(c));
    verify(requestWith(b));
    expect(verifySpy).toHaveBeenCalledTimes(3);
    verify(requestWith(a));
    expect(verifySpy).toHaveBeenCalledTimes(4);
  });

  it('keeps the most recently used tokens: a hit moves a token to the back of the line', () => {
    const verify = createJwtVerifier({ ...OPTIONS, cacheSize: 2 });
    const [a, b, c] = [signed('user-1'), signed('user-2'), signed('user-3')] as [string, string, string];
    verify(requestWith(a));
    verify(requestWith(b));
    verify(requestWith(a));
    verify(requestWith(c));
    expect(verifySpy).toHaveBeenCalledTimes(3);
    verify(requestWith(a));
    expect(verifySpy).toHaveBeenCalledTimes(3);
    verify(requestWith(b));
    expect(verifySpy).toHaveBeenCalledTimes(4);
  });

  it('verifies every request with cacheSize 0', () => {
    const verify = createJwtVerifier({ ...OPTIONS, cacheSize: 0 });
    const t = signed('user-1');
    verify(requestWith(t));
    verify(requestWith(t));
    verify(requestWith(t));
    expect(verifySpy).toHaveBeenCalledTimes(3);
  });

  it('gives out an identity that a handler cannot change for later requests with the same token', () => {
    const verify = createJwtVerifier(OPTIONS);
    const t = signed('user-1', { roles: ['reader'] });
    const first = verify(requestWith(t));
    if (!first.ok) throw new Error('expected the token to be accepted');
    expect(() => (first.identity.roles as string[]).push('admin')).toThrow(TypeError);
    expect(verify(requestWith(t))).toEqual({ ok: true, identity: { id: 'user-1', roles: ['reader'] } });
  });

  it.each([-1, 1.5, '1000', Number.POSITIVE_INFINITY, Number.NaN])('refuses a cacheSize of %p, naming the option', (cacheSize) => {
    expect(() => createJwtVerifier({ ...OPTIONS, cacheSize: cacheSize as never }))
      .toThrow(/privacy\(\{ jwt \}\): 'cacheSize' must be a whole number of tokens ≥ 0 \(0 turns the cache off; default 1000\)/);
  });
});

describe('a cached token on a route', () => {
  it('is refused with 401 token_expired on the first request after its exp', async () => {
    const t = tempStore();
    const { app, kit } = appWith(t.store);
    app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({ ok: true }); });
    const exp = Math.floor(Date.now() / 1000) + 2;
    const authorization = `Bearer ${signed('user-1', { exp }, {})}`;
    expect((await request(app).get('/me').set('Authorization', authorization)).status).toBe(200);
    const realNow = Date.now.bind(Date);
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 3_000);
    const late = await request(app).get('/me').set('Authorization', authorization);
    jest.restoreAllMocks();
    expect({ status: late.status, body: late.body as unknown }).toEqual({ status: 401, body: { error: 'unauthenticated', reason: 'token_expired' } });
    kit.dispose();
    await t.cleanup();
  });
});
