import { randomBytes } from 'node:crypto';
import {
  createCopyTransformer,
  createFieldCipher,
  createPseudonymizer,
  definePersonalData,
  deriveKey,
  localKeyProvider,
  planCopy,
  type CopyMapping,
} from '@privacy-kit/core';
import { MemoryDataKeys } from '../crypto/memory-data-keys';
import { col, problemsOf, rejectionOf, shopMapping, shopSchema } from './copy-fixtures';

// createCopyTransformer(): rows in source order in, transformed rows in the spec's order out.

const secret = randomBytes(32);
const scrub = (text: string): string => text.replace(/user-\d+@mail\.invalid/g, '[REDACTED:email]');

function transformer(mapping: CopyMapping = shopMapping(), key: Buffer = secret) {
  return createCopyTransformer(planCopy(mapping, shopSchema()), { secret: key, scrub });
}

const user = (n: number, born: string | null = '1990-06-15'): unknown[] => [n, `user-${n}@mail.invalid`, `Test Person ${n}`, `+44 20 0000 ${String(n).padStart(4, '0')}`, born, 'pro'];
const order = (id: number, customer: number): unknown[] => [id, customer, 'XX00 0000 0000 0000 0000 00', `deliver to user-${customer}@mail.invalid`, 9.5];

describe('createCopyTransformer', () => {
  it('gives a user id and the orders that point to it the same pseudonym (joins keep working)', async () => {
    const t = transformer();
    const [u] = await t.table('users').transform([user(5)]);
    const [o] = await t.table('orders').transform([order(1, 5)]);
    expect(u![0]).toBe(o![1]);
    expect(u![0]).not.toBe(5);
  });

  it('gives the same rows in another run with the same key, and other rows with another key', async () => {
    const a = await transformer().table('users').transform([user(1), user(2)]);
    const b = await transformer().table('users').transform([user(1), user(2)]);
    const c = await transformer(shopMapping(), randomBytes(32)).table('users').transform([user(1), user(2)]);
    expect(b).toEqual(a);
    expect(c[0]![0]).not.toBe(a[0]![0]);
    expect(c[0]![1]).not.toBe(a[0]![1]);
  });

  it('replaces every personal value and keeps the kept ones', async () => {
    const [row] = await transformer().table('users').transform([user(3)]);
    const text = JSON.stringify(row);
    expect(text).not.toMatch(/user-3@|Test Person 3|0000 0003|1990-06-15/);
    expect(row![5]).toBe('pro');
  });

  it('scrubs free text with the given function', async () => {
    const [row] = await transformer().table('orders').transform([order(1, 7)]);
    expect(row![3]).toBe('deliver to [REDACTED:email]');
  });

  it('keeps null as null', async () => {
    const [row] = await transformer().table('users').transform([[1, null, null, null, null, null]]);
    expect(row).toEqual([expect.any(Number), null, null, null, null, null]);
  });

  it('writes NULL for nullify and leaves dropped columns out', async () => {
    const mapping = shopMapping();
    const users = mapping.tables.users!;
    const t = transformer({ tables: { ...mapping.tables, users: { ...users, columns: { ...users.columns, phone: { strategy: 'drop' }, full_name: { strategy: 'nullify' } } } } });
    expect(t.table('users').spec.columns).toEqual(['id', 'email', 'full_name', 'born', 'plan']);
    const [row] = await t.table('users').transform([user(1)]);
    expect(row).toHaveLength(5);
    expect(row![2]).toBeNull();
  });

  it('shifts every date of one subject by the same number of days, within shiftDays', async () => {
    const rows = await transformer().table('users').transform([user(9, '1990-06-15'), user(9, '1990-07-15')]);
    const shift = (out: unknown, input: string): number => (Date.parse(out as string) - Date.parse(input)) / 86_400_000;
    expect(shift(rows[0]![4], '1990-06-15')).toBe(shift(rows[1]![4], '1990-07-15'));
    expect(Math.abs(shift(rows[0]![4], '1990-06-15'))).toBeGreaterThanOrEqual(1);
    expect(Math.abs(shift(rows[0]![4], '1990-06-15'))).toBeLessThanOrEqual(30);
  });

  it('generalises dates to their year with birthYear', async () => {
    const mapping = shopMapping();
    const users = mapping.tables.users!;
    const t = transformer({ tables: { ...mapping.tables, users: { ...users, columns: { ...users.columns, born: { field: 'birthDate', strategy: 'birthYear' } } } } });
    const [row] = await t.table('users').transform([user(1, '1990-06-15')]);
    expect(row![4]).toBe('1990-01-01');
  });

  it('names table, column and 1-based row of a value it cannot transform, never the value', async () => {
    const error = await rejectionOf(transformer().table('users').transform([user(1), user(2, 'tuesday-next')]));
    expect(error.code).toBe('PK_COPY');
    expect(error.message).toMatch(/^@privacy-kit\/core: createCopyTransformer\(\): users\.born, row 2 of the batch: holds a value that is not a date/);
    expect(error.message).not.toContain('tuesday-next');
  });

  it('keeps a failing scrub function’s message out of the error (it may quote the value)', async () => {
    const t = createCopyTransformer(planCopy(shopMapping(), shopSchema()), { secret, scrub: (text) => { throw new Error(`cannot scrub ${text}`); } });
    const error = await rejectionOf(t.table('orders').transform([order(1, 4)]));
    expect(error.message).toContain('orders.notes, row 1 of the batch: the transformation failed (Error)');
    expect(error.message).not.toContain('mail.invalid');
  });

  it('gives a key id that is a fingerprint of the key, not the key', () => {
    expect(transformer().keyId).toBe(transformer().keyId);
    expect(transformer().keyId).not.toBe(transformer(shopMapping(), randomBytes(32)).keyId);
    expect(transformer().keyId).not.toContain(secret.toString('base64url').slice(0, 8));
  });
});

