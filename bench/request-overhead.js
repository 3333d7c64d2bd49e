'use strict';
// npm run bench: the same JWT-authenticated JSON route, bare and under privacy() (consent check + durable audit),
// each loaded with autocannon on loopback for a bounded time, the requests spread over BENCH_USERS distinct users
// (default 1,000), each with its own token and its consent granted, so that no cache sees one user only. Prints, per
// server, throughput, p50/p99 latency, server CPU and event-loop busy time per request and RSS after the load; then
// the ratios.
const { fork } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { join } = require('node:path');
const autocannon = require('autocannon');
const jwt = require('jsonwebtoken');

const DURATION_S = Number(process.env.BENCH_DURATION_S || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 2);
const USERS = Number(process.env.BENCH_USERS || 1000);
const secret = randomBytes(32).toString('base64');
const tokens = Array.from({ length: USERS }, (_, i) =>
  `Bearer ${jwt.sign({ sub: `bench-user-${i + 1}` }, secret, { algorithm: 'HS256', issuer: 'bench', audience: 'bench-api', expiresIn: '1h' })}`);

function start(mode) {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'request-overhead-server.js'), [mode, secret, String(USERS)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (msg) => resolve({ child, port: msg.port }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

function load(port) {
  let next = 0;
  return new Promise((resolve, reject) => {
    autocannon({
      url: `http://127.0.0.1:${port}/me/recommendations`,
      connections: CONNECTIONS,
      duration: DURATION_S,
      // Each request carries the next user's token, round robin over every user.
      requests: [{
        setupRequest(request) {
          next = (next + 1) % tokens.length;
          return { ...request, headers: { ...request.headers, authorization: tokens[next] } };
        },
      }],
    }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function measure(mode) {
  const { child, port } = await start(mode);
  try {
    await load(port).then(() => undefined); // warm-up round, not counted
    const usage = () => new Promise((resolve) => {
      const onMessage = (m) => {
        if (m.cpuMicros === undefined) return;
        child.off('message', onMessage);
        resolve(m);
      };
      child.on('message', onMessage);
      child.send('cpu');
    });
    const before = await usage();
    const results = [];
    for (let i = 0; i < ROUNDS; i++) results.push(await load(port));
    const after = await usage();
    const total = results.reduce((n, r) => n + r.requests.total, 0);
    const cpuPerRequest = (after.cpuMicros - before.cpuMicros) / total;
    const loopPerRequest = ((after.loopActiveMs - before.loopActiveMs) * 1000) / total;
    const rssMb = after.rss / (1024 * 1024);
    const best = results.reduce((a, b) => (b.requests.average > a.requests.average ? b : a));
    const non2xx = results.reduce((n, r) => n + r.non2xx + r.errors, 0);
    let audit;
    if (mode !== 'bare') {
      child.send('count');
      audit = await new Promise((resolve) => {
        const onMessage = (m) => {
          if (m.audit === undefined) return;
          child.off('message', onMessage);
          resolve(m);
        };
        child.on('message', onMessage);
      });
    }
    return { rps: best.requests.average, p99: best.latency.p99, p50: best.latency.p50, non2xx, audit, cpuPerRequest, loopPerRequest, rssMb };
  } finally {
    child.removeAllListeners('exit');
    child.kill();
  }
}

async function main() {
  const label = process.env.BENCH_STORE === 'postgres' ? 'privacy() on PostgreSQL' : `privacy() on SQLite (${process.env.BENCH_DURABILITY || 'process-crash'})`;
  console.log(`request overhead: ${USERS} users (a token and a consent each), ${CONNECTIONS} connections, ${ROUNDS} x ${DURATION_S}s per server after a warm-up (loopback)`);
  const bare = await measure('bare');
  const guarded = await measure('privacy');
  const row = (name, r) => `${name.padEnd(40)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   server CPU ${r.cpuPerRequest.toFixed(1).padStart(6)} µs/request   event loop ${r.loopPerRequest.toFixed(1).padStart(6)} µs/request   RSS ${r.rssMb.toFixed(0).padStart(4)} MB   non-2xx ${r.non2xx}`;
  console.log(row('bare express + JWT', bare));
  console.log(row(label, guarded));
  console.log(`audit records written: ${guarded.audit.audit} for ${guarded.audit.subjects} distinct data subjects`);
  const ratio = guarded.rps / bare.rps;
  const addedP99 = guarded.p99 - bare.p99;
  // On PostgreSQL (npm run bench:postgres) the target is >= 0.80x; the p99 and memory targets are the SQLite store's.
  const onPostgres = process.env.BENCH_STORE === 'postgres';
  console.log(`ratio ${ratio.toFixed(2)}x of bare throughput (target >= ${onPostgres ? '0.80' : '0.90'}x); p99 added ${addedP99.toFixed(2)} ms${onPostgres ? '' : ' (target <= 1 ms)'}`);
  console.log(`RSS after the load: +${(guarded.rssMb - bare.rssMb).toFixed(0)} MB over bare (target <= +50 MB with 1,000 users)`);
  console.log(`server CPU per request ${(guarded.cpuPerRequest / bare.cpuPerRequest).toFixed(2)}x of bare (+${(guarded.cpuPerRequest - bare.cpuPerRequest).toFixed(1)} µs): throughput on a shared 2-core machine varies between runs, CPU per request much less`);
  if (bare.non2xx > 0 || guarded.non2xx > 0) {
    console.error('some requests failed: the figures are not valid');
    process.exitCode = 1;
  }
}

// bench/monitoring.js measures the same servers (with monitoring on and off) in one run.
module.exports = { measure, start, load };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
