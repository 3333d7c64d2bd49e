'use strict';
// npm run bench:drift: the cost of drift detection at its default sampling rate. Two servers in one process
// (privacy() without and with drift), the same JSON route with personal data in its body, loaded with autocannon on
// loopback in alternating rounds of bounded length. Prints throughput, p99 latency and the ratio (target >= 0.95x).
const { fork } = require('node:child_process');
const { join } = require('node:path');
const autocannon = require('autocannon');

const DURATION_S = Number(process.env.BENCH_DURATION_S || 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5);
const TARGET = 0.95;

function start() {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'drift-server.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (ports) => resolve({ child, ports }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the benchmark servers exited with ${code}`)));
  });
}

function load(port, duration = DURATION_S) {
  return new Promise((resolve, reject) => {
    autocannon({ url: `http://127.0.0.1:${port}/debug/users`, connections: CONNECTIONS, duration }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

let serverProcess;

/** Asks the server process something over IPC ('cpu', 'samples'). */
function ask(message) {
  return new Promise((resolve) => {
    serverProcess.once('message', resolve);
    serverProcess.send(message);
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main() {
  console.log(`drift detection: ${CONNECTIONS} connections, ${ROUNDS} alternating rounds x ${DURATION_S}s per server after a warm-up (loopback)`);
  const { child, ports } = await start();
  serverProcess = child;
  const off = { port: ports.off };
  const on = { port: ports.on };
  try {
    await load(off.port, 2);
    await load(on.port, 2);
    const results = { off: [], on: [] };
    for (let i = 0; i < ROUNDS; i++) {
      // Alternate the order so that changes in machine load do not favour one server.
      const order = i % 2 === 0 ? [['off', off], ['on', on]] : [['on', on], ['off', off]];
      for (const [name, server] of order) {
        const before = await ask('cpu');
        const result = await load(server.port);
        const after = await ask('cpu');
        results[name].push({ ...result, cpuPerRequest: (after.cpu - before.cpu) / Math.max(1, result.requests.total) });
      }
    }
    const { samples } = await ask('samples');
    const summary = (name) => {
      const rs = results[name];
      return {
        rps: median(rs.map((r) => r.requests.average)),
        p99: median(rs.map((r) => r.latency.p99)),
        cpu: median(rs.map((r) => r.cpuPerRequest)),
        failed: rs.reduce((n, r) => n + r.non2xx + r.errors, 0),
        total: rs.reduce((n, r) => n + r.requests.total, 0),
      };
    };
    const a = summary('off');
    const b = summary('on');
    const row = (label, r) => `${label.padEnd(34)} ${r.rps.toFixed(0).padStart(8)} req/s   p99 ${String(r.p99).padStart(4)} ms   server CPU ${r.cpu.toFixed(1).padStart(6)} µs/request   failed ${r.failed}`;
    console.log(row('privacy(), drift off', a));
    console.log(row('privacy(), drift on (default rate)', b));
    console.log(`responses inspected: ${samples} of ${b.total} measured with drift on, plus its warm-up (${((100 * samples) / Math.max(1, b.total)).toFixed(2)}%)`);
    // Each round measures both servers back to back; the median of the per-round ratios resists changes in load.
    const ratio = median(results.on.map((r, i) => r.requests.average / results.off[i].requests.average));
    console.log(`ratio ${ratio.toFixed(3)}x of drift-off throughput, median of ${ROUNDS} paired rounds (target >= ${TARGET}x): ${ratio >= TARGET ? 'ok' : 'BELOW TARGET'}`);
    console.log(`server CPU per request ${(b.cpu / a.cpu).toFixed(3)}x of drift-off. On a busy machine both figures move by several percent between identical servers: set BENCH_DRIFT_OPTIONS=false to see that noise.`);
    if (a.failed > 0 || b.failed > 0) {
      console.error('some requests failed: the figures are not valid');
      process.exitCode = 1;
    } else if (ratio < TARGET) process.exitCode = 1;
  } finally {
    child.removeAllListeners('exit');
    child.kill();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
