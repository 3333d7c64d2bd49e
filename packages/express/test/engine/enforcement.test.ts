import request from 'supertest';
import type { Request } from 'express';
import { PersonalData } from '@privacy-kit/core';
import { personalData, privacyInfo, requiresConsent } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

class Profile {
  @PersonalData({ category: 'user.contact.email' })
  email!: string;
}

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 30));

describe('enforcing a declared route', () => {
  let t: TempStore;
  let app: ReturnType<typeof appWith>['app'];
  let kit: ReturnType<typeof appWith>['kit'];
  let handled: string[];

  beforeEach(() => {
    t = tempStore();
    ({ app, kit } = appWith(t.store));
    handled = [];
    app.get('/me/profile', personalData({ models: [Profile], purpose: 'essential.service', basis: 'contract' }), async (req, res) => {
      // The access record is committed before the handler runs.
      const records = await t.store.readAudit({ requestId: privacyInfo(req).requestId });
      handled.push(`profile:${records.map((r) => r.event).join(',')}`);
      res.json({ subject: privacyInfo(req).subject });
    });
    app.get(
      '/users/:id',
      personalData({ categories: ['user.contact.email'], purpose: 'essential.service.operations.support', basis: 'legitimate_interests', roles: ['support'], subject: (req: Request) => req.params.id }),
      (req, res) => {
        handled.push('user');
        res.json({ subject: privacyInfo(req).subject });
      },
    );
    app.get('/me/recommendations', requiresConsent('personalize.content'), (_req, res) => {
      handled.push('recs');
      res.json({ recommendations: [] });
    });
  });
  afterEach(async () => {
    kit.dispose();
    await t.cleanup();
  });

  it('commits the access record before the handler runs and records the outcome after', async () => {
    const res = await request(app).get('/me/profile').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(200);
    expect(handled).toEqual(['profile:access']);
    await flush();
    const records = await t.store.readAudit({ requestId: res.headers['x-request-id'] as string });
    expect(records.map((r) => r.event)).toEqual(['access', 'outcome']);
    expect(records[1]).toEqual(expect.objectContaining({ status: 200, decision: 'allowed', durationMs: expect.any(Number) }));
  });

  it('writes an audit record with pseudonyms, the route pattern and the declaration, never the raw identifiers', async () => {
    const res = await request(app).get('/users/user-b').set('Authorization', bearer('staff-1', { roles: ['support'] }));
    expect(res.status).toBe(200);
    const [record] = await t.store.readAudit({ event: 'access' });
    expect(record).toEqual(
      expect.objectContaining({
        appId: 'test-app',
        method: 'GET',
        route: '/users/:id',
        purposes: ['essential.service.operations.support'],
        basis: 'legitimate_interests',
        categories: ['user.contact.email'],
        decision: 'allowed',
        actor: kit.pseudonym('staff-1'),
        subject: kit.pseudonym('user-b'),
      }),
    );
    expect(record?.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
    expect(JSON.stringify(await t.store.readAudit())).not.toMatch(/user-b|staff-1/);
  });

  it('echoes a safe incoming request id and replaces an unsafe one', async () => {
    const kept = await request(app).get('/me/profile').set('Authorization', bearer('user-a')).set('X-Request-Id', '4bf92f3577b34da6a3ce929d0e0e4736');
    expect(kept.headers['x-request-id']).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    const replaced = await request(app).get('/me/profile').set('Authorization', bearer('user-a')).set('X-Request-Id', 'x'.repeat(300));
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('makes the caller the subject by default', async () => {
    const res = await request(app).get('/me/profile').set('Authorization', bearer('user-a'));
    expect(res.body).toEqual({ subject: 'user-a' });
  });

  it('resolves the subject from the route when it declares a resolver', async () => {
    const res = await request(app).get('/users/user-b').set('Authorization', bearer('staff-1', { roles: ['support'] }));
    expect(res.body).toEqual({ subject: 'user-b' });
  });

  it('refuses a caller without the required role with 403 forbidden, audited as denied', async () => {
    const res = await request(app).get('/users/user-b').set('Authorization', bearer('user-a', { roles: ['customer'] }));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'forbidden' });
    expect(handled).toEqual([]);
    const [record] = await t.store.readAudit();
    expect(record).toEqual(expect.objectContaining({ event: 'denied', decision: 'denied', reason: 'forbidden', status: 403, actor: kit.pseudonym('user-a') }));
  });

  it('refuses a consent route without a recorded consent: 403 consent_required, handler not called', async () => {
    const res = await request(app).get('/me/recommendations').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'consent_required', purpose: 'personalize.content' });
    expect(handled).toEqual([]);
    const [record] = await t.store.readAudit();
    expect(record).toEqual(expect.objectContaining({ event: 'denied', reason: 'consent_required', basis: 'consent', purposes: ['personalize.content'] }));
  });

  it('serves a consent route once the subject has consented', async () => {
    await t.store.recordConsent({ subject: kit.pseudonym('user-a'), purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api' });
    const res = await request(app).get('/me/recommendations').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(200);
    expect(handled).toEqual(['recs']);
  });

  it('refuses again at once after the consent is withdrawn through the API', async () => {
    const auth = bearer('user-a');
    await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', auth).send({ granted: true, policyVersion: 'v1' }).expect(200);
    await request(app).get('/me/recommendations').set('Authorization', auth).expect(200);
    await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', auth).send({ granted: false, policyVersion: 'v1' }).expect(200);
    const res = await request(app).get('/me/recommendations').set('Authorization', auth);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'consent_required', purpose: 'personalize.content' });
  });

  it('refuses a consent that has expired', async () => {
    await t.store.recordConsent({
      subject: kit.pseudonym('user-a'), purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api',
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    expect((await request(app).get('/me/recommendations').set('Authorization', bearer('user-a'))).status).toBe(403);
  });

  it('refuses with 400 when the subject resolver finds nobody', async () => {
    app.get('/lookup/:id', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', subject: () => undefined }), (_req, res) => {
      handled.push('lookup');
      res.json({});
    });
    const res = await request(app).get('/lookup/x').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'subject_required' });
    expect(handled).toEqual([]);
  });

  it('records the request method when one declaration guards several methods of a route', async () => {
    const guard = personalData({ categories: ['user.contact.email'], purpose: 'essential.service', basis: 'contract' });
    app.route('/me/email').get(guard, (_req, res) => { res.json({}); }).post(guard, (_req, res) => { res.json({}); });
    await request(app).post('/me/email').set('Authorization', bearer('user-a')).expect(200);
    const [record] = await t.store.readAudit({ event: 'access' });
    expect(record).toEqual(expect.objectContaining({ method: 'POST', route: '/me/email' }));
  });

  it('leaves unannotated routes alone', async () => {
    app.get('/health', (_req, res) => { res.json({ status: 'ok' }); });
    const res = await request(app).get('/health');
    expect(res.status).toBe(200);
    expect(await t.store.readAudit()).toEqual([]);
  });

  it('guards every route of a router when the twin is mounted with use()', async () => {
    const express = (await import('express')).default;
    const router = express.Router();
    router.use(personalData({ categories: ['user.contact.email'], purpose: 'essential.service', basis: 'contract' }));
    router.get('/inbox', (_req, res) => { res.json({ ok: true }); });
    app.use('/mail', router);
    expect((await request(app).get('/mail/inbox')).status).toBe(401);
    expect((await request(app).get('/mail/inbox').set('Authorization', bearer('user-a'))).status).toBe(200);
  });
});

describe('enforcing without privacy() mounted', () => {
  it('fails closed with 500 and never calls the handler', async () => {
    const express = (await import('express')).default;
    const app = express();
    let called = false;
    app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => {
      called = true;
      res.json({});
    });
    const res = await request(app).get('/me');
    expect(res.status).toBe(500);
    expect(res.body.error).toBe('privacy_not_mounted');
    expect(called).toBe(false);
  });
});
