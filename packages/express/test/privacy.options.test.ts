import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Request, Response } from 'express';
import { personalData, privacy } from '@privacy-kit/express';
import { JWT_OPTIONS, appWith, bearer, tempStore, type TempStore } from './support/test-app';

describe('privacy() options', () => {
  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  it('refuses to start without a store', () => {
    expect(() => privacy({ pseudonymKey: randomBytes(32), jwt: JWT_OPTIONS } as never)).toThrow(/'store' is required/);
  });

  it('starts without jwt or identify (callers are then identified from req.user)', () => {
    const kit = privacy({ store: t.store, pseudonymKey: randomBytes(32) });
    expect(typeof kit).toBe('function');
    kit.dispose();
  });

  it('refuses jwt and identify together', () => {
    expect(() => privacy({ store: t.store, pseudonymKey: randomBytes(32), jwt: JWT_OPTIONS, identify: () => null })).toThrow(/give either 'jwt' or 'identify', not both/);
  });

  it('refuses a short pseudonym key', () => {
    expect(() => privacy({ store: t.store, pseudonymKey: 'short', jwt: JWT_OPTIONS })).toThrow(/'pseudonymKey' must be a secret of at least 32 bytes/);
  });

  it('refuses an unknown option and suggests the right one', () => {
    expect(() => privacy({ store: t.store, pseudonymKey: randomBytes(32), jwt: JWT_OPTIONS as never, secret: 'x' } as never)).toThrow(/unknown option 'secret'.*Did you mean `pseudonymKey`/s);
  });

  it.each([
    ['storeTimeout', 'storeTimeoutMs'],
    ['consentCacheTTLMs', 'consentCacheTtlMs'],
    ['consentPurpose', 'consentPurposes'],
  ])("suggests the closest option for a misspelt one: '%s'", (given, meant) => {
    expect(() => privacy({ store: t.store, pseudonymKey: randomBytes(32), jwt: JWT_OPTIONS, [given]: 1 }))
      .toThrow(expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringContaining(`privacy(): unknown option '${given}'. Did you mean '${meant}'?`) }));
  });

  it('names the package apart from the problem in its errors', () => {
    let thrown: unknown;
    try {
      privacy({ store: t.store, pseudonymKey: randomBytes(32), jwt: JWT_OPTIONS, appId: '' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ package: '@privacy-kit/express', problem: "privacy(): 'appId' must be a non-empty string." });
  });

  it('refuses a malformed base path', () => {
    expect(() => privacy({ store: t.store, pseudonymKey: randomBytes(32), jwt: JWT_OPTIONS, basePath: 'privacy/' })).toThrow(/'basePath' must look like '\/privacy'/);
  });

  it.each([0, -5, 1.5, '3000', 2 ** 31])('refuses a storeTimeoutMs of %p, saying what it must be', (storeTimeoutMs) => {
    expect(() => privacy({ store: t.store, pseudonymKey: randomBytes(32), jwt: JWT_OPTIONS, storeTimeoutMs: storeTimeoutMs as never }))
      .toThrow(/'storeTimeoutMs' must be a whole number of ms from 1 to 2147483647 \(default 3000\)/);
  });

  it('refuses a store written without recordConsentChange, saying why it is needed', () => {
    const old = new Proxy(t.store, { get: (target, prop) => (prop === 'recordConsentChange' ? undefined : Reflect.get(target, prop)) });
    expect(() => privacy({ store: old, pseudonymKey: randomBytes(32), jwt: JWT_OPTIONS })).toThrow(/has no recordConsentChange\(events, auditEntry\).*one transaction/s);
  });

  it('serves the consent API under a custom base path', async () => {
    const { app } = appWith(t.store, { basePath: '/gdpr' });
    expect((await request(app).get('/gdpr/me/consents').set('Authorization', bearer('user-a'))).status).toBe(200);
  });
});

describe('checking the route declarations at start', () => {
  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  it('refuses to listen when a route names someone in its path but declares no subject', () => {
    const { app } = appWith(t.store);
    app.get('/users/:id', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({}); });
    expect(() => app.listen(0)).toThrow(expect.objectContaining({ code: 'PK_CONFIG', message: expect.stringMatching(/GET \/users\/:id: the path names someone.*subject: req => req\.params/s) }));
  });

  it('refuses to listen when a route declares personal data without a lawful basis', () => {
    const { app } = appWith(t.store);
    app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service' }), (_req, res) => { res.json({}); });
    expect(() => app.listen(0)).toThrow(/GET \/me: declares personal data but no lawful basis/);
  });

  it('refuses to listen when a route processes special category data without its Art. 9(2) condition', () => {
    const { app } = appWith(t.store);
    app.get('/me/health', personalData({ categories: ['user.health_and_medical'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({}); });
    expect(() => app.listen(0)).toThrow(expect.objectContaining({ code: 'PK_CONFIG', message: expect.stringMatching(/GET \/me\/health: processes user\.health_and_medical, special category data \(Art\. 9\), but names no Art\. 9\(2\) condition/) }));
  });

  it('refuses such a route at request time too (500, the handler does not run), and serves it once the condition is named', async () => {
    const { app } = appWith(t.store);
    let called = 0;
    const handler = (_req: Request, res: Response): void => {
      called++;
      res.json({});
    };
    app.get('/me/health', personalData({ categories: ['user.health_and_medical'], purpose: 'essential.service', basis: 'contract' }), handler);
    app.get('/me/health-record', personalData({ categories: ['user.health_and_medical'], purpose: 'essential.service', basis: 'contract', specialCategoryCondition: 'health_care' }), handler);
    const refused = await request(app).get('/me/health').set('Authorization', bearer('user-a'));
    expect([refused.status, refused.body, called]).toEqual([500, { error: 'privacy_misconfigured' }, 0]);
    const served = await request(app).get('/me/health-record').set('Authorization', bearer('user-a'));
    expect([served.status, called]).toEqual([200, 1]);
  });

  it('lists every problem at once', () => {
    const { kit, app } = appWith(t.store);
    app.get('/a/:id', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({}); });
    app.get('/b', personalData({ categories: ['user.name'] }), (_req, res) => { res.json({}); });
    expect(kit.checkRoutes().map((p) => p.pattern)).toEqual(['/a/:id', '/b']);
  });

  it('starts when every declaration is complete', async () => {
    const { app, kit } = appWith(t.store);
    app.get('/users/:id', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', subject: (req: Request) => req.params.id }), (_req, res) => { res.json({}); });
    const server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    expect(server.listening).toBe(true);
    expect(kit.checkRoutes()).toEqual([]);
    server.close();
  });

  it('refuses a misdeclared route at request time too, when the app was never listened on', async () => {
    const { app } = appWith(t.store);
    let called = false;
    app.get('/users/:id', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => {
      called = true;
      res.json({});
    });
    const res = await request(app).get('/users/u').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'privacy_misconfigured' });
    expect(called).toBe(false);
  });

  it('refuses an unknown category when the twin is created', () => {
    expect(() => personalData({ categories: ['user.contact.emial'], purpose: 'essential.service', basis: 'contract' })).toThrow(/personalData\(\): unknown data category 'user\.contact\.emial'\. Did you mean 'user\.contact\.email'\?/);
  });

  it('refuses an unknown purpose when the twin is created', () => {
    expect(() => personalData({ categories: ['user.name'], purpose: 'essential.servce', basis: 'contract' })).toThrow(/Did you mean 'essential\.service'\?/);
  });
});
