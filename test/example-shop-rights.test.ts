import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import jwt from 'jsonwebtoken';
import winston from 'winston';
import { createShopApp, type Shop } from '../examples/shop/src/app';
import { JWT_AUDIENCE, JWT_ISSUER, loadConfig } from '../examples/shop/src/config';

describe('examples/shop: data subject rights, retention and GPC', () => {
  let dir: string;
  let shop: Shop;
  const config = { ...loadConfig({}), jwtSecret: 'test-only-jwt-secret-0123456789abcdefghij' };
  const tokenFor = (sub: string, roles: string[] = []) =>
    `Bearer ${jwt.sign({ sub, roles }, config.jwtSecret, { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE, expiresIn: '5m' })}`;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-shop-rights-'));
    const logger = winston.createLogger({ transports: [new winston.transports.Stream({ stream: new Writable({ write(_c, _e, done) { done(); } }) })] });
    shop = createShopApp({ ...config, dbFile: join(dir, 'shop.db') }, logger);
  });
  afterEach(async () => {
    await shop.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports the profile, the orders, the consents and the access log as one JSON document', async () => {
    await request(shop.app).get('/users/user-1').set('Authorization', tokenFor('staff-1', ['support'])).expect(200);
    const res = await request(shop.app).get('/privacy/me/export').set('Authorization', tokenFor('user-1'));
    expect(res.status).toBe(200);
    expect(res.body.sources.users.data).toEqual(expect.objectContaining({ id: 'user-1', email: 'user-1@example.com' }));
    expect(res.body.sources.orders.data.map((o: { id: string }) => o.id)).toEqual(['order-1001', 'order-1002']);
    expect(res.body.accessLog.map((e: { route: string; accessedBy: string }) => [e.route, e.accessedBy])).toEqual([
      ['/users/:id', 'someone else'],
      ['/privacy/me/export', 'you'],
    ]);
  });

  it('erases the profile, unlinks the orders kept for accounting, withdraws consents, and does it once', async () => {
    const auth = tokenFor('user-1');
    await request(shop.app).put('/privacy/me/consents/personalize.content').set('Authorization', auth).send({ granted: true, policyVersion: '2026-11' }).expect(200);

    const res = await request(shop.app).post('/privacy/me/erasure').set('Authorization', auth);

    expect(res.status).toBe(202);
    expect(res.body.request).toEqual(expect.objectContaining({ kind: 'erasure', status: 'completed', dueAt: expect.any(String) }));
    expect(await shop.data.userById('user-1')).toBeUndefined();
    expect(await shop.data.ordersOf('user-1')).toEqual([]);
    expect(await shop.data.orderById('order-1001')).toEqual(expect.objectContaining({ customerId: 'erased', shipTo: '', total: 12.5 }));
    expect((await request(shop.app).get('/me/recommendations').set('Authorization', auth)).status).toBe(403);
    const status = await request(shop.app).get(`/privacy/me/requests/${res.body.request.id}`).set('Authorization', auth);
    expect(status.body.request.status).toBe('completed');
    expect(JSON.stringify(await shop.store.readAudit())).not.toMatch(/user-1/);

    const again = await request(shop.app).post('/privacy/me/erasure').set('Authorization', auth);
    expect(again.body.request.status).toBe('completed');
    expect(await shop.data.userById('user-2')).toBeDefined();
  });

  it('corrects the profile, and refuses an invalid patch listing every problem', async () => {
    const auth = tokenFor('user-2');
    const bad = await request(shop.app).post('/privacy/me/rectification').set('Authorization', auth).send({ source: 'users', patch: { email: 'nope', id: 'user-9' } });
    expect(bad.status).toBe(400);
    expect(bad.body.problems.map((p: { property: string }) => p.property).sort()).toEqual(['patch.email', 'patch.id']);
    expect((await shop.data.userById('user-2'))?.email).toBe('user-2@example.com');

    const ok = await request(shop.app).post('/privacy/me/rectification').set('Authorization', auth).send({ source: 'users', patch: { email: 'two@example.com', city: 'Newtown' } });
    expect(ok.status).toBe(200);
    expect(await shop.data.userById('user-2')).toEqual(expect.objectContaining({ email: 'two@example.com', city: 'Newtown' }));
  });

  it('lets a privacy admin list requests', async () => {
    await request(shop.app).post('/privacy/me/erasure').set('Authorization', tokenFor('user-2'));
    const res = await request(shop.app).get('/privacy/admin/requests?status=all').set('Authorization', tokenFor('dpo-1', ['privacy-admin']));
    expect(res.status).toBe(200);
    expect(res.body.requests.map((r: { kind: string; status: string }) => [r.kind, r.status])).toEqual([['erasure', 'completed']]);
  });

  it('sweeps orders past their ten years and serves /.well-known/gpc.json', async () => {
    const report = await shop.kit.sweep({ now: new Date('2036-10-15T00:00:00Z') });
    expect(report.results).toEqual([expect.objectContaining({ source: 'orders', retention: '10y', removed: 2, status: 'done' })]);
    const kept = await Promise.all(['order-1001', 'order-1002', 'order-2001'].map(async (id) => ((await shop.data.orderById(id)) === undefined ? [] : [id])));
    expect(kept.flat()).toEqual(['order-1002']);
    await request(shop.app).get('/.well-known/gpc.json').expect(200, { gpc: true });
  });
});
