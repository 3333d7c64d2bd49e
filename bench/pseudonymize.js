'use strict';
// npm run bench:pseudonymize (issue 17): `privacy-kit pseudonymize` copies a generated SQLite database of
// BENCH_ROWS rows (default 1,000,000: a fifth customers with ten personal columns, the rest orders with a customer
// key, an address and a card number) into a new file, transforming every personal column, and the post-copy scan
// reads every text value of the copy. Printed: rows/s of the whole command (plan, copy, scan) and of the copy
// alone, against the peer measured in the same run: a plain copy of the same rows (better-sqlite3, the same batch
// size, no transformation, no scan). Goal: >= 50,000 rows/s for the whole command. Also printed: the process's RSS
// before and at its peak during the command (sampled every 50 ms), to compare across BENCH_ROWS.
// Everything is generated (no real person); the files live in a temporary folder removed at the end.
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const Database = require('better-sqlite3');
const { deriveKey } = require('@privacy-kit/core');
const { createSqliteStore } = require('@privacy-kit/sqlite');
const { run } = require('@privacy-kit/cli');

const ROWS = Number(process.env.BENCH_ROWS || 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH || 5000);

const SCHEMA = `
  CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, phone TEXT, iban TEXT, street TEXT,
    city TEXT, postal_code TEXT, date_of_birth TEXT, note TEXT, tier TEXT NOT NULL);
  CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, total REAL NOT NULL, ship_to TEXT NOT NULL,
    card TEXT, placed_at TEXT NOT NULL);
  CREATE INDEX orders_by_customer ON orders (customer_id);
`;

function generate(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA);
  const customers = Math.floor(ROWS / 5);
  const insertCustomer = db.prepare('INSERT INTO customers VALUES (?,?,?,?,?,?,?,?,?,?,?)');
  const insertOrder = db.prepare('INSERT INTO orders VALUES (?,?,?,?,?,?)');
  const pad = (n, w) => String(n).padStart(w, '0');
  db.transaction(() => {
    for (let i = 1; i <= customers; i++) {
      insertCustomer.run(i, `Test Person ${i}`, `person-${i}@mail.test`, `+44 20 7946 ${pad(i % 10000, 4)}`, `DE${pad(i % 97, 2)}3704004405${pad(i, 8)}`,
        `${i % 500} Sample Street`, 'Sampletown', pad(i % 100000, 5), `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
        i % 3 === 0 ? `call back on +44 20 7946 ${pad(i % 10000, 4)} or write to person-${i}@mail.test` : 'prefers e-mail', i % 2 ? 'gold' : 'silver');
    }
    for (let i = 1; i <= ROWS - customers; i++) {
      insertOrder.run(i, 1 + (i % customers), (i % 1000) / 10, `${i % 500} Sample Street, ${pad(i % 100000, 5)} Sampletown`,
        `4000${pad(i % 1e12, 12)}`, `2026-${pad(1 + (i % 12), 2)}-01T10:00:00Z`);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** The peer: the same rows read and written in batches by better-sqlite3, untransformed. */
function plainCopy(from, to) {
  const source = new Database(from, { readonly: true });
  const target = new Database(to);
  target.pragma('journal_mode = WAL');
  target.pragma('synchronous = NORMAL');
  target.exec(SCHEMA.replace(/CREATE INDEX[^;]+;/, ''));
  let rows = 0;
  for (const [table, columns] of [['customers', 11], ['orders', 6]]) {
    const read = source.prepare(`SELECT * FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ?`).raw(true);
    const insert = target.prepare(`INSERT INTO ${table} VALUES (${Array(columns).fill('?').join(',')})`);
    const write = target.transaction((batch) => { for (const row of batch) insert.run(row); });
    let after = 0;
    for (;;) {
      const batch = read.all(after, BATCH);
      if (batch.length === 0) break;
      write(batch);
      rows += batch.length;
      after = batch[batch.length - 1][0];
    }
  }
  target.exec('CREATE INDEX orders_by_customer ON orders (customer_id)');
  source.close();
  target.close();
  return rows;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pk-bench-pseudonymize-'));
  try {
    const source = join(dir, 'source.db');
    let t = performance.now();
    generate(source);
    console.log(`pseudonymize: generated ${ROWS.toLocaleString('en')} rows in ${((performance.now() - t) / 1000).toFixed(1)} s (batch size ${BATCH})`);

    t = performance.now();
    const plainRows = plainCopy(source, join(dir, 'plain.db'));
    const plainS = (performance.now() - t) / 1000;
    const plainRate = plainRows / plainS;

    const appSecret = randomBytes(32).toString('base64');
    const copySecret = randomBytes(32).toString('base64');
    const storeFile = join(dir, 'privacy-kit.db');
    const store = createSqliteStore({ filename: storeFile, auditKey: deriveKey(appSecret, 'audit') });
    await store.close();
    let out = '';
    // Memory while the command runs: the copy streams in batches, so the peak should not grow with the row count.
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 50);
    t = performance.now();
    const code = await run(['pseudonymize', '--from', source, '--to', join(dir, 'copy.db'), '--mapping', join(__dirname, 'pseudonymize-mapping.js'),
      '--store', storeFile, '--batch-size', String(BATCH), '--json'], {
      env: { ...process.env, PRIVACY_KIT_SECRET: appSecret, PRIVACY_KIT_COPY_SECRET: copySecret },
      stdout: (s) => { out += s; }, stderr: (s) => process.stderr.write(s),
    });
    const wholeS = (performance.now() - t) / 1000;
    clearInterval(sampler);
    if (code !== 0) throw new Error(`privacy-kit pseudonymize exited ${code}: ${out}`);
    const report = JSON.parse(out);
    const rate = report.rows / wholeS;
    const copyRate = report.rows / (report.copyMs / 1000);
    console.log(`  plain copy (peer, no transformation): ${Math.round(plainRate).toLocaleString('en')} rows/s (${plainS.toFixed(1)} s)`);
    console.log(`  pseudonymize, copy alone:             ${Math.round(copyRate).toLocaleString('en')} rows/s (${(report.copyMs / 1000).toFixed(1)} s)`);
    console.log(`  pseudonymize, whole command + scan:   ${Math.round(rate).toLocaleString('en')} rows/s (${wholeS.toFixed(1)} s), ${(rate / plainRate).toFixed(2)}x the plain copy`);
    console.log(`  goal >= 50,000 rows/s: ${rate >= 50_000 ? 'met' : 'NOT met'}`);
    console.log(`  memory: RSS ${Math.round(rssBefore / 2 ** 20)} MB before the command, peak ${Math.round(rssPeak / 2 ** 20)} MB while it ran (BENCH_ROWS=200000 for comparison)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
