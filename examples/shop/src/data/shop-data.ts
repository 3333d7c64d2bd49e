import Database from 'better-sqlite3';
import type { FieldCipher } from '@privacy-kit/core';
import { Order, type OrderLine } from '../models/order.dto';
import { UserProfile } from '../models/user-profile.dto';

const CATALOGUE = ['BOOK-42', 'BOOK-43', 'MUG-7', 'MUG-8', 'LAMP-3', 'PEN-1'];

/** What an erased customer's orders keep as their customer id: the books stay, the person goes. */
export const ERASED_CUSTOMER = 'erased';

/**
 * The schema version of a shop database, kept in its `user_version`: 0 is a new file, created and seeded. Version 1
 * (the shop before issue 16) kept personal data in the clear; version 2 keeps it sealed.
 */
export const SHOP_SCHEMA_VERSION = 2;

/** The version of the files written before the shop sealed its personal data (refused, see {@link ShopData}). */
const CLEAR_TEXT_SCHEMA_VERSION = 1;

// Lines are JSON text in a column of their order, not a table of their own: they are only ever read and written
// with their order, and `Order.lines` is one annotated field (the purchase history), so anything done per field
// (e.g. sealing it) maps onto exactly one column.
// The personal columns of both tables hold envelopes ('pk1.…', sealed under the customer's data key), never clear
// text: a copy of the file (a backup, a stolen disk) tells nothing, and an erasure that destroys the customer's key
// leaves every copy unreadable. email_index is the blind index of the lower-cased e-mail, for equality lookups.
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
    date_of_birth TEXT,
    email_index   TEXT NOT NULL
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
  CREATE INDEX users_by_email_index ON users (email_index);
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
  email_index: string;
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

function placedAtMs(order: Order): number {
  const ms = Date.parse(order.placedAt);
  if (Number.isNaN(ms)) {
    throw new Error(`examples/shop: order ${JSON.stringify(order.id)} has a placedAt that is not a date; give an ISO 8601 date-time such as 2026-10-01T09:00:00+00:00.`);
  }
  return ms;
}

