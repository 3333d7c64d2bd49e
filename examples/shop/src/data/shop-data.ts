import Database from 'better-sqlite3';
import { Order, type OrderLine } from '../models/order.dto';
import { UserProfile } from '../models/user-profile.dto';

const CATALOGUE = ['BOOK-42', 'BOOK-43', 'MUG-7', 'MUG-8', 'LAMP-3', 'PEN-1'];

/** What an erased customer's orders keep as their customer id: the books stay, the person goes. */
export const ERASED_CUSTOMER = 'erased';

/** The schema version of a shop database, kept in its `user_version`: 0 is a new file, created and seeded. */
export const SHOP_SCHEMA_VERSION = 1;

// Lines are JSON text in a column of their order, not a table of their own: they are only ever read and written
// with their order, and `Order.lines` is one annotated field (the purchase history), so anything done per field
// (e.g. sealing it, issue 16) maps onto exactly one column.
// orders.customer_id has no foreign key to users: an erasure deletes the profile but keeps its orders for the books,
// unlinked. placed_at is kept as written (ISO 8601 with its offset); placed_at_ms is the same instant for the
// retention purge, which compares instants, not texts.
const SCHEMA = `
  CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    street        TEXT,
    city          TEXT,
    postal_code   TEXT,
    date_of_birth TEXT
  ) STRICT;
  CREATE TABLE orders (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL,
    lines        TEXT NOT NULL CHECK (json_valid(lines)),
    total        REAL NOT NULL,
    ship_to      TEXT NOT NULL,
    placed_at    TEXT NOT NULL,
    placed_at_ms INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX orders_by_customer ON orders (customer_id, placed_at_ms);
  CREATE INDEX orders_by_placed_at ON orders (placed_at_ms);
`;

// Fictitious people (example.com addresses), written on the first start only.
const DEMO_USERS: readonly UserProfile[] = [
  { id: 'user-1', name: 'Demo User One', email: 'user-1@example.com', street: '1 Example Street', city: 'Sampletown', postalCode: '00001', dateOfBirth: '1990-01-01' },
  { id: 'user-2', name: 'Demo User Two', email: 'user-2@example.com', street: '2 Example Street', city: 'Sampletown', postalCode: '00002', dateOfBirth: '1985-06-15' },
];
const DEMO_ORDERS: readonly Order[] = [
  { id: 'order-1001', customerId: 'user-1', lines: [{ sku: 'BOOK-42', quantity: 1, unitPrice: 12.5 }], total: 12.5, shipTo: '1 Example Street, Sampletown', placedAt: '2026-10-01T09:00:00+00:00' },
  { id: 'order-1002', customerId: 'user-1', lines: [{ sku: 'MUG-7', quantity: 2, unitPrice: 8 }], total: 16, shipTo: '1 Example Street, Sampletown', placedAt: '2026-11-02T14:30:00+00:00' },
  { id: 'order-2001', customerId: 'user-2', lines: [{ sku: 'LAMP-3', quantity: 1, unitPrice: 40 }], total: 40, shipTo: '2 Example Street, Sampletown', placedAt: '2026-09-12T11:15:00+00:00' },
];

interface UserRow {
  id: string;
  name: string;
  email: string;
  street: string | null;
  city: string | null;
  postal_code: string | null;
  date_of_birth: string | null;
}

interface OrderRow {
  id: string;
  customer_id: string;
  lines: string;
  total: number;
  ship_to: string;
  placed_at: string;
  placed_at_ms: number;
}

// The profile fields a rectification may change, and their columns (the id is the key, never corrected).
const USER_COLUMNS = {
  name: 'name',
  email: 'email',
  street: 'street',
  city: 'city',
  postalCode: 'postal_code',
  dateOfBirth: 'date_of_birth',
} as const satisfies Partial<Record<keyof UserProfile, keyof UserRow>>;

function userRow(user: UserProfile): UserRow {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    street: user.street ?? null,
    city: user.city ?? null,
    postal_code: user.postalCode ?? null,
    date_of_birth: user.dateOfBirth ?? null,
  };
}

