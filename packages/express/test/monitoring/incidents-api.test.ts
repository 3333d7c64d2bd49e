import request from 'supertest';
import { STORED_SCOPE_SUBJECTS_MAX, type Alert } from '@privacy-kit/core';
import { personalData } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

describe('the incident register API (/privacy/admin/incidents)', () => {
  let temp: TempStore;
  beforeEach(() => { temp = tempStore(); });
  afterEach(async () => { await temp.cleanup(); });

  function supportApp(contacts?: (subjects: readonly string[]) => Promise<{ subject: string; contact: unknown }[]>) {
    const alerts: Alert[] = [];
    const { app, kit } = appWith(temp.store, {
      monitoring: { rules: { massAccess: { threshold: 5, windowMs: 60_000 } }, onAlert: (alert) => { alerts.push(alert); } },
      ...(contacts === undefined ? {} : { incidents: { contacts } }),
    });
    app.get('/customers/:id', personalData({ categories: ['user.contact.email', 'user.health_and_medical'], purpose: 'essential.service', basis: 'contract', subject: (req) => req.params.id, roles: ['support'], specialCategoryCondition: 'health_care' }), (req, res) => {
      res.json({ id: req.params.id });
    });
    return { app, kit, alerts };
  }
  const admin = bearer('dpo-1', { roles: ['privacy-admin'] });

  async function breach(app: Parameters<typeof request>[0], kit: { monitoring: { flush(): Promise<void> } | undefined }, reads: number): Promise<void> {
    for (let n = 1; n <= reads; n++) await request(app).get(`/customers/customer-${n}`).set('Authorization', bearer('agent-1', { roles: ['support'] })).expect(200);
    await kit.monitoring?.flush();
  }

  it('opens an incident from an alert, computes its scope from the audit log and drafts the Art. 33 notification', async () => {
    const { app, kit, alerts } = supportApp();
    await breach(app, kit, 8);
    const opened = await request(app).post('/privacy/admin/incidents').set('Authorization', admin).send({ title: 'Agent read many customers', alertId: alerts.find((a) => a.rule === 'massAccess')?.id }).expect(201);
    const id = opened.body.incident.id as string;
    expect(opened.body.incident).toMatchObject({ status: 'open', alert: { rule: 'massAccess', actor: kit.pseudonym('agent-1') } });
    expect(Date.parse(opened.body.incident.deadline) - Date.parse(opened.body.incident.knownAt)).toBe(72 * 3600_000);
    const scoped = await request(app).post(`/privacy/admin/incidents/${id}/scope`).set('Authorization', admin).send({}).expect(200);
    expect(scoped.body.scope).toMatchObject({ subjects: 8, records: 8, special: true });
    const draft = await request(app).get(`/privacy/admin/incidents/${id}/draft?format=md`).set('Authorization', admin).expect(200);
    expect(draft.type).toBe('text/markdown');
    expect(draft.text).toMatch(/8/);
    expect(draft.text).toMatch(/user\.health_and_medical/);
    const json = await request(app).get(`/privacy/admin/incidents/${id}/draft`).set('Authorization', admin).expect(200);
    expect(JSON.stringify(json.body.draft)).toMatch(/user\.contact\.email/);
  });

  it('names the controller given to privacy({ incidents: { controller } }) in the draft', async () => {
    const { app } = appWith(temp.store, { incidents: { controller: { name: 'Example Clinic GmbH', dpo: 'dpo@clinic.example' } } });
    const id = (await request(app).post('/privacy/admin/incidents').set('Authorization', admin).send({ title: 'x' }).expect(201)).body.incident.id as string;
    const draft = await request(app).get(`/privacy/admin/incidents/${id}/draft?format=md`).set('Authorization', admin).expect(200);
    expect(draft.text).toMatch(/Example Clinic GmbH/);
    expect(draft.text).toMatch(/dpo@clinic\.example/);
  });

  it('appends every change and audits it: the events are never rewritten', async () => {
    const { app } = supportApp();
    const opened = await request(app).post('/privacy/admin/incidents').set('Authorization', admin).send({ title: 'Lost laptop' }).expect(201);
    const id = opened.body.incident.id as string;
    await request(app).post(`/privacy/admin/incidents/${id}/events`).set('Authorization', admin).send({ kind: 'status', data: { status: 'contained' } }).expect(201);
    await request(app).post(`/privacy/admin/incidents/${id}/events`).set('Authorization', admin).send({ kind: 'note', data: { text: 'Disk was encrypted.' } }).expect(201);
    const shown = await request(app).get(`/privacy/admin/incidents/${id}`).set('Authorization', admin).expect(200);
    expect(shown.body.incident.events.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'status', 'note']);
    expect(shown.body.incident.status).toBe('contained');
    const audited = await temp.store.readAudit({ event: 'incident' });
    expect(audited.map((r) => r.details?.operation)).toEqual(['opened', 'status', 'note']);
  });

  it("resolves the people to notify only through the app's resolver, and audits the resolution without the contacts", async () => {
    const resolved: string[][] = [];
    const { app, kit, alerts } = supportApp(async (subjects) => {
      resolved.push([...subjects]);
      return subjects.map((subject) => ({ subject, contact: `contact-of-${subject.slice(0, 8)}` }));
    });
    await breach(app, kit, 6);
    const id = (await request(app).post('/privacy/admin/incidents').set('Authorization', admin).send({ title: 'x', alertId: alerts.find((a) => a.rule === 'massAccess')?.id }).expect(201)).body.incident.id as string;
    await request(app).post(`/privacy/admin/incidents/${id}/scope`).set('Authorization', admin).send({}).expect(200);
    const list = await request(app).post(`/privacy/admin/incidents/${id}/notify-list`).set('Authorization', admin).expect(200);
    expect(list.body.subjects).toHaveLength(6);
    expect(list.body.contacts).toHaveLength(6);
    expect(resolved).toHaveLength(1);
    const audit = (await temp.store.readAudit({ event: 'incident' })).filter((r) => r.details?.operation === 'resolve-contacts');
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ requested: 6, resolved: 6 });
    expect(JSON.stringify(audit[0])).not.toMatch(/contact-of-/);
  });

  it('keeps a scope of more subjects than the register holds as counts, and computes its Art. 34 list again from the audit log', async () => {
    const { app } = supportApp();
    const many = STORED_SCOPE_SUBJECTS_MAX + 25;
    const time = new Date(Date.now() - 60_000).toISOString();
    for (let start = 0; start < many; start += 1000) {
      await Promise.all(Array.from({ length: Math.min(1000, many - start) }, (_, k) => temp.store.appendAudit({
        event: 'access', time, requestId: `seed-${start + k}`, appId: 'test-app', actor: 'psn_bulk-reader', subject: `psn_subject-${start + k}`, method: 'GET', route: '/customers/:id',
        purposes: ['essential.service'], basis: 'contract', categories: ['user.contact.email'], decision: 'allowed', reason: null, status: null, durationMs: null,
      })));
    }
    const id = (await request(app).post('/privacy/admin/incidents').set('Authorization', admin).send({ title: 'Bulk export by one account' }).expect(201)).body.incident.id as string;
    const scoped = await request(app).post(`/privacy/admin/incidents/${id}/scope`).set('Authorization', admin).send({ actor: 'psn_bulk-reader' }).expect(200);
    expect(scoped.body.scope.subjects).toBe(many);
    const shown = await request(app).get(`/privacy/admin/incidents/${id}`).set('Authorization', admin).expect(200);
    expect(shown.body.incident.scope).toMatchObject({ subjects: many, subjectsOmitted: true, subjectPseudonyms: [] });
    const list = await request(app).post(`/privacy/admin/incidents/${id}/notify-list`).set('Authorization', admin).expect(200);
    expect(list.body.subjects).toHaveLength(many);
  });

  it('answers 403 to a caller without an admin role, 404 for an unknown incident, 400 for a bad body', async () => {
    const { app } = supportApp();
    await request(app).get('/privacy/admin/incidents').set('Authorization', bearer('agent-1', { roles: ['support'] })).expect(403);
    await request(app).get('/privacy/admin/incidents/inc-20261205-unknown1').set('Authorization', admin).expect(404);
    const bad = await request(app).post('/privacy/admin/incidents').set('Authorization', admin).send({ name: 'x' }).expect(400);
    expect(bad.body.message).toMatch(/'title' must be a non-empty string/);
    const kind = await request(app).post('/privacy/admin/incidents/inc-20261205-unknown1/events').set('Authorization', admin).send({ kind: 'scope', data: {} }).expect(400);
    expect(kind.body.message).toMatch(/'kind' must be one of note, assessment, status/);
  });
});
