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
      return typeof value === 'function' ? (value).bind(target) : value;
    },
  });
}

/** A real store whose chosen operations answer only after `delayMs` (never, when undefined). */
function slow(store: PrivacyStore, ops: readonly (keyof PrivacyStore)[], delayMs?: number): PrivacyStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const bound = (value).bind(target) as (...args: unknown[]) => Promise<unknown>;
      if (!ops.includes(prop as keyof PrivacyStore)) return bound;
      return (...args: unknown[]) => new Promise((resolve, reject) => {
        if (delayMs !== undefined) setTimeout(() => { bound(...args).then(resolve, reject); }, delayMs);
      });
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
    const app = build(failing(t.store, ['recordConsentChange']));
    const res = await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', bearer('user-a')).send({ granted: true, policyVersion: 'v1' });
    expect(res.status).toBe(503);
    expect(await t.store.consentHistory('anything')).toEqual([]);
  });

  it('stores no grant when its audit record cannot be written: 503, and the next request is still refused', async () => {
    const { app, kit } = appWith(t.store, { onError: (e) => errors.push(e) });
    app.get('/me/recommendations', requiresConsent('personalize.content'), (_req, res) => { calls++; res.json({ ok: true }); });
    t.store.db.exec("CREATE TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    const put = await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', bearer('user-a')).send({ granted: true, policyVersion: 'v1' });
    expect(put.status).toBe(503);
    t.store.db.exec('DROP TRIGGER audit_down');
    expect(await t.store.consentHistory(kit.pseudonym('user-a'))).toEqual([]);
    const next = await request(app).get('/me/recommendations').set('Authorization', bearer('user-a'));
    expect(next.status).toBe(403);
    expect(calls).toBe(0);
  });
});

describe('bounding every store call on the request path by storeTimeoutMs', () => {
  let t: TempStore;
  let calls: number;
  let errors: PrivacyKitError[];
  beforeEach(() => {
    t = tempStore();
    calls = 0;
    errors = [];
  });
  afterEach(() => t.cleanup());

  function build(store: PrivacyStore) {
    const setup = appWith(store, { storeTimeoutMs: 100, onError: (e) => errors.push(e) });
    const handler = (_req: unknown, res: { json: (v: unknown) => void }) => {
      calls++;
      res.json({ ok: true });
    };
    setup.app.get('/me/profile', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), handler as never);
    setup.app.get('/me/recommendations', requiresConsent('personalize.content'), handler as never);
    return setup;
  }

  it('answers 503 when the audit append never settles, and says why through onError', async () => {
    const { app } = build(slow(t.store, ['appendAudit']));
    const res = await request(app).get('/me/profile').set('Authorization', bearer('user-a')).timeout(5000);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'privacy_store_unavailable' });
    expect(calls).toBe(0);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/writing the audit record did not finish within 100 ms \(storeTimeoutMs\)/)]);
  });

  it('answers 503 when reading consents never settles', async () => {
    const { app } = build(slow(t.store, ['currentConsents']));
    const res = await request(app).get('/me/recommendations').set('Authorization', bearer('user-a')).timeout(5000);
    expect(res.status).toBe(503);
    expect(calls).toBe(0);
  });

  it('answers 503 from the consent API when recording a change never settles', async () => {
    const { app } = build(slow(t.store, ['recordConsentChange']));
    const res = await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', bearer('user-a')).send({ granted: true, policyVersion: 'v1' }).timeout(5000);
    expect(res.status).toBe(503);
  });

  it('reports an audit record that is stored after the deadline, so it is not silently lost', async () => {
    const { app } = build(slow(t.store, ['appendAudit'], 300));
    const res = await request(app).get('/me/profile').set('Authorization', bearer('user-a')).timeout(5000);
    expect(res.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/did not finish within 100 ms/),
      expect.stringMatching(/writing the audit record finished after the 100 ms deadline: record 1 was stored after all/),
    ]);
    expect(await t.store.readAudit()).toHaveLength(1);
  });

  it('reports a store call that fails after the deadline, so the failure is not silently lost', async () => {
    const store = new Proxy(t.store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop === 'currentConsents') return () => new Promise((_resolve, reject) => { setTimeout(() => reject(new Error('connection reset')), 300); });
        return typeof value === 'function' ? (value).bind(target) : value;
      },
    });
    const { app } = build(store);
    const res = await request(app).get('/me/recommendations').set('Authorization', bearer('user-a')).timeout(5000);
    expect(res.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/reading consents did not finish within 100 ms \(storeTimeoutMs\)/),
      expect.stringMatching(/reading consents \(after the 100 ms deadline\) failed/),
    ]);
  });

  it('bounds many store calls in flight with one timer, each failing at its own deadline', async () => {
    const { app } = build(slow(t.store, ['appendAudit']));
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    const answers = await Promise.all(Array.from({ length: 5 }, (_, n) => request(app).get('/me/profile').set('Authorization', bearer(`user-${n}`)).timeout(5000)));
    const timersOfTheEngine = setTimeoutSpy.mock.calls.filter(([, delay]) => delay === 100).length;
    setTimeoutSpy.mockRestore();
    expect(answers.map((a) => a.status)).toEqual([503, 503, 503, 503, 503]);
    expect(calls).toBe(0);
    expect(errors).toHaveLength(5);
    expect(timersOfTheEngine).toBe(1);
  });

  it('reports an outcome record whose append never settles', async () => {
    let hang = false;
    const store = new Proxy(t.store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop === 'appendAudit') return (entry: { event: string }) => (hang && entry.event === 'outcome' ? new Promise(() => undefined) : target.appendAudit(entry as never));
        return typeof value === 'function' ? (value).bind(target) : value;
      },
    });
    const { app } = build(store);
    hang = true;
    const res = await request(app).get('/me/profile').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/writing the audit record did not finish within 100 ms/)]);
  });
});
