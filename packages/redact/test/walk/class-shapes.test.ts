import Database from 'better-sqlite3';
import { definePersonalData } from '@privacy-kit/core';
import { createRedactor } from '@privacy-kit/redact';

/** The model of a table, annotated once; the app reads its rows as plain objects. */
class PatientProfile {
  constructor(
    readonly id: string,
    readonly name: string,
    readonly email: string,
    readonly phone: string,
    readonly dateOfBirth: string,
    readonly ward: string,
  ) {}
}
definePersonalData(PatientProfile, 'name', { category: 'user.name' });
definePersonalData(PatientProfile, 'email', { category: 'user.contact.email' });
definePersonalData(PatientProfile, 'phone', { category: 'user.contact.phone_number' });
definePersonalData(PatientProfile, 'dateOfBirth', { category: 'user.demographic.date_of_birth' });

/** Generated test values: nothing here belongs to anyone. */
const row = (n: number): Record<string, unknown> => ({
  id: `patient-${n}`,
  name: `Testname${n} Generated`,
  email: `patient-${n}@example.test`,
  phone: `+44 20 7946 ${String(1000 + n).slice(-4)}`,
  date_of_birth: `19${50 + (n % 40)}-0${1 + (n % 9)}-1${n % 10}`,
  ward: `ward-${n % 7}`,
});

describe('plain objects shaped like an annotated class', () => {
  const redact = createRedactor();

  it('redacts a plain row as the class whose personal fields it carries, so that a generic key such as name is redacted too', () => {
    const out = redact({ user: row(7) }) as { user: Record<string, unknown> };
    expect(out.user).toEqual({ id: 'patient-7', name: '[REDACTED:name]', email: '[REDACTED:email]', phone: '[REDACTED:phone_number]', date_of_birth: '[REDACTED:date_of_birth]', ward: 'ward-0' });
  });

  it('redacts the rows read from SQLite with better-sqlite3, as an app would log them', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE patients (id TEXT PRIMARY KEY, name TEXT, email TEXT, phone TEXT, date_of_birth TEXT, ward TEXT)');
    const insert = db.prepare('INSERT INTO patients VALUES (@id, @name, @email, @phone, @date_of_birth, @ward)');
    for (let n = 1; n <= 3; n++) insert.run(row(n));
    const rows = db.prepare('SELECT * FROM patients ORDER BY id').all() as Record<string, unknown>[];
    db.close();
    const logged = JSON.stringify(redact({ msg: 'loaded', rows }));
    for (let n = 1; n <= 3; n++) {
      for (const key of ['name', 'email', 'phone', 'date_of_birth'] as const) expect(logged).not.toContain(String(row(n)[key]));
      expect(logged).toContain(`"id":"patient-${n}"`);
    }
  });

  it('matches field names across spellings (date_of_birth is dateOfBirth)', () => {
    const out = redact({ date_of_birth: '1970-01-02', name: 'Testname Generated' });
    expect(out).toEqual({ date_of_birth: '[REDACTED:date_of_birth]', name: '[REDACTED:name]' });
  });

  it('leaves an object that carries only one personal field of any class as the field names alone decide (a lone name stays)', () => {
    expect(redact({ name: 'build-server', ward: 'ward-1' })).toEqual({ name: 'build-server', ward: 'ward-1' });
  });

  it('takes the number of shared fields from classAware.plainObjects, and false matches class instances only', () => {
    const two = { name: 'Testname Generated', phone: '+44 20 7946 0001' };
    expect((createRedactor({ classAware: { plainObjects: 3 } })(two)).name).toBe('Testname Generated');
    expect((createRedactor({ classAware: { plainObjects: false } })(two)).name).toBe('Testname Generated');
    expect((createRedactor({ classAware: { plainObjects: 2 } })(two)).name).toBe('[REDACTED:name]');
    expect((createRedactor({ classAware: false })(two)).name).toBe('Testname Generated');
  });

  it('matches a class annotated after the redactor was made', () => {
    class Courier {
      constructor(readonly licencePlate: string, readonly homeDepot: string) {}
    }
    const later = { licencePlate: 'TEST-0001', homeDepot: 'depot-generated-7' };
    expect(redact(later)).toEqual(later);
    definePersonalData(Courier, 'licencePlate', { category: 'user.device' });
    definePersonalData(Courier, 'homeDepot', { category: 'user.contact.address' });
    expect(redact(later)).toEqual({ licencePlate: '[REDACTED:device]', homeDepot: '[REDACTED:address]' });
  });

  it('refuses a plainObjects that is not a whole number of at least 1 or false, saying what it means', () => {
    for (const bad of [0, 1.5, '2', true]) {
      expect(() => createRedactor({ classAware: { plainObjects: bad as never } })).toThrow(/'classAware.plainObjects' must be a whole number ≥ 1 \(how many personal fields of one class make a plain object that class; default 2\) or false/);
    }
    expect(() => createRedactor({ classAware: { plainObject: 2 } as never })).toThrow(/plainObjects/);
  });
});
