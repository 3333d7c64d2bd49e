import { IsEmail, IsOptional, IsString, Length } from 'class-validator';
import { PersonalData } from '@privacy-kit/core';
import type { DataSource } from '@privacy-kit/express';

/** A user record: name and e-mail may be corrected, the id may not. */
export class UserRecord {
  @PersonalData({ category: 'user.unique_id' })
  @IsString()
  id!: string;

  @PersonalData({ category: 'user.name' })
  @IsString({ message: 'name must be a string' })
  @Length(1, 80, { message: 'name must be 1 to 80 characters' })
  name!: string;

  @PersonalData({ category: 'user.contact.email' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email!: string;

  @PersonalData({ category: 'user.demographic.date_of_birth', retention: '2y' })
  @IsOptional()
  @IsString()
  birthday?: string;

  /** Not personal data. */
  @IsString()
  plan!: string;
}

/** An order: kept ten years for accounting. */
export class OrderRecord {
  @PersonalData({ category: 'user.behavior.purchase_history', retention: '10y' })
  @IsString()
  item!: string;

  @PersonalData({ category: 'user.contact.address.street', retention: '10y' })
  @IsString()
  shipTo!: string;
}

/** A paper archive that a person handles. */
export class ArchiveRecord {
  @PersonalData({ category: 'user.contact.address' })
  @IsString()
  address!: string;
}

/** An in-memory database of fictitious people, and sources over it that count their calls. */
export class FakeDb {
  readonly users = new Map<string, { id: string; name: string; email: string; plan: string }>();
  readonly orders: { customer: string; item: string; shipTo: string; placedAt: Date }[] = [];
  readonly calls: string[] = [];
  failing = new Set<string>();

  constructor() {
    this.users.set('user-a', { id: 'user-a', name: 'Alex Example', email: 'alex@example.com', plan: 'basic' });
    this.users.set('user-b', { id: 'user-b', name: 'Bo Example', email: 'bo@example.com', plan: 'pro' });
    this.orders.push({ customer: 'user-a', item: 'BOOK-1', shipTo: '1 Example Street', placedAt: new Date('2010-01-01T00:00:00Z') });
    this.orders.push({ customer: 'user-a', item: 'MUG-2', shipTo: '1 Example Street', placedAt: new Date('2026-01-01T00:00:00Z') });
    this.orders.push({ customer: 'user-b', item: 'PEN-3', shipTo: '2 Example Street', placedAt: new Date('2026-02-01T00:00:00Z') });
  }

  private check(what: string): void {
    this.calls.push(what);
    // The message names the person on purpose: privacy-kit must never store or show it.
    if (this.failing.has(what.split(':')[0] as string)) throw new Error(`database down while handling alex@example.com (${what})`);
  }

  get usersSource(): DataSource<UserRecord> {
    return {
      model: UserRecord,
      description: 'Accounts',
      export: (id) => { this.check(`users.export:${id}`); return this.users.get(id) ?? null; },
      erase: (id) => { this.check(`users.erase:${id}`); this.users.delete(id); },
      rectify: (id, patch) => {
        this.check(`users.rectify:${id}`);
        const user = this.users.get(id);
        if (user !== undefined) Object.assign(user, patch);
      },
    };
  }

  get ordersSource(): DataSource<OrderRecord> {
    return {
      model: OrderRecord,
      export: (id) => { this.check(`orders.export:${id}`); return this.orders.filter((o) => o.customer === id).map(({ item, shipTo }) => ({ item, shipTo })); },
      erase: async (id) => {
        this.check(`orders.erase:${id}`);
        for (let i = this.orders.length - 1; i >= 0; i--) if (this.orders[i]?.customer === id) this.orders.splice(i, 1);
      },
      purge: (olderThan) => {
        this.check(`orders.purge:${olderThan.toISOString()}`);
        const before = this.orders.length;
        for (let i = this.orders.length - 1; i >= 0; i--) if ((this.orders[i]?.placedAt.getTime() ?? 0) < olderThan.getTime()) this.orders.splice(i, 1);
        return before - this.orders.length;
      },
    };
  }

  get archiveSource(): DataSource<ArchiveRecord> {
    return { model: ArchiveRecord, manual: true, description: 'Paper archive' };
  }
}

/** The role the admin endpoints accept by default. */
export const ADMIN = { roles: ['privacy-admin'] };

/** Lets outcome records (written when a response finishes) land before the audit is read. */
export const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 30));
