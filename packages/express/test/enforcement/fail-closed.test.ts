import request from 'supertest';
import type { PrivacyKitError, PrivacyStore } from '@privacy-kit/core';
import { personalData, requiresConsent } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

/** A real store whose chosen operations fail, as when the database is unreachable. */
function failing(store: PrivacyStore, ops: readonly (keyof PrivacyStore)[]): PrivacyStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (ops.includes(prop as keyof PrivacyStore)) return () => Promise.reject(new Error('connection refused'));
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as Function).bind(target) : value;
    },
  });
}

describe('failing closed when the store fails', () => {
  let t: TempStore;
  let calls: number;
  let errors: PrivacyKitError[];
  beforeEach(() => {
    t = tempStore();
    calls = 0;
    errors = [];
  });
  afterEach(() => t.cleanup());

  function build(store: PrivacyStore, failOpen = false) {
    const { app } = appWith(store, { failOpen, onError: (e) => errors.push(e) });
    const handler = (_req: unknown, res: { json: (v: unknown) => void }) => {
      calls++;
      res.json({ ok: true });
    };
    app.get('/me/profile', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), handler as never);
    app.get('/me/recommendations', requiresConsent('personalize.content'), handler as never);
    return app;
  }

  it('answers 503 and never calls the handler when the audit store fails', async () => {
    const app = build(failing(t.store, ['appendAudit']));
    const res = await request(app).get('/me/profile').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'privacy_store_unavailable' });
    expect(calls).toBe(0);
    expect(errors[0]?.code).toBe('PK_STORE_UNAVAILABLE');
  });

  it('answers 503 and never calls the handler when the consent store fails', async () => {
    const app = build(failing(t.store, ['currentConsents']));
    const res = await request(app).get('/me/recommendations').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(503);
    expect(calls).toBe(0);
  });

  it('answers 503 when the database was closed under the app', async () => {
    const app = build(t.store);
    await t.store.close();
    const res = await request(app).get('/me/profile').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(503);
    expect(calls).toBe(0);
  });

  it('keeps the driver message out of the response', async () => {
    const app = build(failing(t.store, ['appendAudit']));
    const res = await request(app).get('/me/profile').set('Authorization', bearer('user-a'));
    expect(res.text).not.toContain('connection refused');
  });

  it('lets the handler run without an audit record only when the app chose failOpen', async () => {
    const app = build(failing(t.store, ['appendAudit']), true);
    const res = await request(app).get('/me/profile').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(200);
    expect(calls).toBe(1);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('answers 503 from the consent API when the store fails, storing nothing', async () => {
    const app = build(failing(t.store, ['recordConsent']));
    const res = await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', bearer('user-a')).send({ granted: true, policyVersion: 'v1' });
    expect(res.status).toBe(503);
    expect(await t.store.consentHistory('anything')).toEqual([]);
  });
});
