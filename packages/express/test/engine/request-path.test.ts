import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import request from 'supertest';
import { personalData, requiresConsent } from '@privacy-kit/express';
import { PrivacyEngine } from '../../src/engine/privacy-engine';
import { resolvePrivacyOptions } from '../../src/privacy.options';
import type { RequestContextState } from '../../src/context/request-context';
import { JWT_OPTIONS, appWith, bearer, tempStore, type TempStore } from '../support/test-app';

/** A fresh request context, as privacy() attaches one. */
function contextOf(engine: PrivacyEngine): RequestContextState {
  return { engine, requestId: 'r-1', gpc: false, identity: undefined, access: undefined };
}

function requestWith(authorization: string | undefined): Request {
  return { headers: authorization === undefined ? {} : { authorization } } as unknown as Request;
}

/** Lets the outcome record's append (which runs after the response) finish. */
const settled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

describe('the request path', () => {
  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  it('identifies a JWT caller without a promise: identify() gives the result itself', () => {
    const engine = new PrivacyEngine(resolvePrivacyOptions({ store: t.store, pseudonymKey: randomBytes(32), jwt: JWT_OPTIONS }));
    const identified = engine.identify(requestWith(bearer('user-1')), contextOf(engine));
    expect(identified).not.toBeInstanceOf(Promise);
    expect(identified).toEqual({ ok: true, identity: { id: 'user-1', roles: [] } });
    engine.dispose();
  });

  it("uses the result of an app's synchronous identify as it is, and still awaits an asynchronous one", async () => {
    const sync = new PrivacyEngine(resolvePrivacyOptions({ store: t.store, pseudonymKey: randomBytes(32), identify: () => ({ id: 'user-1', roles: [] }) }));
    expect(sync.identify(requestWith(undefined), contextOf(sync))).toEqual({ ok: true, identity: { id: 'user-1', roles: [] } });
    const async = new PrivacyEngine(resolvePrivacyOptions({ store: t.store, pseudonymKey: randomBytes(32), identify: () => Promise.resolve(null) }));
    const pending = async.identify(requestWith(undefined), contextOf(async));
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).resolves.toEqual({ ok: false, reason: 'not_authenticated' });
    sync.dispose();
    async.dispose();
  });

  it('runs a throwing identify once per request, answering 500 privacy_misconfigured', async () => {
    let runs = 0;
    const { app } = appWith(t.store, {
      jwt: undefined,
      identify: () => { runs++; throw new Error('session store down'); },
    });
    const twin = personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' });
    app.get('/me', twin, personalData({ categories: ['user.contact.email'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({ ok: true }); });
    const res = await request(app).get('/me');
    expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 500, body: { error: 'privacy_misconfigured' } });
    expect(runs).toBe(1);
  });

  it('records the outcome once, even when the response emits close again', async () => {
    const { app } = appWith(t.store);
    let response: Response | undefined;
    app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => {
      response = res;
      res.json({ ok: true });
    });
    expect((await request(app).get('/me').set('Authorization', bearer('user-1'))).status).toBe(200);
    await settled();
    response?.emit('close');
    await settled();
    expect((await t.store.readAudit()).map((r) => r.event)).toEqual(['access', 'outcome']);
  });

  it('listens for close without a once() wrapper', async () => {
    const { app } = appWith(t.store);
    let wrapped: boolean | undefined;
    app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => {
      wrapped = res.rawListeners('close').some((listener) => 'listener' in listener);
      res.json({ ok: true });
    });
    await request(app).get('/me').set('Authorization', bearer('user-1'));
    expect(wrapped).toBe(false);
  });

  it('answers from the consent cache without reading the store again', async () => {
    let reads = 0;
    const store = new Proxy(t.store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop === 'currentConsents') return (subject: string) => { reads++; return target.currentConsents(subject); };
        return typeof value === 'function' ? (value).bind(target) : value;
      },
    });
    const { app } = appWith(store);
    app.get('/me/recommendations', requiresConsent('personalize.content'), (_req, res) => { res.json({ ok: true }); });
    const authorization = bearer('user-1');
    expect((await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', authorization).send({ granted: true, policyVersion: 'v1' })).status).toBe(200);
    reads = 0;
    expect((await request(app).get('/me/recommendations').set('Authorization', authorization)).status).toBe(200);
    expect((await request(app).get('/me/recommendations').set('Authorization', authorization)).status).toBe(200);
    expect(reads).toBe(1);
  });
});
