import request from 'supertest';
import { personalData, requiresConsent } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

describe('the consent API', () => {
  let t: TempStore;
  let app: ReturnType<typeof appWith>['app'];
  let kit: ReturnType<typeof appWith>['kit'];
  const auth = bearer('user-a');

  beforeEach(() => {
    t = tempStore();
    ({ app, kit } = appWith(t.store, { consentPurposes: ['personalize.content', 'marketing.communications.email'] }));
  });
  afterEach(() => t.cleanup());

  it('records a grant and shows the current state per purpose', async () => {
    const put = await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', auth).send({ granted: true, policyVersion: '2026-11' });
    expect(put.status).toBe(200);
    expect(put.body.consent).toEqual(expect.objectContaining({ purpose: 'personalize.content', granted: true, status: 'granted', policyVersion: '2026-11', method: 'api' }));
    await request(app).put('/privacy/me/consents/marketing.communications.email').set('Authorization', auth).send({ granted: false, policyVersion: '2026-11' }).expect(200);
    const get = await request(app).get('/privacy/me/consents').set('Authorization', auth);
    expect(get.status).toBe(200);
    expect(Object.fromEntries(get.body.consents.map((c: { purpose: string; granted: boolean }) => [c.purpose, c.granted]))).toEqual({
      'personalize.content': true,
      'marketing.communications.email': false,
    });
  });

  it('keeps the full history, oldest first', async () => {
    await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', auth).send({ granted: true, policyVersion: 'v1' });
    await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', auth).send({ granted: false, policyVersion: 'v2' });
    const res = await request(app).get('/privacy/me/consents/history').set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(res.body.events.map((e: { action: string; policyVersion: string }) => `${e.action}:${e.policyVersion}`)).toEqual(['granted:v1', 'withdrawn:v2']);
  });

  it('stores the subject as a pseudonym only', async () => {
    await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', auth).send({ granted: true, policyVersion: 'v1' });
    expect(await t.store.consentHistory('user-a')).toEqual([]);
    expect(await t.store.consentHistory(kit.pseudonym('user-a'))).toHaveLength(1);
  });

  it('refuses a bad body with 400 listing every problem, and stores nothing', async () => {
    const res = await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', auth).send({ granted: 'yes', policyVersion: '', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_body');
    const properties = res.body.problems.map((p: { property: string }) => p.property).sort();
    expect(properties).toEqual(['extra', 'granted', 'policyVersion']);
    expect(res.body.problems.find((p: { property: string }) => p.property === 'granted').messages).toEqual(['granted must be true or false']);
    expect(await t.store.consentHistory(kit.pseudonym('user-a'))).toEqual([]);
  });

  it('refuses a missing body field', async () => {
    const res = await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', auth).send({ granted: true });
    expect(res.status).toBe(400);
    expect(res.body.problems.map((p: { property: string }) => p.property)).toEqual(['policyVersion']);
  });

  it('refuses a body that is not a JSON object', async () => {
    const res = await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', auth).set('Content-Type', 'application/json').send('[true]');
    expect(res.status).toBe(400);
    expect(await t.store.consentHistory(kit.pseudonym('user-a'))).toEqual([]);
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', auth).set('Content-Type', 'application/json').send('{"granted":');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_json');
  });

  it('answers 404 for a purpose that is not in the vocabulary', async () => {
    const res = await request(app).put('/privacy/me/consents/no.such.purpose').set('Authorization', auth).send({ granted: true, policyVersion: 'v1' });
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('unknown_purpose');
    expect(await t.store.consentHistory(kit.pseudonym('user-a'))).toEqual([]);
  });

  it('requires authentication', async () => {
    expect((await request(app).get('/privacy/me/consents')).status).toBe(401);
    expect((await request(app).put('/privacy/me/consents/personalize.content').send({ granted: true, policyVersion: 'v1' })).status).toBe(401);
  });

  it('audits each change of consent with the purpose and decision', async () => {
    await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', auth).send({ granted: true, policyVersion: 'v1' });
    const [record] = await t.store.readAudit({ event: 'consent' });
    expect(record).toEqual(expect.objectContaining({ subject: kit.pseudonym('user-a'), details: { purpose: 'personalize.content', granted: true, policyVersion: 'v1' } }));
  });
});

