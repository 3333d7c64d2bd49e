import { randomBytes } from 'node:crypto';
import { createFieldCipher, deriveKey, definePersonalData, isEnvelope, localKeyProvider, rewrapDataKeys, type FieldCipher } from '@privacy-kit/core';
import { MemoryDataKeys } from './memory-data-keys';

// Field encryption from the annotations: AES-256-GCM envelopes bound to class, field and subject, per-subject data
// keys wrapped under a key-encryption key, crypto-shredding, rotation, blind indexes. Generated test data only.

class Patient {
  id!: string;
  name!: string;
  email!: string;
  visits!: number;
  notes!: { text: string } | null;
}
definePersonalData(Patient, 'name', { category: 'user.name', encrypt: true });
definePersonalData(Patient, 'email', { category: 'user.contact.email', encrypt: true });
definePersonalData(Patient, 'notes', { category: 'user.health_and_medical', encrypt: true });
definePersonalData(Patient, 'visits', { category: 'user.behavior' });

const secret = randomBytes(32).toString('base64');
const patient = (n: number): Patient => Object.assign(new Patient(), { id: `patient-${n}`, name: `Test Person ${n}`, email: `person-${n}@example.test`, visits: n, notes: { text: `note ${n}` } });

function cipherOn(keys: MemoryDataKeys, appSecret = secret, extra: Partial<Parameters<typeof createFieldCipher>[0]> = {}): FieldCipher {
  return createFieldCipher({ keys, keyProvider: localKeyProvider({ secret: appSecret }), blindIndexKey: deriveKey(appSecret, 'blind-index'), ...extra });
}

