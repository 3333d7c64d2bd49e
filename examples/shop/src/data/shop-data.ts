import { Order } from '../models/order.dto';
import { UserProfile } from '../models/user-profile.dto';

const CATALOGUE = ['BOOK-42', 'BOOK-43', 'MUG-7', 'MUG-8', 'LAMP-3', 'PEN-1'];

/** A small in-memory database with two seeded demo users (fictitious data, example.com addresses). */
export class ShopData {
  readonly users = new Map<string, UserProfile>();
  readonly orders = new Map<string, Order>();

  constructor() {
    this.addUser({ id: 'user-1', name: 'Demo User One', email: 'user-1@example.com', street: '1 Example Street', city: 'Sampletown', postalCode: '00001', dateOfBirth: '1990-01-01' });
    this.addUser({ id: 'user-2', name: 'Demo User Two', email: 'user-2@example.com', street: '2 Example Street', city: 'Sampletown', postalCode: '00002', dateOfBirth: '1985-06-15' });
    this.addOrder({ id: 'order-1001', customerId: 'user-1', lines: [{ sku: 'BOOK-42', quantity: 1, unitPrice: 12.5 }], total: 12.5, shipTo: '1 Example Street, Sampletown', placedAt: '2026-10-01T09:00:00+00:00' });
    this.addOrder({ id: 'order-1002', customerId: 'user-1', lines: [{ sku: 'MUG-7', quantity: 2, unitPrice: 8 }], total: 16, shipTo: '1 Example Street, Sampletown', placedAt: '2026-11-02T14:30:00+00:00' });
    this.addOrder({ id: 'order-2001', customerId: 'user-2', lines: [{ sku: 'LAMP-3', quantity: 1, unitPrice: 40 }], total: 40, shipTo: '2 Example Street, Sampletown', placedAt: '2026-09-12T11:15:00+00:00' });
  }

  addUser(fields: UserProfile): UserProfile {
    const user = Object.assign(new UserProfile(), fields);
    this.users.set(user.id, user);
    return user;
  }

  addOrder(fields: Order): Order {
    const order = Object.assign(new Order(), fields);
    this.orders.set(order.id, order);
    return order;
  }

  ordersOf(customerId: string): Order[] {
    return [...this.orders.values()].filter((o) => o.customerId === customerId);
  }

  /** Recommendations from the purchase history (what personalisation needs consent for). */
  recommendationsFor(customerId: string): string[] {
    const bought = new Set(this.ordersOf(customerId).flatMap((o) => o.lines.map((l) => l.sku)));
    return CATALOGUE.filter((sku) => !bought.has(sku)).slice(0, 3);
  }
}
