import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { inventoryOf } from '@privacy-kit/express';
import { createMembersApp } from './members/members.app';
import { createMembersApp as createAdoptedMembersApp } from './members/members.adopted.app';
import { adoptionLines, lineChange } from './support/adoption-change';
import { adoptionEnv, auditOnceThere, type AdoptionEnv } from './support/adoption-env';

/**
 * A passport-style app (sessions turned into req.user = { id, email, role } with the role as one string) adopting
 * privacy-kit: its signup and login are declared as routes without an identified caller, its own routes as
 * ordinary ones, and privacy() identifies callers from req.user with no option at all.
 */
const HERE = __dirname;
const password = () => randomBytes(12).toString('hex');
const emailOf = (n: number) => `person-${n}-${randomBytes(3).toString('hex')}@example.test`;

describe('adopting privacy-kit in a passport-style app with signup and login', () => {
  it('takes only the README’s kinds of change: the import, app.use(privacy(...)), and a twin on each route', () => {
    const lines = adoptionLines(lineChange(join(HERE, 'members', 'members.app.ts'), join(HERE, 'members', 'members.adopted.app.ts')));
    expect(lines.other).toEqual([]);
    expect(lines.imports).toHaveLength(1);
    expect(lines.mounts).toEqual(['  app.use(privacy({ drift: true }));']);
    expect(lines.twinned).toHaveLength(4);
  });

  it('before adopting, serves any member’s record to any signed-in patient', async () => {
    const { app, db, addUser } = createMembersApp();
    const email = emailOf(1);
    const secret = password();
    const id = addUser(email, 'Member One', secret, 'patient');
    const { token } = (await request(app).post('/login').send({ email, password: secret })).body as { token: string };
    expect((await request(app).get(`/staff/patients/${id}`).set('Authorization', `Bearer ${token}`)).status).toBe(200);
    db.close();
  });

  describe('after the change', () => {
    let env: AdoptionEnv;
    let members: ReturnType<typeof createAdoptedMembersApp>;
    beforeEach(() => {
      env = adoptionEnv();
      members = createAdoptedMembersApp();
    });
    afterEach(async () => {
      await env.cleanup(members.app);
      members.db.close();
    });

    const login = async (email: string, secret: string): Promise<string> => {
      const res = await request(members.app).post('/login').send({ email, password: secret });
      expect(res.status).toBe(200);
      return `Bearer ${(res.body as { token: string }).token}`;
    };

    it('lets a stranger sign up (201) and audits it with no actor and the pseudonym of the e-mail address', async () => {
      const kit = env.kitOf(members.app);
      const email = emailOf(1);
      const res = await request(members.app).post('/signup').send({ email, password: password(), name: 'Member One' });
      expect(res.status).toBe(201);
      const [access, outcome] = await auditOnceThere(kit, 2);
      expect(access).toEqual(expect.objectContaining({ event: 'access', route: '/signup', actor: null, subject: kit.pseudonym(email), basis: 'contract' }));
      expect(outcome).toEqual(expect.objectContaining({ event: 'outcome', status: 201, actor: null }));
    });

    it('lets a member log in (200, a token) and audits it with no actor and the member as the subject', async () => {
      const kit = env.kitOf(members.app);
      const email = emailOf(2);
      const secret = password();
      const id = members.addUser(email, 'Member Two', secret, 'patient');
      await login(email, secret);
      const [access] = await auditOnceThere(kit, 1);
      expect(access).toEqual(expect.objectContaining({ event: 'access', route: '/login', actor: null, subject: kit.pseudonym(id) }));
    });

    it('audits a wrong password as an access with outcome 401 (the app’s own answer)', async () => {
      const kit = env.kitOf(members.app);
      const email = emailOf(3);
      members.addUser(email, 'Member Three', password(), 'patient');
      expect((await request(members.app).post('/login').send({ email, password: password() })).status).toBe(401);
      const records = await auditOnceThere(kit, 2);
      expect(records.map((r) => [r.event, r.status])).toEqual([['access', null], ['outcome', 401]]);
    });

    it('answers 401 on /me without a session, and 200 with one, audited as the member reading their own data', async () => {
      const kit = env.kitOf(members.app);
      const email = emailOf(4);
      const secret = password();
      const id = members.addUser(email, 'Member Four', secret, 'patient');
      expect((await request(members.app).get('/me')).status).toBe(401);
      const session = await login(email, secret);
      const res = await request(members.app).get('/me').set('Authorization', session);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ name: 'Member Four', email });
      const mine = (await auditOnceThere(kit, 5)).filter((r) => r.route === '/me');
      expect(mine.map((r) => [r.event, r.status, r.actor, r.subject])).toEqual([
        ['denied', 401, null, null],
        ['access', null, kit.pseudonym(id), kit.pseudonym(id)],
        ['outcome', 200, kit.pseudonym(id), kit.pseudonym(id)],
      ]);
    });

    it('answers 403 to a patient (role: "patient") and 200 to staff (role: "staff") on the staff route', async () => {
      const kit = env.kitOf(members.app);
      const patientEmail = emailOf(5);
      const patientSecret = password();
      const patientId = members.addUser(patientEmail, 'Member Five', patientSecret, 'patient');
      const staffEmail = emailOf(6);
      const staffSecret = password();
      const staffId = members.addUser(staffEmail, 'Staff Six', staffSecret, 'staff');
      const asPatient = await request(members.app).get(`/staff/patients/${patientId}`).set('Authorization', await login(patientEmail, patientSecret));
      expect(asPatient.status).toBe(403);
      const asStaff = await request(members.app).get(`/staff/patients/${patientId}`).set('Authorization', await login(staffEmail, staffSecret));
      expect(asStaff.status).toBe(200);
      const staffRoute = (await auditOnceThere(kit, 7)).filter((r) => r.route === '/staff/patients/:id');
      expect(staffRoute.map((r) => [r.event, r.reason, r.actor, r.subject])).toEqual([
        ['denied', 'forbidden', kit.pseudonym(patientId), null],
        ['access', null, kit.pseudonym(staffId), kit.pseudonym(patientId)],
        ['outcome', null, kit.pseudonym(staffId), kit.pseudonym(patientId)],
      ]);
    });

    it('shows the member their login and the staff access in /privacy/me/access-log', async () => {
      const patientEmail = emailOf(7);
      const patientSecret = password();
      const patientId = members.addUser(patientEmail, 'Member Seven', patientSecret, 'patient');
      const staffEmail = emailOf(8);
      const staffSecret = password();
      members.addUser(staffEmail, 'Staff Eight', staffSecret, 'staff');
      await request(members.app).get(`/staff/patients/${patientId}`).set('Authorization', await login(staffEmail, staffSecret));
      const res = await request(members.app).get('/privacy/me/access-log').set('Authorization', await login(patientEmail, patientSecret));
      expect(res.status).toBe(200);
      const routes = (res.body as { entries: { route: string }[] }).entries.map((e) => e.route);
      expect(routes).toEqual(expect.arrayContaining(['/login', '/staff/patients/:id']));
    });

    it('does not report the token the login returns as undeclared personal data', async () => {
      const email = emailOf(9);
      const secret = password();
      members.addUser(email, 'Member Nine', secret, 'patient');
      await login(email, secret);
      const route = inventoryOf(members.app).routes.find((r) => r.id === 'POST /login');
      expect(route?.observed?.categories).toContain('user.authorization.credentials');
      expect(route?.undeclared).toEqual([]);
    });
  });
});