describe('createFieldCipher', () => {
  let keys: MemoryDataKeys;
  let cipher: FieldCipher;
  beforeEach(() => {
    keys = new MemoryDataKeys();
    cipher = cipherOn(keys);
  });

  it('seals exactly the fields marked encrypt: true, and opens them back to the same values and types', async () => {
    const original = patient(1);
    const sealed = await cipher.seal(Patient, 'psn_1', original);
    expect(cipher.encryptedFields(Patient)).toEqual(['name', 'email', 'notes']);
    expect([sealed.name, sealed.email, sealed.notes].every(isEnvelope)).toBe(true);
    expect(sealed).toEqual(expect.objectContaining({ id: 'patient-1', visits: 1 }));
    expect(JSON.stringify(sealed)).not.toMatch(/Test Person|example\.test|note 1/);
    const opened = await cipher.open(Patient, 'psn_1', sealed);
    expect(opened).toEqual(original);
    expect(opened).toBeInstanceOf(Patient);
    expect(original.name).toBe('Test Person 1');
  });

  it('leaves null and undefined fields as they are', async () => {
    const sealed = await cipher.seal(Patient, 'psn_1', { ...patient(1), notes: null });
    expect(sealed.notes).toBeNull();
    expect((await cipher.open(Patient, 'psn_1', sealed)).notes).toBeNull();
  });

  it('creates one data key per subject on first use, stores it wrapped, and reuses it', async () => {
    await cipher.seal(Patient, 'psn_1', patient(1));
    await cipher.seal(Patient, 'psn_1', patient(2));
    await cipher.seal(Patient, 'psn_2', patient(3));
    const stored = [...keys.keys.values()];
    expect(stored.map((k) => k.subject).sort()).toEqual(['psn_1', 'psn_2']);
    expect(stored.every((k) => k.kekId.startsWith('local-') && k.wrapped.length > 40 && k.current)).toBe(true);
  });

  it('uses the key another instance stored first when two race to create it', async () => {
    const other = cipherOn(keys);
    const [a, b] = await Promise.all([cipher.seal(Patient, 'psn_1', patient(1)), other.seal(Patient, 'psn_1', patient(2))]);
    expect([...keys.keys.values()].filter((k) => k.subject === 'psn_1')).toHaveLength(1);
    expect((await other.open(Patient, 'psn_1', a)).name).toBe('Test Person 1');
    expect((await cipher.open(Patient, 'psn_1', b)).name).toBe('Test Person 2');
  });

  describe('never opens what it should not (PK_DECRYPT, PK_KEY_DESTROYED)', () => {
    it('refuses a tampered ciphertext', async () => {
      const sealed = await cipher.seal(Patient, 'psn_1', patient(1));
      const parts = sealed.name.split('.');
      const body = Buffer.from(parts[2] as string, 'base64url');
      body[14] = (body[14] as number) ^ 1;
      parts[2] = body.toString('base64url');
      await expect(cipher.open(Patient, 'psn_1', { ...sealed, name: parts.join('.') })).rejects.toMatchObject({ code: 'PK_DECRYPT', message: expect.stringContaining('does not authenticate') });
    });

    it('refuses a value moved to another field', async () => {
      const sealed = await cipher.seal(Patient, 'psn_1', patient(1));
      await expect(cipher.open(Patient, 'psn_1', { ...sealed, email: sealed.name })).rejects.toMatchObject({ code: 'PK_DECRYPT' });
    });

    it('refuses a value moved to another record (another data subject)', async () => {
      const a = await cipher.seal(Patient, 'psn_1', patient(1));
      await cipher.seal(Patient, 'psn_2', patient(2));
      await expect(cipher.open(Patient, 'psn_2', { ...patient(2), name: a.name, email: null, notes: null })).rejects.toMatchObject({ code: expect.stringMatching(/^PK_(DECRYPT|KEY_DESTROYED)$/) });
    });

    it('refuses a value sealed under another key-encryption key (another secret)', async () => {
      const sealed = await cipher.seal(Patient, 'psn_1', patient(1));
      const stranger = cipherOn(keys, randomBytes(32).toString('base64'));
      await expect(stranger.open(Patient, 'psn_1', sealed)).rejects.toMatchObject({ code: 'PK_DECRYPT', message: expect.stringContaining('does not hold') });
    });

    it('refuses a value sealed by another store (its data key is unknown here)', async () => {
      const sealed = await cipher.seal(Patient, 'psn_1', patient(1));
      await expect(cipherOn(new MemoryDataKeys()).open(Patient, 'psn_1', sealed)).rejects.toMatchObject({ code: 'PK_KEY_DESTROYED' });
    });

    it('never opens a value again once the subject was shredded, in any copy', async () => {
      const backup = await cipher.seal(Patient, 'psn_1', patient(1));
      expect(await cipher.shred('psn_1')).toBe(1);
      await expect(cipher.open(Patient, 'psn_1', backup)).rejects.toMatchObject({ code: 'PK_KEY_DESTROYED' });
      await expect(cipherOn(keys).open(Patient, 'psn_1', backup)).rejects.toMatchObject({ code: 'PK_KEY_DESTROYED' });
      // New data of the subject gets a new key.
      const fresh = await cipher.seal(Patient, 'psn_1', patient(2));
      expect((await cipher.open(Patient, 'psn_1', fresh)).name).toBe('Test Person 2');
    });

    it('refuses clear text in an encrypted field instead of passing it through', async () => {
      await expect(cipher.open(Patient, 'psn_1', patient(1))).rejects.toMatchObject({ code: 'PK_DECRYPT', message: expect.stringContaining('not an envelope') });
    });

    it('refuses a malformed envelope without echoing it', async () => {
      const error = await cipher.open(Patient, 'psn_1', { ...patient(1), name: 'pk1.short', email: null, notes: null }).then(() => new Error('opened'), (e: unknown) => e as Error);
      expect(error).toMatchObject({ code: 'PK_DECRYPT', message: expect.stringContaining('malformed') });
      expect(error.message).not.toContain('pk1.short');
    });
  });

  it('keeps opening values sealed under earlier keys after a subject key rotation, and seals with the new one', async () => {
    const before = await cipher.seal(Patient, 'psn_1', patient(1));
    const rotated = await cipher.rotateSubjectKey('psn_1');
    const after = await cipher.seal(Patient, 'psn_1', patient(2));
    expect(after.name.split('.')[1]).toBe(rotated.keyId);
    expect(before.name.split('.')[1]).not.toBe(rotated.keyId);
    expect((await cipherOn(keys).open(Patient, 'psn_1', before)).name).toBe('Test Person 1');
    expect((await cipherOn(keys).open(Patient, 'psn_1', after)).name).toBe('Test Person 2');
  });

  it('re-wraps every data key under a new secret, resumably, and the data opens with the new secret alone', async () => {
    const sealed = await Promise.all(Array.from({ length: 12 }, (_, i) => cipher.seal(Patient, `psn_${i}`, patient(i))));
    const next = randomBytes(32).toString('base64');
    const provider = localKeyProvider({ secret: next, previousSecrets: [secret] });
    keys.failRewrapAt = 7;
    await expect(rewrapDataKeys(keys, provider, { pageSize: 5 })).rejects.toThrow(/connection lost/);
    const progress: number[] = [];
    const resumed = await rewrapDataKeys(keys, provider, { pageSize: 5, onProgress: (p) => progress.push(p.rewrapped) });
    expect(resumed.rewrapped).toBe(6);
    expect(progress.at(-1)).toBe(6);
    expect([...keys.keys.values()].every((k) => k.kekId === provider.kekId)).toBe(true);
    const renewed = createFieldCipher({ keys, keyProvider: localKeyProvider({ secret: next }) });
    expect((await renewed.open(Patient, 'psn_3', sealed[3] as Patient)).name).toBe('Test Person 3');
    expect((await rewrapDataKeys(keys, provider)).rewrapped).toBe(0);
  });

  it('bounds the unwrapped keys it keeps in memory', async () => {
    const small = cipherOn(keys, secret, { cache: { max: 2, ttlMs: 60_000 } });
    const sealed = await Promise.all(Array.from({ length: 5 }, (_, i) => small.seal(Patient, `psn_${i}`, patient(i))));
    // Every subject still opens: evicted keys are unwrapped again from the store.
    for (let i = 0; i < 5; i++) expect((await small.open(Patient, `psn_${i}`, sealed[i] as Patient)).name).toBe(`Test Person ${i}`);
  });

  describe('blind index', () => {
    it('gives equal values equal indexes, per field, and needs its key', () => {
      expect(cipher.blindIndex(Patient, 'email', 'person-1@example.test')).toBe(cipher.blindIndex(Patient, 'email', 'person-1@example.test'));
      expect(cipher.blindIndex(Patient, 'email', 'person-1@example.test')).not.toBe(cipher.blindIndex(Patient, 'email', 'person-2@example.test'));
      expect(cipher.blindIndex(Patient, 'email', 'x')).not.toBe(cipher.blindIndex(Patient, 'name', 'x'));
      expect(cipher.blindIndex(Patient, 'email', 'x')).not.toBe(cipherOn(keys, randomBytes(32).toString('base64')).blindIndex(Patient, 'email', 'x'));
      expect(() => createFieldCipher({ keys, keyProvider: localKeyProvider({ secret }) }).blindIndex(Patient, 'email', 'x')).toThrow(/blindIndexKey/);
    });
  });

  describe('clear errors for bad input', () => {
    it('names a field that is not marked encrypt: true', async () => {
      await expect(cipher.sealValue(Patient, 'visits', 'psn_1', 3)).rejects.toMatchObject({ code: 'PK_INVALID_OPTION', message: expect.stringContaining('Patient.visits is not marked') });
    });

    it('refuses a missing subject', async () => {
      await expect(cipher.seal(Patient, '', patient(1))).rejects.toMatchObject({ code: 'PK_INVALID_OPTION', message: expect.stringContaining('data subject') });
    });

    it('refuses a store that cannot keep data keys, and an unknown option', () => {
      expect(() => createFieldCipher({ keys: {} as never, keyProvider: localKeyProvider({ secret }) })).toThrow(/lacks addDataKey/);
      expect(() => createFieldCipher({ keys, keyProvider: localKeyProvider({ secret }), cahce: {} } as never)).toThrow(/unknown option 'cahce'/);
    });

    it("refuses a bad 'encrypt' value on a field", () => {
      class Other { x!: string; }
      expect(() => definePersonalData(Other, 'x', { category: 'user.name', encrypt: 'yes' as never })).toThrow(/'encrypt' must be true or false/);
    });
  });
});
