import express from 'express';
import request from 'supertest';
import { inventoryOf, personalData, type PrivacyKit } from '@privacy-kit/express';
import { appWith, tempStore, token, type TempStore } from '../support/test-app';

const byEmail = (req: express.Request) => (req.body as { email?: unknown } | undefined)?.email;

describe('drift detection on a login route that returns a token', () => {
  let t: TempStore;
  let kit: PrivacyKit;
  beforeEach(() => { t = tempStore(); });
  afterEach(async () => {
    kit.dispose();
    await t.cleanup();
  });

  async function loginRoute(categories: readonly string[]) {
    const built = appWith(t.store, { drift: true });
    kit = built.kit;
    built.app.use(express.json());
    built.app.post('/login', personalData({ categories, purpose: 'essential.service', basis: 'contract', caller: 'anonymous', subject: byEmail }), function login(_req, res) {
      res.json({ token: token('user-1') });
    });
    await request(built.app).post('/login').send({ email: 'person-1@example.test', password: 'generated-password' }).expect(200);
    return inventoryOf(built.app).routes.find((r) => r.id === 'POST /login');
  }

  it('does not count the token as undeclared when the login declares the credentials it processes', async () => {
    const login = await loginRoute(['user.contact.email', 'user.authorization.credentials']);
    expect(login?.observed?.categories).toContain('user.authorization.credentials');
    expect(login?.undeclared).toEqual([]);
    expect(login?.problems).toEqual([]);
  });

  it("covers the token with the parent category 'user.authorization' (password and token alike)", async () => {
    const login = await loginRoute(['user.contact.email', 'user.authorization']);
    expect(login?.undeclared).toEqual([]);
  });

  it('flags the token when the login declares only the e-mail address', async () => {
    const login = await loginRoute(['user.contact.email']);
    expect(login?.undeclared).toEqual(['user.authorization.credentials']);
  });
});
