import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import request from 'supertest';
import type { AuditRecord, PrivacyKitError, PrivacyStore } from '@privacy-kit/core';
import { personalData, privacy, requiresConsent, type Denial, type PrivacyOptions } from '@privacy-kit/express';
import { JWT_OPTIONS, appWith, bearer, tempStore, type TempStore } from '../support/test-app';

/** The app's own error shape: `{ message, code }` with the status privacy-kit decided. */
function appShaped(req: Request, res: Response, denial: Denial): void {
  res.status(denial.status).json({ message: `refused: ${denial.error}`, code: denial.reason ?? denial.purpose ?? denial.error });
}

describe('privacy({ onDenied }): the app shapes refusals', () => {
  let t: TempStore;
  let errors: PrivacyKitError[];
  let denials: Denial[];
  beforeEach(() => {
    t = tempStore();
    errors = [];
    denials = [];
  });
  afterEach(() => t.cleanup());

  function build(store: PrivacyStore, onDenied: PrivacyOptions['onDenied'], pseudonymKey: Buffer = randomBytes(32)) {
    const { app, kit } = appWith(store, { onDenied, pseudonymKey, onError: (e) => errors.push(e) });
    app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({ ok: true }); });
    app.get('/staff', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', roles: ['staff'] }), (_req, res) => { res.json({ ok: true }); });
    app.get('/recs', requiresConsent('personalize.content'), (_req, res) => { res.json({ ok: true }); });
    app.get('/patients/:id', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', subject: () => undefined }), (_req, res) => { res.json({ ok: true }); });
    return { app, kit };
  }

  const recording = (req: Request, res: Response, denial: Denial): void => {
    denials.push(denial);
    appShaped(req, res, denial);
  };

  it('sends the hook’s body for a 401, with the reason in the denial', async () => {
    const { app } = build(t.store, recording);
    const res = await request(app).get('/me');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'refused: unauthenticated', code: 'token_missing' });
    expect(denials).toEqual([{ status: 401, error: 'unauthenticated', reason: 'token_missing' }]);
  });

  it('sends the hook’s body for a 403 forbidden', async () => {
    const { app } = build(t.store, recording);
    const res = await request(app).get('/staff').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: 'refused: forbidden', code: 'forbidden' });
    expect(denials).toEqual([{ status: 403, error: 'forbidden' }]);
  });

  it('gives the hook the purpose of a 403 consent_required', async () => {
    const { app } = build(t.store, recording);
    const res = await request(app).get('/recs').set('Authorization', bearer('user-a'));
    expect(res.body).toEqual({ message: 'refused: consent_required', code: 'personalize.content' });
    expect(denials).toEqual([{ status: 403, error: 'consent_required', purpose: 'personalize.content' }]);
  });

  it('sends the hook’s body for a 400 subject_required', async () => {
    const { app } = build(t.store, recording);
    const res = await request(app).get('/patients/p-1').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(400);
    expect(denials).toEqual([{ status: 400, error: 'subject_required' }]);
  });

  it('sends the hook’s body when the store fails (503 privacy_store_unavailable)', async () => {
    const failing = new Proxy(t.store, {
      get(target, prop, receiver) {
        if (prop === 'appendAudit') return () => Promise.reject(new Error('connection refused'));
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const { app } = build(failing, recording);
    const res = await request(app).get('/me').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ message: 'refused: privacy_store_unavailable', code: 'privacy_store_unavailable' });
  });

  it('lets an async hook send its answer after awaiting', async () => {
    const { app } = build(t.store, async (_req, res, denial) => {
      await new Promise((resolve) => setImmediate(resolve));
      res.status(denial.status).type('text/plain').send('no');
    });
    const res = await request(app).get('/me');
    expect(res.status).toBe(401);
    expect(res.text).toBe('no');
  });

  it('writes the same audit record whatever the hook sends', async () => {
    const key = randomBytes(32);
    const other = tempStore();
    // What does not depend on the hook: everything but the time, the request id, the chain position and the duration.
    const strip = (r: AuditRecord) => ({ event: r.event, decision: r.decision, reason: r.reason, status: r.status, actor: r.actor, subject: r.subject, method: r.method, route: r.route, purposes: r.purposes, basis: r.basis, categories: r.categories, details: r.details });
    try {
      const plain = build(other.store, undefined, key);
      const hooked = build(t.store, (_req, res) => { res.status(404).json({ notFound: true }); }, key);
      for (const { app } of [plain, hooked]) {
        await request(app).get('/staff').set('Authorization', bearer('user-a'));
        await request(app).get('/recs').set('Authorization', bearer('user-a'));
      }
      const hookedRecords = (await t.store.readAudit()).map(strip);
      expect(hookedRecords).toEqual((await other.store.readAudit()).map(strip));
      expect(hookedRecords.map((r) => [r.reason, r.status])).toEqual([['forbidden', 403], ['consent_required', 403]]);
    } finally {
      await other.cleanup();
    }
  });

  it('falls back to the default JSON body, and tells onError, when the hook throws', async () => {
    const { app } = build(t.store, () => { throw new Error('hook bug'); });
    const res = await request(app).get('/staff').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'forbidden' });
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/onDenied threw.*default JSON/s)]);
  });

  it('falls back to the default JSON body, and tells onError, when the hook sends nothing', async () => {
    const { app } = build(t.store, (_req, res) => { res.status(418); });
    const res = await request(app).get('/me');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthenticated', reason: 'token_missing' });
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/onDenied sent no response.*default JSON/s)]);
  });

  it('refuses an onDenied that is not a function', () => {
    expect(() => privacy({ store: t.store, pseudonymKey: randomBytes(32), jwt: JWT_OPTIONS, onDenied: 'json' as never }))
      .toThrow(/'onDenied' must be a function \(req, res, denial\)/);
  });
});
