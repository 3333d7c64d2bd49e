import request from 'supertest';
import type { Request } from 'express';
import { PersonalData, RequiresConsent } from '@privacy-kit/core';
import { Get, mountController, privacyInfo } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

class Contact {
  @PersonalData({ category: 'user.contact.email' })
  email!: string;
}

class AccountController {
  @Get('/me/contact')
  @PersonalData({ models: [Contact], purpose: 'essential.service', basis: 'contract' })
  contact(req: Request): { owner: string } {
    return { owner: privacyInfo(req).subject as string };
  }

  @Get('/me/picks')
  @RequiresConsent('personalize.content')
  async picks(): Promise<string[]> {
    return ['a'];
  }

  @Get('/status')
  status(): { ok: boolean } {
    return { ok: true };
  }
}

describe('mounting a decorated controller', () => {
  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  it('serves annotated methods behind the same checks as the route twins', async () => {
    const { app } = appWith(t.store);
    expect(mountController(app, new AccountController())).toBe(3);
    expect((await request(app).get('/me/contact')).status).toBe(401);
    const res = await request(app).get('/me/contact').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ owner: 'user-a' });
    const [record] = await t.store.readAudit({ event: 'access' });
    expect(record).toEqual(expect.objectContaining({ route: '/me/contact', categories: ['user.contact.email'], basis: 'contract' }));
  });

  it('enforces @RequiresConsent on a controller method', async () => {
    const { app } = appWith(t.store);
    mountController(app, new AccountController());
    const res = await request(app).get('/me/picks').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'consent_required', purpose: 'personalize.content' });
  });

  it('serves unannotated methods without checks', async () => {
    const { app } = appWith(t.store);
    mountController(app, new AccountController());
    expect((await request(app).get('/status')).body).toEqual({ ok: true });
  });

  it('refuses a class without route decorators', () => {
    const { app } = appWith(t.store);
    expect(() => mountController(app, new (class Empty {})())).toThrow(/Empty has no @Get/);
  });
});

describe('a decorated controller method without an identified caller', () => {
  class NewsletterController {
    @Get('/newsletter/unsubscribe')
    @PersonalData({ categories: ['user.contact.email'], purpose: 'marketing.communications.email', basis: 'legitimate_interests', caller: 'anonymous', subject: (req: Request) => req.query.email })
    unsubscribe(): { done: boolean } {
      return { done: true };
    }
  }

  it('runs without a caller and audits the subject it names', async () => {
    const t = tempStore();
    const { app, kit } = appWith(t.store);
    mountController(app, new NewsletterController());
    const res = await request(app).get('/newsletter/unsubscribe?email=person-1%40example.test');
    expect(res.status).toBe(200);
    expect((await t.store.readAudit())[0]).toEqual(expect.objectContaining({ event: 'access', actor: null, subject: kit.pseudonym('person-1@example.test') }));
    kit.dispose();
    await t.cleanup();
  });
});
