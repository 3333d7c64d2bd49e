import request from 'supertest';
import { personalData, privacyInfo } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

// A UUID version 7 (RFC 9562): time-ordered, see requestUuid().
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

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

  it('makes time-ordered ids (UUID version 7): a later request sorts after an earlier one, so the audit index on request ids grows at its end', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(String((await request(setup.app).get('/me').set('Authorization', bearer('user-a'))).headers['x-request-id']));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(ids.every((id) => UUID.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
    // The first 48 bits are the time in ms.
    const ms = parseInt((ids[0] as string).replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
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
  ])('replaces %s with a new UUID', async (_what, id) => {
    const res = await call(id);
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.headers['x-request-id']).not.toBe(id);
  });
});
