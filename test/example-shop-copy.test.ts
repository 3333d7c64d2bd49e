import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { readSqliteAudit } from '@privacy-kit/sqlite';
import { loadConfig, type ShopConfig } from '../examples/shop/src/config';
import { shopStarter } from './support/shop-harness';

const REPO = join(__dirname, '..');
const COPY_SCRIPT = join(REPO, 'examples/shop/dist/copy-dev.js');

interface PlantedCustomer {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly street: string;
  readonly city: string;
  readonly postalCode: string;
  readonly dateOfBirth: string;
  readonly shipTo: string;
}

function planted(): PlantedCustomer {
  const tag = randomBytes(6).toString('hex');
  return {
    id: `user-${tag}`,
    name: `Planted Name ${tag}`,
    email: `planted-${tag}@mail.test`,
    street: `${tag} Planted Street`,
    city: `Planted City ${tag}`,
    postalCode: `P${tag}`,
    dateOfBirth: `19${String(50 + (randomBytes(1).readUInt8(0) % 50))}-03-1${randomBytes(1).readUInt8(0) % 10}`,
    shipTo: `${tag} Planted Delivery Road`,
  };
}

function fileBytes(file: string): Buffer {
  return Buffer.concat([readFileSync(file), ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : [])]);
}

function rows<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

describe('examples/shop: npm run shop:copy makes a safe copy of the shop database', () => {
  let dir: string;
  let config: ShopConfig;
  let shopFile: string;
  let target: string;
  const copySecret = randomBytes(32).toString('hex');
  const shops = shopStarter(() => config);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-shop-copy-'));
    config = { ...loadConfig({}), jwtSecret: 'test-only-jwt-secret-0123456789abcdefghij', privacySecret: randomBytes(32).toString('hex'), dbFile: join(dir, 'privacy-kit.db') };
    shopFile = join(dir, 'shop-data.db');
    target = join(dir, 'shop-data.dev.db');
  });
  afterEach(async () => {
    for (const shop of shops.started.splice(0)) await shop.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Customers with two orders each, planted through the shop's own data layer (sealed as the app seals). */
  async function seed(count: number): Promise<PlantedCustomer[]> {
    const shop = shops.start();
    const customers = Array.from({ length: count }, planted);
    for (const [i, customer] of customers.entries()) {
      const { shipTo, ...profile } = customer;
      await shop.data.addUser(profile);
      for (const n of [1, 2]) {
        await shop.data.addOrder({ id: `order-${i}-${n}`, customerId: customer.id, lines: [{ sku: 'PEN-1', quantity: n, unitPrice: 1.5 }], total: 1.5 * n, shipTo, placedAt: '2026-12-01T08:00:00Z' });
      }
    }
    for (const started of shops.started.splice(0)) await started.close();
    return customers;
  }

  function copy(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [COPY_SCRIPT, '--to', target, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, PRIVACY_KIT_DB: config.dbFile, SHOP_DB_FILE: shopFile, PRIVACY_KIT_SECRET: config.privacySecret, PRIVACY_KIT_COPY_SECRET: copySecret },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('says to start the shop once first when there is no shop database yet, and writes nothing', () => {
    const result = copy();
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/there is no shop database at .*shop-data\.db yet: start the shop once \(npm start seeds it\)/);
    expect(existsSync(target)).toBe(false);
  });

  it('leaves no planted personal value, id or envelope in the copy', async () => {
    const customers = await seed(3);
    const result = copy('--json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const bytes = fileBytes(target);
    const values = customers.flatMap((c) => [c.id, c.name, c.email, c.street, c.city, c.postalCode, c.dateOfBirth, c.shipTo]);
    expect(values.filter((value) => bytes.includes(Buffer.from(value, 'utf8')))).toEqual([]);
    expect(bytes.includes(Buffer.from('pk1.', 'utf8'))).toBe(false);
    // The demo customers' clear ids are gone too.
    expect(bytes.includes(Buffer.from('user-1', 'utf8'))).toBe(false);
  });

  it('keeps the joins between users and orders: every order finds its customer, with the same orders as in the source', async () => {
    await seed(4);
    expect(copy('--json').status).toBe(0);
    type Link = { order: string; customer: string };
    const join_ = 'SELECT o.id AS "order", u.id AS customer FROM orders o JOIN users u ON u.id = o.customer_id ORDER BY o.id';
    const before = rows<Link>(shopFile, join_);
    const after = rows<Link>(target, join_);
    expect(after.map((l) => l.order)).toEqual(before.map((l) => l.order));
    // The same customers own the same orders: the pseudonym is one-to-one, and the same in both tables.
    const owners = (links: Link[]): string[][] => {
      const byCustomer = new Map<string, string[]>();
      for (const l of links) byCustomer.set(l.customer, [...(byCustomer.get(l.customer) ?? []), l.order]);
      return [...byCustomer.values()].map((orders) => orders.sort()).sort();
    };
    expect(owners(after)).toEqual(owners(before));
    expect(after.every((l) => l.customer.startsWith('psn_'))).toBe(true);
  });

  it('writes format-valid fakes: e-mails at reserved domains, dates of birth as dates', async () => {
    await seed(2);
    expect(copy('--json').status).toBe(0);
    const users = rows<{ email: string; date_of_birth: string | null; name: string }>(target, 'SELECT email, date_of_birth, name FROM users');
    expect(users.length).toBe(4);
    for (const user of users) {
      expect(user.email).toMatch(/^[^@\s]+@example\.(com|net|org)$/);
      expect(user.name).not.toMatch(/^pk1\./);
      if (user.date_of_birth !== null) expect(user.date_of_birth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("appends one audit record of the copy to the shop's privacy-kit store, with row counts and no location", async () => {
    await seed(1);
    expect(copy('--json').status).toBe(0);
    const copies = (await readSqliteAudit({ filename: config.dbFile })).filter((r) => r.event === 'copy');
    expect(copies).toHaveLength(1);
    const details = copies[0]?.details ?? {};
    expect(details).toMatchObject({ operation: 'pseudonymize', status: 'done', source: 'sqlite', target: 'sqlite', rows: 3 + 5, tables: 'orders=5, users=3' });
    expect(JSON.stringify(copies[0])).not.toContain(target);
  });
});
