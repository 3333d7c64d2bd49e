'use strict';
// npm run bench:monitoring (issue 18): breach readiness on this machine.
//  1. Request overhead with monitoring on and off in the same run (the servers of `npm run bench`): bare Express + JWT,
//     privacy(), and privacy({ monitoring: true }) (every default rule over the audit stream), side by side, loaded
//     in turn for BENCH_MONITORING_ROUNDS rounds (default 5) of BENCH_DURATION_S (default 10 s) each, the order
//     rotating. Goal: the monitored ratio to bare drops by at most 5 % of the unmonitored ratio (medians of rounds).
//  2. `privacy-kit incidents scope` over a SQLite store of BENCH_AUDIT_RECORDS generated audit records (default
//     1,000,000: 1,000 actors reading 200,000 subjects, one of them reading 50,000 within an hour). The records are
//     appended through the store (not timed); the command runs in this process, on the store's file. Goal <= 10 s.
// Everything is generated; the store lives in a temporary folder removed at the end.
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const { deriveKey } = require('@privacy-kit/core');
const { createSqliteStore } = require('@privacy-kit/sqlite');
const { run } = require('@privacy-kit/cli');
const { load, start } = require('./request-overhead');

const RECORDS = Number(process.env.BENCH_AUDIT_RECORDS || 1_000_000);
const ROUNDS = Number(process.env.BENCH_MONITORING_ROUNDS || 5);
const SUSPECT_READS = Math.min(50_000, Math.floor(RECORDS / 20));

function entry(i, actor, subject, time) {
  return {
    event: 'access', time, requestId: `bench-${i}`, appId: 'bench', actor, subject, method: 'GET', route: '/customers/:id',
    purposes: ['essential.service'], basis: 'contract', categories: ['user.contact.email', 'user.name'], decision: 'allowed', reason: null, status: null, durationMs: null,
  };
}

/** The median of numbers. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function overhead() {
  // The three servers run side by side and are loaded in turn, round after round (the order rotating), so that the
  // machine's drift over a run (±30 % here) falls on all three alike; each server's figure is its median round.
  const modes = ['bare', 'privacy', 'monitored'];
  const servers = {};
  for (const mode of modes) servers[mode] = await start(mode);
  try {
    for (const mode of modes) await load(servers[mode].port); // warm-up, not counted
    const rounds = { bare: [], privacy: [], monitored: [] };
    let failed = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < modes.length; k++) {
        const mode = modes[(round + k) % modes.length];
        const result = await load(servers[mode].port);
        rounds[mode].push(result.requests.average);
        failed += result.non2xx + result.errors;
      }
    }
    const [bare, off, on] = modes.map((mode) => median(rounds[mode]));
    const row = (name, mode, rps) => `  ${name.padEnd(34)} ${rps.toFixed(0).padStart(7)} req/s (median of ${ROUNDS} rounds: ${rounds[mode].map((r) => r.toFixed(0)).join(', ')})`;
    console.log(row('bare express + JWT', 'bare', bare));
    console.log(row('privacy(), monitoring off', 'privacy', off));
    console.log(row('privacy({ monitoring: true })', 'monitored', on));
    const drop = 1 - on / off;
    console.log(`  ratio ${(off / bare).toFixed(2)}x off, ${(on / bare).toFixed(2)}x on: a drop of ${(drop * 100).toFixed(1)} % (goal <= 5 %: ${drop <= 0.05 ? 'met' : 'NOT met'})`);
    if (failed > 0) {
      console.error('some requests failed: the figures are not valid');
      process.exitCode = 1;
    }
  } finally {
    for (const mode of modes) {
      servers[mode].child.removeAllListeners('exit');
      servers[mode].child.kill();
    }
  }
}

async function scope() {
  const dir = mkdtempSync(join(tmpdir(), 'pk-bench-monitoring-'));
  try {
    const secret = randomBytes(32).toString('base64');
    const file = join(dir, 'privacy-kit.db');
    const store = createSqliteStore({ filename: file, auditKey: deriveKey(secret, 'audit') });
    const start = Date.parse('2026-12-01T00:00:00Z');
    const suspectFrom = start + 3 * 24 * 3600_000;
    let t = performance.now();
    const pending = [];
    let suspect = 0;
    for (let i = 0; i < RECORDS; i++) {
      // Every 20th record in the suspect's hour is the suspect's, up to SUSPECT_READS distinct customers.
      const isSuspect = i % 20 === 0 && suspect < SUSPECT_READS;
      const time = isSuspect ? new Date(suspectFrom + Math.floor((suspect * 3600_000) / SUSPECT_READS)).toISOString() : new Date(start + Math.floor((i * 7 * 24 * 3600_000) / RECORDS)).toISOString();
      pending.push(store.appendAudit(isSuspect ? entry(i, 'psn_suspect', `psn_customer-${suspect++}`, time) : entry(i, `psn_agent-${i % 1000}`, `psn_customer-${i % 200_000}`, time)));
      if (pending.length === 2000) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    await store.close();
    console.log(`  ${RECORDS.toLocaleString('en')} audit records appended in ${((performance.now() - t) / 1000).toFixed(1)} s (not timed below)`);
    let out = '';
    const env = { ...process.env, PRIVACY_KIT_SECRET: secret };
    const cli = async (...args) => {
      out = '';
      const code = await run(args, { env, stdout: (s) => { out += s; }, stderr: (s) => process.stderr.write(s) });
      if (code !== 0) throw new Error(`privacy-kit ${args.join(' ')} exited ${code}`);
      return JSON.parse(out);
    };
    const { incident } = await cli('incidents', 'open', '--db', file, '--title', 'bench: one account read many customers', '--json');
    t = performance.now();
    const result = await cli('incidents', 'scope', incident.id, '--db', file, '--actor', 'psn_suspect',
      '--from', new Date(suspectFrom).toISOString(), '--to', new Date(suspectFrom + 3600_000).toISOString(), '--json');
    const seconds = (performance.now() - t) / 1000;
    console.log(`  privacy-kit incidents scope over ${RECORDS.toLocaleString('en')} records: ${seconds.toFixed(2)} s for ${result.scope.subjects.toLocaleString('en')} subjects, ${result.scope.records.toLocaleString('en')} records (goal <= 10 s: ${seconds <= 10 ? 'met' : 'NOT met'})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log('monitoring: request overhead with monitoring off and on (same run), then the scope of an incident over a large store');
  await overhead();
  await scope();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
