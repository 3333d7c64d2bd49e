import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { createShopApp, type Shop } from '../examples/shop/src/app';
import { quietLogger, shopStarter } from './support/shop-harness';
import { defaultShopDbFile, loadConfig, type ShopConfig } from '../examples/shop/src/config';
import { Order } from '../examples/shop/src/models/order.dto';
import { UserProfile } from '../examples/shop/src/models/user-profile.dto';

describe('examples/shop keeps its users and orders in a SQLite file of its own', () => {
  let dir: string;
  let config: ShopConfig;
  const shops = shopStarter(() => config);
  const { started } = shops;
  const tokenFor = (sub: string): string => shops.bearer(sub);
  const start = (): Shop => shops.start();
  const readShopFile = <T>(sql: string, ...params: unknown[]): T[] => {
    const db = new Database(join(dir, 'shop-data.db'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-shop-storage-'));
    config = { ...loadConfig({}), jwtSecret: 'test-only-jwt-secret-0123456789abcdefghij', dbFile: join(dir, 'privacy-kit.db') };
  });
  afterEach(async () => {
    for (const shop of started.splice(0)) await shop.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts the shop database next to the privacy-kit store by default, or where SHOP_DB_FILE says', () => {
    expect(loadConfig({}).shopDbFile).toBeUndefined();
    expect(loadConfig({ SHOP_DB_FILE: '/srv/shop/orders.db' }).shopDbFile).toBe('/srv/shop/orders.db');
    expect(defaultShopDbFile(join(dir, 'privacy-kit.db'))).toBe(join(dir, 'shop-data.db'));
    expect(defaultShopDbFile(':memory:')).toBe(':memory:');
  });

  it('refuses to keep the shop data in the privacy-kit store\'s own file, saying which variable to set', () => {
    expect(() => createShopApp({ ...config, shopDbFile: config.dbFile }, quietLogger())).toThrow(/examples\/shop: SHOP_DB_FILE .*must not be the privacy-kit store's file/);
  });

  it('stores the profiles and orders as rows of the shop file, not in the privacy-kit store', async () => {
    const shop = start();
    await request(shop.app).get('/me/orders').set('Authorization', tokenFor('user-1')).expect(200);

    expect(readShopFile<{ id: string }>('SELECT id FROM users ORDER BY id')).toEqual([{ id: 'user-1' }, { id: 'user-2' }]);
    expect(readShopFile<{ id: string; customer_id: string }>('SELECT id, customer_id FROM orders ORDER BY id')).toEqual([
      { id: 'order-1001', customer_id: 'user-1' },
      { id: 'order-1002', customer_id: 'user-1' },
      { id: 'order-2001', customer_id: 'user-2' },
    ]);
    const store = new Database(config.dbFile, { readonly: true, fileMustExist: true });
    try {
      expect(store.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('users', 'orders')").all()).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('writes a user added through the API shape to the file, and reads rows back as UserProfile and Order instances', async () => {
    const shop = start();
    await shop.data.addUser({ id: 'user-3', name: 'Test User Three', email: 'user-3@example.com' });
    await shop.data.addOrder({ id: 'order-3001', customerId: 'user-3', lines: [{ sku: 'PEN-1', quantity: 3, unitPrice: 1.5 }], total: 4.5, shipTo: '3 Test Street', placedAt: '2026-12-01T08:00:00Z' });

    expect(readShopFile<{ email: string; street: string | null }>('SELECT email, street FROM users WHERE id = ?', 'user-3')).toEqual([{ email: expect.stringMatching(/^pk1\./), street: null }]);
    expect(await shop.data.userById('user-3')).toBeInstanceOf(UserProfile);
    expect(await shop.data.userById('user-3')).toEqual(Object.assign(new UserProfile(), { id: 'user-3', name: 'Test User Three', email: 'user-3@example.com' }));
    const [order] = await shop.data.ordersOf('user-3');
    expect(order).toBeInstanceOf(Order);
    expect(order?.lines).toEqual([{ sku: 'PEN-1', quantity: 3, unitPrice: 1.5 }]);
  });

  it('seeds the demo users and orders on the first start only: an erasure survives a restart', async () => {
    const first = start();
    await request(first.app).post('/privacy/me/erasure').set('Authorization', tokenFor('user-1')).expect(202);
    await first.close();

    const second = start();
    expect(await second.data.userById('user-1')).toBeUndefined();
    expect(await second.data.userById('user-2')).toBeDefined();
    expect(await second.data.orderById('order-1001')).toEqual(expect.objectContaining({ customerId: 'erased', shipTo: '' }));
    expect(readShopFile<{ n: number }>('SELECT count(*) AS n FROM orders')).toEqual([{ n: 3 }]);
    expect((await request(second.app).get('/me/profile').set('Authorization', tokenFor('user-1'))).status).toBe(404);
  });

  it('keeps a rectification across a restart', async () => {
    const first = start();
    await request(first.app).post('/privacy/me/rectification').set('Authorization', tokenFor('user-2')).send({ source: 'users', patch: { city: 'Newtown', postalCode: '00099' } }).expect(200);
    await first.close();

    const second = start();
    const res = await request(second.app).get('/me/profile').set('Authorization', tokenFor('user-2'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ id: 'user-2', city: 'Newtown', postalCode: '00099', email: 'user-2@example.com' }));
  });

  it('keeps a retention purge across a restart', async () => {
    const first = start();
    await first.kit.sweep({ now: new Date('2036-10-15T00:00:00Z') });
    await first.close();

    const second = start();
    expect(readShopFile<{ id: string }>('SELECT id FROM orders ORDER BY id')).toEqual([{ id: 'order-1002' }]);
    expect((await second.data.ordersOf('user-1')).map((o) => o.id)).toEqual(['order-1002']);
  });

  it('closes the shop database with the app', async () => {
    const shop = start();
    await shop.close();
    await expect(shop.data.userById('user-1')).rejects.toThrow(/database connection is not open/);
  });

  it('keeps a throwaway shop in memory when the store is in memory', async () => {
    const shop = createShopApp({ ...config, dbFile: ':memory:' }, quietLogger());
    started.push(shop);
    await request(shop.app).get('/me/profile').set('Authorization', tokenFor('user-1')).expect(200);
    expect(shop.data.filename).toBe(':memory:');
  });
});
