import fc from 'fast-check';
import { computeScope, type AuditEntry, type ScopeFilter } from '@privacy-kit/core';
import { entry } from './incident-fixtures';

// Property: computeScope agrees with a brute-force oracle written as plainly as possible, on random logs and filters.

const BASE = Date.parse('2026-12-05T08:00:00.000Z');
const iso = (ms: number, offsetHours = 0): string => {
  const local = new Date(ms + offsetHours * 3_600_000).toISOString().slice(0, -1);
  return `${local}${offsetHours >= 0 ? '+' : '-'}${String(Math.abs(offsetHours)).padStart(2, '0')}:00`;
};

const record: fc.Arbitrary<AuditEntry> = fc
  .record({
    event: fc.constantFrom('access', 'access', 'access', 'outcome', 'denied', 'rights'),
    decision: fc.constantFrom('allowed', 'allowed', 'denied'),
    minute: fc.integer({ min: 0, max: 60 }),
    offset: fc.constantFrom(0, 1, -5),
    actor: fc.option(fc.constantFrom('psn_x', 'psn_y', 'psn_z'), { nil: null }),
    subject: fc.option(fc.constantFrom('psn_1', 'psn_2', 'psn_3', 'psn_4', 'psn_5', 'psn_6'), { nil: null }),
    method: fc.constantFrom('GET', 'PUT'),
    route: fc.constantFrom('/users/:id', '/orders/:id'),
    categories: fc.uniqueArray(fc.constantFrom('user.name', 'user.contact.email', 'user.health_and_medical', 'user.financial'), { maxLength: 3 }),
  })
  .map((r) =>
    entry({
      event: r.event as AuditEntry['event'],
      decision: r.decision,
      time: iso(BASE + r.minute * 60_000, r.offset),
      actor: r.actor,
      subject: r.subject,
      method: r.method,
      route: r.route,
      categories: r.categories,
    }),
  );

const filter: fc.Arbitrary<ScopeFilter> = fc
  .record(
    {
      actor: fc.constantFrom('psn_x', 'psn_y'),
      route: fc.constantFrom('GET /users/:id', '/orders/:id', 'PUT /users/:id'),
      window: fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })),
    },
    { requiredKeys: [] },
  )
  .map(({ window, ...rest }) => {
    if (window === undefined) return rest;
    const [a, b] = window[0] <= window[1] ? window : [window[1], window[0]];
    return { ...rest, from: iso(BASE + a * 60_000), to: iso(BASE + b * 60_000, 1) };
  });

function oracle(records: readonly AuditEntry[], f: ScopeFilter): { records: number; subjects: string[]; perCategory: Record<string, [number, number]>; first: number | null; last: number | null } {
  const counted = records.filter((r) => {
    if (r.event !== 'access' || r.decision !== 'allowed') return false;
    if (f.actor !== undefined && r.actor !== f.actor) return false;
    if (f.route !== undefined) {
      const routeOnly = f.route.startsWith('/');
      if (routeOnly ? r.route !== f.route : `${r.method} ${r.route}` !== f.route) return false;
    }
    const t = Date.parse(r.time);
    if (f.from !== undefined && t < Date.parse(f.from)) return false;
    if (f.to !== undefined && t > Date.parse(f.to)) return false;
    return true;
  });
  const perCategory: Record<string, [number, number]> = {};
  for (const category of new Set(counted.flatMap((r) => r.categories))) {
    const withIt = counted.filter((r) => r.categories.includes(category));
    perCategory[category] = [new Set(withIt.map((r) => r.subject).filter((s) => s !== null)).size, withIt.length];
  }
  const times = counted.map((r) => Date.parse(r.time));
  return {
    records: counted.length,
    subjects: [...new Set(counted.map((r) => r.subject).filter((s): s is string => s !== null))].sort(),
    perCategory,
    first: times.length === 0 ? null : Math.min(...times),
    last: times.length === 0 ? null : Math.max(...times),
  };
}

describe('computeScope (property)', () => {
  it('agrees with a brute-force count on random logs and filters', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 60 }), filter, async (records, f) => {
        const scope = await computeScope(records, f);
        const expected = oracle(records, f);
        expect(scope.records).toBe(expected.records);
        expect(scope.subjectPseudonyms).toEqual(expected.subjects);
        expect(scope.subjects).toBe(expected.subjects.length);
        expect(Object.fromEntries(scope.categories.map((c) => [c.category, [c.subjects, c.records]]))).toEqual(expected.perCategory);
        expect(scope.special).toBe(scope.categories.some((c) => c.category === 'user.health_and_medical'));
        expect(scope.first === null ? null : Date.parse(scope.first)).toBe(expected.first);
        expect(scope.last === null ? null : Date.parse(scope.last)).toBe(expected.last);
      }),
      { numRuns: 300 },
    );
  });
});