describe('createCopyTransformer with sealed fields', () => {
  class Member {
    email!: string;
    notes!: unknown;
  }
  definePersonalData(Member, 'email', { category: 'user.contact.email', encrypt: true });
  definePersonalData(Member, 'notes', { category: 'user.content.private', encrypt: true });
  const appSecret = randomBytes(32);
  const pseudonymKey = deriveKey(appSecret, 'pseudonym');
  const schema = [{ name: 'members', columns: [col('id', 'integer'), col('email'), col('notes')] }];
  const mapping: CopyMapping = { tables: { members: { model: Member, subject: 'id', columns: { id: { strategy: 'pseudonym' }, email: 'email', notes: 'notes' } } } };
  const cipher = createFieldCipher({ keys: new MemoryDataKeys(), keyProvider: localKeyProvider({ secret: appSecret }) });
  const sealedRow = async (n: number): Promise<unknown[]> => {
    const subject = createPseudonymizer(pseudonymKey)(String(n));
    return [n, await cipher.sealValue(Member, 'email', subject, `user-${n}@mail.invalid`), await cipher.sealValue(Member, 'notes', subject, { text: `call user-${n}@mail.invalid` })];
  };

  it('opens sealed fields with the source cipher and transforms them: no envelope and no clear value reaches the target', async () => {
    const t = createCopyTransformer(planCopy(mapping, schema), { secret, scrub, cipher, pseudonymKey });
    const [row] = await t.table('members').transform([await sealedRow(1)]);
    expect(row![1]).toMatch(/@example\.(com|net|org)$/);
    expect(row![2]).toBe('{"text":"call [REDACTED:email]"}');
    expect(JSON.stringify(row)).not.toMatch(/pk1\.|user-1@/);
  });

  it("opens under the subject value itself with cipherSubject 'value'", async () => {
    const t = createCopyTransformer(planCopy({ ...mapping, cipherSubject: 'value' }, schema), { secret, scrub, cipher });
    const row = [3, await cipher.sealValue(Member, 'email', '3', 'user-3@mail.invalid'), null];
    const [out] = await t.table('members').transform([row]);
    expect(out![1]).toMatch(/@example\.(com|net|org)$/);
  });

  it('refuses clear text in a sealed column, naming table, column and row', async () => {
    const t = createCopyTransformer(planCopy(mapping, schema), { secret, scrub, cipher, pseudonymKey });
    const clear = [2, 'user-2@mail.invalid', null];
    const error = await rejectionOf(t.table('members').transform([await sealedRow(1), clear]));
    expect(error.code).toBe('PK_DECRYPT');
    expect(error.message).toContain('members.email, row 2 of the batch');
    expect(error.message).not.toContain('user-2@');
  });

  it('refuses at creation a sealed field without a cipher, naming the columns', () => {
    const error = problemsOf(() => createCopyTransformer(planCopy(mapping, schema), { secret, scrub }));
    expect(error.message).toContain('members.email, members.notes hold fields sealed with encrypt: true');
  });

  it('asks for the pseudonym key when the cipher subject is the pseudonym', () => {
    const error = problemsOf(() => createCopyTransformer(planCopy(mapping, schema), { secret, scrub, cipher }));
    expect(error.message).toContain("pass { pseudonymKey: deriveKey(appSecret, 'pseudonym') }");
  });
});