function userOf(row: UserRow): UserProfile {
  const user = Object.assign(new UserProfile(), { id: row.id, name: row.name, email: row.email });
  if (row.street !== null) user.street = row.street;
  if (row.city !== null) user.city = row.city;
  if (row.postal_code !== null) user.postalCode = row.postal_code;
  if (row.date_of_birth !== null) user.dateOfBirth = row.date_of_birth;
  return user;
}

function orderRow(order: Order): OrderRow {
  const placedAtMs = Date.parse(order.placedAt);
  if (Number.isNaN(placedAtMs)) {
    throw new Error(`examples/shop: order ${JSON.stringify(order.id)} has a placedAt that is not a date; give an ISO 8601 date-time such as 2026-10-01T09:00:00+00:00.`);
  }
  return {
    id: order.id,
    customer_id: order.customerId,
    lines: JSON.stringify(order.lines),
    total: order.total,
    ship_to: order.shipTo,
    placed_at: order.placedAt,
    placed_at_ms: placedAtMs,
  };
}

function orderOf(row: OrderRow): Order {
  return Object.assign(new Order(), {
    id: row.id,
    customerId: row.customer_id,
    lines: JSON.parse(row.lines) as OrderLine[],
    total: row.total,
    shipTo: row.ship_to,
    placedAt: row.placed_at,
  });
}

