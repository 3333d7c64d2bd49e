'use strict';
// The servers of the drift benchmark, in one process started by drift.js so that both share one CPU, heap and JIT:
// the same app twice, privacy() without drift ('off') and with drift at its default sampling ('on'). The route is
// unannotated, so nothing but drift separates the two; its body holds personal data, so a sampled response costs
// a real detection. BENCH_DRIFT_OPTIONS (JSON) replaces `drift: true` for experiments.
const { randomBytes } = require('node:crypto');
const express = require('express');
const { privacy } = require('@privacy-kit/express');
const { createSqliteStore } = require('@privacy-kit/sqlite');

const users = Array.from({ length: 10 }, (_, i) => ({
  id: `u-${i}`,
  name: `Person ${i}`,
  email: `person${i}@example.com`,
  phone: `+44 20 7946 09${String(i).padStart(2, '0')}`,
  plan: i % 2 === 0 ? 'pro' : 'free',
  createdAt: '2026-01-01T00:00:00+00:00',
}));

function makeApp(drift) {
  const app = express();
  app.disable('x-powered-by');
  const kit = privacy({
    store: createSqliteStore({ filename: ':memory:', auditKey: randomBytes(32) }),
    pseudonymKey: randomBytes(32),
    identify: () => null,
    appId: 'bench',
    onError: () => {},
    ...(drift === undefined ? {} : { drift }),
  });
  app.use(kit);
  app.get('/debug/users', (_req, res) => {
    res.json({ users });
  });
  return { app, kit };
}

function listen(app) {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

async function main() {
  const off = makeApp(undefined);
  const on = makeApp(process.env.BENCH_DRIFT_OPTIONS ? JSON.parse(process.env.BENCH_DRIFT_OPTIONS) : true);
  process.on('message', (msg) => {
    if (msg === 'samples') process.send({ samples: on.kit.drift ? on.kit.drift.snapshot().routes['GET /debug/users']?.samples ?? 0 : 0 });
    // CPU time this process has used, in µs: per request it does not depend on how busy the machine is.
    if (msg === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send({ cpu: user + system });
    }
  });
  process.send({ off: await listen(off.app), on: await listen(on.app) });
}

process.on('SIGINT', () => process.exit(0));
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
