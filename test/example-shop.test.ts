import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import jwt from 'jsonwebtoken';
import winston from 'winston';
import { Writable } from 'node:stream';
import { createShopApp, type Shop } from '../examples/shop/src/app';
import { JWT_AUDIENCE, JWT_ISSUER, loadConfig } from '../examples/shop/src/config';
import { shopLogFormat } from '../examples/shop/src/logger';

describe('examples/shop end to end', () => {
  let dir: string;
  let shop: Shop;
  let lines: string[];
  const config = { ...loadConfig({}), jwtSecret: 'test-only-jwt-secret-0123456789abcdefghij' };
  const tokenFor = (sub: string, roles: string[] = []) =>
    `Bearer ${jwt.sign({ sub, roles }, config.jwtSecret, { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE, expiresIn: '5m' })}`;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-shop-'));
    lines = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const logger = winston.createLogger({ format: shopLogFormat(), transports: [new winston.transports.Stream({ stream: sink })] });
    shop = createShopApp({ ...config, dbFile: join(dir, 'shop.db') }, logger);
  });
  afterEach(async () => {
    await shop.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves /health without authentication or audit', async () => {
    await request(shop.app).get('/health').expect(200, { status: 'ok' });
    expect(await shop.store.readAudit()).toEqual([]);
  });

  it('serves the caller their own profile under the contract basis', async () => {
    const res = await request(shop.app).get('/me/profile').set('Authorization', tokenFor('user-1'));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe('user-1');
    const [record] = await shop.store.readAudit({ event: 'access' });
    expect(record).toEqual(expect.objectContaining({ route: '/me/profile', basis: 'contract', appId: 'shop' }));
  });

  it('lets only support staff look up another user', async () => {
    expect((await request(shop.app).get('/users/user-2').set('Authorization', tokenFor('user-1'))).body).toEqual({ error: 'forbidden' });
    const res = await request(shop.app).get('/users/user-2').set('Authorization', tokenFor('staff-1', ['support']));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe('user-2');
  });

  it('gates recommendations on consent, through the consent API', async () => {
    const auth = tokenFor('user-2');
    expect((await request(shop.app).get('/me/recommendations').set('Authorization', auth)).body).toEqual({ error: 'consent_required', purpose: 'personalize.content' });
    await request(shop.app).put('/privacy/me/consents/personalize.content').set('Authorization', auth).send({ granted: true, policyVersion: '2026-11' }).expect(200);
    const res = await request(shop.app).get('/me/recommendations').set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(res.body.recommendations.length).toBeGreaterThan(0);
  });

  it('serves orders from the decorated controller', async () => {
    const res = await request(shop.app).get('/me/orders').set('Authorization', tokenFor('user-1'));
    expect(res.status).toBe(200);
    expect(res.body.orders.map((o: { id: string }) => o.id)).toEqual(['order-1001', 'order-1002']);
  });

  it('keeps a verifiable audit chain across the whole session', async () => {
    await request(shop.app).get('/me/profile').set('Authorization', tokenFor('user-1'));
    await request(shop.app).get('/me/recommendations').set('Authorization', tokenFor('user-1'));
    await new Promise((r) => setTimeout(r, 30));
    expect(await shop.store.verifyAudit()).toEqual(expect.objectContaining({ ok: true }));
  });

  it('logs its request line with the caller e-mail and IP redacted', async () => {
    await request(shop.app).get('/me/profile').set('Authorization', tokenFor('user-1')).set('X-Forwarded-For', '203.0.113.7');
    await new Promise((r) => setTimeout(r, 20));
    const line = lines.find((l) => l.includes('GET /me/profile'));
    expect(line).toBeDefined();
    expect(line).toContain('[REDACTED:email]');
    expect(line).toMatch(/\[REDACTED:ip/);
    expect(line).not.toContain('user-1@example.com');
    expect(line).not.toContain('203.0.113.7');
  });

  it('checks its own route declarations without problems', () => {
    expect(shop.kit.checkRoutes(shop.app)).toEqual([]);
  });
});
