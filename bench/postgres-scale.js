'use strict';
// npm run bench:postgres-scale (issue 15): does audited throughput grow with the number of app instances that
// share one PostgreSQL store, when the database is a few milliseconds away?
//
// A loopback TCP proxy (scripts/delay-proxy.js, in a process of its own) adds BENCH_DELAY_MS (default 5 ms) each
// way between the app instances and the server. For each N in BENCH_INSTANCES (default 1,2,4), N app processes
// (bench/request-overhead-server.js in 'privacy' mode on the PostgreSQL store, one fresh schema per N, shared keys,
// BENCH_USERS users with their consents granted) are loaded all at once with autocannon on loopback: a light
// closed-loop load (BENCH_CONNECTIONS_PER_INSTANCE connections each, default 4), round robin over the users' tokens,
// a warm-up (BENCH_WARMUP_S, default 3 s) then a measured window (BENCH_DURATION_S, default 10 s; at most
// BENCH_MAX_REQUESTS_PER_INSTANCE requests per instance per run). Prints per N: audited requests/s (2xx responses
// per second summed over the instances), p50/p99 over all of them, the machine's CPU idle share over the window
// (from /proc/stat: if it is near 0, the CPU and not the store limited the run), and the 'access' audit records
// in the database next to the 2xx count (every 2xx must have one). Then `scale: 4 instances / 1 instance = N.NNx`.
//
// The consents are recorded directly (not through the proxy): setting up 1,000 users over a 10 ms round trip
// would take longer than the measurement. BENCH_PG_STORE_OPTIONS (JSON) is passed to createPostgresStore(), e.g.
// to select an audit design. The whole run stops by itself (BENCH_TIMEOUT_S, default 300 s, ends it regardless).
// Needs a server: `npm run bench:postgres-scale` runs it under scripts/with-postgres.sh (a throwaway cluster).
const { fork } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const autocannon = require('autocannon');
const jwt = require('jsonwebtoken');
const { Client } = require('pg');

function positiveNumber(name, fallback, { integer = true, zero = false } = {}) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < 0 || (!zero && value === 0)) {
    console.error(`bench:postgres-scale: ${name}=${text} is not a ${integer ? 'whole ' : ''}number ${zero ? '>= 0' : '> 0'}; unset it for the default (${fallback}).`);
    process.exit(2);
  }
  return value;
}

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) {
  console.error('bench:postgres-scale: DATABASE_URL is not set. Run `npm run bench:postgres-scale` (it starts a throwaway PostgreSQL),');
  console.error('or: bash scripts/with-postgres.sh node bench/postgres-scale.js');
  process.exit(1);
}
const DELAY_MS = positiveNumber('BENCH_DELAY_MS', 5, { integer: false, zero: true });
const CONNECTIONS = positiveNumber('BENCH_CONNECTIONS_PER_INSTANCE', 4);
const DURATION_S = positiveNumber('BENCH_DURATION_S', 10);
const WARMUP_S = positiveNumber('BENCH_WARMUP_S', 3);
const USERS = positiveNumber('BENCH_USERS', 1000);
const MAX_REQUESTS = positiveNumber('BENCH_MAX_REQUESTS_PER_INSTANCE', 200_000);
const TIMEOUT_S = positiveNumber('BENCH_TIMEOUT_S', 300);
const INSTANCES = (process.env.BENCH_INSTANCES || '1,2,4').split(',').map((n) => Number(n.trim()));
if (INSTANCES.some((n) => !Number.isInteger(n) || n < 1 || n > 16)) {
  console.error(`bench:postgres-scale: BENCH_INSTANCES=${process.env.BENCH_INSTANCES} must be a comma-separated list of instance counts from 1 to 16, e.g. 1,2,4.`);
  process.exit(2);
}
if (MAX_REQUESTS < CONNECTIONS) {
  console.error(`bench:postgres-scale: BENCH_MAX_REQUESTS_PER_INSTANCE (${MAX_REQUESTS}) must be at least BENCH_CONNECTIONS_PER_INSTANCE (${CONNECTIONS}).`);
  process.exit(2);
}

