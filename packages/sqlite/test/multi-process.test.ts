import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type Express } from 'express';
import jwt from 'jsonwebtoken';
import type { PrivacyKitError } from '@privacy-kit/core';
import { personalData, privacy, type PrivacyKit } from '@privacy-kit/express';
import { createSqliteStore, type SqliteStore } from '@privacy-kit/sqlite';

// Real processes on one SQLite file: another app process (fixtures/sqlite-app.js, from the sources) and another
// process holding the file's write lock (fixtures/lock-holder.js).

const ISSUER = 'privacy-kit-tests';
const AUDIENCE = 'sqlite-processes';

/** A forked fixture that reports `{ event }` messages; every wait has a deadline and `kill()` ends it. */
class Child {
  private readonly child: ChildProcess;
  readonly events: Array<{ event: string; [key: string]: unknown }> = [];
  private wake: Array<() => void> = [];
  private stderr = '';

  constructor(script: string, env: NodeJS.ProcessEnv) {
    this.child = fork(join(__dirname, 'fixtures', script), [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    this.child.stderr?.on('data', (chunk: Buffer) => { this.stderr += chunk.toString(); });
    this.child.on('message', (message: { event: string }) => {
      this.events.push(message);
      for (const w of this.wake.splice(0)) w();
    });
    this.child.on('exit', () => { for (const w of this.wake.splice(0)) w(); });
  }

  async next(event: string, timeoutMs = 20_000): Promise<{ event: string; [key: string]: unknown }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.event === event);
      if (found !== undefined) return found;
      if (this.child.exitCode !== null) throw new Error(`fixture exited before '${event}': ${this.stderr.slice(-2000)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no '${event}' from the fixture within ${timeoutMs} ms: ${this.stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  send(message: Record<string, unknown>): void {
    this.child.send(message);
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}

describe('several processes on one SQLite file', () => {
  let dir: string;
  let file: string;
  let auditKey: Buffer;
  let pseudonymKey: Buffer;
  let jwtSecret: string;
  let errors: PrivacyKitError[];
  const children: Child[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-mp-'));
    file = join(dir, 'shared.db');
    auditKey = randomBytes(32);
    pseudonymKey = randomBytes(32);
    jwtSecret = randomBytes(32).toString('hex');
    errors = [];
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.kill()));
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const bearer = (sub: string): string => `Bearer ${jwt.sign({ sub }, jwtSecret, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: '5m' })}`;

  /** This process's app on the shared file. */
  async function localApp(storeOptions: { busyTimeoutMs?: number } = {}): Promise<{ app: Express; url: string; store: SqliteStore; kit: PrivacyKit }> {
    const store = createSqliteStore({ filename: file, auditKey, ...storeOptions });
    const kit = privacy({
      appId: 'local-app', store, pseudonymKey, consentCacheTtlMs: 60_000, storeTimeoutMs: 30_000,
      // This process only collects the consent; the routes that use it run in the other process.
      consentPurposes: ['personalize.content'],
      jwt: { secret: jwtSecret, algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE },
      onError: (error) => { errors.push(error); },
    });
    const app = express();
    app.use(kit);
    app.get('/health', (_req, res) => { res.json({ ok: true }); });
    const server: Server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    cleanups.push(() => store.close(), () => kit.dispose(), () => { server.closeAllConnections(); server.close(); });
    return { app, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, store, kit };
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('enforces a withdrawal made through one process in another within 100 ms', async () => {
    const local = await localApp();
    const other = new Child('sqlite-app.js', { PK_DB: file, PK_AUDIT_KEY: auditKey.toString('hex'), PK_PSEUDONYM_KEY: pseudonymKey.toString('hex'), PK_JWT_SECRET: jwtSecret });
    children.push(other);
    const { port } = (await other.next('listening')) as unknown as { port: number };
    const consent = (user: string, granted: boolean) => fetch(`${local.url}/privacy/me/consents/personalize.content`, {
      method: 'PUT', headers: { authorization: bearer(user), 'content-type': 'application/json' }, body: JSON.stringify({ granted, policyVersion: 'v1' }),
    });
    const recommendations = (user: string) => fetch(`http://127.0.0.1:${port}/me/recommendations`, { headers: { authorization: bearer(user) } });

    for (let round = 0; round < 3; round++) {
      const user = `user-${round}`;
      expect((await consent(user, true)).status).toBe(200);
      // The other process answers from the store and keeps the grant in its cache (TTL 60 s).
      expect((await recommendations(user)).status).toBe(200);
      expect((await consent(user, false)).status).toBe(200);
      await sleep(100);
      expect((await recommendations(user)).status).toBe(403);
    }
    expect(other.events.filter((e) => e.event === 'error')).toEqual([]);
  });

  describe('while another process holds the write lock', () => {
    async function holdLock(): Promise<Child> {
      const holder = new Child('lock-holder.js', { PK_DB: file });
      children.push(holder);
      await holder.next('locked');
      return holder;
    }

    it('keeps answering routes that do not touch the store, and serves the annotated request once the lock is gone', async () => {
      const local = await localApp();
      local.app.get('/me/profile', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({ ok: true }); });
      const holder = await holdLock();
      let settled = false;
      const annotated = fetch(`${local.url}/me/profile`, { headers: { authorization: bearer('user-a') } }).finally(() => { settled = true; });
      await sleep(50);
      const health = await fetch(`${local.url}/health`);
      expect(health.status).toBe(200);
      expect(settled).toBe(false);
      holder.send({ cmd: 'release' });
      await holder.next('released');
      const res = await annotated;
      expect(res.status).toBe(200);
      const requestId = res.headers.get('x-request-id') as string;
      await eventually(async () => (await local.store.readAudit({ requestId })).length === 2);
      expect((await local.store.readAudit({ requestId })).map((r) => r.event)).toEqual(['access', 'outcome']);
      expect(errors).toEqual([]);
    });

    it('answers 503 to an annotated request when the lock outlasts busyTimeoutMs, and writes nothing for it', async () => {
      const local = await localApp({ busyTimeoutMs: 300 });
      local.app.get('/me/profile', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({ ok: true }); });
      const holder = await holdLock();
      const res = await fetch(`${local.url}/me/profile`, { headers: { authorization: bearer('user-a') } });
      expect(res.status).toBe(503);
      expect((await fetch(`${local.url}/health`)).status).toBe(200);
      holder.send({ cmd: 'release' });
      await holder.next('released');
      expect(await local.store.readAudit()).toEqual([]);
      expect(errors.map((e) => [e.code, e.message])).toEqual([['PK_STORE_UNAVAILABLE', expect.stringMatching(/locked for more than 300 ms \(busyTimeoutMs\)/)]]);
    });

    it('reports an outcome record it could not write before busyTimeoutMs, never losing it silently', async () => {
      const local = await localApp({ busyTimeoutMs: 300 });
      let lockTaken!: () => void;
      const locked = new Promise<void>((resolve) => { lockTaken = resolve; });
      local.app.get('/me/slow', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => {
        void locked.then(() => res.json({ ok: true }));
      });
      const response = fetch(`${local.url}/me/slow`, { headers: { authorization: bearer('user-a') } });
      await eventually(async () => (await local.store.readAudit({ event: 'access' })).length === 1);
      const holder = await holdLock();
      lockTaken();
      const res = await response;
      expect(res.status).toBe(200);
      await eventually(async () => errors.length > 0);
      holder.send({ cmd: 'release' });
      await holder.next('released');
      expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/appendAudit failed: another connection kept the database file locked/)]);
      expect((await local.store.readAudit()).map((r) => r.event)).toEqual(['access']);
    });
  });
});

async function eventually(predicate: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
