import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { PersonalData } from '@privacy-kit/core';
import { inventoryOf, personalData, type PrivacyKit } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

class Member {
  @PersonalData({ category: 'user.name' })
  name = 'Ada Lovelace';
}

describe('drift detection', () => {
  let t: TempStore;
  let dir: string;
  const kits: PrivacyKit[] = [];
  beforeEach(() => {
    t = tempStore();
    dir = mkdtempSync(join(tmpdir(), 'pk-drift-'));
  });
  afterEach(async () => {
    for (const kit of kits.splice(0)) kit.dispose();
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  function shop(drift: object | boolean, onError: (e: Error) => void = () => undefined) {
    const { app, kit } = appWith(t.store, { drift, onError });
    kits.push(kit);
    app.get('/debug/users', function debugUsers(_req, res) {
      res.json({ users: [{ email: 'ada@example.com', phone: '+44 20 7946 0958' }] });
    });
    app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), function me(_req, res) {
      res.json({ name: 'Ada', contact: 'ada@example.com' });
    });
    app.get('/members/first', function firstMember(_req, res) {
      res.json(new Member());
    });
    app.get('/text', function text(_req, res) {
      res.type('text/plain').send('write to grace@example.org');
    });
    app.get('/health', function health(_req, res) {
      res.json({ status: 'ok' });
    });
    return { app, kit };
  }

  it('is off unless asked for', () => {
    const { kit } = shop(false);
    expect(kit.drift).toBeUndefined();
  });

  it('records, per route, the categories found in responses of unannotated and annotated routes', async () => {
    const { app, kit } = shop(true);
    await request(app).get('/debug/users').expect(200);
    await request(app).get('/me').set('Authorization', bearer('ada')).expect(200);
    await request(app).get('/members/first').expect(200);
    await request(app).get('/text').expect(200);
    await request(app).get('/health').expect(200);
    const routes = kit.drift?.snapshot().routes ?? {};
    expect(routes['GET /debug/users']?.categories).toEqual(expect.arrayContaining(['user.contact.email', 'user.contact.phone_number']));
    expect(routes['GET /me']?.categories).toEqual(expect.arrayContaining(['user.contact.email', 'user.name']));
    expect(routes['GET /members/first']?.categories).toEqual(['user.name']);
    expect(routes['GET /text']?.categories).toEqual(['user.contact.email']);
    expect(routes['GET /health']).toMatchObject({ categories: [], samples: 1 });
  });

  it('shows declared beside observed in the inventory and flags undeclared personal data', async () => {
    const { app } = shop(true);
    await request(app).get('/debug/users');
    await request(app).get('/me').set('Authorization', bearer('ada'));
    const inventory = inventoryOf(app);
    const debug = inventory.routes.find((r) => r.id === 'GET /debug/users');
    expect(debug).toMatchObject({ annotated: false, undeclared: expect.arrayContaining(['user.contact.email']) });
    expect(debug?.problems[0]?.rule).toBe('undeclared-personal-data');
    const me = inventory.routes.find((r) => r.id === 'GET /me');
    expect(me?.processing?.categories).toEqual(['user.name']);
    expect(me?.undeclared).toEqual(['user.contact.email']);
  });

  it('inspects the first responses of each route, then only a sample', async () => {
    const { app, kit } = shop({ warmup: 2, sampleRate: 0 });
    for (let i = 0; i < 5; i++) await request(app).get('/health');
    expect(kit.drift?.snapshot().routes['GET /health']?.samples).toBe(2);
    const { app: all, kit: allKit } = shop({ warmup: 0, sampleRate: 1 });
    for (let i = 0; i < 3; i++) await request(all).get('/health');
    expect(allKit.drift?.snapshot().routes['GET /health']?.samples).toBe(3);
  });

  it('ignores responses that match no route', async () => {
    const { app, kit } = shop(true);
    await request(app).get('/nowhere?email=ada@example.com').expect(404);
    expect(Object.keys(kit.drift?.snapshot().routes ?? {})).toEqual([]);
  });

  it('does not change the response, even when the detector throws (and reports that)', async () => {
    const errors: Error[] = [];
    const { app, kit } = shop({ detect: () => { throw new Error('boom'); } }, (e) => errors.push(e));
    const res = await request(app).get('/debug/users');
    expect(res.status).toBe(200);
    expect(res.body.users[0].email).toBe('ada@example.com');
    expect(errors.map((e) => e.message)).toEqual(['@privacy-kit/express: drift detection failed on a response of GET /debug/users; the response was not affected.']);
    expect(kit.drift?.snapshot().routes).toEqual({});
  });

  it('writes category keys and counts to the file, never a value from a response', async () => {
    const file = join(dir, 'nested', 'observed.json');
    const { app, kit } = shop({ file, flushIntervalMs: 0 });
    await request(app).get('/debug/users');
    const written = readFileSync(file, 'utf8');
    expect(JSON.parse(written)).toMatchObject({ version: 1, routes: { 'GET /debug/users': { samples: 1, categories: expect.arrayContaining(['user.contact.email']) } } });
    expect(written).not.toContain('ada@example.com');
    expect(written).not.toContain('7946');
    expect(kit.drift?.options.file).toBe(file);
  });

  it('merges with what the file already holds (other processes, earlier runs) and flushes on dispose', async () => {
    const file = join(dir, 'observed.json');
    writeFileSync(file, JSON.stringify({ version: 1, updatedAt: '2026-01-01T00:00:00.000+00:00', routes: { 'GET /health': { categories: ['user.name'], samples: 7, firstSeen: '2026-01-01T00:00:00.000+00:00', lastSeen: '2026-01-01T00:00:00.000+00:00' } } }));
    const { app, kit } = shop({ file, flushIntervalMs: 60_000 });
    expect(kit.drift?.snapshot().routes['GET /health']?.samples).toBe(7);
    await request(app).get('/health');
    expect(JSON.parse(readFileSync(file, 'utf8')).routes['GET /health'].samples).toBe(7);
    kit.dispose();
    const after = JSON.parse(readFileSync(file, 'utf8')) as { routes: Record<string, { samples: number; categories: string[] }> };
    expect(after.routes['GET /health']).toMatchObject({ samples: 8, categories: ['user.name'] });
    expect(existsSync(`${file}.${process.pid}.tmp`)).toBe(false);
  });

  it('reports an unreadable observations file and starts empty', () => {
    const file = join(dir, 'observed.json');
    writeFileSync(file, '{ not json');
    const errors: Error[] = [];
    const { kit } = shop({ file }, (e) => errors.push(e));
    expect(kit.drift?.snapshot().routes).toEqual({});
    expect(errors[0]?.message).toMatch(/drift: cannot read '.*observed\.json'; starting with no observations/);
  });

  it('reports an observations file it cannot write as an I/O failure (PK_IO), and the response goes out', async () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a file where a folder should be');
    const errors: Error[] = [];
    const { app } = shop({ file: join(blocker, 'observed.json'), flushIntervalMs: 0 }, (e) => errors.push(e));
    expect((await request(app).get('/health')).status).toBe(200);
    expect(errors).toEqual([expect.objectContaining({ code: 'PK_IO', message: expect.stringMatching(/drift: cannot write '.*observed\.json'\. Check that its folder is writable\./) })]);
  });

  it('reports an observations file it cannot read as an I/O failure (PK_IO)', () => {
    const file = join(dir, 'observed.json');
    writeFileSync(file, '{ not json');
    const errors: Error[] = [];
    shop({ file }, (e) => errors.push(e));
    expect(errors).toEqual([expect.objectContaining({ code: 'PK_IO' })]);
  });

  it('suggests the closest drift option for a misspelt one', () => {
    expect(() => shop({ sampleRat: 0.1 })).toThrow(/privacy\(\): drift: unknown option 'sampleRat'\. Did you mean 'sampleRate'\?/);
  });

  it('refuses bad options with a hint', () => {
    expect(() => shop({ sampleRate: 5 })).toThrow(/drift: 'sampleRate' must be a number from 0 to 1/);
    expect(() => shop({ rate: 0.1 })).toThrow(/drift: unknown option 'rate'\. Did you mean 'sampleRate'\? Known options: sampleRate/);
  });
});