function prepareStatements(db: Database.Database) {
  return {
    insertUser: db.prepare<[UserRow]>(
      'INSERT INTO users (id, name, email, street, city, postal_code, date_of_birth, email_index) VALUES (@id, @name, @email, @street, @city, @postal_code, @date_of_birth, @email_index)',
    ),
    updateUser: db.prepare<[UserRow]>(
      'UPDATE users SET name = @name, email = @email, street = @street, city = @city, postal_code = @postal_code, date_of_birth = @date_of_birth, email_index = @email_index WHERE id = @id',
    ),
    userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    userIds: db.prepare<[], string>('SELECT id FROM users ORDER BY id').pluck(),
    usersByEmailIndex: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email_index = ? ORDER BY id'),
    deleteUser: db.prepare<[string]>('DELETE FROM users WHERE id = ?'),
    insertOrder: db.prepare<[OrderRow]>(
      'INSERT INTO orders (id, customer_id, lines, total, ship_to, placed_at, placed_at_ms) VALUES (@id, @customer_id, @lines, @total, @ship_to, @placed_at, @placed_at_ms)',
    ),
    orderById: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE id = ?'),
    ordersOf: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE customer_id = ? ORDER BY placed_at_ms, id'),
    linesOf: db.prepare<[string], Pick<OrderRow, 'lines'>>('SELECT lines FROM orders WHERE customer_id = ?'),
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

function checkVersion(filename: string, version: number): void {
  if (version === CLEAR_TEXT_SCHEMA_VERSION) {
    throw new Error(`examples/shop: ${filename} was written by an earlier version of the shop, which kept its customers' personal data in the clear; this version seals it and does not read that file. Delete ${filename} (and its -wal and -shm files) and start again: the demo data is seeded anew, sealed.`);
  }
  if (version !== 0 && version !== SHOP_SCHEMA_VERSION) {
    throw new Error(`examples/shop: ${filename} holds shop schema version ${version}, this app knows version ${SHOP_SCHEMA_VERSION}; point SHOP_DB_FILE at a shop database of this version, or at a new file to start afresh.`);
  }
}

/** What {@link ShopData} seals with. */
export interface ShopDataOptions {
  /** The app's field cipher (`createFieldCipher` over the privacy-kit store): seals and opens the personal columns. */
  readonly cipher: FieldCipher;
  /**
   * The cipher's data subject of a customer id: their privacy-kit pseudonym (what `kit.pseudonym(id)` returns), so
   * that the erasure API destroys the keys the shop sealed with.
   */
  readonly subjectOf: (customerId: string) => string;
}

/**
 * The shop's own database (SQLite, better-sqlite3): its customers' profiles and their orders, in a file apart
 * from the privacy-kit store's. Every `@PersonalData({ encrypt: true })` field is sealed before it is written and
 * opened after it is read, under the customer's data key: the file holds envelopes (`pk1.…`), never the values.
 * A new file gets the schema and the two demo users with their three orders (sealed); a file that has them is
 * used as it is, so what the app changed (an erasure, a correction, a purge) survives a restart. A file written by
 * the shop before it sealed its data is refused, with a message saying to delete it: sealing it in place would
 * leave the clear text in the file's free pages, its WAL and every backup, which is what encryption at rest is for.
 * Rows come back as `UserProfile` and `Order` instances, the annotated classes, opened.
 *
 * @example
 * const data = new ShopData('shop-data.db', { cipher, subjectOf: kit.pseudonym });
 * (await data.userById('user-1'))?.email; // 'user-1@example.com'
 * await data.close();
 */
export class ShopData {
  /** The database file (':memory:' for a throwaway one). */
  readonly filename: string;
  private readonly db: Database.Database;
  private readonly cipher: FieldCipher;
  private readonly subjectOf: (customerId: string) => string;
  /** The statements, once the file has its schema (a new file is seeded first: sealing is asynchronous). */
  private readonly sql: Promise<Statements>;

  /**
   * Opens the shop database; a new file is created and seeded in the background (every method waits for it, and
   * {@link ready} says when it is done).
   *
   * @param filename - the SQLite file, or ':memory:'
   * @param options - the cipher and the customers' data subjects
   * @throws Error when the file holds a shop schema of another version, or the clear-text one of the earlier shop
   */
  constructor(filename: string, options: ShopDataOptions) {
    this.filename = filename;
    this.cipher = options.cipher;
    this.subjectOf = options.subjectOf;
    this.db = openDatabase(filename);
    let version: number;
    try {
      version = this.db.pragma('user_version', { simple: true }) as number;
      checkVersion(filename, version);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.sql = this.prepare(version);
    // Seen by every method (and by ready()); this only keeps a failed seeding from being an unhandled rejection.
    this.sql.catch(() => undefined);
  }

  private async prepare(version: number): Promise<Statements> {
    if (version === 0) {
      const users = await Promise.all(DEMO_USERS.map((user) => this.userRow(user)));
      const orders = await Promise.all(DEMO_ORDERS.map((order) => this.orderRow(order)));
      // IMMEDIATE, and the version read again: two processes starting on a new file (the server, a `privacy-kit
      // sweep`) both seal the demo data (under the same data keys: the store keeps one current key per subject), one writes it.
      this.db.transaction(() => {
        const now = this.db.pragma('user_version', { simple: true }) as number;
        checkVersion(this.filename, now);
        if (now !== 0) return;
        this.db.exec(SCHEMA);
        const sql = prepareStatements(this.db);
        for (const row of users) sql.insertUser.run(row);
        for (const row of orders) sql.insertOrder.run(row);
        this.db.pragma(`user_version = ${SHOP_SCHEMA_VERSION}`);
      }).immediate();
    }
    return prepareStatements(this.db);
  }

  /** Resolves once the file has its schema and, when new, its sealed demo data; rejects with what went wrong. */
  async ready(): Promise<void> {
    await this.sql;
  }

  /**
   * The blind index of an e-mail address (lower-cased first, so the lookup ignores case): an HMAC under a key
   * derived from the app secret. It leaks which rows share an address, never the address.
   */
  emailIndex(email: string): string {
    return this.cipher.blindIndex(UserProfile, 'email', email.toLowerCase());
  }

  private async userRow(fields: UserProfile): Promise<UserRow> {
    const sealed = await this.cipher.seal(UserProfile, this.subjectOf(fields.id), fields);
    return {
      id: fields.id,
      name: sealed.name,
      email: sealed.email,
      street: sealed.street ?? null,
      city: sealed.city ?? null,
      postal_code: sealed.postalCode ?? null,
      date_of_birth: sealed.dateOfBirth ?? null,
      email_index: this.emailIndex(fields.email),
    };
  }

  private async userOf(row: UserRow): Promise<UserProfile> {
    const user = Object.assign(new UserProfile(), { id: row.id, name: row.name, email: row.email });
    if (row.street !== null) user.street = row.street;
    if (row.city !== null) user.city = row.city;
    if (row.postal_code !== null) user.postalCode = row.postal_code;
    if (row.date_of_birth !== null) user.dateOfBirth = row.date_of_birth;
    return this.cipher.open(UserProfile, this.subjectOf(row.id), user);
  }

  private async orderRow(fields: Order): Promise<OrderRow> {
    const ms = placedAtMs(fields);
    const sealed = await this.cipher.seal(Order, this.subjectOf(fields.customerId), fields);
    return {
      id: fields.id,
      customer_id: fields.customerId,
      lines: JSON.stringify(fields.lines),
      total: fields.total,
      ship_to: sealed.shipTo,
      placed_at: fields.placedAt,
      placed_at_ms: ms,
    };
  }

  private async orderOf(row: OrderRow): Promise<Order> {
    const order = Object.assign(new Order(), {
      id: row.id,
      customerId: row.customer_id,
      lines: JSON.parse(row.lines) as OrderLine[],
      total: row.total,
      shipTo: row.ship_to,
      placedAt: row.placed_at,
    });
    // An unlinked order (erasure) has no customer and an empty address: nothing sealed, nobody's key to open it with.
    return row.customer_id === ERASED_CUSTOMER ? order : this.cipher.open(Order, this.subjectOf(row.customer_id), order);
  }

  /** Adds a customer's profile, sealed. */
  async addUser(fields: UserProfile): Promise<UserProfile> {
    const sql = await this.sql;
    const user = Object.assign(new UserProfile(), fields);
    sql.insertUser.run(await this.userRow(user));
    return user;
  }

  /** Adds an order (its lines are stored with it), its address sealed. */
  async addOrder(fields: Order): Promise<Order> {
    const sql = await this.sql;
    const order = Object.assign(new Order(), fields);
    sql.insertOrder.run(await this.orderRow(order));
    return order;
  }

  /** The profile of a customer, opened, or undefined. */
  async userById(id: string): Promise<UserProfile | undefined> {
    const row = (await this.sql).userById.get(id);
    return row === undefined ? undefined : this.userOf(row);
  }

  /**
   * The profile with this e-mail address (compared without case), opened, or undefined: found by the blind index
   * of the address, then checked against the opened value.
   */
  async userByEmail(email: string): Promise<UserProfile | undefined> {
    const rows = (await this.sql).usersByEmailIndex.all(this.emailIndex(email));
    for (const row of rows) {
      const user = await this.userOf(row);
      if (user.email.toLowerCase() === email.toLowerCase()) return user;
    }
    return undefined;
  }

  /**
   * The e-mail addresses of the customers behind pseudonyms (`subjectOf(id)`), for an Art. 34 notification: every
   * customer's id is pseudonymized and matched, and only the matches are opened. Customers not found (erased) are
   * left out.
   */
  async contactsOf(subjects: readonly string[]): Promise<{ subject: string; contact: string }[]> {
    const wanted = new Set(subjects);
    const contacts: { subject: string; contact: string }[] = [];
    for (const id of (await this.sql).userIds.all()) {
      const subject = this.subjectOf(id);
      if (!wanted.has(subject)) continue;
      const user = await this.userById(id);
      if (user !== undefined) contacts.push({ subject, contact: user.email });
    }
    return contacts;
  }

  /** An order by its id, opened, or undefined. */
  async orderById(id: string): Promise<Order | undefined> {
    const row = (await this.sql).orderById.get(id);
    return row === undefined ? undefined : this.orderOf(row);
  }

  /** A customer's orders, oldest first, opened. */
  async ordersOf(customerId: string): Promise<Order[]> {
    const rows = (await this.sql).ordersOf.all(customerId);
    return Promise.all(rows.map((row) => this.orderOf(row)));
  }

  /** Recommendations from the purchase history (what personalisation needs consent for); reads no sealed column. */
  async recommendationsFor(customerId: string): Promise<string[]> {
    const rows = (await this.sql).linesOf.all(customerId);
    const bought = new Set(rows.flatMap((row) => (JSON.parse(row.lines) as OrderLine[]).map((l) => l.sku)));
    return CATALOGUE.filter((sku) => !bought.has(sku)).slice(0, 3);
  }

  /**
   * Corrects fields of a profile (`UserProfile` property names; null or undefined clears an optional field). The
   * new values are sealed, then written in one transaction that changes only the corrected columns, so two
   * corrections of one profile never undo each other.
   *
   * @returns false when there is no such profile
   * @throws Error naming a property that is not a correctable field, with nothing changed
   */
  async updateUser(id: string, patch: Readonly<Partial<UserProfile>>): Promise<boolean> {
    const sql = await this.sql;
    const fields = Object.keys(patch);
    for (const field of fields) {
      if (!Object.hasOwn(USER_COLUMNS, field)) {
        throw new Error(`examples/shop: ${JSON.stringify(field)} is not a field of UserProfile that can be corrected; correct one of ${Object.keys(USER_COLUMNS).join(', ')}.`);
      }
    }
    // No key is made for someone who has no profile.
    if (sql.userById.get(id) === undefined) return false;
    const sealed = await this.cipher.seal(UserProfile, this.subjectOf(id), patch) as Readonly<Record<string, unknown>>;
    const changes: Partial<Record<keyof UserRow, unknown>> = {};
    for (const field of fields) {
      // A cleared optional field (null, or undefined) is stored as NULL; the validator already refused it for required ones.
      changes[USER_COLUMNS[field as keyof typeof USER_COLUMNS]] = sealed[field] ?? null;
    }
    if (typeof patch.email === 'string') changes.email_index = this.emailIndex(patch.email);
    return this.db.transaction((): boolean => {
      const row = sql.userById.get(id);
      if (row === undefined) return false;
      sql.updateUser.run({ ...row, ...changes } as UserRow);
      return true;
    })();
  }

  /** Deletes a customer's profile; nothing happens when there is none. */
  async deleteUser(id: string): Promise<void> {
    (await this.sql).deleteUser.run(id);
  }

  /** Unlinks a customer's orders from them: the customer id becomes {@link ERASED_CUSTOMER}, the address goes. */
  async unlinkOrdersOf(customerId: string): Promise<void> {
    (await this.sql).unlinkOrders.run(ERASED_CUSTOMER, customerId);
  }

  /** Deletes the orders placed before `olderThan`; returns how many. */
  async purgeOrdersPlacedBefore(olderThan: Date): Promise<number> {
    return (await this.sql).purgeOrders.run(olderThan.getTime()).changes;
  }

  /** Closes the database once a seeding under way is done; calls after this throw. Closing twice is harmless. */
  async close(): Promise<void> {
    await this.sql.catch(() => undefined);
    if (this.db.open) this.db.close();
  }
}
