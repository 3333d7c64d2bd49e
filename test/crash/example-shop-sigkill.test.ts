import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import jwt from 'jsonwebtoken';
import { deriveKey } from '@privacy-kit/core';
import { createSqliteStore } from '@privacy-kit/sqlite';
import { JWT_AUDIENCE, JWT_ISSUER } from '../../examples/shop/src/config';

// The example app as a user runs it (`npm start` runs this built file; `npm test` builds before testing).
const SERVER = resolve(__dirname, '../../examples/shop/dist/server.js');
const CLI = resolve(__dirname, '../../packages/cli/dist/bin.js');
// The example seeds two customers; both are read under load.
const USERS = 2;
const CONNECTIONS = 8;
const MAX_REQUESTS = 4_000;
const LOAD_MS = 1_500;

interface Running { readonly child: ChildProcess; readonly port: number }

function startShop(env: NodeJS.ProcessEnv): Promise<Running> {
  const child = spawn(process.execPath, [SERVER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolvePort, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the shop did not start within 15 s:\n${out}`)), 15_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = /listening on http:\/\/localhost:(\d+)/.exec(out);
      if (match !== null) {
        clearTimeout(timer);
        resolvePort({ child, port: Number(match[1]) });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the shop exited with ${code} before listening:\n${out}`)); });
  });
}

function get(agent: http.Agent, port: number, path: string, auth: string): Promise<{ status: number; requestId: string }> {
  return new Promise((done, fail) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent, headers: { authorization: auth } }, (res) => {
      res.resume();
      res.once('end', () => done({ status: res.statusCode ?? 0, requestId: String(res.headers['x-request-id'] ?? '') }));
      res.once('error', fail);
    });
    req.once('error', fail);
    req.end();
  });
}

/** Bounded load (count and time) of authenticated profile reads; keeps the request id of every 2xx received. */
async function loadUntilKilled(port: number, tokens: readonly string[], kill: () => void): Promise<{ ok: string[]; sent: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const ok: string[] = [];
  let sent = 0;
  const started = Date.now();
  const killAt = started + LOAD_MS / 2;
  let killed = false;
  const worker = async (): Promise<void> => {
    while (sent < MAX_REQUESTS && Date.now() - started < LOAD_MS) {
      if (!killed && Date.now() >= killAt) { killed = true; kill(); }
      sent += 1;
      try {
        const res = await get(agent, port, '/me/profile', tokens[sent % tokens.length] as string);
        if (res.status >= 200 && res.status < 300) ok.push(res.requestId);
      } catch {
        // The server was killed mid-request: that request got no 2xx, so nothing is owed for it.
        if (killed) break;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  if (!killed) kill();
  agent.destroy();
  return { ok, sent };
}

describe('the example app killed with SIGKILL under load', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let tokens: string[];
  const running: ChildProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-sigkill-'));
    const jwtSecret = randomBytes(32).toString('hex');
    env = { PATH: process.env.PATH, NODE_ENV: 'test', PORT: '0', PRIVACY_KIT_DB: join(dir, 'shop.db'), JWT_SECRET: jwtSecret, PRIVACY_KIT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'info' };
    tokens = Array.from({ length: USERS }, (_, i) =>
      `Bearer ${jwt.sign({ sub: `user-${i + 1}`, roles: [] }, jwtSecret, { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE, expiresIn: '5m' })}`);
  });
  afterEach(() => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('restarts on the same file with a chain that verifies and an access record for every 2xx the clients received', async () => {
    const first = await startShop(env);
    running.push(first.child);
    const exited = new Promise((done) => first.child.once('exit', (_code, signal) => done(signal)));
    const { ok, sent } = await loadUntilKilled(first.port, tokens, () => first.child.kill('SIGKILL'));
    expect(await exited).toBe('SIGKILL');
    expect(ok.length).toBeGreaterThan(0);
    expect(sent).toBeLessThanOrEqual(MAX_REQUESTS + CONNECTIONS);

    // The app comes back on the crashed file and serves again.
    const second = await startShop(env);
    running.push(second.child);
    const after = new http.Agent({ keepAlive: false });
    expect((await get(after, second.port, '/me/profile', tokens[0] as string)).status).toBe(200);
    const stopped = new Promise((done) => second.child.once('exit', done));
    second.child.kill('SIGTERM');
    await stopped;

    // `privacy-kit audit verify` as an operator runs it: the chain is intact, or a torn tail is named (never silent).
    // The example publishes signed checkpoints next to its database; the last one was written when it stopped.
    const verify = spawnSync(process.execPath, [CLI, 'audit', 'verify', '--db', env.PRIVACY_KIT_DB as string, '--checkpoint', join(dir, 'privacy-kit-checkpoints.jsonl'), '--json'], {
      env: { PATH: process.env.PATH, PRIVACY_KIT_SECRET: env.PRIVACY_KIT_SECRET }, encoding: 'utf8',
    });
    const report = JSON.parse(verify.stdout) as { ok: boolean; problem?: string; message: string; checkpoint?: unknown };
    expect({ status: verify.status, ok: report.ok }).toEqual({ status: 0, ok: true });
    expect(report.checkpoint).toBeDefined();

    const store = createSqliteStore({ filename: env.PRIVACY_KIT_DB, auditKey: deriveKey(env.PRIVACY_KIT_SECRET as string, 'audit') });
    try {
      const recorded = new Set((await store.readAudit({ event: 'access' })).map((r) => r.requestId));
      const missing = ok.filter((id) => !recorded.has(id));
      expect({ received2xx: ok.length, withoutAccessRecord: missing }).toEqual({ received2xx: ok.length, withoutAccessRecord: [] });
    } finally {
      await store.close();
    }
  }, 60_000);
});
