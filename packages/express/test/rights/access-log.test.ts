import request from 'supertest';
import { personalData } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';
import { flush } from './rights-fixtures';

describe('GET /privacy/me/access-log', () => {
  let t: TempStore;
  let setup: ReturnType<typeof appWith>;

  beforeEach(() => {
    t = tempStore();
    setup = appWith(t.store);
    setup.app.get('/me/profile', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({}); });
    setup.app.get('/users/:id', personalData({ categories: ['user.contact.email'], purpose: 'essential.service.operations.support', basis: 'legitimate_interests', roles: ['support'], subject: (req) => req.params.id }), (_req, res) => { res.json({}); });
  });
  afterEach(async () => {
    setup.kit.dispose();
    await t.cleanup();
  });

  const log = (query = '', sub = 'user-a') => request(setup.app).get(`/privacy/me/access-log${query}`).set('Authorization', bearer(sub));

  it('says who accessed the person’s data, when and why, without refusals or other people’s records', async () => {
    await request(setup.app).get('/me/profile').set('Authorization', bearer('user-a'));
    await request(setup.app).get('/users/user-a').set('Authorization', bearer('staff-1', { roles: ['support'] }));
    await request(setup.app).get('/users/user-a').set('Authorization', bearer('user-c'));
    await request(setup.app).get('/users/user-b').set('Authorization', bearer('staff-1', { roles: ['support'] }));
    await flush();

    const res = await log();

    expect(res.status).toBe(200);
    expect(res.body.entries.map((e: { route: string; accessedBy: string }) => [e.route, e.accessedBy])).toEqual([
      ['/me/profile', 'you'],
      ['/users/:id', 'someone else'],
      ['/privacy/me/access-log', 'you'],
    ]);
    expect(res.body.entries[1]).toEqual({
      seq: expect.any(Number),
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      accessedBy: 'someone else',
      actor: setup.kit.pseudonym('staff-1'),
      method: 'GET',
      route: '/users/:id',
      purposes: ['essential.service.operations.support'],
      basis: 'legitimate_interests',
      categories: ['user.contact.email'],
    });
    expect(res.body.next).toBeNull();
    expect(JSON.stringify(res.body)).not.toMatch(/staff-1|user-a/);
  });

  it('pages with limit and after', async () => {
    for (let i = 0; i < 3; i++) await request(setup.app).get('/me/profile').set('Authorization', bearer('user-a'));
    const first = await log('?limit=2');
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.next).toBe(first.body.entries[1].seq);
    const second = await log(`?limit=2&after=${first.body.next}`);
    expect(second.body.entries[0].seq).toBeGreaterThan(first.body.next);
    expect(second.body.entries.map((e: { route: string }) => e.route)).toEqual(['/me/profile', '/privacy/me/access-log']);
  });

  it.each(['?limit=0', '?limit=5000', '?after=-1', '?limit=abc'])('answers 400 for %s', async (query) => {
    const res = await log(query);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_query');
  });
});
