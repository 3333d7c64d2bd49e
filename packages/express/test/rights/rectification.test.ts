import request from 'supertest';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';
import { ADMIN, FakeDb } from './rights-fixtures';

describe('POST /privacy/me/rectification', () => {
  let t: TempStore;
  let db: FakeDb;
  let setup: ReturnType<typeof appWith>;

  beforeEach(() => {
    t = tempStore();
    db = new FakeDb();
    setup = appWith(t.store, { sources: { users: db.usersSource, orders: db.ordersSource, archive: db.archiveSource } });
  });
  afterEach(async () => {
    setup.kit.dispose();
    await t.cleanup();
  });

  const rectify = (body: unknown, sub = 'user-a') => request(setup.app).post('/privacy/me/rectification').set('Authorization', bearer(sub)).send(body as object);

  /** Nothing changed: no source was called, no request stored, no rights record written. */
  async function expectNothingChanged(): Promise<void> {
    expect(db.calls).toEqual([]);
    expect(db.users.get('user-a')).toEqual({ id: 'user-a', name: 'Alex Example', email: 'alex@example.com', plan: 'basic' });
    expect(await t.store.listRightsRequests({})).toEqual([]);
    expect(await t.store.readAudit({ event: 'rights' })).toEqual([]);
  }

  it('applies a valid patch and answers 200 with the completed request', async () => {
    const res = await rectify({ source: 'users', patch: { email: 'alex.new@example.com', name: 'Alex N. Example' } });
    expect(res.status).toBe(200);
    expect(res.body.request).toEqual(expect.objectContaining({ kind: 'rectification', status: 'completed', source: 'users', fields: ['email', 'name'], dueAt: expect.any(String) }));
    expect(db.users.get('user-a')).toEqual({ id: 'user-a', name: 'Alex N. Example', email: 'alex.new@example.com', plan: 'basic' });
    const stored = await t.store.getRightsRequest(res.body.request.id);
    expect(JSON.stringify(stored)).not.toMatch(/alex|user-a/i);
    const [received] = await t.store.readAudit({ event: 'rights' });
    expect(received).toEqual(expect.objectContaining({ categories: ['user.contact.email', 'user.name'], details: expect.objectContaining({ stage: 'received', source: 'users', fields: 'email,name' }) }));
    expect(JSON.stringify(await t.store.readAudit())).not.toMatch(/alex|user-a/i);
  });

  it('answers 400 listing every problem of an invalid patch, and changes nothing', async () => {
    const res = await rectify({ source: 'users', patch: { email: 'not-an-address', name: '', plan: 'gold', shoeSize: 44, id: 'user-z' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_body');
    expect(res.body.problems).toEqual(expect.arrayContaining([
      { property: 'patch.email', messages: ['email must be an e-mail address'] },
      { property: 'patch.name', messages: ['name must be 1 to 80 characters'] },
      { property: 'patch.plan', messages: ["'plan' is not a personal data field of source 'users'"] },
      { property: 'patch.shoeSize', messages: ["'shoeSize' is not a personal data field of source 'users'"] },
      // An identifier is personal data, but not something a person corrects.
      { property: 'patch.id', messages: ["'id' cannot be corrected through this API"] },
    ]));
    expect(res.body.problems).toHaveLength(5);
    await expectNothingChanged();
  });

  it('refuses a personal field that the source does not list as rectifiable', async () => {
    setup.kit.dispose();
    setup = appWith(t.store, { sources: { users: { ...db.usersSource, rectifiable: ['email'] } } });
    const res = await rectify({ source: 'users', patch: { name: 'Someone Else' } });
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual([{ property: 'patch.name', messages: ["'name' cannot be corrected through this API"] }]);
    await expectNothingChanged();
  });

  it('answers 400 for an unknown source, naming the known ones', async () => {
    const res = await rectify({ source: 'payments', patch: { email: 'a@example.com' } });
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual([{ property: 'source', messages: ["unknown source 'payments'; known sources: users, orders, archive"] }]);
    await expectNothingChanged();
  });

  it('answers 400 for a source without rectify()', async () => {
    const res = await rectify({ source: 'orders', patch: { shipTo: '3 Example Street' } });
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual([{ property: 'source', messages: ["source 'orders' cannot be rectified through this API"] }]);
    await expectNothingChanged();
  });

  it.each([
    ['a missing patch', { source: 'users' }, [{ property: 'patch', messages: [expect.stringMatching(/^patch must be a non-empty object/)] }]],
    ['an empty patch', { source: 'users', patch: {} }, [{ property: 'patch', messages: [expect.stringMatching(/^patch must be a non-empty object/)] }]],
    ['a patch that is an array', { source: 'users', patch: [1] }, [{ property: 'patch', messages: [expect.stringMatching(/^patch must be a non-empty object/)] }]],
    ['a missing source', { patch: { email: 'a@example.com' } }, [{ property: 'source', messages: [expect.stringMatching(/^source must name a data source/)] }]],
    ['an extra property', { source: 'users', patch: { email: 'a@example.com' }, force: true }, [{ property: 'force', messages: ["'force' is not allowed; send only \"source\" and \"patch\""] }]],
    ['a body that is not an object', [1, 2], [{ property: '(body)', messages: [expect.stringMatching(/^the body must be a JSON object/)] }]],
  ])('answers 400 for %s', async (_name, body, problems) => {
    const res = await rectify(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_body', problems });
    await expectNothingChanged();
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await request(setup.app).post('/privacy/me/rectification').set('Authorization', bearer('user-a')).set('Content-Type', 'application/json').send('{"source": ');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_json');
    await expectNothingChanged();
  });

  it('never lets a "__proto__" key through', async () => {
    const res = await request(setup.app).post('/privacy/me/rectification').set('Authorization', bearer('user-a')).set('Content-Type', 'application/json')
      .send('{"source": "users", "patch": {"__proto__": {"email": "x@example.com"}}}');
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual([{ property: 'patch.__proto__', messages: ["'__proto__' is not a personal data field of source 'users'"] }]);
    await expectNothingChanged();
  });

  it('does not echo a pasted value used as a source name or field', async () => {
    const res = await rectify({ source: 'alex@example.com', patch: { 'alex@example.com': 1 } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain('alex@example.com');
  });

  it('queues a rectification of a manual source for a person, who sees the patch and completes it', async () => {
    const res = await rectify({ source: 'archive', patch: { address: '9 New Street' } });
    expect(res.status).toBe(202);
    expect(res.body.request).toEqual(expect.objectContaining({ status: 'waiting_manual', steps: [{ source: 'archive', status: 'manual' }] }));
    const admin = await request(setup.app).get(`/privacy/admin/requests/${res.body.request.id}`).set('Authorization', bearer('admin-1', ADMIN));
    expect(admin.body.request.pending).toEqual({ subjectId: 'user-a', patch: { address: '9 New Street' } });
    await request(setup.app).post(`/privacy/admin/requests/${res.body.request.id}/steps/archive/complete`).set('Authorization', bearer('admin-1', ADMIN));
    const stored = await t.store.getRightsRequest(res.body.request.id);
    expect(stored?.status).toBe('completed');
    expect(JSON.stringify(stored)).not.toMatch(/New Street|user-a/);
  });

  it('leaves the request open with the error when rectify() fails, and an admin can resume it', async () => {
    db.failing.add('users.rectify');
    const res = await rectify({ source: 'users', patch: { email: 'alex.new@example.com' } });
    expect(res.status).toBe(202);
    expect(res.body.request.status).toBe('open');
    expect(res.body.request.error).toMatch(/^rectify\(\) of source 'users' failed/);
    expect(db.users.get('user-a')?.email).toBe('alex@example.com');
    db.failing.clear();
    const resumed = await request(setup.app).post(`/privacy/admin/requests/${res.body.request.id}/resume`).set('Authorization', bearer('admin-1', ADMIN));
    expect(resumed.body.request.status).toBe('completed');
    expect(db.users.get('user-a')?.email).toBe('alex.new@example.com');
  });
});
