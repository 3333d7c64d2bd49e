import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createFieldCipher, definePersonalData, localKeyProvider, type FieldCipher } from '@privacy-kit/core';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

// An app that keeps a profile's fields sealed at rest (keys per data subject in the real SQLite store): the erasure
// destroys the subject's data keys once its erasers ran, and the export opens what the source returns sealed.

class SealedProfile {
  id!: string;
  name!: string;
  email!: string;
  plan!: string;
}
definePersonalData(SealedProfile, 'name', { category: 'user.name', encrypt: true });
definePersonalData(SealedProfile, 'email', { category: 'user.contact.email', encrypt: true });

describe('crypto-shredding and sealed exports (privacy({ rights: { fieldCipher } }))', () => {
  let t: TempStore;
  let cipher: FieldCipher;
  /** The app's table: rows as stored, sealed under the subject's pseudonym. */
  let rows: Map<string, SealedProfile>;
  let setup: ReturnType<typeof appWith>;
  /** One pseudonym key for the apps a test builds, so the subject's pseudonym (its keys' owner) stays the same. */
  const pseudonymKey = randomBytes(32);

  function build(fieldCipher: FieldCipher): void {
    setup?.kit.dispose();
    setup = appWith(t.store, {
      pseudonymKey,
      sources: {
        profiles: {
          model: SealedProfile,
          export: (id: string) => rows.get(id) ?? null,
          erase: (id: string) => { rows.delete(id); },
        },
      } as never,
      rights: { fieldCipher },
    });
  }

  beforeEach(async () => {
    t = tempStore();
    cipher = createFieldCipher({ keys: t.store, keyProvider: localKeyProvider({ secret: randomBytes(32) }) });
    rows = new Map();
    build(cipher);
    for (const n of [1, 2]) {
      const id = `user-${n}`;
      rows.set(id, await cipher.seal(SealedProfile, setup.kit.pseudonym(id), { id, name: `Test Person ${n}`, email: `person-${n}@example.test`, plan: 'basic' }));
    }
  });
  afterEach(async () => {
    setup.kit.dispose();
    await t.cleanup();
  });

  it('destroys the data keys of the subject once the erasers ran, so a copy taken before the erasure never opens again', async () => {
    const subject = setup.kit.pseudonym('user-1');
    const backup = rows.get('user-1') as SealedProfile;
    const res = await request(setup.app).post('/privacy/me/erasure').set('Authorization', bearer('user-1'));
    expect(res.body.request).toEqual(expect.objectContaining({ status: 'completed' }));
    expect(await t.store.currentDataKey(subject)).toBeUndefined();
    await expect(cipher.open(SealedProfile, subject, backup)).rejects.toMatchObject({ code: 'PK_KEY_DESTROYED' });
    // Another person's data still opens.
    expect((await cipher.open(SealedProfile, setup.kit.pseudonym('user-2'), rows.get('user-2') as SealedProfile)).name).toBe('Test Person 2');
  });

  it('audits the destruction of the keys after the erasers, before the request completes', async () => {
    const res = await request(setup.app).post('/privacy/me/erasure').set('Authorization', bearer('user-1'));
    const details = (await t.store.readAudit({ subject: setup.kit.pseudonym('user-1'), event: 'rights' })).map((r) => r.details);
    expect(details).toEqual([
      { requestId: res.body.request.id, kind: 'erasure', stage: 'received' },
      { requestId: res.body.request.id, kind: 'erasure', source: 'profiles', step: 'done' },
      { requestId: res.body.request.id, kind: 'erasure', step: 'data-keys-destroyed', keys: 1 },
      { requestId: res.body.request.id, kind: 'erasure', status: 'completed' },
    ]);
  });

  it('keeps the erasure open when the keys cannot be destroyed, and destroys them when it is resumed', async () => {
    let failures = 1;
    build({ ...cipher, shred: (subject: string) => (failures-- > 0 ? Promise.reject(new Error('store away')) : cipher.shred(subject)) });
    const first = await request(setup.app).post('/privacy/me/erasure').set('Authorization', bearer('user-1'));
    expect(first.body.request).toEqual(expect.objectContaining({ status: 'open', error: expect.stringContaining('data keys could not be destroyed') }));
    expect(await t.store.currentDataKey(setup.kit.pseudonym('user-1'))).toBeDefined();
    const second = await request(setup.app).post('/privacy/me/erasure').set('Authorization', bearer('user-1'));
    expect(second.body).toEqual(expect.objectContaining({ resumed: true, request: expect.objectContaining({ status: 'completed' }) }));
    expect(await t.store.currentDataKey(setup.kit.pseudonym('user-1'))).toBeUndefined();
  });

  it('opens the sealed values a source returns in the export document', async () => {
    const res = await request(setup.app).get('/privacy/me/export').set('Authorization', bearer('user-1'));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('pk1.');
    expect(JSON.stringify(res.body)).toContain('Test Person 1');
  });

  it("refuses a fieldCipher that is not the app's cipher", () => {
    expect(() => appWith(t.store, { rights: { fieldCipher: {} as never } })).toThrow(/'fieldCipher' must be the app's createFieldCipher/);
  });
});
