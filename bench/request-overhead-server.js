'use strict';
// One server of the request-overhead benchmark, started in its own process by request-overhead.js.
// mode: 'bare' (express + JWT verification), 'privacy' (privacy() + consent check + durable audit on SQLite) or
// 'monitored' (the same with privacy({ monitoring: true }): every default rule over the audit stream).
// users: how many distinct users the load spreads over (`bench-user-1` ... `bench-user-N`); under privacy() each has
// the route's consent granted before the load starts.
// Several instances of one app (bench/postgres-scale.js) share a store; these settings make them one fleet:
//   BENCH_PG_SCHEMA          the PostgreSQL schema (default: the store's)
//   BENCH_AUDIT_KEY, BENCH_PSEUDONYM_KEY   hex keys every instance shares (default: random per process)
//   BENCH_APP_ID             the appId in the audit records (default 'bench')
//   BENCH_PG_STORE_OPTIONS   JSON merged into createPostgresStore()'s options (e.g. to select an audit design)
//   BENCH_SEED_DATABASE_URL  record the consents through this URL instead of DATABASE_URL (e.g. directly, when
//                            DATABASE_URL goes through a slow link); users=0 records none (another instance does)
const { createSecretKey, randomBytes } = require('node:crypto');
const { performance } = require('node:perf_hooks');
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const express = require('express');
const jwt = require('jsonwebtoken');

const [mode, secret, usersText] = process.argv.slice(2);
const USERS = Number(usersText || 1);
const JWT = { secret, algorithms: ['HS256'], issuer: 'bench', audience: 'bench-api' };
const app = express();
app.disable('x-powered-by');
const payload = { recommendations: ['BOOK-43', 'MUG-8', 'LAMP-3'], generatedAt: '2026-01-01T00:00:00+00:00' };

const keys = new Map();
function keyFromEnv(name) {
  if (!keys.has(name)) keys.set(name, process.env[name] ? Buffer.from(process.env[name], 'hex') : randomBytes(32));
  return keys.get(name);
}

function postgresOptions(connectionString) {
  const schema = process.env.BENCH_PG_SCHEMA;
  const extra = process.env.BENCH_PG_STORE_OPTIONS ? JSON.parse(process.env.BENCH_PG_STORE_OPTIONS) : {};
  return { ...extra, connectionString, auditKey: keyFromEnv('BENCH_AUDIT_KEY'), ...(schema ? { schema } : {}) };
}

function send(_req, res) {
  res.json(payload);
}

async function main() {
  if (mode === 'bare') {
    // Best practice for the baseline too: the key object is made once, not per request.
    const key = createSecretKey(Buffer.from(JWT.secret));
    app.get('/me/recommendations', (req, res, next) => {
      const header = req.headers.authorization || '';
      try {
        req.user = jwt.verify(header.slice(7), key, { algorithms: JWT.algorithms, issuer: JWT.issuer, audience: JWT.audience });
      } catch {
        res.status(401).json({ error: 'unauthenticated' });
        return;
      }
      next();
    }, send);
  } else {
    const { privacy, personalData, requiresConsent } = require('@privacy-kit/express');
    const storeKind = process.env.BENCH_STORE || 'sqlite';
    let store;
    if (storeKind === 'sqlite') {
      const { createSqliteStore } = require('@privacy-kit/sqlite');
      // BENCH_DURABILITY=power-loss measures the mode that fsyncs every commit before the handler runs.
      const durability = process.env.BENCH_DURABILITY || 'process-crash';
      store = createSqliteStore({ filename: join(mkdtempSync(join(tmpdir(), 'pk-bench-')), 'bench.db'), auditKey: randomBytes(32), durability });
    } else {
      const { createPostgresStore } = require('@privacy-kit/postgres');
      store = createPostgresStore(postgresOptions(process.env.DATABASE_URL));
    }
    const kit = privacy({
      store, pseudonymKey: keyFromEnv('BENCH_PSEUDONYM_KEY'), jwt: JWT, appId: process.env.BENCH_APP_ID || 'bench', onError: () => {},
      ...(mode === 'monitored' ? { monitoring: true } : {}),
    });
    app.use(kit);
    app.get('/me/recommendations',
      personalData({ categories: ['user.behavior.purchase_history'], purpose: 'personalize.content' }),
      requiresConsent('personalize.content'),
      send);
    const seedUrl = process.env.BENCH_SEED_DATABASE_URL;
    const seedStore = storeKind === 'postgres' && seedUrl ? require('@privacy-kit/postgres').createPostgresStore(postgresOptions(seedUrl)) : store;
    for (let i = 1; i <= USERS; i++) {
      await seedStore.recordConsent({ subject: kit.pseudonym(`bench-user-${i}`), purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api' });
    }
    if (seedStore !== store) await seedStore.close();
    if (storeKind === 'postgres') await store.ready();
    process.on('message', async (msg) => {
      if (msg === 'count') {
        const records = await store.readAudit();
        process.send({ audit: records.length, subjects: new Set(records.map((r) => r.subject)).size });
      }
    });
  }
  process.on('message', (msg) => {
    if (msg === 'cpu') {
      const { user, system } = process.cpuUsage();
      // Event-loop busy time (ms) next to CPU: what the loop spent that no other request could use.
      process.send({ cpuMicros: user + system, loopActiveMs: performance.eventLoopUtilization().active, rss: process.memoryUsage().rss });
    }
  });
  const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
}

process.on('SIGINT', () => process.exit(0));
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
