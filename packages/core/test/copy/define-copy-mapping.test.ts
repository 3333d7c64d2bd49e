import { definePersonalData, definePseudonymization, type CopyMapping } from '@privacy-kit/core';
import { Customer, Order, problemsOf, shopMapping } from './copy-fixtures';

// definePseudonymization() checks a mapping against the annotations before any database is seen, and reports every
// problem at once.

class NoFields {
  id!: string;
}

function errorOf(mapping: unknown): { code: string; message: string } {
  return problemsOf(() => definePseudonymization(mapping as CopyMapping));
}

describe('definePseudonymization', () => {
  it('returns a valid mapping as it is', () => {
    const mapping = shopMapping();
    expect(definePseudonymization(mapping)).toBe(mapping);
  });

  it('refuses an unknown option key, suggesting the closest', () => {
    const error = errorOf({ ...shopMapping(), tabels: {} });
    expect(error.code).toBe('PK_COPY_MAPPING');
    expect(error.message).toMatch(/^@privacy-kit\/core: definePseudonymization\(\): /);
    expect(error.message).toContain("unknown option 'tabels'. Did you mean 'tables'?");
  });

  it('refuses unknown keys of a table and of a column rule', () => {
    const error = errorOf({ tables: { users: { model: Customer, subjet: 'id', columns: { id: { field: 'id', stratgy: 'pseudonym' } } } } });
    expect(error.message).toContain("table 'users': unknown option 'subjet'. Did you mean 'subject'?");
    expect(error.message).toContain("table 'users', column 'id': unknown option 'stratgy'. Did you mean 'strategy'?");
  });

  it('refuses a model without @PersonalData fields', () => {
    const error = errorOf({ tables: { users: { model: NoFields, columns: { id: { strategy: 'pseudonym' } } } } });
    expect(error.message).toContain("table 'users': model NoFields has no @PersonalData fields");
  });

  it('names table, column and field of a field the model does not have, with the closest field', () => {
    const error = errorOf({ tables: { users: { model: Customer, columns: { mail: 'emial' } } } });
    expect(error.message).toContain("table 'users', column 'mail': 'emial' is not a @PersonalData field of Customer. Did you mean 'email'?");
  });

  it('refuses a column rule with a field on a table without a model', () => {
    const error = errorOf({ tables: { users: { columns: { email: 'email' } } } });
    expect(error.message).toContain("table 'users', column 'email' names field 'email' but the table has no model");
  });

  it('refuses an unknown strategy, suggesting the closest', () => {
    const error = errorOf({ tables: { users: { columns: { id: { strategy: 'pseudonymn' } } } } });
    expect(error.message).toContain("unknown strategy 'pseudonymn'. Did you mean 'pseudonym'?");
  });

  it('refuses keep without a reason', () => {
    const error = errorOf({ tables: { users: { columns: { plan: { strategy: 'keep' } } } } });
    expect(error.message).toContain("table 'users', column 'plan': 'keep' copies the values as they are; say why");
  });

  it('refuses a skipped table that lists columns', () => {
    const error = errorOf({ tables: { sessions: { skip: 'recreated on login', columns: { id: { strategy: 'drop' } } } } });
    expect(error.message).toContain("table 'sessions' is skipped (not copied at all) and also lists columns");
  });

  it('refuses shiftDays that is not a positive whole number', () => {
    const error = errorOf({ tables: { users: { model: Customer, columns: { born: { field: 'birthDate', shiftDays: 0 } } } } });
    expect(error.message).toContain("'shiftDays' must be a positive whole number of days; got 0");
  });

  it('refuses shiftDays on another strategy than birthDate', () => {
    const error = errorOf({ tables: { users: { model: Customer, columns: { email: { field: 'email', shiftDays: 10 } } } } });
    expect(error.message).toContain("'shiftDays' applies to the 'birthDate' strategy only (this column's is 'email')");
  });

  it('refuses a subject that is not one of the columns, suggesting the closest', () => {
    const error = errorOf({ tables: { orders: { model: Order, subject: 'customer', columns: { customer_id: 'customerId' } } } });
    expect(error.message).toContain("table 'orders': subject 'customer' is not one of the table's columns. Did you mean 'customer_id'?");
  });

  it('refuses a sealed field in a table without a subject', () => {
    class Sealed {
      secret!: string;
    }
    definePersonalData(Sealed, 'secret', { category: 'user.contact.email', encrypt: true });
    const error = errorOf({ tables: { vault: { model: Sealed, columns: { secret: 'secret' } } } });
    expect(error.message).toContain("table 'vault': secret holds a field sealed with encrypt: true; name the column of the data subject");
  });

  it('reports every problem of a mapping in one error, one per line', () => {
    const error = errorOf({
      tables: {
        users: { model: Customer, columns: { mail: 'emial', plan: { strategy: 'keep' } } },
        orders: { columns: { id: { strategy: 'pseudonymn' } } },
      },
    });
    const lines = error.message.split('\n').slice(1);
    expect(error.message).toMatch(/definePseudonymization\(\): 3 problems in the mapping:/);
    expect(lines).toHaveLength(3);
    expect(lines.every((line) => line.startsWith('  - '))).toBe(true);
  });
});
