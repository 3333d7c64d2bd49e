import request from 'supertest';
import { requiresConsent } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

describe('recording the GPC signal as consent events (gpc: { record: true })', () => {
  let t: TempStore;
  let setup: ReturnType<typeof appWith>;

  function build(record: boolean): void {
    setup?.kit.dispose();
    setup = appWith(t.store, { gpc: { record }, consentPurposes: ['personalize.content'] });
    setup.app.get('/me/ads', requiresConsent('third_party_sharing.personalized_advertising'), (_req, res) => { res.json({ ok: true }); });
    setup.app.get('/health', (_req, res) => { res.json({ ok: true }); });
  }

  async function grant(sub: string, purpose: string): Promise<void> {
    const res = await request(setup.app).put(`/privacy/me/consents/${purpose}`).set('Authorization', bearer(sub)).send({ granted: true, policyVersion: 'v2' });
    expect(res.status).toBe(200);
  }

  const history = (sub: string) => t.store.consentHistory(setup.kit.pseudonym(sub));

  beforeEach(() => {
    t = tempStore();
    build(true);
  });
  afterEach(async () => {
    setup.kit.dispose();
    await t.cleanup();
  });

  it('withdraws the GPC-covered purposes a person had granted, with method "gpc", on any request with the signal', async () => {
    await grant('user-a', 'third_party_sharing.personalized_advertising');
    await grant('user-a', 'personalize.content');

    const res = await request(setup.app).get('/health').set('Authorization', bearer('user-a')).set('Sec-GPC', '1');

    expect(res.status).toBe(200);
    const events = await history('user-a');
    expect(events.map((e) => [e.purpose, e.action, e.method, e.policyVersion])).toEqual([
      ['third_party_sharing.personalized_advertising', 'granted', 'api', 'v2'],
      ['personalize.content', 'granted', 'api', 'v2'],
      ['third_party_sharing.personalized_advertising', 'withdrawn', 'gpc', 'v2'],
    ]);
    const [record] = await t.store.readAudit({ requestId: res.headers['x-request-id'] as string });
    expect(record).toEqual(expect.objectContaining({
      event: 'consent',
      subject: setup.kit.pseudonym('user-a'),
      purposes: ['third_party_sharing.personalized_advertising'],
      reason: 'gpc',
      details: { method: 'gpc', granted: false, withdrawn: 1 },
    }));
  });

  it('keeps the opt-out on later requests without the header', async () => {
    await grant('user-a', 'third_party_sharing.personalized_advertising');
    await request(setup.app).get('/health').set('Authorization', bearer('user-a')).set('Sec-GPC', '1');
    const later = await request(setup.app).get('/me/ads').set('Authorization', bearer('user-a'));
    expect(later.status).toBe(403);
    expect(later.body).toEqual({ error: 'consent_required', purpose: 'third_party_sharing.personalized_advertising' });
  });

  it('records the signal once, not on every request that carries it', async () => {
    await grant('user-a', 'third_party_sharing.personalized_advertising');
    for (let i = 0; i < 3; i++) await request(setup.app).get('/health').set('Authorization', bearer('user-a')).set('Sec-GPC', '1');
    expect((await history('user-a')).filter((e) => e.method === 'gpc')).toHaveLength(1);
  });

  it('records nothing for a value other than "1", an anonymous request, or a person without such grants', async () => {
    await grant('user-a', 'third_party_sharing.personalized_advertising');
    await request(setup.app).get('/health').set('Authorization', bearer('user-a')).set('Sec-GPC', '0');
    await request(setup.app).get('/health').set('Sec-GPC', '1');
    await grant('user-b', 'personalize.content');
    await request(setup.app).get('/health').set('Authorization', bearer('user-b')).set('Sec-GPC', '1');
    expect((await history('user-a')).map((e) => e.method)).toEqual(['api']);
    expect((await history('user-b')).map((e) => e.method)).toEqual(['api']);
  });

  it('records nothing by default (record: false)', async () => {
    build(false);
    await grant('user-a', 'third_party_sharing.personalized_advertising');
    const res = await request(setup.app).get('/me/ads').set('Authorization', bearer('user-a')).set('Sec-GPC', '1');
    expect(res.status).toBe(403);
    expect((await history('user-a')).map((e) => e.method)).toEqual(['api']);
  });

  it('lets the request through when recording fails, and reports the failure', async () => {
    const reported: string[] = [];
    let broken = false;
    const failing = new Proxy(t.store, {
      get(target, key, receiver) {
        if (key === 'recordConsentChange' && broken) return () => Promise.reject(new Error('disk full'));
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? (value).bind(target) : value;
      },
    });
    setup.kit.dispose();
    setup = appWith(failing, { gpc: { record: true }, consentPurposes: ['third_party_sharing.personalized_advertising'], onError: (e) => { reported.push(e.code); } });
    setup.app.get('/health', (_req, res) => { res.json({ ok: true }); });
    await grant('user-a', 'third_party_sharing.personalized_advertising');
    broken = true;
    const res = await request(setup.app).get('/health').set('Authorization', bearer('user-a')).set('Sec-GPC', '1');
    expect(res.status).toBe(200);
    expect(reported).toEqual(['PK_STORE_UNAVAILABLE']);
    expect((await history('user-a')).map((e) => e.method)).toEqual(['api']);
  });
});
