import express from 'express';
import request from 'supertest';
import { personalData, privacyInfo, type PrivacyKit } from '@privacy-kit/express';
import { appWith, bearer, token, tempStore, type TempStore } from '../support/test-app';

const SIGNUP = { categories: ['user.contact.email', 'user.authorization.password'], purpose: 'essential.service', basis: 'contract' } as const;
const byEmail = (req: express.Request) => (req.body as { email?: unknown } | undefined)?.email;

/** The store's records once there are `count` of them (the outcome record follows the response). */
async function recordsOnceThere(t: TempStore, count: number): Promise<Awaited<ReturnType<TempStore['store']['readAudit']>>> {
  for (let tries = 0; ; tries++) {
    const records = await t.store.readAudit();
    if (records.length >= count || tries === 200) return records;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("routes without an identified caller (caller: 'anonymous' | 'optional')", () => {
  let t: TempStore;
  let kit: PrivacyKit;
  let app: express.Express;
  let seen: unknown[];

  beforeEach(() => {
    t = tempStore();
    seen = [];
    ({ app, kit } = appWith(t.store));
    app.use(express.json());
    const handler = (req: express.Request, res: express.Response) => {
      seen.push(privacyInfo(req));
      res.status(201).json({ ok: true });
    };
    app.post('/signup', personalData({ ...SIGNUP, caller: 'anonymous', subject: byEmail }), handler);
    app.post('/contact', personalData({ categories: ['user.contact.email'], purpose: 'essential.service', basis: 'legitimate_interests', caller: 'optional', subject: byEmail }), handler);
    app.post('/newsletter', personalData({ categories: ['user.contact.email'], purpose: 'marketing.communications.email', basis: 'consent', caller: 'anonymous', subject: byEmail }), handler);
  });
  afterEach(async () => {
    kit.dispose();
    await t.cleanup();
  });

  it('lets a request without a token through an anonymous route', async () => {
    const res = await request(app).post('/signup').send({ email: 'person-1@example.test' });
    expect(res.status).toBe(201);
  });

  it('audits an anonymous route with no actor and the pseudonym of the subject the route names', async () => {
    await request(app).post('/signup').send({ email: 'person-1@example.test' });
    const records = await recordsOnceThere(t, 2);
    expect(records.map((r) => [r.event, r.actor, r.subject, r.route])).toEqual([
      ['access', null, kit.pseudonym('person-1@example.test'), '/signup'],
      ['outcome', null, kit.pseudonym('person-1@example.test'), '/signup'],
    ]);
  });

  it('never identifies the caller of an anonymous route, even with a valid token', async () => {
    await request(app).post('/signup').set('Authorization', bearer('user-a')).send({ email: 'person-1@example.test' });
    expect((await t.store.readAudit())[0]?.actor).toBeNull();
  });

  it('gives the handler the subject and no actor', async () => {
    await request(app).post('/signup').send({ email: 'person-1@example.test' });
    expect(seen).toEqual([expect.objectContaining({ subject: 'person-1@example.test', purposes: ['essential.service'] })]);
    expect(seen[0]).not.toHaveProperty('actor');
  });

  it('answers 400 subject_required, audited without an actor, when the route names nobody', async () => {
    const res = await request(app).post('/signup').send({});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'subject_required' });
    expect(seen).toEqual([]);
    const [denied] = await t.store.readAudit();
    expect(denied).toEqual(expect.objectContaining({ event: 'denied', reason: 'subject_required', actor: null, subject: null, status: 400 }));
  });

  it('audits the identified caller of an optional route as the actor', async () => {
    await request(app).post('/contact').set('Authorization', bearer('user-a')).send({ email: 'person-2@example.test' });
    const [access] = await t.store.readAudit();
    expect(access).toEqual(expect.objectContaining({ actor: kit.pseudonym('user-a'), subject: kit.pseudonym('person-2@example.test') }));
  });

  it('lets an optional route through without a token, with no actor', async () => {
    const res = await request(app).post('/contact').send({ email: 'person-2@example.test' });
    expect(res.status).toBe(201);
    expect((await t.store.readAudit())[0]?.actor).toBeNull();
  });

  it('treats a token that fails verification on an optional route as no caller', async () => {
    const expired = token('user-a', {}, { expiresIn: -60 });
    const res = await request(app).post('/contact').set('Authorization', `Bearer ${expired}`).send({ email: 'person-2@example.test' });
    expect(res.status).toBe(201);
    expect((await t.store.readAudit())[0]?.actor).toBeNull();
  });

  it("checks the named subject's consent on an anonymous consent route (403 consent_required without it)", async () => {
    const res = await request(app).post('/newsletter').send({ email: 'person-3@example.test' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'consent_required', purpose: 'marketing.communications.email' });
  });

  it('still answers 401 on routes that need a caller', async () => {
    app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({ ok: true }); });
    expect((await request(app).get('/me')).status).toBe(401);
  });

  it('refuses to start with an anonymous route that names no subject', () => {
    app.post('/login', personalData({ ...SIGNUP, caller: 'anonymous' }), (_req, res) => { res.end(); });
    expect(() => kit.assertRoutes()).toThrow(/POST \/login: caller: 'anonymous' needs a subject the route names/);
  });
});
