import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createPseudonymizer } from '@privacy-kit/core';
import { personalData, privacy } from '@privacy-kit/express';
import { JWT_OPTIONS, appWith, bearer, tempStore, type TempStore } from './support/test-app';

describe('what privacy() returns', () => {
  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  it('gives the pseudonym the audit records hold for a caller: kit.pseudonym(id)', async () => {
    const { app, kit } = appWith(t.store);
    app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({}); });
    await request(app).get('/me').set('Authorization', bearer('user-a'));
    const [record] = await t.store.readAudit({ event: 'access' });
    expect(record).toEqual(expect.objectContaining({ actor: kit.pseudonym('user-a'), subject: kit.pseudonym('user-a') }));
    kit.dispose();
  });

  it('keys kit.pseudonym(id) with the pseudonym key and never returns the id itself', () => {
    const pseudonymKey = randomBytes(32);
    const kit = privacy({ store: t.store, pseudonymKey, jwt: JWT_OPTIONS });
    expect(kit.pseudonym('user-a')).toBe(createPseudonymizer(pseudonymKey)('user-a'));
    expect(kit.pseudonym('user-a')).not.toContain('user-a');
    kit.dispose();
  });

  it('gives the store it was given: kit.store', () => {
    const { kit } = appWith(t.store);
    expect(kit.store).toBe(t.store);
    kit.dispose();
  });

  it('gives the appId written into the audit: kit.appId', () => {
    const { kit } = appWith(t.store, { appId: 'shop-api' });
    expect(kit.appId).toBe('shop-api');
    kit.dispose();
  });

  it('does not expose its engine', () => {
    const { kit } = appWith(t.store);
    expect('engine' in kit).toBe(false);
    kit.dispose();
  });
});
