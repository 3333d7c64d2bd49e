import request from 'supertest';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';
import { ADMIN, FakeDb } from './rights-fixtures';

describe('rights requests: status, due dates and the admin endpoints', () => {
  let t: TempStore;
  let db: FakeDb;
  let setup: ReturnType<typeof appWith>;
  let now: Date;

  beforeEach(() => {
    t = tempStore();
    db = new FakeDb();
    now = new Date('2026-03-10T12:00:00.000Z');
    setup = appWith(t.store, { sources: { users: db.usersSource, archive: db.archiveSource }, rights: { clock: () => now } });
  });
  afterEach(async () => {
    setup.kit.dispose();
    await t.cleanup();
  });

  const erase = (sub: string) => request(setup.app).post('/privacy/me/erasure').set('Authorization', bearer(sub));
  const admin = (path: string, roles = ADMIN) => request(setup.app).get(`/privacy/admin${path}`).set('Authorization', bearer('admin-1', roles));

  it('shows the person their own request with its status, steps and due date', async () => {
    const created = await erase('user-a');
    const res = await request(setup.app).get(`/privacy/me/requests/${created.body.request.id}`).set('Authorization', bearer('user-a'));
    expect(res.status).toBe(200);
    expect(res.body.request).toEqual({
      id: created.body.request.id,
      kind: 'erasure',
      status: 'waiting_manual',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      dueAt: '2026-04-10T12:00:00.000+00:00',
      overdue: false,
      steps: [{ source: 'users', status: 'done', completedAt: expect.any(String) }, { source: 'archive', status: 'manual' }],
      error: null,
      retained: [],
    });
    const list = await request(setup.app).get('/privacy/me/requests').set('Authorization', bearer('user-a'));
    expect(list.body.requests.map((r: { id: string }) => r.id)).toEqual([created.body.request.id]);
  });

  it("answers 404 for someone else's request and for an unknown id", async () => {
    const created = await erase('user-a');
    const other = await request(setup.app).get(`/privacy/me/requests/${created.body.request.id}`).set('Authorization', bearer('user-b'));
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ error: 'request_not_found' });
    const unknown = await request(setup.app).get('/privacy/me/requests/no-such-id').set('Authorization', bearer('user-a'));
    expect(unknown.status).toBe(404);
  });

  it('stores every request with a due date one month out', async () => {
    await request(setup.app).get('/privacy/me/export').set('Authorization', bearer('user-a'));
    await erase('user-a');
    await request(setup.app).post('/privacy/me/rectification').set('Authorization', bearer('user-a')).send({ source: 'archive', patch: { address: '9 New Street' } });
    const stored = await t.store.listRightsRequests({});
    expect(stored.map((r) => [r.kind, r.dueAt])).toEqual([
      ['export', '2026-04-10T12:00:00.000+00:00'],
      ['erasure', '2026-04-10T12:00:00.000+00:00'],
      ['rectification', '2026-04-10T12:00:00.000+00:00'],
    ]);
  });

  it('uses a shorter answering period when configured, never a longer one', async () => {
    setup.kit.dispose();
    setup = appWith(t.store, { sources: { users: db.usersSource }, rights: { clock: () => now, dueIn: '14d' } });
    expect((await erase('user-a')).body.request.dueAt).toBe('2026-03-24T12:00:00.000+00:00');
    setup.kit.dispose();
    setup = appWith(t.store, { sources: { users: db.usersSource }, rights: { clock: () => now, dueIn: '3m' } });
    expect((await erase('user-b')).body.request.dueAt).toBe('2026-04-10T12:00:00.000+00:00');
  });

  it('lists open requests for admins with pseudonyms only, and overdue ones once past their due date', async () => {
    const a = await erase('user-a');
    now = new Date('2026-03-25T12:00:00.000Z');
    const b = await erase('user-b');
    now = new Date('2026-04-11T00:00:00.000Z');

    const open = await admin('/requests');
    expect(open.status).toBe(200);
    expect(open.body.requests.map((r: { id: string; overdue: boolean }) => [r.id, r.overdue])).toEqual([[a.body.request.id, true], [b.body.request.id, false]]);
    expect(open.body.overdue).toBe(1);
    expect(open.body.requests[0].subject).toBe(setup.kit.pseudonym('user-a'));
    expect(JSON.stringify(open.body)).not.toMatch(/user-a|user-b/);

    const overdue = await admin('/requests?status=overdue');
    expect(overdue.body.requests.map((r: { id: string }) => r.id)).toEqual([a.body.request.id]);

    const mine = await request(setup.app).get(`/privacy/me/requests/${a.body.request.id}`).set('Authorization', bearer('user-a'));
    expect(mine.body.request.overdue).toBe(true);
  });

  it('no longer lists a request as open or overdue once completed', async () => {
    const a = await erase('user-a');
    await request(setup.app).post(`/privacy/admin/requests/${a.body.request.id}/steps/archive/complete`).set('Authorization', bearer('admin-1', ADMIN));
    now = new Date('2026-06-01T00:00:00.000Z');
    expect((await admin('/requests')).body.requests).toEqual([]);
    expect((await admin('/requests?status=overdue')).body.requests).toEqual([]);
    expect((await admin('/requests?status=all')).body.requests.map((r: { status: string; overdue: boolean }) => [r.status, r.overdue])).toEqual([['completed', false]]);
  });

  it('audits an admin reading the raw data of one request against that subject', async () => {
    const a = await erase('user-a');
    const res = await admin(`/requests/${a.body.request.id}`);
    expect(res.body.request.pending).toEqual({ subjectId: 'user-a' });
    const [record] = await t.store.readAudit({ actor: setup.kit.pseudonym('admin-1'), event: 'access' });
    expect(record).toEqual(expect.objectContaining({ subject: setup.kit.pseudonym('user-a'), route: '/privacy/admin/requests/:id', details: { kind: 'rights_request', requestId: a.body.request.id } }));
  });

  it('refuses the admin endpoints to callers without an admin role (403, audited) or a token (401)', async () => {
    const a = await erase('user-a');
    const forbidden = await admin('/requests', { roles: ['support'] });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toEqual({ error: 'forbidden' });
    const complete = await request(setup.app).post(`/privacy/admin/requests/${a.body.request.id}/steps/archive/complete`).set('Authorization', bearer('user-a'));
    expect(complete.status).toBe(403);
    expect((await t.store.getRightsRequest(a.body.request.id))?.status).toBe('waiting_manual');
    const denied = await t.store.readAudit({ event: 'denied' });
    expect(denied.map((r) => [r.route, r.reason, r.status])).toEqual([['/privacy/admin/requests', 'forbidden', 403], ['/privacy/admin/requests/:id/steps/:source/complete', 'forbidden', 403]]);
    expect((await request(setup.app).get('/privacy/admin/requests')).status).toBe(401);
  });

  it('accepts the roles of the adminRoles option', async () => {
    setup.kit.dispose();
    setup = appWith(t.store, { sources: { users: db.usersSource }, adminRoles: ['dpo'] });
    expect((await admin('/requests', { roles: ['dpo'] })).status).toBe(200);
    expect((await admin('/requests')).status).toBe(403);
  });

  it('answers 404 and 409 for steps that cannot be completed', async () => {
    const a = await erase('user-a');
    const id = a.body.request.id as string;
    const post = (path: string) => request(setup.app).post(`/privacy/admin/requests/${path}`).set('Authorization', bearer('admin-1', ADMIN));
    expect((await post('no-such-id/steps/archive/complete')).body).toEqual({ error: 'request_not_found' });
    expect((await post(`${id}/steps/nothing/complete`)).body).toEqual({ error: 'step_not_found' });
    // The users step ran already; a step that is not manual but not done either is completed with a reason (stuck-requests.test.ts).
    const done = await post(`${id}/steps/users/complete`);
    expect(done.status).toBe(409);
    expect(done.body).toEqual({ error: 'step_done', message: 'The step is already done.' });
  });

  it('answers 400 for an unknown list filter', async () => {
    const res = await admin('/requests?status=late');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_query');
  });

  it('does not resume an export', async () => {
    const exported = await request(setup.app).get('/privacy/me/export').set('Authorization', bearer('user-a'));
    const res = await request(setup.app).post(`/privacy/admin/requests/${exported.body.requestId}/resume`).set('Authorization', bearer('admin-1', ADMIN));
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'not_resumable', message: expect.stringMatching(/close this request with a reason/) });
  });
});
