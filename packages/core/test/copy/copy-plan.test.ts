import { definePersonalData, describePlan, planCopy, type CopyMapping, type CopyTableSchema } from '@privacy-kit/core';
import { col, problemsOf, shopMapping, shopSchema } from './copy-fixtures';

// planCopy() ties a mapping to the live schema and fails closed: nothing the mapping does not account for is copied.

function planError(mapping: CopyMapping, tables: CopyTableSchema[] = shopSchema()): { code: string; message: string } {
  return problemsOf(() => planCopy(mapping, tables));
}

function withUsersColumns(columns: Record<string, unknown>): CopyMapping {
  const mapping = shopMapping();
  const users = mapping.tables.users!;
  return { tables: { ...mapping.tables, users: { ...users, columns: { ...users.columns, ...columns } } } } as CopyMapping;
}

describe('planCopy', () => {
  it('plans every table in the order the database lists them, with kept columns in source order', () => {
    const plan = planCopy(shopMapping(), shopSchema());
    expect(plan.tables.map((t) => t.spec.name)).toEqual(['users', 'orders']);
    expect(plan.tables[0]!.spec).toEqual({ name: 'users', columns: ['id', 'email', 'full_name', 'phone', 'born', 'plan'], dropped: [] });
    expect(plan.tables[0]!.read).toEqual([0, 1, 2, 3, 4, 5]);
    expect(plan.tables[0]!.subject).toEqual({ name: 'id', source: 0 });
    expect(plan.cipherSubject).toBe('pseudonym');
  });

  it('takes the strategy of a field from its category, and keeps the reason of a keep', () => {
    const [users, orders] = planCopy(shopMapping(), shopSchema()).tables;
    expect(users!.columns.map((c) => c.strategy)).toEqual(['pseudonym', 'email', 'name', 'phone', 'birthDate', 'keep']);
    expect(users!.columns[4]).toMatchObject({ field: 'birthDate', categories: ['user.demographic.date_of_birth'], shiftDays: 30, sealed: false });
    expect(users!.columns[5]).toMatchObject({ reason: 'the subscription plan is not personal' });
    expect(orders!.columns.map((c) => c.strategy)).toEqual(['keep', 'pseudonym', 'iban', 'scrub', 'keep']);
  });

  it('matches the longest category prefix (user.contact.address.street → street, user.contact.address → address)', () => {
    class Home {
      street!: string;
      full!: string;
    }
    definePersonalData(Home, 'street', { category: 'user.contact.address.street' });
    definePersonalData(Home, 'full', { category: 'user.contact.address' });
    const plan = planCopy({ tables: { homes: { model: Home, columns: { street: 'street', full: 'full' } } } }, [{ name: 'homes', columns: [col('street'), col('full')] }]);
    expect(plan.tables[0]!.columns.map((c) => c.strategy)).toEqual(['street', 'address']);
  });

  it('leaves dropped columns out of the spec and lists them as dropped', () => {
    const plan = planCopy(withUsersColumns({ phone: { strategy: 'drop' } }), shopSchema());
    expect(plan.tables[0]!.spec.columns).not.toContain('phone');
    expect(plan.tables[0]!.spec.dropped).toEqual(['phone']);
    expect(plan.tables[0]!.read).toEqual([0, 1, 2, 4, 5]);
  });

  it('leaves skipped tables out of the copy, with their reason', () => {
    const schema = [...shopSchema(), { name: 'sessions', columns: [col('token')] }];
    const plan = planCopy({ ...shopMapping(), tables: { ...shopMapping().tables, sessions: { skip: 'recreated on login' } } }, schema);
    expect(plan.tables.map((t) => t.spec.name)).toEqual(['users', 'orders']);
    expect(plan.skipped).toEqual([{ name: 'sessions', reason: 'recreated on login' }]);
  });

  it('names a table of the mapping the database does not have, with the closest table', () => {
    const mapping = shopMapping();
    const error = planError({ tables: { ...mapping.tables, user: mapping.tables.users! } });
    expect(error.code).toBe('PK_COPY_MAPPING');
    expect(error.message).toContain("the mapping names table 'user', which the database does not have. Did you mean 'users'?");
  });

  it('names a column of the mapping the database does not have, with the closest column', () => {
    const error = planError(withUsersColumns({ emial: { strategy: 'nullify' } }));
    expect(error.message).toContain("the mapping names column 'users.emial', which the database does not have. Did you mean 'email'?");
  });

  it('lists every unmapped column of every table, and every column of an unmapped table, in one error', () => {
    const schema = shopSchema();
    schema[0] = { ...schema[0]!, columns: [...schema[0]!.columns, col('nickname'), col('last_login', 'timestamp')] };
    schema.push({ name: 'audit_trail', columns: [col('actor'), col('action')] });
    const error = planError(shopMapping(), schema);
    expect(error.message).toMatch(/^@privacy-kit\/core: planCopy\(\): 1 problem between the mapping and the database:/);
    expect(error.message).toContain('4 columns are neither mapped nor kept');
    expect(error.message).toContain('users.nickname, users.last_login, audit_trail.actor, audit_trail.action.');
  });

  it('asks for a strategy for a category with no default (a special category)', () => {
    const schema = shopSchema();
    schema[0] = { ...schema[0]!, columns: [...schema[0]!.columns, col('health')] };
    const error = planError(withUsersColumns({ health: 'health' }), schema);
    expect(error.message).toContain("users.health stores field 'health' (user.health_and_medical), a category with no default strategy: choose one with { field: 'health', strategy: ... }");
  });

  it('refuses a strategy that cannot write the column type (email on an integer column)', () => {
    const error = planError(withUsersColumns({ id: { strategy: 'email' } }));
    expect(error.message).toContain("users.id: strategy 'email' cannot write a INTEGER column (integer)");
  });

  it('refuses scrub on a blob column', () => {
    const schema = shopSchema();
    schema[0] = { ...schema[0]!, columns: [...schema[0]!.columns, col('avatar', 'blob')] };
    const error = planError(withUsersColumns({ avatar: { strategy: 'scrub' } }), schema);
    expect(error.message).toContain("users.avatar: strategy 'scrub' cannot write a BLOB column (blob) (scrub reads text, not bytes)");
  });

  it('accepts pseudonym on text, integer and uuid columns', () => {
    const tables = [{ name: 't', columns: [col('a'), col('b', 'integer'), col('c', 'uuid')] }];
    const plan = planCopy({ tables: { t: { columns: { a: { strategy: 'pseudonym' }, b: { strategy: 'pseudonym' }, c: { strategy: 'pseudonym' } } } } }, tables);
    expect(plan.tables[0]!.columns.map((c) => c.affinity)).toEqual(['text', 'integer', 'uuid']);
  });

  it('refuses nullify on a NOT NULL column', () => {
    const error = planError(withUsersColumns({ id: { strategy: 'nullify' } }));
    expect(error.message).toContain("users.id is NOT NULL: 'nullify' cannot write NULL there");
  });

  it('describes the plan table by table, column by column', () => {
    const text = describePlan(planCopy(withUsersColumns({ phone: { strategy: 'drop' } }), shopSchema()));
    expect(text).toContain('users (subject: id)');
    expect(text).toContain('  email: email ← email [user.contact.email]');
    expect(text).toContain('  born: birthDate ±30 days ← birthDate [user.demographic.date_of_birth]');
    expect(text).toContain('  plan: keep (the subscription plan is not personal)');
    expect(text).toContain('  phone: drop (not in the copy)');
  });

  it('uses the first category of a field that has a default', () => {
    class Multi {
      handle!: string;
    }
    definePersonalData(Multi, 'handle', { category: ['user.workplace', 'user.account.username'] });
    const plan = planCopy({ tables: { t: { model: Multi, columns: { handle: 'handle' } } } }, [{ name: 't', columns: [col('handle')] }]);
    expect(plan.tables[0]!.columns[0]!.strategy).toBe('pseudonym');
  });
});
