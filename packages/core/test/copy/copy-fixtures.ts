import { definePersonalData, type CopyColumn, type CopyColumnAffinity, type CopyMapping, type CopyTableSchema } from '@privacy-kit/core';

// Models and schemas of a small shop, for the copy engine's tests. Generated values only.

export class Customer {
  id!: string;
  email!: string;
  name!: string;
  phone!: string;
  birthDate!: string;
  health!: string;
}
definePersonalData(Customer, 'id', { category: 'user.unique_id' });
definePersonalData(Customer, 'email', { category: 'user.contact.email' });
definePersonalData(Customer, 'name', { category: 'user.name' });
definePersonalData(Customer, 'phone', { category: 'user.contact.phone_number' });
definePersonalData(Customer, 'birthDate', { category: 'user.demographic.date_of_birth' });
definePersonalData(Customer, 'health', { category: ['user.health_and_medical'] });

export class Order {
  customerId!: string;
  iban!: string;
  notes!: string;
}
definePersonalData(Order, 'customerId', { category: 'user.unique_id' });
definePersonalData(Order, 'iban', { category: 'user.financial.bank_account' });
definePersonalData(Order, 'notes', { category: 'user.content.private' });

/** A column of a test schema. */
export function col(name: string, affinity: CopyColumnAffinity = 'text', extra: Partial<CopyColumn> = {}): CopyColumn {
  return { name, type: affinity.toUpperCase(), affinity, notNull: false, primaryKey: false, ...extra };
}

/** The shop's two tables. */
export function shopSchema(): CopyTableSchema[] {
  return [
    { name: 'users', columns: [col('id', 'integer', { primaryKey: true, notNull: true }), col('email'), col('full_name'), col('phone'), col('born'), col('plan')] },
    { name: 'orders', columns: [col('id', 'integer', { primaryKey: true, notNull: true }), col('customer_id', 'integer'), col('iban'), col('notes'), col('total', 'real')] },
  ];
}

/** A mapping that accounts for every column of {@link shopSchema}. */
export function shopMapping(): CopyMapping {
  return {
    tables: {
      users: {
        model: Customer,
        subject: 'id',
        columns: {
          id: { field: 'id' },
          email: 'email',
          full_name: 'name',
          phone: 'phone',
          born: { field: 'birthDate', shiftDays: 30 },
          plan: { strategy: 'keep', reason: 'the subscription plan is not personal' },
        },
      },
      orders: {
        model: Order,
        subject: 'customer_id',
        columns: {
          id: { strategy: 'keep', reason: 'order numbers are sequential, not personal' },
          customer_id: 'customerId',
          iban: 'iban',
          notes: 'notes',
          total: { strategy: 'keep', reason: 'amounts are not personal' },
        },
      },
    },
  };
}

/** The problems of a thrown PrivacyKitError (its details), or fails. */
export function problemsOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
}

/** The error a promise rejects with, or fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}
