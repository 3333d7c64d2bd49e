import type { DataSources } from '@privacy-kit/express';
import { Order } from '../models/order.dto';
import { UserProfile } from '../models/user-profile.dto';
import type { ShopData } from './shop-data';

/**
 * The shop's data sources for privacy-kit's rights API and retention sweep, over the shop's SQLite tables.
 *
 * - `users`: the profile. Exported (opened), erased, and corrected field by field (patches are checked in the
 *   clear against `UserProfile`'s class-validator rules, then sealed by ShopData as it writes them; the id is not
 *   correctable). With the cipher in `privacy({ rights: { fieldCipher } })`, the erasure then destroys the
 *   customer's data keys, so the profile in every backup stays unreadable.
 * - `orders`: kept ten years for accounting. An erasure unlinks them from the person (customer id and shipping
 *   address go, amounts and lines stay for the books); `purge()` removes orders older than the retention period.
 */
export function shopSources(data: ShopData): DataSources {
  return {
    users: {
      model: UserProfile,
      description: 'Customer profiles',
      export: async (id) => (await data.userById(id)) ?? null,
      erase: (id) => data.deleteUser(id),
      rectify: async (id, patch) => {
        await data.updateUser(id, patch);
      },
    },
    orders: {
      model: Order,
      description: 'Orders, kept ten years for accounting',
      retention: '10y',
      export: (id) => data.ordersOf(id),
      erase: (id) => data.unlinkOrdersOf(id),
      purge: (olderThan) => data.purgeOrdersPlacedBefore(olderThan),
    },
  };
}
