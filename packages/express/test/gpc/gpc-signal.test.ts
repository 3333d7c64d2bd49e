import request from 'supertest';
import { hasGpcSignal, privacyInfo, requiresConsent } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

describe('Sec-GPC as the W3C GPC specification says', () => {
  let t: TempStore;
  let setup: ReturnType<typeof appWith>;

  beforeAll(async () => {
    t = tempStore();
    setup = appWith(t.store);
    setup.app.get('/me/ads', requiresConsent('marketing.advertising.first_party.targeted'), (req, res) => { res.json({ gpc: privacyInfo(req).gpc }); });
    setup.app.get('/me/recommendations', requiresConsent('personalize.content'), (req, res) => { res.json({ gpc: privacyInfo(req).gpc }); });
    setup.app.get('/echo', (req, res) => { res.json({ lines: req.headersDistinct['sec-gpc'] ?? [], gpc: privacyInfo(req).gpc }); });
    for (const purpose of ['marketing.advertising.first_party.targeted', 'personalize.content']) {
      const res = await request(setup.app).put(`/privacy/me/consents/${purpose}`).set('Authorization', bearer('user-a')).send({ granted: true, policyVersion: 'v1' });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    setup.kit.dispose();
    await t.cleanup();
  });

  const ads = (gpc?: string | string[]) => {
    const req = request(setup.app).get('/me/ads').set('Authorization', bearer('user-a'));
    return gpc === undefined ? req : req.set('Sec-GPC', gpc as string);
  };

  it('serves a targeted-advertising route to a consenting person without the header', async () => {
    const res = await ads();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ gpc: false });
  });

  it('treats the purpose as not consented for a request with "Sec-GPC: 1", and audits why', async () => {
    const res = await ads('1');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'consent_required', purpose: 'marketing.advertising.first_party.targeted' });
    const [denied] = await t.store.readAudit({ requestId: res.headers['x-request-id'] as string });
    expect(denied).toEqual(expect.objectContaining({ event: 'denied', reason: 'consent_required:gpc', status: 403 }));
  });

  it('leaves the stored consent as it was (the signal applies per request)', async () => {
    await ads('1');
    const states = await t.store.currentConsents(setup.kit.pseudonym('user-a'));
    expect(states.find((s) => s.purpose === 'marketing.advertising.first_party.targeted')).toEqual(expect.objectContaining({ granted: true, method: 'api' }));
    expect((await ads()).status).toBe(200);
  });

  it('does not touch purposes that GPC does not cover', async () => {
    const res = await request(setup.app).get('/me/recommendations').set('Authorization', bearer('user-a')).set('Sec-GPC', '1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ gpc: true });
  });

  it.each([
    ['0', '0'],
    ['true', 'true'],
    ['"1"', '"1"'],
    ['01', '01'],
    ['1.0', '1.0'],
    ['one line "1, 0"', '1, 0'],
    ['one line "1,1"', '1,1'],
  ])('ignores a value other than exactly "1": %s', async (_name, value) => {
    const res = await ads(value);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ gpc: false });
  });

  it('ignores an empty header', async () => {
    const echo = await request(setup.app).get('/echo').set('Sec-GPC', '');
    expect(echo.body).toEqual({ lines: [''], gpc: false });
  });

  it('accepts "1" with optional whitespace around it (not part of the field value)', async () => {
    expect((await ads(' 1\t')).status).toBe(403);
  });

  it('with several Sec-GPC header lines, has the signal when any one is exactly "1"', async () => {
    const echo = await request(setup.app).get('/echo').set('Sec-GPC', ['0', '1'] as unknown as string);
    expect(echo.body).toEqual({ lines: ['0', '1'], gpc: true });
    expect((await ads(['0', '1'])).status).toBe(403);
    expect((await ads(['1', 'yes'])).status).toBe(403);
  });

  it('with several Sec-GPC header lines none of which is exactly "1", has no signal', async () => {
    const echo = await request(setup.app).get('/echo').set('Sec-GPC', ['0', '1, 0'] as unknown as string);
    expect(echo.body).toEqual({ lines: ['0', '1, 0'], gpc: false });
    expect((await ads(['0', '1, 0'])).status).toBe(200);
  });

  it('reads plain header objects too', () => {
    expect(hasGpcSignal({ headers: { 'sec-gpc': '1' } } as never)).toBe(true);
    expect(hasGpcSignal({ headers: { 'sec-gpc': ['0', '1'] } } as never)).toBe(true);
    expect(hasGpcSignal({ headers: { 'sec-gpc': '1, 0' } } as never)).toBe(false);
    expect(hasGpcSignal({ headers: {} } as never)).toBe(false);
  });
});
