import express from 'express';
import express4 from 'express4';
import request from 'supertest';
import type { Express, NextFunction, Request, Response } from 'express';
import { PersonalData, RequiresConsent } from '@privacy-kit/core';
import { Get, mountController, personalData, privacyInfo, requiresConsent } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type ExpressModule, type TempStore } from '../support/test-app';

const contract = () => personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' });
const personalize = () => requiresConsent('personalize.content');

type Order = 'personalData() then requiresConsent()' | 'requiresConsent() then personalData()';
const ORDERS: Order[] = ['personalData() then requiresConsent()', 'requiresConsent() then personalData()'];
const twinsIn = (order: Order) => (order === ORDERS[0] ? [contract(), personalize()] : [personalize(), contract()]);

class Contact {
  @PersonalData({ category: 'user.contact.email' })
  email!: string;
}

class PicksController {
  @Get('/me/picks')
  @RequiresConsent('personalize.content')
  picks(req: Request): { subject: string } {
    return { subject: privacyInfo(req).subject as string };
  }

  @Get('/me/contact')
  @PersonalData({ models: [Contact], purpose: 'essential.service', basis: 'contract' })
  contact(): { ok: boolean } {
    return { ok: true };
  }
}

describe.each<[string, ExpressModule]>([
  ['Express 5', express],
  ['Express 4', express4],
])('every twin on the path of a request is enforced (%s)', (_name, x) => {
  let t: TempStore;
  let app: Express;
  let kit: ReturnType<typeof appWith>['kit'];
  let handled: string[];
  const auth = bearer('user-a');
  const answer = (name: string) => (_req: Request, res: Response): void => {
    handled.push(name);
    res.json({ ok: true });
  };
  const grant = (purpose: string) =>
    t.store.recordConsent({ subject: kit.pseudonym('user-a'), purpose, action: 'granted', policyVersion: 'v1', method: 'api' });
  const accessRecords = async (requestId: string) => (await t.store.readAudit({ requestId })).filter((r) => r.event === 'access');

  beforeEach(() => {
    t = tempStore();
    ({ app, kit } = appWith(t.store, {}, x));
    handled = [];
  });
  afterEach(async () => {
    kit.dispose();
    await t.cleanup();
  });

  describe.each(ORDERS)('a route whose twins are %s', (order) => {
    it('in a sub-app mounted with app.use(path, subApp): refuses a caller without the consent, handler not run', async () => {
      const sub = x();
      sub.get('/feed', ...twinsIn(order), answer('feed'));
      app.use('/sub', sub);
      const res = await request(app).get('/sub/feed').set('Authorization', auth);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'consent_required', purpose: 'personalize.content' });
      expect(handled).toEqual([]);
    });

    it('in a router reached through a wrapper function: refuses a caller without the consent, handler not run', async () => {
      const router = x.Router();
      router.get('/feed', ...twinsIn(order), answer('feed'));
      app.use('/wrap', (req: Request, res: Response, next: NextFunction) => router(req, res, next));
      const res = await request(app).get('/wrap/feed').set('Authorization', auth);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'consent_required', purpose: 'personalize.content' });
      expect(handled).toEqual([]);
    });

    it('in a sub-app: once consented, serves it and audits the consent purpose with the rest of the declaration', async () => {
      const sub = x();
      sub.get('/feed', ...twinsIn(order), answer('feed'));
      app.use('/sub', sub);
      await grant('personalize.content');
      const res = await request(app).get('/sub/feed').set('Authorization', auth);
      expect(res.status).toBe(200);
      expect(handled).toEqual(['feed']);
      const records = await accessRecords(res.headers['x-request-id'] as string);
      expect(records).toHaveLength(1);
      expect(records[0]?.purposes).toEqual(expect.arrayContaining(['essential.service', 'personalize.content']));
      expect(records[0]).toEqual(expect.objectContaining({ basis: 'contract', categories: ['user.name'], route: '/sub/feed' }));
    });
  });

  describe('app.use() guards after an earlier route (the stale req.route)', () => {
    beforeEach(() => {
      app.get('/stale/b', (_req: Request, _res: Response, next: NextFunction) => next());
      app.use('/stale', requiresConsent('personalize.content'));
      app.use('/stale/b', requiresConsent('marketing.communications.email'));
      app.get('/stale/b', answer('stale'));
    });

    it('refuses a caller who granted only the first guard\'s purpose, naming the second', async () => {
      await grant('personalize.content');
      const res = await request(app).get('/stale/b').set('Authorization', auth);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'consent_required', purpose: 'marketing.communications.email' });
      expect(handled).toEqual([]);
    });

    it('refuses a caller who granted only the second guard\'s purpose, naming the first', async () => {
      await grant('marketing.communications.email');
      const res = await request(app).get('/stale/b').set('Authorization', auth);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'consent_required', purpose: 'personalize.content' });
    });

    it('serves a caller who granted both, with an access record for each purpose', async () => {
      await grant('personalize.content');
      await grant('marketing.communications.email');
      const res = await request(app).get('/stale/b').set('Authorization', auth);
      expect(res.status).toBe(200);
      const records = await accessRecords(res.headers['x-request-id'] as string);
      expect(records.map((r) => r.purposes)).toEqual([['personalize.content'], ['marketing.communications.email']]);
    });
  });

  describe('a later twin that adds to what an earlier one declared', () => {
    beforeEach(() => {
      const router = x.Router();
      router.use(contract());
      router.get('/feed', personalize(), answer('feed'));
      app.use('/wrap', (req: Request, res: Response, next: NextFunction) => router(req, res, next));
    });

    it('is checked for what it adds: no consent, 403', async () => {
      const res = await request(app).get('/wrap/feed').set('Authorization', auth);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'consent_required', purpose: 'personalize.content' });
      expect(handled).toEqual([]);
    });

    it('is audited for what it adds: the consent purpose has its own access record', async () => {
      await grant('personalize.content');
      const res = await request(app).get('/wrap/feed').set('Authorization', auth);
      expect(res.status).toBe(200);
      const records = await accessRecords(res.headers['x-request-id'] as string);
      expect(records.map((r) => [r.purposes, r.basis])).toEqual([
        [['essential.service'], 'contract'],
        [['personalize.content'], 'consent'],
      ]);
    });
  });

  it('skips a twin whose whole declaration an earlier decision of the request covered: one access record', async () => {
    app.use('/same', contract());
    app.get('/same/x', contract(), answer('same'));
    const res = await request(app).get('/same/x').set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(await accessRecords(res.headers['x-request-id'] as string)).toHaveLength(1);
  });

  it('writes one access record for a route whose twins all compiled together', async () => {
    await grant('personalize.content');
    app.get('/both', contract(), personalize(), answer('both'));
    const res = await request(app).get('/both').set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(await accessRecords(res.headers['x-request-id'] as string)).toHaveLength(1);
  });

  it('checks a twin again when its subject differs from the one already decided', async () => {
    const router = x.Router();
    router.use(contract());
    router.get('/:id', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', subject: (req: Request) => req.params.id, roles: ['support'] }), answer('user'));
    app.use('/users', (req: Request, res: Response, next: NextFunction) => router(req, res, next));
    const refused = await request(app).get('/users/user-b').set('Authorization', auth);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: 'forbidden' });
    const served = await request(app).get('/users/user-b').set('Authorization', bearer('staff-1', { roles: ['support'] }));
    expect(served.status).toBe(200);
    const records = await accessRecords(served.headers['x-request-id'] as string);
    expect(records.map((r) => r.subject)).toEqual([kit.pseudonym('staff-1'), kit.pseudonym('user-b')]);
  });

  it('checks the same use() twin again where its subject resolver finds someone else', async () => {
    const guard = personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', roles: ['support'], subject: (req: Request) => req.params.id });
    const inner = x.Router();
    inner.use('/:id', guard);
    inner.get('/:id/notes', answer('notes'));
    const outer = x.Router();
    outer.use('/:id', guard);
    outer.use('/:id/members', inner);
    app.use('/orgs', outer);
    const res = await request(app).get('/orgs/org-1/members/user-2/notes').set('Authorization', bearer('staff-1', { roles: ['support'] }));
    expect(res.status).toBe(200);
    const records = await accessRecords(res.headers['x-request-id'] as string);
    expect(records.map((r) => r.subject)).toEqual([kit.pseudonym('org-1'), kit.pseudonym('user-2')]);
  });

  describe('decorated controllers mounted in a sub-app', () => {
    it('refuses a @RequiresConsent method without the consent', async () => {
      const sub = x();
      mountController(sub, new PicksController());
      app.use('/sub', sub);
      const res = await request(app).get('/sub/me/picks').set('Authorization', auth);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'consent_required', purpose: 'personalize.content' });
    });

    it('serves it once consented, with the caller as the subject', async () => {
      const sub = x();
      mountController(sub, new PicksController());
      app.use('/sub', sub);
      await grant('personalize.content');
      const res = await request(app).get('/sub/me/picks').set('Authorization', auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ subject: 'user-a' });
    });

    describe('behind a use() guard of the sub-app', () => {
      beforeEach(() => {
        const sub = x();
        sub.use(requiresConsent('marketing.communications.email'));
        mountController(sub, new PicksController());
        app.use('/sub', sub);
      });

      it("refuses a caller without the guard's consent", async () => {
        const res = await request(app).get('/sub/me/contact').set('Authorization', auth);
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ error: 'consent_required', purpose: 'marketing.communications.email' });
      });

      it("serves a caller with the guard's consent, audited for the guard and for the method's declaration", async () => {
        await grant('marketing.communications.email');
        const res = await request(app).get('/sub/me/contact').set('Authorization', auth);
        expect(res.status).toBe(200);
        const records = await accessRecords(res.headers['x-request-id'] as string);
        expect(records.map((r) => [r.route, r.purposes])).toEqual([
          ['(mounted)(middleware)', ['marketing.communications.email']],
          ['/sub/me/contact', ['essential.service', 'marketing.communications.email']],
        ]);
      });
    });
  });
});

