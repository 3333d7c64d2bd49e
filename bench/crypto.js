'use strict';
// npm run bench:crypto (issue 16): field encryption on this machine.
//  1. seal and open throughput of a 5-field record (createFieldCipher, AES-256-GCM per field) with a warm key cache,
//     over BENCH_SUBJECTS data subjects (default 100) whose data keys live wrapped in a real SQLite store; interleaved
//     rounds of BENCH_RECORDS records (default 50,000), the best round of each printed. Goal >= 50,000 records/s each.
//  2. the time to re-wrap BENCH_KEYS data keys (default 100,000) under a new key-encryption key with rewrapDataKeys()
//     against the SQLite store (the keys are written first, in one transaction, not timed). Goal <= 30 s.
// Everything is generated; the store lives in a temporary folder removed at the end.
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const { createFieldCipher, definePersonalData, isoTime, localKeyProvider, rewrapDataKeys } = require('@privacy-kit/core');
const { createSqliteStore } = require('@privacy-kit/sqlite');

const RECORDS = Number(process.env.BENCH_RECORDS || 50_000);
const SUBJECTS = Number(process.env.BENCH_SUBJECTS || 100);
const KEYS = Number(process.env.BENCH_KEYS || 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);

class Customer {}
for (const [field, category] of [['name', 'user.name'], ['email', 'user.contact.email'], ['phone', 'user.contact.phone_number'],
  ['street', 'user.contact.address.street'], ['dateOfBirth', 'user.demographic.date_of_birth']]) {
  definePersonalData(Customer, field, { category, encrypt: true });
}
const customer = (i) => Object.assign(new Customer(), {
  id: `customer-${i}`, name: `Test Person ${i}`, email: `person-${i}@example.test`, phone: `+44 20 7946 ${String(i % 10000).padStart(4, '0')}`,
  street: `${i % 500} Example Street`, dateOfBirth: '1990-01-01', tier: 'gold',
});

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pk-bench-crypto-'));
  const secret = randomBytes(32).toString('base64');
  const store = createSqliteStore({ filename: join(dir, 'privacy.db'), auditKey: randomBytes(32) });
  try {
    const cipher = createFieldCipher({ keys: store, keyProvider: localKeyProvider({ secret }) });
    const records = Array.from({ length: 1000 }, (_, i) => customer(i));
    for (let s = 0; s < SUBJECTS; s++) await cipher.seal(Customer, `psn_${s}`, records[s % records.length]);
    console.log(`crypto: a 5-field record (AES-256-GCM per field, AAD of class, field, subject), ${SUBJECTS} subjects with warm keys, ${ROUNDS} rounds of ${RECORDS} records`);
    let bestSeal = 0;
    let bestOpen = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const sealed = new Array(RECORDS);
      let t = performance.now();
      for (let i = 0; i < RECORDS; i++) sealed[i] = await cipher.seal(Customer, `psn_${i % SUBJECTS}`, records[i % records.length]);
      const seal = RECORDS / ((performance.now() - t) / 1000);
      t = performance.now();
      for (let i = 0; i < RECORDS; i++) await cipher.open(Customer, `psn_${i % SUBJECTS}`, sealed[i]);
      const open = RECORDS / ((performance.now() - t) / 1000);
      console.log(`  round ${round + 1}: seal ${seal.toFixed(0)} records/s, open ${open.toFixed(0)} records/s`);
      bestSeal = Math.max(bestSeal, seal);
      bestOpen = Math.max(bestOpen, open);
    }
    console.log(`seal ${bestSeal.toFixed(0)} records/s (goal >= 50,000), open ${bestOpen.toFixed(0)} records/s (goal >= 50,000)`);

    // Re-wrap: the keys of KEYS subjects, written by the store's own addDataKey in one go, then rotated.
    const old = localKeyProvider({ secret });
    const t0 = performance.now();
    await Promise.all(Array.from({ length: KEYS }, (_, i) => {
      const keyId = randomBytes(12).toString('base64url');
      const subject = `psn_rot_${String(i).padStart(6, '0')}`;
      return store.addDataKey({ subject, keyId, kekId: old.kekId, wrapped: old.wrap(randomBytes(32), { subject, keyId }), createdAt: isoTime() });
    }));
    console.log(`  (${KEYS} data keys written in ${((performance.now() - t0) / 1000).toFixed(1)} s, not timed)`);
    const next = localKeyProvider({ secret: randomBytes(32).toString('base64'), previousSecrets: [secret] });
    const t1 = performance.now();
    const done = await rewrapDataKeys(store, next, { pageSize: 1000 });
    const seconds = (performance.now() - t1) / 1000;
    console.log(`re-wrap ${done.rewrapped + done.skipped} data keys under a new key-encryption key: ${seconds.toFixed(1)} s (goal <= 30 s)`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
