import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createPseudonymizer, deriveKey } from '@privacy-kit/core';
import { createSqliteStore } from '@privacy-kit/sqlite';
import { createClinicApp } from './clinic/clinic.app';
import { createClinicApp as createAdoptedClinicApp } from './clinic/clinic.adopted.app';
import { adoptionLines, lineChange } from './support/adoption-change';
import { adoptionEnv, auditOnceThere, type AdoptionEnv } from './support/adoption-env';

/**
 * A plain Express 5 app (not the example shop) adopting privacy-kit from the README alone: the README's three lines,
 * and nothing else, turn an API that served anyone's appointments into one that refuses strangers (401) and
 * patients (403), serves staff (200), and audits every decision.
 */
const HERE = __dirname;
const JWT_SECRET = randomBytes(32).toString('base64');
const ROUTE = '/api/v1/patients/:patientId/appointments';

/** The clinic's own tokens: no iss, no aud, one role as a string. */
const tokenFor = (sub: string, role: 'patient' | 'staff') => `Bearer ${jwt.sign({ sub, role }, JWT_SECRET, { algorithm: 'HS256', expiresIn: '5m' })}`;

function seed(db: ReturnType<typeof createClinicApp>['db']): void {
  db.prepare('INSERT INTO users (id, name, role) VALUES (?, ?, ?)').run('patient-1', 'Patient One', 'patient');
  db.prepare('INSERT INTO users (id, name, role) VALUES (?, ?, ?)').run('staff-1', 'Staff One', 'staff');
  db.prepare('INSERT INTO appointments (patient_id, starts_at, phone) VALUES (?, ?, ?)').run('patient-1', '2026-12-01T09:00:00Z', '+10000000001');
}

describe('adopting privacy-kit in a plain Express app with its own JWT auth and an /api/v1 router', () => {
  it('takes exactly the README’s three lines: the import, app.use(privacy()), and a twin on the route', () => {
    const lines = adoptionLines(lineChange(join(HERE, 'clinic', 'clinic.app.ts'), join(HERE, 'clinic', 'clinic.adopted.app.ts')));
    expect(lines.other).toEqual([]);
    expect(lines.imports).toHaveLength(1);
    expect(lines.mounts).toEqual(['  app.use(privacy());']);
    expect(lines.twinned).toHaveLength(1);
  });

  it('shows those three lines on the README’s first screen', () => {
    const firstScreen = readFileSync(join(HERE, '..', '..', 'README.md'), 'utf8').split('\n').slice(0, 40).join('\n');
    expect(firstScreen).toContain('npm install privacy-kit');
    expect(firstScreen).toContain("import { privacy, personalData } from 'privacy-kit';");
    expect(firstScreen).toContain('app.use(privacy());');
    expect(firstScreen).toMatch(/personalData\(\{ categories: /);
  });

  it('before adopting, serves anyone’s appointments to anyone', async () => {
    const { app, db } = createClinicApp(JWT_SECRET);
    seed(db);
    const res = await request(app).get('/api/v1/patients/patient-1/appointments');
    expect(res.status).toBe(200);
    db.close();
  });

  describe('after the three lines', () => {
    let env: AdoptionEnv;
    let clinic: ReturnType<typeof createAdoptedClinicApp>;
    beforeEach(() => {
      env = adoptionEnv();
      clinic = createAdoptedClinicApp(JWT_SECRET);
      seed(clinic.db);
    });
    afterEach(async () => {
      await env.cleanup(clinic.app);
      clinic.db.close();
    });

    it('answers 401 to a request without a token', async () => {
      const res = await request(clinic.app).get('/api/v1/patients/patient-1/appointments');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'unauthenticated', reason: 'not_authenticated' });
    });

    it('answers 403 to a patient (role: "patient" in the app’s own token)', async () => {
      const res = await request(clinic.app).get('/api/v1/patients/patient-1/appointments').set('Authorization', tokenFor('patient-1', 'patient'));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'forbidden' });
    });

    it('serves staff (role: "staff") the appointments', async () => {
      const res = await request(clinic.app).get('/api/v1/patients/patient-1/appointments').set('Authorization', tokenFor('staff-1', 'staff'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual([{ id: 1, startsAt: '2026-12-01T09:00:00Z', phone: '+10000000001' }]);
    });

    it('audits each decision under the full route pattern, with pseudonyms for the caller and the patient', async () => {
      const kit = env.kitOf(clinic.app);
      await request(clinic.app).get('/api/v1/patients/patient-1/appointments');
      await request(clinic.app).get('/api/v1/patients/patient-1/appointments').set('Authorization', tokenFor('patient-1', 'patient'));
      await request(clinic.app).get('/api/v1/patients/patient-1/appointments').set('Authorization', tokenFor('staff-1', 'staff'));
      const records = await auditOnceThere(kit, 4);
      expect(records.map((r) => ({ event: r.event, decision: r.decision, reason: r.reason, status: r.status, actor: r.actor, subject: r.subject, route: r.route }))).toEqual([
        { event: 'denied', decision: 'denied', reason: 'unauthenticated:not_authenticated', status: 401, actor: null, subject: null, route: ROUTE },
        { event: 'denied', decision: 'denied', reason: 'forbidden', status: 403, actor: kit.pseudonym('patient-1'), subject: null, route: ROUTE },
        { event: 'access', decision: 'allowed', reason: null, status: null, actor: kit.pseudonym('staff-1'), subject: kit.pseudonym('patient-1'), route: ROUTE },
        { event: 'outcome', decision: 'allowed', reason: null, status: 200, actor: kit.pseudonym('staff-1'), subject: kit.pseudonym('patient-1'), route: ROUTE },
      ]);
      expect(records[2]).toEqual(expect.objectContaining({ purposes: ['essential.service'], basis: 'contract', categories: ['user.name', 'user.contact.phone_number'] }));
      expect((await kit.store.verifyAudit()).ok).toBe(true);
    });

    it("keeps its records in PRIVACY_KIT_DB, chained with deriveKey(PRIVACY_KIT_SECRET, 'audit')", async () => {
      await request(clinic.app).get('/api/v1/patients/patient-1/appointments').set('Authorization', tokenFor('staff-1', 'staff'));
      const reader = createSqliteStore({ filename: join(env.dir, 'privacy-kit.db'), auditKey: deriveKey(env.secret, 'audit') });
      try {
        expect(await reader.verifyAudit()).toEqual(expect.objectContaining({ ok: true }));
        expect((await reader.readAudit())[0]?.route).toBe(ROUTE);
      } finally {
        await reader.close();
      }
    });

    it("pseudonymizes with deriveKey(PRIVACY_KIT_SECRET, 'pseudonym')", () => {
      expect(env.kitOf(clinic.app).pseudonym('patient-1')).toBe(createPseudonymizer(deriveKey(env.secret, 'pseudonym'))('patient-1'));
    });

    it('leaves routes without personal data alone', async () => {
      expect((await request(clinic.app).get('/api/v1/health')).status).toBe(200);
    });

    it('serves the consent API to the caller the app’s own auth identified (privacy() is mounted after it)', async () => {
      const res = await request(clinic.app).get('/privacy/me/consents').set('Authorization', tokenFor('patient-1', 'patient'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ consents: [] }));
    });
  });
});