describe('reporting the mounts the route walk cannot see', () => {
  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  function appWithHiddenRoutes(onError: (error: { code: string; message: string }) => void) {
    const setup = appWith(t.store, { onError });
    const router = express.Router();
    router.get('/feed', contract(), personalize(), (_req, res) => { res.end(); });
    setup.app.use('/wrap', (req: Request, res: Response, next: NextFunction) => router(req, res, next));
    const sub = express();
    sub.get('/inner', contract(), (_req, res) => { res.end(); });
    setup.app.use('/sub', sub);
    return setup;
  }

  it('kit.unseenMounts() names a function mounted on a path and a sub-app mounted untracked', () => {
    const { kit } = appWithHiddenRoutes(() => undefined);
    expect(kit.unseenMounts()).toEqual([
      { path: '/wrap', kind: 'function', handler: '<anonymous>' },
      { path: '/sub', kind: 'sub-app', handler: '<sub-app>' },
    ]);
    kit.dispose();
  });

  it('reports them through onError as PK_ROUTES_UNSEEN before app.listen() binds, and still starts', async () => {
    const reported: { code: string; message: string }[] = [];
    const { app, kit } = appWithHiddenRoutes((error) => reported.push(error));
    const server = app.listen(0);
    await new Promise<void>((resolve) => server.once('listening', resolve));
    server.close();
    expect(reported).toHaveLength(1);
    expect(reported[0]?.code).toBe('PK_ROUTES_UNSEEN');
    expect(reported[0]?.message).toMatch(/cannot see the routes behind \/wrap \(the function <anonymous>\), \/sub \(a sub-app; call trackSubApps\(express\) before mounting it\)/);
    kit.dispose();
  });

  it('reports nothing when the walk sees every route', async () => {
    const reported: unknown[] = [];
    const { app, kit } = appWith(t.store, { onError: (error) => reported.push(error) });
    app.use('/r', express.Router().get('/x', contract(), (_req, res) => { res.end(); }));
    const server = app.listen(0);
    await new Promise<void>((resolve) => server.once('listening', resolve));
    server.close();
    expect(reported).toEqual([]);
    kit.dispose();
  });
});
