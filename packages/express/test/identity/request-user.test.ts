import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import type { PrivacyKitError } from '@privacy-kit/core';
import { personalData, privacy, type PrivacyKit } from '@privacy-kit/express';
import { tempStore, type TempStore } from '../support/test-app';

/** An app whose own auth middleware sets req.user from the X-Test-User header (a JSON object), as passport would. */
function userApp(store: TempStore['store'], errors: PrivacyKitError[] = []): { app: express.Express; kit: PrivacyKit } {
  const app = express();
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('x-test-user');
    if (header !== undefined) (req as Request & { user?: unknown }).user = JSON.parse(header) as unknown;
    next();
  });
  const kit = privacy({ store, pseudonymKey: randomBytes(32), onError: (error) => errors.push(error) });
  app.use(kit);
  app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({ ok: true }); });
  app.get('/staff', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', roles: ['staff'] }), (_req, res) => { res.json({ ok: true }); });
  return { app, kit };
}

const as = (user: unknown) => JSON.stringify(user);

describe('identifying the caller from req.user when neither jwt nor identify is given', () => {
  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  it('takes req.user.id as the caller and audits its pseudonym as the actor', async () => {
    const { app, kit } = userApp(t.store);
    expect((await request(app).get('/me').set('x-test-user', as({ id: 'user-1' }))).status).toBe(200);
    const [access] = await t.store.readAudit();
    expect(access).toEqual(expect.objectContaining({ event: 'access', actor: kit.pseudonym('user-1'), subject: kit.pseudonym('user-1') }));
    kit.dispose();
  });

  it('takes req.user.sub when there is no id', async () => {
    const { app, kit } = userApp(t.store);
    expect((await request(app).get('/me').set('x-test-user', as({ sub: 'user-2' }))).status).toBe(200);
    expect((await t.store.readAudit())[0]?.actor).toBe(kit.pseudonym('user-2'));
    kit.dispose();
  });

  it('takes a numeric id as its decimal string', async () => {
    const { app, kit } = userApp(t.store);
    expect((await request(app).get('/me').set('x-test-user', as({ id: 42 }))).status).toBe(200);
    expect((await t.store.readAudit())[0]?.actor).toBe(kit.pseudonym('42'));
    kit.dispose();
  });

  it('takes a string role as the one role of the caller', async () => {
    const { app, kit } = userApp(t.store);
    expect((await request(app).get('/staff').set('x-test-user', as({ id: 'staff-1', role: 'staff' }))).status).toBe(200);
    kit.dispose();
  });

  it('takes an array of roles', async () => {
    const { app, kit } = userApp(t.store);
    expect((await request(app).get('/staff').set('x-test-user', as({ id: 'staff-1', roles: ['nurse', 'staff'] }))).status).toBe(200);
    kit.dispose();
  });

  it('answers 403 forbidden to a caller without the role', async () => {
    const { app, kit } = userApp(t.store);
    const res = await request(app).get('/staff').set('x-test-user', as({ id: 'user-1', role: 'patient' }));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'forbidden' });
    kit.dispose();
  });

  it('answers 401 not_authenticated without req.user', async () => {
    const { app, kit } = userApp(t.store);
    const res = await request(app).get('/me');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthenticated', reason: 'not_authenticated' });
    kit.dispose();
  });

  it('says once, through onError, where it looks for the caller when a request has no req.user', async () => {
    const errors: PrivacyKitError[] = [];
    const { app, kit } = userApp(t.store, errors);
    await request(app).get('/me');
    await request(app).get('/me');
    expect(errors.map((e) => e.code)).toEqual(['PK_CONFIG']);
    expect(errors[0]?.message).toMatch(/identifies callers from req\.user .*mount privacy\(\) after the middleware that sets req\.user/s);
    kit.dispose();
  });

  it('answers 500 privacy_misconfigured, and says why through onError, for a req.user without id or sub', async () => {
    const errors: PrivacyKitError[] = [];
    const { app, kit } = userApp(t.store, errors);
    const res = await request(app).get('/me').set('x-test-user', as({ name: 'someone' }));
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'privacy_misconfigured' });
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/req\.user has no usable 'id' or 'sub'.*identify: \(req\) =>/s)]);
    kit.dispose();
  });

  it("answers 500 privacy_misconfigured on privacy-kit's own API too, for a req.user without id or sub", async () => {
    const errors: PrivacyKitError[] = [];
    const { app, kit } = userApp(t.store, errors);
    const res = await request(app).get('/privacy/me/consents').set('x-test-user', as({ name: 'someone' }));
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'privacy_misconfigured' });
    expect(errors.map((e) => e.code)).toEqual(['PK_INVALID_OPTION']);
    kit.dispose();
  });

  it('answers 500 privacy_misconfigured for roles that are not a list of strings', async () => {
    const errors: PrivacyKitError[] = [];
    const { app, kit } = userApp(t.store, errors);
    const res = await request(app).get('/me').set('x-test-user', as({ id: 'user-1', roles: 'staff' }));
    expect(res.status).toBe(500);
    expect(errors[0]?.message).toMatch(/req\.user\.roles must be an array of strings/);
    kit.dispose();
  });

  it('never puts a value of req.user into its messages', async () => {
    const errors: PrivacyKitError[] = [];
    const { app, kit } = userApp(t.store, errors);
    const marker = `value-${randomBytes(4).toString('hex')}`;
    await request(app).get('/me').set('x-test-user', as({ email: marker, roles: [marker, 1] }));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).not.toContain(marker);
    kit.dispose();
  });
});
