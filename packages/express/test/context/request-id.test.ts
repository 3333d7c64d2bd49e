import request from 'supertest';
import { personalData, privacyInfo } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the request id', () => {
  let t: TempStore;
  let setup: ReturnType<typeof appWith>;

  beforeEach(() => {
    t = tempStore();
    setup = appWith(t.store);
    setup.app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (req, res) => {
      res.json({ requestId: privacyInfo(req).requestId });
    });
  });
  afterEach(async () => {
    setup.kit.dispose();
    await t.cleanup();
  });

  const call = (id: string) => request(setup.app).get('/me').set('Authorization', bearer('user-a')).set('X-Request-Id', id);

  it.each([
    ['a UUID', '3f2b8c1e-9d4a-4e6b-8f0a-1c2d3e4f5a6b'],
    ['an upper-case UUID', '3F2B8C1E-9D4A-4E6B-8F0A-1C2D3E4F5A6B'],
    ['a ULID', '01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    ['8 hex digits', '0af7651b'],
    ['64 hex digits', 'a'.repeat(64)],
    ['a W3C trace id (32 hex digits)', '4bf92f3577b34da6a3ce929d0e0e4736'],
  ])('keeps %s from the client', async (_what, id) => {
    const res = await call(id);
    expect(res.headers['x-request-id']).toBe(id);
    expect(res.body.requestId).toBe(id);
  });

  it('replaces a host name such as alice.smith.example.com: not in the header, the audit record or privacyInfo', async () => {
    const res = await call('alice.smith.example.com');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    const records = await t.store.readAudit();
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.requestId === res.headers['x-request-id'])).toBe(true);
    expect(JSON.stringify(records)).not.toContain('alice');
  });

  it.each([
    ['a short word with a dash', 'trace-123'],
    ['7 hex digits', '0af7651'],
    ['65 hex digits', 'a'.repeat(65)],
    ['a ULID with a letter Crockford base32 leaves out', '01ARZ3NDEKTSV4RRFFQ69G5FAU'.replace('U', 'L')],
    ['a UUID with a trailing name', '3f2b8c1e-9d4a-4e6b-8f0a-1c2d3e4f5a6b.alice'],
  ])('replaces %s with a random UUID', async (_what, id) => {
    const res = await call(id);
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.headers['x-request-id']).not.toBe(id);
  });
});