function prepareStatements(db: Database.Database) {
  return {
    insertUser: db.prepare<[UserRow]>(
      'INSERT INTO users (id, name, email, street, city, postal_code, date_of_birth) VALUES (@id, @name, @email, @street, @city, @postal_code, @date_of_birth)',
    ),
    updateUser: db.prepare<[UserRow]>(
      'UPDATE users SET name = @name, email = @email, street = @street, city = @city, postal_code = @postal_code, date_of_birth = @date_of_birth WHERE id = @id',
    ),
    userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    deleteUser: db.prepare<[string]>('DELETE FROM users WHERE id = ?'),
    insertOrder: db.prepare<[OrderRow]>(
      'INSERT INTO orders (id, customer_id, lines, total, ship_to, placed_at, placed_at_ms) VALUES (@id, @customer_id, @lines, @total, @ship_to, @placed_at, @placed_at_ms)',
    ),
    orderById: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE id = ?'),
    ordersOf: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE customer_id = ? ORDER BY placed_at_ms, id'),
    unlinkOrders: db.prepare<[string, string]>("UPDATE orders SET customer_id = ?, ship_to = '' WHERE customer_id = ?"),
    purgeOrders: db.prepare<[number]>('DELETE FROM orders WHERE placed_at_ms < ?'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

function openDatabase(filename: string): Database.Database {
  const db = new Database(filename);
  try {
    db.pragma('journal_mode = WAL');
    // FULL: an erasure or a correction the API has answered for must survive a power cut, not only a crash.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The shop's own database (SQLite, better-sqlite3): its customers' profiles and their orders, in a file apart
 * from the privacy-kit store's. A new file gets the schema and the two demo users with their three orders; a file
 * that has them is used as it is, so what the app changed (an erasure, a correction, a purge) survives a restart.
 * Rows come back as `UserProfile` and `Order` instances, the annotated classes.
 *
 * @example
 * const data = new ShopData('shop-data.db');
 * data.userById('user-1')?.email; // 'user-1@example.com'
 * data.close();
 */
export class ShopData {
  /** The database file (':memory:' for a throwaway one). */
  readonly filename: string;
  private readonly db: Database.Database;
  private readonly sql: Statements;
  private readonly rectify: (id: string, patch: Readonly<Record<string, unknown>>) => boolean;

  /**
   * Opens the shop database, creating and seeding it when the file is new.
   *
   * @param filename - the SQLite file, or ':memory:'
   * @throws Error when the file holds a shop schema of another version
   */
  constructor(filename: string) {
    this.filename = filename;
    this.db = openDatabase(filename);
    try {
      // IMMEDIATE: two processes starting on a new file (the server, a `privacy-kit sweep`) seed it once.
      this.sql = this.db.transaction(() => {
        const version = this.db.pragma('user_version', { simple: true }) as number;
        if (version !== 0 && version !== SHOP_SCHEMA_VERSION) {
          throw new Error(`examples/shop: ${filename} holds shop schema version ${version}, this app knows version ${SHOP_SCHEMA_VERSION}; point SHOP_DB_FILE at a shop database of this version, or at a new file to start afresh.`);
        }
        if (version === 0) this.db.exec(SCHEMA);
        const sql = prepareStatements(this.db);
        if (version === 0) {
          for (const user of DEMO_USERS) sql.insertUser.run(userRow(user));
          for (const order of DEMO_ORDERS) sql.insertOrder.run(orderRow(order));
          this.db.pragma(`user_version = ${SHOP_SCHEMA_VERSION}`);
        }
        return sql;
      }).immediate();
    } catch (error) {
      this.db.close();
      throw error;
    }
    // Read, merge and write in one transaction, so two corrections of one profile never undo each other.
    this.rectify = this.db.transaction((id: string, patch: Readonly<Record<string, unknown>>): boolean => {
      const row = this.sql.userById.get(id);
      if (row === undefined) return false;
      const next: UserRow = { ...row };
      for (const [field, value] of Object.entries(patch)) {
        if (!Object.hasOwn(USER_COLUMNS, field)) {
          throw new Error(`examples/shop: ${JSON.stringify(field)} is not a field of UserProfile that can be corrected; correct one of ${Object.keys(USER_COLUMNS).join(', ')}.`);
        }
        const column = USER_COLUMNS[field as keyof typeof USER_COLUMNS];
        // A cleared optional field (null, or undefined) is stored as NULL; the validator already refused it for required ones.
        (next as unknown as Record<string, unknown>)[column] = value ?? null;
      }
      this.sql.updateUser.run(next);
      return true;
    });
  }

  /** Adds a customer's profile. */
  addUser(fields: UserProfile): UserProfile {
    const user = Object.assign(new UserProfile(), fields);
    this.sql.insertUser.run(userRow(user));
    return user;
  }

  /** Adds an order (its lines are stored with it). */
  addOrder(fields: Order): Order {
    const order = Object.assign(new Order(), fields);
    this.sql.insertOrder.run(orderRow(order));
    return order;
  }

  /** The profile of a customer, or undefined. */
  userById(id: string): UserProfile | undefined {
    const row = this.sql.userById.get(id);
    return row === undefined ? undefined : userOf(row);
  }

  /** An order by its id, or undefined. */
  orderById(id: string): Order | undefined {
    const row = this.sql.orderById.get(id);
    return row === undefined ? undefined : orderOf(row);
  }

  /** A customer's orders, oldest first. */
  ordersOf(customerId: string): Order[] {
    return this.sql.ordersOf.all(customerId).map(orderOf);
  }

  /** Recommendations from the purchase history (what personalisation needs consent for). */
  recommendationsFor(customerId: string): string[] {
    const bought = new Set(this.ordersOf(customerId).flatMap((o) => o.lines.map((l) => l.sku)));
    return CATALOGUE.filter((sku) => !bought.has(sku)).slice(0, 3);
  }

  /**
   * Corrects fields of a profile (`UserProfile` property names; null or undefined clears an optional field).
   *
   * @returns false when there is no such profile
   * @throws Error naming a property that is not a correctable field, with nothing changed
   */
  updateUser(id: string, patch: Readonly<Partial<UserProfile>>): boolean {
    return this.rectify(id, patch);
  }

  /** Deletes a customer's profile; nothing happens when there is none. */
  deleteUser(id: string): void {
    this.sql.deleteUser.run(id);
  }

  /** Unlinks a customer's orders from them: the customer id becomes {@link ERASED_CUSTOMER}, the address goes. */
  unlinkOrdersOf(customerId: string): void {
    this.sql.unlinkOrders.run(ERASED_CUSTOMER, customerId);
  }

  /** Deletes the orders placed before `olderThan`; returns how many. */
  purgeOrdersPlacedBefore(olderThan: Date): number {
    return this.sql.purgeOrders.run(olderThan.getTime()).changes;
  }

  /** Closes the database; calls after this throw. Closing twice is harmless. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