describe('which purposes the consent API takes', () => {
  let t: TempStore;
  let app: ReturnType<typeof appWith>['app'];
  let kit: ReturnType<typeof appWith>['kit'];
  const auth = bearer('user-a');
  const put = (purpose: string, granted = true) =>
    request(app).put(`/privacy/me/consents/${purpose}`).set('Authorization', auth).send({ granted, policyVersion: 'v1' });

  beforeEach(() => {
    t = tempStore();
    ({ app, kit } = appWith(t.store, { consentPurposes: ['analytics.reporting'] }));
    const ok = (_req: unknown, res: { end(): void }) => res.end();
    app.get('/me/profile', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), ok);
    app.get('/me/recommendations', requiresConsent('personalize.content'), ok);
    app.get('/me/newsletter', personalData({ categories: ['user.contact.email'], purpose: 'marketing.communications.email', basis: 'consent' }), ok);
    app.get('/me/offers', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), requiresConsent('marketing.advertising.first_party.targeted'), ok);
  });
  afterEach(async () => {
    kit.dispose();
    await t.cleanup();
  });

  it.each([
    ['requiresConsent()', 'personalize.content'],
    ["personalData({ basis: 'consent' })", 'marketing.communications.email'],
    ['requiresConsent() beside another basis', 'marketing.advertising.first_party.targeted'],
    ['the consentPurposes option', 'analytics.reporting'],
  ])('takes a purpose declared consent-based by %s', async (_how, purpose) => {
    const res = await put(purpose);
    expect(res.status).toBe(200);
    expect(res.body.consent).toEqual(expect.objectContaining({ purpose, granted: true }));
  });

  it('refuses a purpose nothing declares with 404 listing what can be consented to, and stores nothing', async () => {
    const res = await put('personalize.content.profiling');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: 'unknown_purpose',
      message: expect.any(String),
      consentable: ['analytics.reporting', 'marketing.advertising.first_party.targeted', 'marketing.communications.email', 'personalize.content'],
    });
    expect(await t.store.consentHistory(kit.pseudonym('user-a'))).toEqual([]);
  });

  it('refuses a parent purpose with 404 listing the children that can be consented to: consent is per declared purpose', async () => {
    const res = await put('marketing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: 'unknown_purpose',
      message: expect.stringContaining('never to a parent purpose'),
      consentable: ['marketing.advertising.first_party.targeted', 'marketing.communications.email'],
    });
    expect(await t.store.consentHistory(kit.pseudonym('user-a'))).toEqual([]);
  });

  it('refuses to withdraw a purpose processed under another basis with 409 naming the basis, and stores nothing', async () => {
    const res = await put('essential.service', false);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'not_consent_based', basis: 'contract', message: expect.any(String) });
    expect(await t.store.consentHistory(kit.pseudonym('user-a'))).toEqual([]);
  });

  it('shows one purpose with GET, under the same rules', async () => {
    await put('personalize.content');
    const one = await request(app).get('/privacy/me/consents/personalize.content').set('Authorization', auth);
    expect(one.status).toBe(200);
    expect(one.body.consent).toEqual(expect.objectContaining({ purpose: 'personalize.content', granted: true }));
    expect((await request(app).get('/privacy/me/consents/analytics.reporting').set('Authorization', auth)).body).toEqual({ consent: null });
    expect((await request(app).get('/privacy/me/consents/marketing').set('Authorization', auth)).status).toBe(404);
    expect((await request(app).get('/privacy/me/consents/essential.service').set('Authorization', auth)).status).toBe(409);
  });

  it('lists what can be consented to beside the current consents', async () => {
    const res = await request(app).get('/privacy/me/consents').set('Authorization', auth);
    expect(res.body.consentable).toEqual(['analytics.reporting', 'marketing.advertising.first_party.targeted', 'marketing.communications.email', 'personalize.content']);
  });

  it('refuses an unknown purpose in consentPurposes when privacy() is created, with a suggestion', () => {
    expect(() => appWith(t.store, { consentPurposes: ['personalize.contnet'] })).toThrow(/privacy\(\{ consentPurposes \}\): .*Did you mean 'personalize.content'\?/);
  });
});
