import { generateKeyPairSync, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { personalData } from '@privacy-kit/express';
import { AUDIENCE, ISSUER, JWT_SECRET, appWith, tempStore, token, type TempStore } from '../support/test-app';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('identifying the caller with a JWT', () => {
  let t: TempStore;
  let calls: number;
  let app: ReturnType<typeof appWith>['app'];

  beforeEach(() => {
    t = tempStore();
    calls = 0;
    ({ app } = appWith(t.store));
    app.get('/me/profile', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => {
      calls++;
      res.json({ ok: true });
    });
  });
  afterEach(() => t.cleanup());

  async function expectRefused(authorization: string | undefined, reason: string): Promise<void> {
    const req = request(app).get('/me/profile');
    const res = await (authorization === undefined ? req : req.set('Authorization', authorization));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthenticated', reason });
    expect(res.headers['www-authenticate']).toContain('Bearer error="invalid_token"');
    expect(calls).toBe(0);
  }

  it('lets a valid token through', async () => {
    const res = await request(app).get('/me/profile').set('Authorization', `Bearer ${token('user-a')}`);
    expect(res.status).toBe(200);
    expect(calls).toBe(1);
  });

  it('refuses a request without a token', () => expectRefused(undefined, 'token_missing'));

  it('refuses a header that is not a bearer token', () => expectRefused('Basic dXNlcjpwYXNz', 'token_malformed'));

  it('refuses a malformed token', () => expectRefused('Bearer not.a-jwt.at-all', 'token_malformed'));

  it('refuses an unsigned token (alg none)', () => {
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'user-a', iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 60 })}.`;
    return expectRefused(`Bearer ${unsigned}`, 'token_unsigned');
  });

  it('refuses a token signed with an algorithm that is not allowed', () => {
    const other = jwt.sign({ sub: 'user-a' }, JWT_SECRET, { algorithm: 'HS512', issuer: ISSUER, audience: AUDIENCE, expiresIn: '5m' });
    return expectRefused(`Bearer ${other}`, 'token_algorithm');
  });

  it('refuses a public-key token presented to an HMAC configuration', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs = jwt.sign({ sub: 'user-a' }, privateKey, { algorithm: 'RS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: '5m' });
    return expectRefused(`Bearer ${rs}`, 'token_algorithm');
  });

  it('refuses a token signed with another secret', () => {
    const forged = jwt.sign({ sub: 'user-a' }, randomBytes(32), { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: '5m' });
    return expectRefused(`Bearer ${forged}`, 'token_signature');
  });

  it('refuses an expired token', () => {
    const expired = jwt.sign({ sub: 'user-a', exp: Math.floor(Date.now() / 1000) - 10 }, JWT_SECRET, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE });
    return expectRefused(`Bearer ${expired}`, 'token_expired');
  });

  it('refuses a token that is not valid yet', () => {
    const early = jwt.sign({ sub: 'user-a' }, JWT_SECRET, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: '10m', notBefore: '5m' });
    return expectRefused(`Bearer ${early}`, 'token_not_yet_valid');
  });

  it('refuses a token from another issuer', () => {
    const other = jwt.sign({ sub: 'user-a' }, JWT_SECRET, { algorithm: 'HS256', issuer: 'https://elsewhere.invalid', audience: AUDIENCE, expiresIn: '5m' });
    return expectRefused(`Bearer ${other}`, 'token_issuer');
  });

  it('refuses a token for another audience', () => {
    const other = jwt.sign({ sub: 'user-a' }, JWT_SECRET, { algorithm: 'HS256', issuer: ISSUER, audience: 'another-api', expiresIn: '5m' });
    return expectRefused(`Bearer ${other}`, 'token_audience');
  });

  it('refuses a token without a subject', () => {
    const anonymous = jwt.sign({ roles: ['support'] }, JWT_SECRET, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: '5m' });
    return expectRefused(`Bearer ${anonymous}`, 'token_claims');
  });

  it('refuses a token without exp: token_no_expiry', () => {
    const lasting = jwt.sign({ sub: 'user-a' }, JWT_SECRET, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE });
    return expectRefused(`Bearer ${lasting}`, 'token_no_expiry');
  });

  it('refuses a token issued in 2001 that carries no exp', () => {
    const old = jwt.sign({ sub: 'user-a', iat: Date.UTC(2001, 0, 1) / 1000 }, JWT_SECRET, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE });
    return expectRefused(`Bearer ${old}`, 'token_no_expiry');
  });

  it('refuses a token issued in the future: token_issued_in_future', () => {
    const now = Math.floor(Date.now() / 1000);
    const future = jwt.sign({ sub: 'user-a', iat: now + 600, exp: now + 900 }, JWT_SECRET, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE });
    return expectRefused(`Bearer ${future}`, 'token_issued_in_future');
  });

  it('records each refusal in the audit as denied, without an actor', async () => {
    await request(app).get('/me/profile');
    const [record] = await t.store.readAudit();
    expect(record).toEqual(expect.objectContaining({ event: 'denied', decision: 'denied', reason: 'unauthenticated:token_missing', actor: null, status: 401 }));
  });
});

describe('the lifetime of a token', () => {
  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  const now = (): number => Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>, options: jwt.SignOptions = {}) =>
    `Bearer ${jwt.sign({ sub: 'user-a', ...claims }, JWT_SECRET, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, ...options })}`;

  async function answer(jwtOptions: Record<string, unknown>, authorization: string): Promise<{ status: number; body: unknown }> {
    const { app, kit } = appWith(t.store, { jwt: { secret: JWT_SECRET, algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, ...jwtOptions } as never });
    app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({ ok: true }); });
    const res = await request(app).get('/me').set('Authorization', authorization);
    kit.dispose();
    return { status: res.status, body: res.body };
  }

  it('accepts a token without exp when the app opts out with requireExp: false', async () => {
    expect((await answer({ requireExp: false }, sign({}))).status).toBe(200);
  });

  it('refuses a token older than maxAge, even with exp still ahead: token_expired', async () => {
    const res = await answer({ maxAge: '1h' }, sign({ iat: now() - 7200, exp: now() + 300 }));
    expect(res).toEqual({ status: 401, body: { error: 'unauthenticated', reason: 'token_expired' } });
  });

  it('accepts a token younger than maxAge (given in seconds)', async () => {
    expect((await answer({ maxAge: 3600 }, sign({ iat: now() - 60, exp: now() + 300 }))).status).toBe(200);
  });

  it('refuses a token without iat when maxAge is set: token_claims', async () => {
    const res = await answer({ maxAge: '1h' }, sign({ exp: now() + 300 }, { noTimestamp: true }));
    expect(res).toEqual({ status: 401, body: { error: 'unauthenticated', reason: 'token_claims' } });
  });

  it('accepts an iat in the future within clockToleranceSec', async () => {
    expect((await answer({ clockToleranceSec: 30 }, sign({ iat: now() + 10, exp: now() + 300 }))).status).toBe(200);
  });

  it('refuses an iat in the future beyond clockToleranceSec: token_issued_in_future', async () => {
    const res = await answer({ clockToleranceSec: 30 }, sign({ iat: now() + 120, exp: now() + 300 }));
    expect(res).toEqual({ status: 401, body: { error: 'unauthenticated', reason: 'token_issued_in_future' } });
  });
});

describe('accepting the tokens an app already issues', () => {
  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  const sign = (claims: Record<string, unknown>, options: jwt.SignOptions = {}) =>
    `Bearer ${jwt.sign({ sub: 'user-a', ...claims }, JWT_SECRET, { algorithm: 'HS256', expiresIn: '5m', ...options })}`;

  /** Answers GET /staff (roles: ['staff']) for a token under the given JWT options. */
  async function answer(jwtOptions: Record<string, unknown>, authorization: string): Promise<{ status: number; body: unknown }> {
    const { app, kit } = appWith(t.store, { jwt: { secret: JWT_SECRET, algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, ...jwtOptions } as never });
    app.get('/staff', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', roles: ['staff'] }), (_req, res) => { res.json({ ok: true }); });
    const res = await request(app).get('/staff').set('Authorization', authorization);
    kit.dispose();
    return { status: res.status, body: res.body };
  }

  it('accepts a token without iss when issuer is null', async () => {
    expect(await answer({ issuer: null }, sign({ roles: ['staff'] }, { audience: AUDIENCE }))).toEqual({ status: 200, body: { ok: true } });
  });

  it('accepts a token without aud when audience is null', async () => {
    expect(await answer({ audience: null }, sign({ roles: ['staff'] }, { issuer: ISSUER }))).toEqual({ status: 200, body: { ok: true } });
  });

  it('still refuses a token without aud when only issuer is null: token_audience', async () => {
    const res = await answer({ issuer: null }, sign({ roles: ['staff'] }));
    expect(res).toEqual({ status: 401, body: { error: 'unauthenticated', reason: 'token_audience' } });
  });

  it('still checks the signature when issuer and audience are null', async () => {
    const forged = `Bearer ${jwt.sign({ sub: 'user-a', roles: ['staff'] }, randomBytes(32), { algorithm: 'HS256', expiresIn: '5m' })}`;
    expect(await answer({ issuer: null, audience: null }, forged)).toEqual({ status: 401, body: { error: 'unauthenticated', reason: 'token_signature' } });
  });

  it("takes a string role claim as one role (rolesClaim: 'role', role: 'staff')", async () => {
    const res = await answer({ rolesClaim: 'role' }, sign({ role: 'staff' }, { issuer: ISSUER, audience: AUDIENCE }));
    expect(res).toEqual({ status: 200, body: { ok: true } });
  });

  it('does not split a string role claim at spaces (only scope is a list)', async () => {
    const res = await answer({ rolesClaim: 'role' }, sign({ role: 'staff admin' }, { issuer: ISSUER, audience: AUDIENCE }));
    expect(res).toEqual({ status: 403, body: { error: 'forbidden' } });
  });

  it("takes a space-separated scope claim as roles (rolesClaim: 'scope')", async () => {
    const res = await answer({ rolesClaim: 'scope' }, sign({ scope: 'read:appointments staff' }, { issuer: ISSUER, audience: AUDIENCE }));
    expect(res).toEqual({ status: 200, body: { ok: true } });
  });

  it('refuses a roles claim that is neither a string nor a list of strings: token_claims', async () => {
    const res = await answer({}, sign({ roles: { staff: true } }, { issuer: ISSUER, audience: AUDIENCE }));
    expect(res).toEqual({ status: 401, body: { error: 'unauthenticated', reason: 'token_claims' } });
  });
});

describe('refusing to start with an unsafe JWT configuration', () => {
  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  const jwtWith = (overrides: Record<string, unknown>) => ({ secret: JWT_SECRET, algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, ...overrides });

  it.each([
    ['without algorithms', { algorithms: undefined }, /'algorithms' is required/],
    ['with an empty algorithm list', { algorithms: [] }, /'algorithms' is required/],
    ["with 'none'", { algorithms: ['none'] }, /'none' is never allowed/],
    ['with HMAC and public-key algorithms mixed', { algorithms: ['HS256', 'RS256'] }, /do not mix/],
    ['without an issuer', { issuer: undefined }, /'issuer' is required/],
    ['without an audience', { audience: undefined }, /'audience' is required/],
    ['without an issuer, saying how to accept tokens without one', { issuer: undefined }, /or issuer: null to accept tokens without one/],
    ['with an empty issuer list', { issuer: [] }, /'issuer' is required/],
    ['with a short HMAC secret', { secret: 'short' }, /at least 32 bytes/],
    ['with requireExp that is not a boolean', { requireExp: 'no' }, /'requireExp' must be true or false/],
    ['with maxAge of zero seconds', { maxAge: 0 }, /'maxAge' must be a number of seconds > 0 or a duration such as '15m', '1h', '7d'; got 0/],
    ['with maxAge in words', { maxAge: '1 week' }, /'maxAge' must be .*; got "1 week"/],
    ['with a negative clockToleranceSec', { clockToleranceSec: -5 }, /'clockToleranceSec' must be a number of seconds ≥ 0/],
    ['with a rolesClaim that names no claim', { rolesClaim: '' }, /'rolesClaim' must name a claim/],
    ['with a misspelt option', { maxage: '1h' }, /unknown option 'maxage'\. Did you mean 'maxAge'\?/],
  ])('refuses %s', (_name, overrides, message) => {
    expect(() => appWith(t.store, { jwt: jwtWith(overrides) as never })).toThrow(message);
  });
});

describe('identifying the caller with identify(req)', () => {
  it('replaces JWT for session-based apps', async () => {
    const t = tempStore();
    const { app } = appWith(t.store, { jwt: undefined, identify: (req) => (req.get('x-session') === 'valid-session' ? { id: 'user-s', roles: [] } : null) });
    app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({ ok: true }); });
    expect((await request(app).get('/me').set('x-session', 'valid-session')).status).toBe(200);
    const refused = await request(app).get('/me');
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: 'unauthenticated', reason: 'not_authenticated' });
    await t.cleanup();
  });
});
