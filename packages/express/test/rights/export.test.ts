import request from 'supertest';
import { personalData } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';
import { FakeDb, flush } from './rights-fixtures';

describe('GET /privacy/me/export', () => {
  let t: TempStore;
  let db: FakeDb;
  let setup: ReturnType<typeof appWith>;

  beforeEach(() => {
    t = tempStore();
    db = new FakeDb();
    setup = appWith(t.store, { sources: { users: db.usersSource, orders: db.ordersSource }, consentPurposes: ['personalize.content'] });
    setup.app.get('/users/:id', personalData({ categories: ['user.contact.email'], purpose: 'essential.service.operations.support', basis: 'legitimate_interests', roles: ['support'], subject: (req) => req.params.id }), (_req, res) => {
      res.json({ ok: true });
    });
  });
  afterEach(async () => {
    setup.kit.dispose();
    await t.cleanup();
  });

  it('returns one JSON document with every source, the consent history and the access log', async () => {
    await request(setup.app).put('/privacy/me/consents/personalize.content').set('Authorization', bearer('user-a')).send({ granted: true, policyVersion: 'v1' });
    await request(setup.app).get('/users/user-a').set('Authorization', bearer('staff-1', { roles: ['support'] }));
    await flush();

    const res = await request(setup.app).get('/privacy/me/export').set('Authorization', bearer('user-a'));

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="personal-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual(expect.objectContaining({ format: 'privacy-kit/export', version: 1, subject: { id: 'user-a' }, requestId: expect.any(String) }));
    expect(res.body.sources.users).toEqual({
      description: 'Accounts',
      categories: ['user.unique_id', 'user.name', 'user.contact.email', 'user.demographic.date_of_birth'],
      status: 'done',
      data: { id: 'user-a', name: 'Alex Example', email: 'alex@example.com', plan: 'basic' },
    });
    expect(res.body.sources.orders.data).toEqual([{ item: 'BOOK-1', shipTo: '1 Example Street' }, { item: 'MUG-2', shipTo: '1 Example Street' }]);
    expect(res.body.consents.current).toEqual([expect.objectContaining({ purpose: 'personalize.content', granted: true, method: 'api' })]);
    expect(res.body.consents.history).toEqual([expect.objectContaining({ purpose: 'personalize.content', action: 'granted', policyVersion: 'v1' })]);
    const staffAccess = res.body.accessLog.find((e: { route: string }) => e.route === '/users/:id');
    expect(staffAccess).toEqual(expect.objectContaining({
      accessedBy: 'someone else',
      actor: setup.kit.pseudonym('staff-1'),
      method: 'GET',
      purposes: ['essential.service.operations.support'],
      basis: 'legitimate_interests',
      categories: ['user.contact.email'],
    }));
    expect(res.body.accessLog.find((e: { route: string }) => e.route === '/privacy/me/export')).toEqual(expect.objectContaining({ accessedBy: 'you' }));
  });

  it('stores the export as a completed request with a due date, keeping no raw identifier', async () => {
    const res = await request(setup.app).get('/privacy/me/export').set('Authorization', bearer('user-a'));
    const stored = await t.store.getRightsRequest(res.body.requestId);
    expect(stored).toEqual(expect.objectContaining({ kind: 'export', status: 'completed', subject: setup.kit.pseudonym('user-a') }));
    expect(stored?.steps.map((s) => [s.source, s.status])).toEqual([['users', 'done'], ['orders', 'done']]);
    expect(JSON.stringify(stored)).not.toContain('user-a');
  });

  it('audits the access before any source is read', async () => {
    let recordsWhenRead: string[] = [];
    const reading = appWith(t.store, {
      sources: {
        users: {
          ...db.usersSource,
          export: async (id: string) => {
            recordsWhenRead = (await t.store.readAudit({ subject: reading.kit.pseudonym(id) })).map((r) => `${r.event}:${r.route}`);
            return db.users.get(id);
          },
        },
      },
    });
    const res = await request(reading.app).get('/privacy/me/export').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(200);
    expect(recordsWhenRead).toEqual(['access:/privacy/me/export', 'rights:/privacy/me/export']);
    reading.kit.dispose();
  });

  it('marks a manual source as waiting for a person and leaves the request open for an admin', async () => {
    const manual = appWith(t.store, { sources: { users: db.usersSource, archive: db.archiveSource } });
    const res = await request(manual.app).get('/privacy/me/export').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(200);
    expect(res.body.sources.archive).toEqual({ description: 'Paper archive', categories: ['user.contact.address'], status: 'manual', data: null });
    expect((await t.store.getRightsRequest(res.body.requestId))?.status).toBe('waiting_manual');
    manual.kit.dispose();
  });

  it('answers 500 without a document when a source fails, and leaves the request open with the error', async () => {
    db.failing.add('orders.export');
    const res = await request(setup.app).get('/privacy/me/export').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(500);
    expect(res.body).toEqual(expect.objectContaining({ error: 'source_failed', request: expect.objectContaining({ status: 'open' }) }));
    expect(res.body.sources).toBeUndefined();
    expect(res.body.request.error).toMatch(/export\(\) of source 'orders' failed \(Error\)/);
    expect(JSON.stringify(res.body)).not.toContain('alex@example.com');
    const stored = await t.store.getRightsRequest(res.body.request.id);
    expect(stored?.status).toBe('open');
    expect(stored?.steps).toEqual([expect.objectContaining({ source: 'users', status: 'done' }), expect.objectContaining({ source: 'orders', status: 'failed' })]);
  });

  it('refuses a caller without a valid token', async () => {
    const res = await request(setup.app).get('/privacy/me/export');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthenticated', reason: 'token_missing' });
    expect(db.calls).toEqual([]);
  });

  it('answers 503 and reads nothing when the audit cannot be written', async () => {
    await t.store.close();
    const res = await request(setup.app).get('/privacy/me/export').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'privacy_store_unavailable' });
    expect(db.calls).toEqual([]);
  });
});
