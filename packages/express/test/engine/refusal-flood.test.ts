import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import type { AuditEntry, AuditRecord } from '@privacy-kit/core';
import { sampleAuditEntry } from '@privacy-kit/core/testing';
import { personalData } from '@privacy-kit/express';
import { RefusalFlood } from '../../src/engine/refusal-flood';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

/** How many refusals the denied records stand for: a record's count, or one when it has none. */
const refusalsIn = (records: readonly AuditRecord[]): number => records.reduce((sum, r) => sum + (typeof r.details?.count === 'number' ? r.details.count : 1), 0);

describe('refusals of unidentified callers', () => {
  let t: TempStore;
  let setup: ReturnType<typeof appWith>;
  let server: Server | undefined;
  beforeEach(() => {
    t = tempStore();
    setup = appWith(t.store);
    setup.app.get('/me/profile', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({ ok: true }); });
    setup.app.get('/me/orders', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({ ok: true }); });
  });
  afterEach(async () => {
    setup.kit.dispose();
    server?.close();
    server = undefined;
    await t.cleanup();
  });

  const denied = () => t.store.readAudit({ event: 'denied' });

  async function eventually(predicate: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('collapses 1,000 unauthenticated requests from one client into a handful of records whose counts sum to 1,000', async () => {
    server = setup.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server?.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/me/profile`;
    const started = Date.now();
    for (let i = 0; i < 1000; i++) {
      const res = await fetch(url);
      expect(res.status).toBe(401);
      await res.arrayBuffer();
    }
    const seconds = Math.ceil((Date.now() - started) / 1000);
    setup.kit.dispose();
    await eventually(async () => refusalsIn(await denied()) >= 1000, 2000);
    const records = await denied();
    expect(refusalsIn(records)).toBe(1000);
    // At most two records per window of one second: its first refusal, and the count of the others.
    expect(records.length).toBeLessThanOrEqual(2 * seconds + 2);
    expect(records.every((r) => r.actor === null && r.status === 401 && r.reason === 'unauthenticated:token_missing' && r.route === '/me/profile')).toBe(true);
    expect(JSON.stringify(records)).not.toMatch(/127\.0\.0\.1|::1/);
  });

  it('writes the count of a window when it closes, after the first refusal written at once', async () => {
    for (let i = 0; i < 3; i++) expect((await request(setup.app).get('/me/profile')).status).toBe(401);
    expect(await denied()).toEqual([expect.not.objectContaining({ details: expect.anything() })]);
    await eventually(async () => (await denied()).length === 2, 3000);
    expect((await denied()).map((r) => r.details ?? null)).toEqual([null, { count: 2 }]);
  });

  it('keeps refusals of different routes and reasons apart', async () => {
    await request(setup.app).get('/me/profile');
    await request(setup.app).get('/me/orders');
    await request(setup.app).get('/me/profile').set('Authorization', 'Bearer not-a-token');
    expect((await denied()).map((r) => [r.route, r.reason])).toEqual([
      ['/me/profile', 'unauthenticated:token_missing'],
      ['/me/orders', 'unauthenticated:token_missing'],
      ['/me/profile', 'unauthenticated:token_malformed'],
    ]);
  });

  it('still writes every refusal of an identified caller on its own', async () => {
    setup.app.get('/admin/users', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', roles: ['support'], subject: () => 'user-b' }), (_req, res) => { res.json({}); });
    for (let i = 0; i < 3; i++) expect((await request(setup.app).get('/admin/users').set('Authorization', bearer('user-a'))).status).toBe(403);
    expect((await denied()).map((r) => r.reason)).toEqual(['forbidden', 'forbidden', 'forbidden']);
  });
});

describe('RefusalFlood', () => {
  const written: AuditEntry[] = [];
  beforeEach(() => { written.length = 0; });

  it('writes every refusal on its own once the most windows it keeps are open', () => {
    const flood = new RefusalFlood((entry) => written.push(entry), 60_000, 2);
    const entry = () => sampleAuditEntry({ event: 'denied' });
    expect(['a', 'b', 'c', 'c'].map((key) => flood.absorb(key, entry))).toEqual([false, false, false, false]);
    expect(flood.absorb('a', entry)).toBe(true);
    flood.flush();
    expect(written.map((e) => e.details)).toEqual([{ count: 1 }]);
  });

  it('writes nothing for a window with only its first refusal', () => {
    const flood = new RefusalFlood((entry) => written.push(entry), 60_000, 10);
    flood.absorb('a', () => sampleAuditEntry());
    flood.flush();
    expect(written).toEqual([]);
  });
});
