import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { IsString } from 'class-validator';
import { PersonalData } from '@privacy-kit/core';
import type { DataSource, ManualStepNotice } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';
import { ADMIN, FakeDb } from './rights-fixtures';

/** A clinic's appointment: health data, which the clinic must keep as a medical record. */
class AppointmentRecord {
  @PersonalData({ category: 'user.health_and_medical' })
  @IsString()
  reason!: string;
}

const KEPT = 'medical records: kept 10 years under the professional code of conduct';

/** No request can get stuck: an admin re-plans it, completes a step with a reason, or closes it with a reason. */
describe('admin actions on stuck rights requests', () => {
  let t: TempStore;
  let db: FakeDb;
  let setup: ReturnType<typeof appWith>;
  let appointments: Map<string, string[]>;
  let appointmentsDown: boolean;
  let notices: ManualStepNotice[];
  let now: Date;

  const erasingAppointments = (): DataSource => ({
    model: AppointmentRecord,
    export: (id) => appointments.get(id) ?? [],
    erase: (id) => {
      if (appointmentsDown) throw new Error('appointments database down');
      appointments.delete(id);
    },
  });
  const keptAppointments = (): DataSource => ({ model: AppointmentRecord, export: (id) => appointments.get(id) ?? [], keepOnErasure: KEPT });

  /** The app's pseudonym key: the same across restarts, as in production. */
  const pseudonymKey = randomBytes(32);

  /** A (re)start of the app on the same store, with the sources as the app registers them now. */
  function start(sources: Record<string, DataSource>): void {
    setup?.kit.dispose();
    setup = appWith(t.store, { pseudonymKey, sources, rights: { clock: () => now, onManualStep: (n) => { notices.push(n); } } });
  }

  beforeEach(() => {
    t = tempStore();
    db = new FakeDb();
    appointments = new Map([['patient-1', ['2026-02-01 check-up']]]);
    appointmentsDown = false;
    notices = [];
    now = new Date('2026-03-10T12:00:00.000Z');
    start({ users: db.usersSource, appointments: erasingAppointments() });
  });
  afterEach(async () => {
    setup.kit.dispose();
    await t.cleanup();
  });

  const erase = (sub = 'patient-1') => request(setup.app).post('/privacy/me/erasure').set('Authorization', bearer(sub));
  const adminPost = (path: string, body?: object, roles = ADMIN) => {
    const req = request(setup.app).post(`/privacy/admin/requests/${path}`).set('Authorization', bearer('admin-1', roles));
    return body === undefined ? req : req.send(body);
  };
  const mine = (id: string, sub = 'patient-1') => request(setup.app).get(`/privacy/me/requests/${id}`).set('Authorization', bearer(sub));

  /** The clinic case up to where it got stuck: an open erasure whose appointments step failed, then the source switched to keepOnErasure. */
  async function stuckErasure(): Promise<string> {
    appointmentsDown = true;
    const first = await erase();
    expect(first.body.request).toEqual(expect.objectContaining({ status: 'open', steps: [expect.objectContaining({ source: 'users', status: 'done' }), expect.objectContaining({ source: 'appointments', status: 'failed' })] }));
    start({ users: db.usersSource, appointments: keptAppointments() });
    return first.body.request.id as string;
  }

  describe('the clinic case: a source switched to keepOnErasure while an erasure was open', () => {
    it('is still not closed by resuming, which says an admin can re-plan it or complete the step with a reason', async () => {
      const id = await stuckErasure();
      const resumed = await erase();
      expect(resumed.body.request).toEqual(expect.objectContaining({ id, status: 'open' }));
      expect(resumed.body.request.error).toMatch(/source 'appointments' has no erase\(\) any more; an admin can re-plan the request .*or complete the step with a reason/);
    });

    it('closes when an admin re-plans it: the step becomes a kept source with its legal reason', async () => {
      const id = await stuckErasure();
      const res = await adminPost(`${id}/replan`, { reason: 'Appointments are medical records now.' });
      expect(res.status).toBe(200);
      expect(res.body.request).toEqual(expect.objectContaining({
        id,
        status: 'completed',
        error: null,
        steps: [expect.objectContaining({ source: 'users', status: 'done' })],
        retained: [{ source: 'appointments', reason: KEPT }],
      }));
      expect(appointments.has('patient-1')).toBe(true);
    });

    it('shows the person the re-plan with its time, what changed and the reason', async () => {
      const id = await stuckErasure();
      await adminPost(`${id}/replan`, { reason: 'Appointments are medical records now.' });
      const res = await mine(id);
      expect(res.status).toBe(200);
      expect(res.body.request.history).toEqual([{
        time: '2026-03-10T12:00:00.000+00:00',
        action: 'replanned',
        reason: 'Appointments are medical records now.',
        changes: [{ source: 'appointments', from: 'failed', to: 'kept' }],
      }]);
      expect(res.body.request.status).toBe('completed');
    });

    it('closes when an admin completes the failed step with a reason instead', async () => {
      const id = await stuckErasure();
      const res = await adminPost(`${id}/steps/appointments/complete`, { reason: 'Kept as medical records; the patient was told by letter.' });
      expect(res.status).toBe(200);
      expect(res.body.request).toEqual(expect.objectContaining({ status: 'completed', steps: [expect.objectContaining({ status: 'done' }), expect.objectContaining({ source: 'appointments', status: 'done', completedAt: expect.any(String) })] }));
      const seen = await mine(id);
      expect(seen.body.request.history).toEqual([{ time: expect.any(String), action: 'step_completed', source: 'appointments', reason: 'Kept as medical records; the patient was told by letter.' }]);
    });

    it('drops the raw identifier once the request is done', async () => {
      const id = await stuckErasure();
      await adminPost(`${id}/replan`, { reason: 'Appointments are medical records now.' });
      expect(JSON.stringify(await t.store.getRightsRequest(id))).not.toContain('patient-1');
    });
  });

  it('audits every admin action under the admin and the person, with a keyed digest of the reason instead of its text', async () => {
    const id = await stuckErasure();
    const reason = 'Appointments are medical records now.';
    await adminPost(`${id}/replan`, { reason });
    const records = await t.store.readAudit({ actor: setup.kit.pseudonym('admin-1'), event: 'rights' });
    const replanned = records.find((r) => r.details?.action === 'replanned');
    expect(replanned).toEqual(expect.objectContaining({
      subject: setup.kit.pseudonym('patient-1'),
      route: '/privacy/admin/requests/:id/replan',
      details: { requestId: id, kind: 'erasure', action: 'replanned', changes: 'appointments:failed>kept', reasonMac: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) },
    }));
    expect(records.map((r) => r.details?.status).filter(Boolean)).toEqual(['completed']);
    expect(JSON.stringify(await t.store.readAudit())).not.toContain('medical records now');
  });

  it('gives the same reason the same digest and another reason another one', async () => {
    const id = await stuckErasure();
    await adminPost(`${id}/steps/appointments/complete`, { reason: 'same words' });
    db.failing.add('users.erase');
    const other = (await erase('user-a')).body.request.id as string;
    await adminPost(`${other}/close`, { reason: 'same words' });
    const third = (await erase('user-b')).body.request.id as string;
    await adminPost(`${third}/close`, { reason: 'other words' });
    const macs = (await t.store.readAudit({ actor: setup.kit.pseudonym('admin-1') })).map((r) => r.details?.reasonMac).filter((m) => m !== undefined);
    expect(macs).toHaveLength(3);
    expect(macs[0]).toBe(macs[1]);
    expect(macs[2]).not.toBe(macs[0]);
  });

  describe('closing a request with a reason', () => {
    it('closes an unfinished request: status closed, steps as they were, raw identifier dropped, shown to the person', async () => {
      const id = await stuckErasure();
      const res = await adminPost(`${id}/close`, { reason: 'The patient withdrew the request by phone.' });
      expect(res.status).toBe(200);
      expect(res.body.request).toEqual(expect.objectContaining({ id, status: 'closed', steps: [expect.objectContaining({ status: 'done' }), expect.objectContaining({ source: 'appointments', status: 'failed' })] }));
      expect(JSON.stringify(await t.store.getRightsRequest(id))).not.toContain('patient-1');
      const seen = await mine(id);
      expect(seen.body.request.status).toBe('closed');
      expect(seen.body.request.history).toEqual([{ time: expect.any(String), action: 'closed', reason: 'The patient withdrew the request by phone.' }]);
    });

    it('no longer lists a closed request as open or overdue', async () => {
      const id = await stuckErasure();
      await adminPost(`${id}/close`, { reason: 'Duplicate of another request.' });
      now = new Date('2026-06-01T00:00:00.000Z');
      const open = await request(setup.app).get('/privacy/admin/requests?status=overdue').set('Authorization', bearer('admin-1', ADMIN));
      expect(open.body.requests).toEqual([]);
      expect((await mine(id)).body.request.overdue).toBe(false);
    });

    it('treats a closed request as finished: no resume, re-plan, step or second close; the next erasure opens a new request', async () => {
      const id = await stuckErasure();
      await adminPost(`${id}/close`, { reason: 'Duplicate of another request.' });
      for (const path of [`${id}/resume`, `${id}/replan`, `${id}/close`, `${id}/steps/appointments/complete`]) {
        const res = await adminPost(path, { reason: 'again' });
        expect([path, res.status, res.body.error]).toEqual([path, 409, 'request_finished']);
      }
      const next = await erase();
      expect(next.body.resumed).toBe(false);
      expect(next.body.request.id).not.toBe(id);
    });

    it('closes an export that could not be answered', async () => {
      appointmentsDown = true;
      start({ users: db.usersSource, appointments: { ...erasingAppointments(), export: () => { throw new Error('down'); } } });
      const exported = await request(setup.app).get('/privacy/me/export').set('Authorization', bearer('patient-1'));
      const id = exported.body.request.id as string;
      expect((await adminPost(`${id}/replan`, { reason: 'try again' })).body.error).toBe('not_resumable');
      const closed = await adminPost(`${id}/close`, { reason: 'Answered by post.' });
      expect(closed.body.request.status).toBe('closed');
    });
  });

  describe('re-planning', () => {
    it('adds a source registered since the request was made, runs it, and says so in the history', async () => {
      db.failing.add('users.erase');
      const first = await erase();
      db.failing.clear();
      start({ users: db.usersSource, appointments: erasingAppointments(), archive: db.archiveSource });
      const res = await adminPost(`${first.body.request.id}/replan`, { reason: 'The paper archive was registered.' });
      expect(res.body.request).toEqual(expect.objectContaining({ status: 'waiting_manual', steps: [
        expect.objectContaining({ source: 'users', status: 'done' }),
        expect.objectContaining({ source: 'appointments', status: 'done' }),
        { source: 'archive', status: 'manual' },
      ] }));
      expect(res.body.request.history[0].changes).toEqual([{ source: 'users', from: 'failed', to: 'pending' }, { source: 'archive', from: 'absent', to: 'manual' }]);
      expect(notices).toEqual([{ requestId: first.body.request.id, kind: 'erasure', source: 'archive', dueAt: first.body.request.dueAt }]);
    });

    it('leaves a step whose source is no longer registered as it is, for an admin to complete with a reason', async () => {
      appointmentsDown = true;
      const first = await erase();
      start({ users: db.usersSource });
      const res = await adminPost(`${first.body.request.id}/replan`, { reason: 'Appointments moved to another system.' });
      expect(res.body.request).toEqual(expect.objectContaining({ status: 'open', steps: [expect.objectContaining({ status: 'done' }), expect.objectContaining({ source: 'appointments', status: 'failed' })] }));
      expect(res.body.request.history[0].changes).toEqual([]);
      const done = await adminPost(`${first.body.request.id}/steps/appointments/complete`, { reason: 'Erased by hand in the new system.' });
      expect(done.body.request.status).toBe('completed');
    });
  });

  describe('completing a step', () => {
    it('refuses an automatic step without a reason, saying how to complete it', async () => {
      const id = await stuckErasure();
      const res = await adminPost(`${id}/steps/appointments/complete`);
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: 'step_not_manual', message: expect.stringMatching(/send \{"reason": "\.\.\."\}/) });
      expect((await t.store.getRightsRequest(id))?.status).toBe('open');
    });

    it('answers 409 step_done for a step that is already done', async () => {
      const id = await stuckErasure();
      const res = await adminPost(`${id}/steps/users/complete`, { reason: 'again' });
      expect(res.status).toBe(409);
      expect(res.body.error).toBe('step_done');
    });
  });

  describe('the reason', () => {
    it.each([
      ['missing', {}],
      ['empty', { reason: '   ' }],
      ['not a string', { reason: 42 }],
      ['longer than 500 characters', { reason: 'x'.repeat(501) }],
    ])('is required: a reason that is %s answers 400 and changes nothing', async (_name, body) => {
      const id = await stuckErasure();
      const res = await adminPost(`${id}/close`, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'invalid_body', problems: [{ property: 'reason', messages: [expect.stringMatching(/^reason must say why, in 1 to 500 characters; the person sees it/)] }] });
      expect((await t.store.getRightsRequest(id))?.status).toBe('open');
    });

    it('refuses other properties in the body', async () => {
      const id = await stuckErasure();
      const res = await adminPost(`${id}/close`, { reason: 'ok', force: true });
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([{ property: 'force', messages: ["'force' is not allowed; send only \"reason\""] }]);
    });

    it('is kept without control characters, with runs of white space made one space', async () => {
      const id = await stuckErasure();
      await adminPost(`${id}/close`, { reason: ' Withdrawn\u0000 by\r\nphone\u202e.\t ' });
      expect((await mine(id)).body.request.history[0].reason).toBe('Withdrawn by phone .');
    });
  });

  it('refuses the new admin actions to callers without an admin role (403, audited)', async () => {
    const id = await stuckErasure();
    for (const path of [`${id}/replan`, `${id}/close`]) {
      const res = await adminPost(path, { reason: 'mine' }, { roles: ['support'] });
      expect(res.status).toBe(403);
    }
    expect((await t.store.getRightsRequest(id))?.status).toBe('open');
    expect((await t.store.readAudit({ event: 'denied' })).map((r) => r.route)).toEqual(['/privacy/admin/requests/:id/replan', '/privacy/admin/requests/:id/close']);
  });

  it('lets the app call the same actions through kit.rights', async () => {
    const id = await stuckErasure();
    const by = { requestId: 'job-1', actor: setup.kit.pseudonym('dpo-1'), method: null, route: null };
    const outcome = await setup.kit.rights.replan(id, 'Appointments are medical records now.', by);
    expect(outcome).toEqual({ ok: true, request: expect.objectContaining({ status: 'completed' }) });
    expect(await setup.kit.rights.close(id, 'again', by)).toEqual({ ok: false, status: 409, error: 'request_finished' });
  });
});
