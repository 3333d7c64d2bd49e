import express from 'express';
import request from 'supertest';
import { personalData, requiresConsent } from '@privacy-kit/express';
import { sendJsonError } from '../../src/http/json-error';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

describe('sendJsonError', () => {
  it('answers with the status, exactly the given body as JSON, and Cache-Control: no-store', async () => {
    const app = express();
    app.get('/x', (_req, res) => sendJsonError(res, 403, { error: 'consent_required', purpose: 'personalize.content' }));
    const res = await request(app).get('/x');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ error: 'consent_required', purpose: 'personalize.content' });
  });

  it('leaves a response that was already started as it is', async () => {
    const app = express();
    app.get('/x', (_req, res) => {
      res.status(200).type('text/plain').write('partial');
      sendJsonError(res, 503, { error: 'privacy_store_unavailable' });
      res.end();
    });
    const res = await request(app).get('/x');
    expect(res.status).toBe(200);
    expect(res.text).toBe('partial');
  });
});

describe('the error answers privacy-kit sends', () => {
  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  const email = 'alex.doe@example.com';

  it('never echo a personal value the request carried in its path, query, headers or token', async () => {
    const { app, kit } = appWith(t.store);
    app.get('/users/:id', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', subject: (req) => req.params.id, roles: ['support'] }), (_req, res) => { res.json({}); });
    app.get('/recs', requiresConsent('personalize.content'), (_req, res) => { res.json({}); });
    const answers = await Promise.all([
      request(app).get(`/users/${email}?email=${email}`).set('Authorization', `Bearer ${email}.x.y`),
      request(app).get(`/users/${email}`).set('Authorization', bearer(email)),
      request(app).get(`/recs?for=${email}`).set('Authorization', bearer(email)).set('X-Request-Id', email),
      request(app).put(`/privacy/me/consents/${email}`).set('Authorization', bearer(email)).send({ granted: true, policyVersion: 'v1' }),
    ]);
    expect(answers.map((r) => [r.status, r.body.error])).toEqual([[401, 'unauthenticated'], [403, 'forbidden'], [403, 'consent_required'], [404, 'unknown_purpose']]);
    for (const answer of answers) expect(answer.text).not.toContain('alex');
    kit.dispose();
  });
});
