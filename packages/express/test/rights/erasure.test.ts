import request from 'supertest';
import type { PrivacyKitError } from '@privacy-kit/core';
import type { ManualStepNotice } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';
import { ADMIN, FakeDb } from './rights-fixtures';

describe('POST /privacy/me/erasure', () => {
  let t: TempStore;
  let db: FakeDb;
  let setup: ReturnType<typeof appWith>;
  let notices: ManualStepNotice[];
  const now = new Date('2026-01-31T09:00:00.000Z');

  function build(sources: Record<string, unknown>): ReturnType<typeof appWith> {
    setup?.kit.dispose();
    setup = appWith(t.store, { consentPurposes: ['personalize.content', 'marketing.communications.email'], sources: sources as never, rights: { clock: () => now, onManualStep: (n) => { notices.push(n); } } });
    return setup;
  }

  beforeEach(() => {
    t = tempStore();
    db = new FakeDb();
    notices = [];
    build({ users: db.usersSource, orders: db.ordersSource });
  });
  afterEach(async () => {
    setup.kit.dispose();
    await t.cleanup();
  });

  const erase = (sub = 'user-a') => request(setup.app).post('/privacy/me/erasure').set('Authorization', bearer(sub));

  it('answers 202 with the request id and a due date one month out, and runs every eraser', async () => {
    const res = await erase();
    expect(res.status).toBe(202);
    expect(res.body.resumed).toBe(false);
    // Received on 31 January: "one month" ends on the last day of February (Art. 12(3), Regulation 1182/71).
    expect(res.body.request).toEqual(expect.objectContaining({ id: expect.any(String), kind: 'erasure', status: 'completed', dueAt: '2026-02-28T09:00:00.000+00:00', overdue: false, error: null }));
    expect(res.headers.location).toBe(`/privacy/me/requests/${res.body.request.id}`);
    expect(db.calls).toEqual(['users.erase:user-a', 'orders.erase:user-a']);
    expect(db.users.has('user-a')).toBe(false);
    expect(db.orders.map((o) => o.customer)).toEqual(['user-b']);
    expect(db.users.has('user-b')).toBe(true);
  });

  it('withdraws every consent with method "erasure"', async () => {
    for (const purpose of ['personalize.content', 'marketing.communications.email']) {
      await request(setup.app).put(`/privacy/me/consents/${purpose}`).set('Authorization', bearer('user-a')).send({ granted: true, policyVersion: 'v1' });
    }
    await erase();
    const states = await t.store.currentConsents(setup.kit.pseudonym('user-a'));
    expect(states.map((s) => [s.purpose, s.granted, s.method]).sort()).toEqual([
      ['marketing.communications.email', false, 'erasure'],
      ['personalize.content', false, 'erasure'],
    ]);
  });

  it('keeps only pseudonyms in the audit and drops the raw identifier from the completed request', async () => {
    const res = await erase();
    const subject = setup.kit.pseudonym('user-a');
    const records = await t.store.readAudit({ subject });
    expect(records.filter((r) => r.event === 'rights').map((r) => r.details)).toEqual([
      { requestId: res.body.request.id, kind: 'erasure', stage: 'received' },
      { requestId: res.body.request.id, kind: 'erasure', source: 'users', step: 'done' },
      { requestId: res.body.request.id, kind: 'erasure', source: 'orders', step: 'done' },
      { requestId: res.body.request.id, kind: 'erasure', status: 'completed' },
    ]);
    expect(JSON.stringify(await t.store.readAudit())).not.toMatch(/user-a|alex/);
    const stored = await t.store.getRightsRequest(res.body.request.id);
    expect(stored?.subject).toBe(subject);
    expect(stored?.details).toEqual({ sources: ['users', 'orders'], retained: [], completedAt: expect.any(String) });
    expect(JSON.stringify(stored)).not.toContain('user-a');
  });

  it('leaves the request open with the error when an eraser fails, never reporting it done', async () => {
    db.failing.add('orders.erase');
    const res = await erase();
    expect(res.status).toBe(202);
    expect(res.body.request.status).toBe('open');
    expect(res.body.request.error).toMatch(/^erase\(\) of source 'orders' failed \(Error\)/);
    expect(res.body.request.steps).toEqual([
      expect.objectContaining({ source: 'users', status: 'done' }),
      { source: 'orders', status: 'failed', error: res.body.request.error },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('alex@example.com');
    const stored = await t.store.getRightsRequest(res.body.request.id);
    expect(stored?.status).toBe('open');
    expect(JSON.stringify(stored)).not.toContain('alex@example.com');
    const mine = await request(setup.app).get(`/privacy/me/requests/${res.body.request.id}`).set('Authorization', bearer('user-a'));
    expect(mine.body.request.status).toBe('open');
  });

  it('resumes the same request when asked again, running only the failed eraser', async () => {
    db.failing.add('orders.erase');
    const first = await erase();
    db.failing.clear();
    db.calls.length = 0;

    const second = await erase();

    expect(second.status).toBe(202);
    expect(second.body).toEqual({ request: expect.objectContaining({ id: first.body.request.id, status: 'completed', error: null }), resumed: true });
    expect(db.calls).toEqual(['orders.erase:user-a']);
    expect(await t.store.listRightsRequests({ subject: setup.kit.pseudonym('user-a') })).toHaveLength(1);
  });

  it('is idempotent: two erasures at once make one request and never run an eraser twice', async () => {
    let inFlight = 0;
    let most = 0;
    build({
      users: {
        ...db.usersSource,
        erase: async (id: string) => {
          most = Math.max(most, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 20));
          db.calls.push(`users.erase:${id}`);
          inFlight--;
        },
      },
      archive: db.archiveSource,
    });
    const [a, b] = await Promise.all([erase(), erase()]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.request.id).toBe(b.body.request.id);
    expect([a.body.resumed, b.body.resumed].sort()).toEqual([false, true]);
    expect(db.calls).toEqual(['users.erase:user-a']);
    expect(most).toBe(1);
    expect(await t.store.listRightsRequests({ subject: setup.kit.pseudonym('user-a') })).toHaveLength(1);
  });

  it('resumes an erasure that stopped half-way (the store failed after the first eraser) and finishes it', async () => {
    let failNextStepSave = true;
    const flaky = new Proxy(t.store, {
      get(target, key, receiver) {
        if (key === 'updateRightsRequest') {
          return (id: string, patch: { steps?: { status: string }[] }) => {
            if (failNextStepSave && patch.steps?.some((s) => s.status === 'done')) {
              failNextStepSave = false;
              return Promise.reject(new Error('disk full'));
            }
            return target.updateRightsRequest(id, patch as never);
          };
        }
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? (value).bind(target) : value;
      },
    });
    setup.kit.dispose();
    setup = appWith(flaky, { sources: { users: db.usersSource, orders: db.ordersSource } });

    const broken = await erase();
    expect(broken.status).toBe(503);
    const [stuck] = await t.store.listRightsRequests({ subject: setup.kit.pseudonym('user-a') });
    expect(stuck?.status).toBe('in_progress');
    db.calls.length = 0;

    const resumed = await erase();
    expect(resumed.body).toEqual({ request: expect.objectContaining({ id: stuck?.id, status: 'completed' }), resumed: true });
    // users.erase ran before the failed save and runs again: erasers are idempotent by contract.
    expect(db.calls).toEqual(['users.erase:user-a', 'orders.erase:user-a']);
  });

  it('opens a new request when asked again after a completed erasure, which erases nothing more', async () => {
    const first = await erase();
    const again = await erase();
    expect(again.body.resumed).toBe(false);
    expect(again.body.request.id).not.toBe(first.body.request.id);
    expect(again.body.request.status).toBe('completed');
    expect(db.users.has('user-b')).toBe(true);
  });

  it('queues a manual source for a person, tells onManualStep, and completes when an admin does the step', async () => {
    build({ users: db.usersSource, archive: db.archiveSource });
    const res = await erase();
    expect(res.status).toBe(202);
    expect(res.body.request.status).toBe('waiting_manual');
    expect(res.body.request.steps).toEqual([expect.objectContaining({ source: 'users', status: 'done' }), { source: 'archive', status: 'manual' }]);
    expect(notices).toEqual([{ requestId: res.body.request.id, kind: 'erasure', source: 'archive', dueAt: res.body.request.dueAt }]);

    const detail = await request(setup.app).get(`/privacy/admin/requests/${res.body.request.id}`).set('Authorization', bearer('admin-1', ADMIN));
    expect(detail.body.request.pending).toEqual({ subjectId: 'user-a' });

    const done = await request(setup.app).post(`/privacy/admin/requests/${res.body.request.id}/steps/archive/complete`).set('Authorization', bearer('admin-1', ADMIN));
    expect(done.status).toBe(200);
    expect(done.body.request).toEqual(expect.objectContaining({ status: 'completed', steps: [expect.objectContaining({ status: 'done' }), expect.objectContaining({ source: 'archive', status: 'done' })] }));
    const stored = await t.store.getRightsRequest(res.body.request.id);
    expect(JSON.stringify(stored)).not.toContain('user-a');
    const manualRecord = (await t.store.readAudit({ event: 'rights' })).find((r) => r.details?.manual === true);
    expect(manualRecord).toEqual(expect.objectContaining({ actor: setup.kit.pseudonym('admin-1'), subject: setup.kit.pseudonym('user-a') }));
  });

  it('lists sources that keep their data and why', async () => {
    build({ users: db.usersSource, invoices: { model: db.ordersSource.model, export: db.ordersSource.export, keepOnErasure: 'invoices: 10 years under tax law' } });
    const res = await erase();
    expect(res.body.request.status).toBe('completed');
    expect(res.body.request.retained).toEqual([{ source: 'invoices', reason: 'invoices: 10 years under tax law' }]);
    expect(res.body.request.steps.map((s: { source: string }) => s.source)).toEqual(['users']);
  });

  it('reports a step whose source is no longer registered as not found (PK_NOT_FOUND) and keeps the request open', async () => {
    db.failing.add('orders.erase');
    const first = await erase();
    db.failing.clear();
    const reported: PrivacyKitError[] = [];
    setup.kit.dispose();
    setup = appWith(t.store, { sources: { users: db.usersSource } as never, onError: (e) => { reported.push(e); } });
    const resumed = await request(setup.app).post(`/privacy/admin/requests/${first.body.request.id}/resume`).set('Authorization', bearer('admin-1', ADMIN));
    expect(resumed.body.request).toEqual(expect.objectContaining({ status: 'open', error: expect.stringContaining("source 'orders' has no erase() any more") }));
    expect(reported).toEqual([expect.objectContaining({ code: 'PK_NOT_FOUND' })]);
  });

  it('lets an admin resume a failed erasure', async () => {
    db.failing.add('users.erase');
    const res = await erase();
    db.failing.clear();
    const resumed = await request(setup.app).post(`/privacy/admin/requests/${res.body.request.id}/resume`).set('Authorization', bearer('admin-1', ADMIN));
    expect(resumed.status).toBe(200);
    expect(resumed.body.request.status).toBe('completed');
    expect(db.users.has('user-a')).toBe(false);
    const again = await request(setup.app).post(`/privacy/admin/requests/${res.body.request.id}/resume`).set('Authorization', bearer('admin-1', ADMIN));
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: 'request_finished' });
  });
});
