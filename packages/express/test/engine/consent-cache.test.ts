import request from 'supertest';
import { requiresConsent } from '@privacy-kit/express';
import { ConsentCache } from '../../src/engine/consent-cache';
import { appWith, bearer, tempStore } from '../support/test-app';

const granted = (purpose: string) => ({ purpose, granted: true, status: 'granted' as const, policyVersion: 'v1', method: 'api', since: '2026-01-01T00:00:00+00:00', expiresAt: null });

describe('the consent cache', () => {
  it('serves answers until the TTL passes', () => {
    let now = 0;
    const cache = new ConsentCache(1000, 10, () => now);
    cache.set('psn_a', [granted('p')], cache.ticket('psn_a'));
    now = 999;
    expect(cache.get('psn_a')?.get('p')?.granted).toBe(true);
    now = 1000;
    expect(cache.get('psn_a')).toBeUndefined();
  });

  it('drops a subject at once when invalidated, and ignores a load that raced with the invalidation', () => {
    const cache = new ConsentCache(60_000, 10);
    const ticket = cache.ticket('psn_a');
    cache.invalidate('psn_a');
    cache.set('psn_a', [granted('p')], ticket);
    expect(cache.get('psn_a')).toBeUndefined();
  });

  it('keeps at most the configured number of subjects', () => {
    const cache = new ConsentCache(60_000, 2);
    for (const s of ['a', 'b', 'c']) cache.set(s, [granted('p')], cache.ticket(s));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('answers from the cache within the TTL when another process changed the store', async () => {
    const t = tempStore();
    // A store whose change announcements the test makes itself (the SQLite store announces even its own direct writes).
    let announce: (subject: string) => void = () => undefined;
    const watch = (listener: (subject: string) => void) => {
      announce = listener;
      return () => undefined;
    };
    const silent = new Proxy(t.store, { get: (target, prop) => (prop === 'watchConsents' ? watch : Reflect.get(target, prop)) });
    const { app, kit } = appWith(silent, { consentCacheTtlMs: 60_000 });
    app.get('/recs', requiresConsent('personalize.content'), (_req, res) => { res.json({}); });
    const subject = kit.pseudonym('user-a');
    await t.store.recordConsent({ subject, purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api' });
    expect((await request(app).get('/recs').set('Authorization', bearer('user-a'))).status).toBe(200);
    // A change written directly to the store (as by another process without notifications) waits for the TTL...
    await t.store.recordConsent({ subject, purpose: 'personalize.content', action: 'withdrawn', policyVersion: 'v1', method: 'api' });
    expect((await request(app).get('/recs').set('Authorization', bearer('user-a'))).status).toBe(200);
    // ...while the store's change notification (which invalidates the subject's answers) applies it at once.
    announce(subject);
    expect((await request(app).get('/recs').set('Authorization', bearer('user-a'))).status).toBe(403);
    await t.cleanup();
  });
});
