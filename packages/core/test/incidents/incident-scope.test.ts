import { computeScope, extendVocabulary, scopeFilterOf, type AuditEntry } from '@privacy-kit/core';
import { entry, sampleAlert } from './incident-fixtures';

// computeScope() answers the first question of every incident: whose data did an actor, a route or a window reach?

async function* paged(records: readonly AuditEntry[]): AsyncIterable<AuditEntry> {
  for (const r of records) yield await Promise.resolve(r);
}

async function refusal(filter: unknown): Promise<{ code: string; message: string }> {
  try {
    await computeScope([], filter as never);
  } catch (err) {
    const e = err as { code: string; message: string };
    return { code: e.code, message: e.message };
  }
  throw new Error('expected a refusal');
}

describe('computeScope', () => {
  it('counts allowed accesses and distinct subjects', async () => {
    const scope = await computeScope([entry({ subject: 'psn_a' }), entry({ subject: 'psn_b' }), entry({ subject: 'psn_a' })], {});
    expect(scope).toMatchObject({ records: 3, subjects: 2, subjectPseudonyms: ['psn_a', 'psn_b'] });
  });

  it('counts distinct subjects and records per category, most subjects first', async () => {
    const scope = await computeScope(
      [
        entry({ subject: 'psn_a', categories: ['user.contact.email', 'user.name'] }),
        entry({ subject: 'psn_b', categories: ['user.name'] }),
        entry({ subject: 'psn_b', categories: ['user.name'] }),
      ],
      {},
    );
    expect(scope.categories).toEqual([
      { category: 'user.name', subjects: 2, records: 3, special: false },
      { category: 'user.contact.email', subjects: 1, records: 1, special: false },
    ]);
  });

  it("marks special categories from the vocabulary, children included, and the scope as special", async () => {
    const scope = await computeScope([entry({ categories: ['user.health_and_medical.diagnosis'] })], {});
    expect(scope.categories[0]).toMatchObject({ category: 'user.health_and_medical.diagnosis', special: true });
    expect(scope.special).toBe(true);
  });

  it('marks an app-registered special category as special', async () => {
    extendVocabulary({ categories: [{ key: 'user.incident_test_union_dues', description: 'dues', special: true }] });
    expect((await computeScope([entry({ categories: ['user.incident_test_union_dues'] })], {})).special).toBe(true);
  });

  it('treats a category the vocabulary does not know as not special', async () => {
    const scope = await computeScope([entry({ categories: ['Not A Key'] })], {});
    expect(scope).toMatchObject({ special: false, categories: [{ category: 'Not A Key', special: false }] });
  });

  it('is not special when no special category was reached', async () => {
    expect((await computeScope([entry()], {})).special).toBe(false);
  });

  it('does not count outcome records, refusals or other events', async () => {
    const scope = await computeScope(
      [
        entry({ subject: 'psn_a' }),
        entry({ event: 'outcome', subject: 'psn_b', status: 200, durationMs: 3 }),
        entry({ event: 'denied', decision: 'denied', subject: 'psn_c', reason: 'forbidden' }),
        entry({ event: 'access', decision: 'denied', subject: 'psn_d' }),
        entry({ event: 'rights', subject: 'psn_e' }),
        entry({ event: 'alert', subject: 'psn_f' }),
      ],
      {},
    );
    expect(scope).toMatchObject({ records: 1, subjects: 1, subjectPseudonyms: ['psn_a'] });
  });

  it('counts only the given actor', async () => {
    const scope = await computeScope([entry({ actor: 'psn_x', subject: 'psn_a' }), entry({ actor: 'psn_y', subject: 'psn_b' }), entry({ actor: null, subject: 'psn_c' })], { actor: 'psn_x' });
    expect(scope.subjectPseudonyms).toEqual(['psn_a']);
  });

  it("counts only the given route, as 'METHOD /pattern'", async () => {
    const scope = await computeScope(
      [entry({ subject: 'psn_a' }), entry({ method: 'PUT', subject: 'psn_b' }), entry({ route: '/orders/:id', subject: 'psn_c' })],
      { route: 'GET /users/:id' },
    );
    expect(scope.subjectPseudonyms).toEqual(['psn_a']);
  });

  it("counts every method of a route given as '/pattern'", async () => {
    const scope = await computeScope([entry({ subject: 'psn_a' }), entry({ method: 'PUT', subject: 'psn_b' }), entry({ route: '/orders/:id', subject: 'psn_c' })], { route: '/users/:id' });
    expect(scope.subjectPseudonyms).toEqual(['psn_a', 'psn_b']);
  });

  it('counts only the window, both ends inclusive, comparing instants across offsets', async () => {
    const scope = await computeScope(
      [
        entry({ subject: 'psn_before', time: '2026-12-05T07:59:59.999+00:00' }),
        entry({ subject: 'psn_from', time: '2026-12-05T08:00:00.000+00:00' }),
        entry({ subject: 'psn_offset', time: '2026-12-05T09:30:00.000+01:00' }),
        entry({ subject: 'psn_to', time: '2026-12-05T09:00:00.000+00:00' }),
        entry({ subject: 'psn_after', time: '2026-12-05T09:00:00.001+00:00' }),
      ],
      { from: '2026-12-05T08:00:00.000+00:00', to: '2026-12-05T10:00:00.000+01:00' },
    );
    expect(scope.subjectPseudonyms).toEqual(['psn_from', 'psn_offset', 'psn_to']);
  });

  it('gives the first and last time of the counted records, whatever order they come in', async () => {
    const scope = await computeScope([entry({ time: '2026-12-05T08:05:00.000+00:00' }), entry({ time: '2026-12-05T08:01:00.000+00:00' }), entry({ time: '2026-12-05T08:03:00.000+00:00' })], {});
    expect(scope).toMatchObject({ first: '2026-12-05T08:01:00.000+00:00', last: '2026-12-05T08:05:00.000+00:00' });
  });

  it('is empty with null ends when nothing matches', async () => {
    expect(await computeScope([entry({ actor: 'psn_y' })], { actor: 'psn_x' })).toEqual({
      filter: { actor: 'psn_x' },
      records: 0,
      subjects: 0,
      categories: [],
      special: false,
      subjectPseudonyms: [],
      subjectCategories: [],
      first: null,
      last: null,
    });
  });

  it('counts an access without a known subject as a record, not a subject', async () => {
    expect(await computeScope([entry({ subject: null })], {})).toMatchObject({ records: 1, subjects: 0, categories: [{ records: 1, subjects: 0 }] });
  });

  it("gives each subject's categories as indexes into the categories", async () => {
    const scope = await computeScope([entry({ subject: 'psn_a', categories: ['user.name', 'user.contact.email'] }), entry({ subject: 'psn_b', categories: ['user.name'] })], {});
    const names = scope.subjectCategories!.map((list) => list.map((i) => scope.categories[i]!.category).sort());
    expect(names).toEqual([['user.contact.email', 'user.name'], ['user.name']]);
  });

  it('reads records from an async iterable (pages streamed from a store)', async () => {
    expect((await computeScope(paged([entry({ subject: 'psn_a' }), entry({ subject: 'psn_b' })]), {})).subjects).toBe(2);
  });

  it('keeps the filter it was given', async () => {
    expect((await computeScope([], { actor: 'psn_x', route: 'GET /users/:id' })).filter).toEqual({ actor: 'psn_x', route: 'GET /users/:id' });
  });

  it("refuses a route that is not 'METHOD /pattern'", async () => {
    expect(await refusal({ route: 'users' })).toEqual({ code: 'PK_INVALID_OPTION', message: expect.stringContaining("computeScope(): 'filter.route' must be a method and a route pattern such as 'GET /users/:id'") });
  });

  it('refuses a window whose start is after its end', async () => {
    expect((await refusal({ from: '2026-12-05T10:00:00+00:00', to: '2026-12-05T09:00:00+00:00' })).message).toContain("'filter.from' is after 'filter.to'");
  });

  it('refuses a from that is not an ISO time', async () => {
    expect((await refusal({ from: 'yesterday' })).message).toContain("'filter.from' must be an ISO 8601 time");
  });

  it('refuses an unknown filter key, with the closest one', async () => {
    expect((await refusal({ actr: 'psn_x' })).message).toContain("unknown option 'actr'. Did you mean 'actor'?");
  });
});

describe('computeScope errors', () => {
  it('refuses records that are not iterable', async () => {
    await expect(computeScope(42 as never, {})).rejects.toMatchObject({ code: 'PK_INVALID_OPTION', message: expect.stringContaining("computeScope(): 'records' must be an iterable or async iterable of audit entries") });
  });
});

describe('scopeFilterOf', () => {
  it("takes an alert's actor, route and window", () => {
    expect(scopeFilterOf(sampleAlert())).toEqual({ actor: 'psn_support', route: 'GET /users/:id', from: '2026-12-05T08:00:00.000+00:00', to: '2026-12-05T08:10:00.000+00:00' });
  });

  it('leaves out what an app-wide alert does not have', () => {
    const alert = sampleAlert();
    expect(scopeFilterOf({ ...alert, query: { from: alert.window.from, to: alert.window.to } })).toEqual({ from: alert.window.from, to: alert.window.to });
  });
});