const secret = randomBytes(32).toString('base64');
const auditKey = randomBytes(32).toString('hex');
const pseudonymKey = randomBytes(32).toString('hex');
const tokens = Array.from({ length: USERS }, (_, i) =>
  `Bearer ${jwt.sign({ sub: `bench-user-${i + 1}` }, secret, { algorithm: 'HS256', issuer: 'bench', audience: 'bench-api', expiresIn: '1h' })}`);
const children = new Set();

function killAll() {
  for (const child of children) child.kill();
  children.clear();
}
process.on('exit', killAll);
const watchdog = setTimeout(() => {
  console.error(`bench:postgres-scale: still running after ${TIMEOUT_S} s (BENCH_TIMEOUT_S); stopping.`);
  killAll();
  process.exit(1);
}, TIMEOUT_S * 1000);
watchdog.unref();

/** Forks a script and resolves with its child process and the first message carrying a port. */
function forkUntilPort(script, args, env, name) {
  return new Promise((resolve, reject) => {
    const child = fork(script, args, { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    children.add(child);
    child.once('message', (msg) => resolve({ child, port: msg.port }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it listened`)));
  });
}

async function stop(child) {
  children.delete(child);
  child.removeAllListeners('exit');
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await exited;
}

/** The machine's CPU time counters (all cores): idle (idle + iowait) and total, in clock ticks; undefined off Linux. */
function cpuTimes() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    return { idle: fields[3] + fields[4], total: fields.reduce((a, b) => a + b, 0) };
  } catch {
    return undefined;
  }
}

/** One autocannon run against one instance; 2xx latencies go to `latencies` when given. */
function load(port, durationS, latencies) {
  let next = Math.floor(Math.random() * tokens.length);
  return new Promise((resolve, reject) => {
    const run = autocannon({
      url: `http://127.0.0.1:${port}/me/recommendations`,
      connections: CONNECTIONS,
      duration: durationS,
      maxOverallRequests: MAX_REQUESTS,
      // Each request carries the next user's token, round robin over every user.
      requests: [{
        setupRequest(request) {
          next = (next + 1) % tokens.length;
          return { ...request, headers: { ...request.headers, authorization: tokens[next] } };
        },
      }],
    }, (error, result) => (error ? reject(error) : resolve(result)));
    if (latencies) run.on('response', (_client, status, _bytes, ms) => { if (status >= 200 && status < 300) latencies.push(ms); });
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * The 'access' audit records in the schema: the one per request that privacy() commits before the handler runs.
 * Counted with SQL in the log table, directly (not through the proxy).
 */
async function countAccessRecords(schema) {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT count(*)::bigint AS n FROM "${schema}".audit_log WHERE event = 'access'`);
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

async function dropSchema(schema) {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** The median time of a `SELECT 1` through the proxy: the round trip the app instances see. */
async function roundTripMs(url) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const times = [];
    for (let i = 0; i < 21; i++) {
      const started = performance.now();
      await client.query('SELECT 1');
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[10];
  } finally {
    await client.end();
  }
}

async function measure(n, proxiedUrl) {
  const schema = `bench_scale_${n}_${randomBytes(4).toString('hex')}`;
  const setupStarted = performance.now();
  const servers = await Promise.all(Array.from({ length: n }, (_, i) => forkUntilPort(
    join(__dirname, 'request-overhead-server.js'),
    // The fleet shares the consents: the first instance records them, the others find them in the store.
    ['privacy', secret, String(i === 0 ? USERS : 0)],
    {
      ...process.env,
      BENCH_STORE: 'postgres',
      DATABASE_URL: proxiedUrl,
      BENCH_SEED_DATABASE_URL: DATABASE_URL,
      BENCH_PG_SCHEMA: schema,
      BENCH_AUDIT_KEY: auditKey,
      BENCH_PSEUDONYM_KEY: pseudonymKey,
      BENCH_APP_ID: `bench-${i + 1}`,
    },
    `app instance ${i + 1} of ${n}`,
  )));
  const setupS = (performance.now() - setupStarted) / 1000;
  try {
    const warmUp = await Promise.all(servers.map((s) => load(s.port, WARMUP_S)));
    const latencies = [];
    const cpuBefore = cpuTimes();
    const results = await Promise.all(servers.map((s) => load(s.port, DURATION_S, latencies)));
    const cpuAfter = cpuTimes();
    const all = [...warmUp, ...results];
    const ok2xx = all.reduce((sum, r) => sum + r['2xx'], 0);
    const failed = all.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0);
    const access = await countAccessRecords(schema);
    latencies.sort((a, b) => a - b);
    return {
      n,
      setupS,
      rps: results.reduce((sum, r) => sum + r['2xx'] / r.duration, 0),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      idle: cpuBefore && cpuAfter ? (cpuAfter.idle - cpuBefore.idle) / (cpuAfter.total - cpuBefore.total) : undefined,
      ok2xx,
      access,
      failed,
    };
  } finally {
    await Promise.all(servers.map((s) => stop(s.child)));
    await dropSchema(schema);
  }
}

async function main() {
  const started = performance.now();
  const database = new URL(DATABASE_URL);
  const proxy = await forkUntilPort(
    join(__dirname, '..', 'scripts', 'delay-proxy.js'),
    [database.hostname, database.port || '5432', String(DELAY_MS)],
    process.env,
    'the delay proxy',
  );
  const proxied = new URL(DATABASE_URL);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  const options = process.env.BENCH_PG_STORE_OPTIONS ? ` store options ${process.env.BENCH_PG_STORE_OPTIONS};` : '';
  console.log(`postgres scale: app instances -> delay proxy (+${DELAY_MS} ms each way) -> PostgreSQL;${options} ${USERS} users (a token and a consent each), ${CONNECTIONS} connections per instance, ${WARMUP_S} s warm-up + ${DURATION_S} s measured (loopback)`);
  console.log(`round trip to PostgreSQL through the proxy: ${(await roundTripMs(proxied.toString())).toFixed(1)} ms (median of 21 'SELECT 1')`);
  console.log(`${'instances'.padEnd(10)}${'setup'.padStart(8)}${'audited req/s'.padStart(15)}${'p50'.padStart(10)}${'p99'.padStart(10)}${'CPU idle'.padStart(10)}   'access' records / 2xx responses (warm-up + window)`);
  const rows = [];
  let failed = false;
  try {
    for (const n of INSTANCES) {
      const r = await measure(n, proxied.toString());
      rows.push(r);
      const audited = r.access >= r.ok2xx;
      failed ||= !audited || r.failed > 0;
      console.log(`${String(r.n).padEnd(10)}${`${r.setupS.toFixed(1)} s`.padStart(8)}${r.rps.toFixed(0).padStart(15)}${`${r.p50.toFixed(1)} ms`.padStart(10)}${`${r.p99.toFixed(1)} ms`.padStart(10)}${(r.idle === undefined ? 'n/a' : `${(r.idle * 100).toFixed(0)}%`).padStart(10)}   ${r.access} / ${r.ok2xx}${audited ? '' : '  FEWER RECORDS THAN 2xx: unaudited responses'}${r.failed > 0 ? `  (${r.failed} failed requests)` : ''}`);
    }
  } finally {
    await stop(proxy.child);
  }
  const one = rows.find((r) => r.n === 1);
  for (const r of rows) {
    if (one === undefined || r.n === 1) continue;
    console.log(`scale: ${r.n} instances / 1 instance = ${(r.rps / one.rps).toFixed(2)}x${r.n === 4 ? ' (goal >= 3.0x)' : ''}`);
  }
  console.log(`(the whole bench took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  if (failed) {
    console.error('some requests failed or were not audited: the figures are not valid');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  killAll();
  process.exit(1);
});
