import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { createShopApp, type Shop } from '../examples/shop/src/app';
import { quietLogger, shopStarter } from './support/shop-harness';
import { loadConfig, type ShopConfig } from '../examples/shop/src/config';
import { UserProfile } from '../examples/shop/src/models/user-profile.dto';

interface PlantedUser {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly street: string;
  readonly city: string;
  readonly postalCode: string;
  readonly dateOfBirth: string;
  readonly shipTo: string;
}

describe('examples/shop encrypts its personal data at rest', () => {
  let dir: string;
  let config: ShopConfig;
  let shopFile: string;
  const shops = shopStarter(() => config);
  const { started } = shops;
  const tokenFor = (sub: string): string => shops.bearer(sub);
  const start = (): Shop => shops.start();
  const planted = (): PlantedUser => {
    const tag = randomBytes(6).toString('hex');
    return {
      id: `user-${tag}`,
      name: `Planted Name ${tag}`,
      email: `planted-${tag}@example.test`,
      street: `${tag} Planted Street`,
      city: `Planted City ${tag}`,
      postalCode: `P${tag}`,
      // A date no demo or other planted user has: the day is fixed, the year random.
      dateOfBirth: `${1900 + randomBytes(1).readUInt8(0)}-07-2${randomBytes(1).readUInt8(0) % 10}`,
      shipTo: `${tag} Planted Delivery Road`,
    };
  };
  const addCustomer = async (shop: Shop, user: PlantedUser): Promise<void> => {
    const { shipTo, ...profile } = user;
    await shop.data.addUser(profile);
    await shop.data.addOrder({ id: `order-${user.id}`, customerId: user.id, lines: [{ sku: 'PEN-1', quantity: 1, unitPrice: 1.5 }], total: 1.5, shipTo, placedAt: '2026-12-01T08:00:00Z' });
  };
  const readRow = (file: string, id: string): Record<string, unknown> => {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT name, email, street, city, postal_code AS postalCode, date_of_birth AS dateOfBirth FROM users WHERE id = ?').get(id) as Record<string, unknown>;
    } finally {
      db.close();
    }
  };
  const asProfile = (id: string, row: Record<string, unknown>): UserProfile => Object.assign(new UserProfile(), { id, ...row });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-shop-encryption-'));
    config = { ...loadConfig({}), jwtSecret: 'test-only-jwt-secret-0123456789abcdefghij', privacySecret: randomBytes(32).toString('hex'), dbFile: join(dir, 'privacy-kit.db') };
    shopFile = join(dir, 'shop-data.db');
  });
  afterEach(async () => {
    for (const shop of started.splice(0)) await shop.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds no planted personal value in the clear in the shop file or its WAL', async () => {
    const shop = start();
    const users = [planted(), planted()];
    for (const user of users) await addCustomer(shop, user);
    const corrected = planted();
    const first = users[0] as PlantedUser;
    await request(shop.app).get('/me/profile').set('Authorization', tokenFor(first.id)).expect(200);
    await request(shop.app).get('/me/orders').set('Authorization', tokenFor(first.id)).expect(200);
    await request(shop.app).post('/privacy/me/rectification').set('Authorization', tokenFor(first.id)).send({ source: 'users', patch: { city: corrected.city, email: corrected.email } }).expect(200);
    await request(shop.app).get('/privacy/me/export').set('Authorization', tokenFor(first.id)).expect(200);
    // Read the WAL as the running app left it, then the file once closing checkpointed it.
    const wal = existsSync(`${shopFile}-wal`) ? readFileSync(`${shopFile}-wal`) : Buffer.alloc(0);
    await shop.close();
    const bytes = Buffer.concat([readFileSync(shopFile), wal, existsSync(`${shopFile}-wal`) ? readFileSync(`${shopFile}-wal`) : Buffer.alloc(0)]);

    const values = [...users, corrected].flatMap((u) => [u.name, u.email, u.street, u.city, u.postalCode, u.dateOfBirth, u.shipTo]);
    expect(values.filter((value) => bytes.includes(Buffer.from(value, 'utf8')))).toEqual([]);
    // The ids are in the clear (they are the keys): the scan does find what is there.
    expect(bytes.includes(Buffer.from(first.id, 'utf8'))).toBe(true);
  });

  it('exports the encrypted fields opened, through the rights API', async () => {
    const shop = start();
    const user = planted();
    await addCustomer(shop, user);

    const res = await request(shop.app).get('/privacy/me/export').set('Authorization', tokenFor(user.id));

    expect(res.status).toBe(200);
    const { shipTo, ...profile } = user;
    expect(res.body.sources.users.data).toEqual(profile);
    expect(res.body.sources.orders.data).toEqual([expect.objectContaining({ id: `order-${user.id}`, shipTo })]);
  });

  it('rectifies an encrypted field through the rights API: the new value is sealed in the file and read back opened', async () => {
    const shop = start();
    const user = planted();
    await addCustomer(shop, user);
    const next = planted();

    const res = await request(shop.app).post('/privacy/me/rectification').set('Authorization', tokenFor(user.id)).send({ source: 'users', patch: { email: next.email, street: next.street } });

    expect(res.status).toBe(200);
    const profile = await request(shop.app).get('/me/profile').set('Authorization', tokenFor(user.id)).expect(200);
    expect(profile.body).toEqual(expect.objectContaining({ email: next.email, street: next.street, city: user.city }));
    expect(readRow(shopFile, user.id)).toEqual(expect.objectContaining({ email: expect.stringMatching(/^pk1\./), street: expect.stringMatching(/^pk1\./) }));
    expect((await shop.data.userByEmail(next.email))?.id).toBe(user.id);
    expect(await shop.data.userByEmail(user.email)).toBeUndefined();
  });

  it('leaves a backup taken before an erasure unreadable for the erased customer (PK_KEY_DESTROYED), and readable for the others', async () => {
    const shop = start();
    const erased = planted();
    const kept = planted();
    await addCustomer(shop, erased);
    await addCustomer(shop, kept);
    const backupFile = join(dir, 'shop-data.backup.db');
    const live = new Database(shopFile, { fileMustExist: true });
    try {
      await live.backup(backupFile);
    } finally {
      live.close();
    }

    await request(shop.app).post('/privacy/me/erasure').set('Authorization', tokenFor(erased.id)).expect(202);

    const stolen = readRow(backupFile, erased.id);
    expect(stolen.email).toMatch(/^pk1\./);
    await expect(shop.cipher.open(UserProfile, shop.kit.pseudonym(erased.id), asProfile(erased.id, stolen))).rejects.toMatchObject({ code: 'PK_KEY_DESTROYED' });
    const other = await shop.cipher.open(UserProfile, shop.kit.pseudonym(kept.id), asProfile(kept.id, readRow(backupFile, kept.id)));
    expect(other).toEqual(expect.objectContaining({ email: kept.email, name: kept.name, dateOfBirth: kept.dateOfBirth }));
  });

  it('finds a customer by e-mail through the blind index, ignoring case, without the address in the file', async () => {
    const shop = start();
    const user = planted();
    await addCustomer(shop, user);

    expect((await shop.data.userByEmail(user.email.toUpperCase()))?.id).toBe(user.id);
    expect(await shop.data.userByEmail(`nobody-${user.email}`)).toBeUndefined();
    const db = new Database(shopFile, { readonly: true, fileMustExist: true });
    try {
      expect(db.prepare('SELECT email_index FROM users WHERE id = ?').get(user.id)).toEqual({ email_index: shop.data.emailIndex(user.email) });
      expect(shop.data.emailIndex(user.email)).not.toContain(user.email);
    } finally {
      db.close();
    }
  });

  it('refuses a shop file written by the clear-text version, saying to delete it', () => {
    const old = new Database(shopFile);
    old.exec('CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL) STRICT');
    old.pragma('user_version = 1');
    old.close();

    expect(() => createShopApp(config, quietLogger())).toThrow(/examples\/shop: .*shop-data\.db was written by an earlier version of the shop, which kept .* in the clear.*Delete .*shop-data\.db .*the demo data is seeded anew/);
  });
});
