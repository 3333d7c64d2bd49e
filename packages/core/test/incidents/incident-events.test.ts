import { checkIncidentEvent, newIncidentId } from '@privacy-kit/core';
import { INCIDENT_ID, KNOWN_AT, errorOf, plus, sampleAlert } from './incident-fixtures';

// checkIncidentEvent() refuses an event before it is appended, naming the field and what it takes.

const NOW = new Date('2026-12-05T12:00:00.000Z');

function input(kind: string, data: Record<string, unknown>, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { incidentId: INCIDENT_ID, kind, time: '2026-12-05T12:00:00.000+00:00', actor: 'psn_admin', data, ...over };
}

function refusal(value: unknown): { code: string; message: string } {
  return errorOf(() => checkIncidentEvent(value, NOW));
}

describe('newIncidentId', () => {
  it('is inc-YYYYMMDD- and 8 base32 characters, dated by the given time (UTC)', () => {
    expect(newIncidentId(new Date('2026-12-05T23:30:00.000Z'))).toMatch(/^inc-20261205-[a-z2-7]{8}$/);
  });

  it('differs from one call to the next', () => {
    const now = new Date('2026-12-05T10:00:00.000Z');
    const ids = new Set(Array.from({ length: 200 }, () => newIncidentId(now)));
    expect(ids.size).toBe(200);
  });

  it('refuses an invalid date', () => {
    expect(errorOf(() => newIncidentId(new Date(Number.NaN)))).toMatchObject({ code: 'PK_INVALID_OPTION', message: expect.stringContaining('newIncidentId()') });
  });
});

describe('checkIncidentEvent', () => {
  it('returns a valid opened event as it was given', () => {
    const event = input('opened', { title: 'Mass access', knownAt: KNOWN_AT, alert: sampleAlert(), description: 'seen by the monitor' });
    expect(checkIncidentEvent(event, NOW)).toEqual(event);
  });

  it('accepts every kind with its data', () => {
    const ok: [string, Record<string, unknown>][] = [
      ['note', { text: 'called the support lead' }],
      ['assessment', { nature: 'n', consequences: 'c', measures: 'm', contact: 'dpo@example.invalid', delayReasons: 'r', highRisk: true }],
      ['status', { status: 'contained' }],
      ['authority-notified', { at: '2026-12-05T11:00:00.000+00:00', reference: 'SA-1' }],
      ['subjects-notified', { at: '2026-12-05T11:30:00+01:00', count: 12 }],
      ['scope', { scope: { filter: { actor: 'psn_support' }, records: 2, subjects: 1, categories: [{ category: 'user.name', subjects: 1, records: 2, special: false }], special: false, subjectPseudonyms: ['psn_1'], subjectCategories: [[0]], first: KNOWN_AT, last: KNOWN_AT } }],
    ];
    for (const [kind, data] of ok) expect(checkIncidentEvent(input(kind, data), NOW).kind).toBe(kind);
  });

  it('refuses an unknown kind, naming the kinds it takes and the closest one', () => {
    expect(refusal(input('opend', { title: 't', knownAt: KNOWN_AT }))).toEqual({
      code: 'PK_INVALID_OPTION',
      message: expect.stringMatching(/^@privacy-kit\/core: checkIncidentEvent\(\): 'kind' must be one of opened, note, .*Did you mean 'opened'\?/),
    });
  });

  it('refuses an opened event without a title', () => {
    expect(refusal(input('opened', { knownAt: KNOWN_AT })).message).toContain("'data.title' must be a non-empty text");
  });

  it('refuses an opened event whose knownAt is not an ISO time with an offset', () => {
    expect(refusal(input('opened', { title: 't', knownAt: '05/12/2026' })).message).toContain("'data.knownAt' must be an ISO 8601 time with an offset");
  });

  it('refuses a knownAt more than a minute in the future', () => {
    expect(refusal(input('opened', { title: 't', knownAt: plus(NOW.toISOString(), 2 * 60_000) })).message).toContain("'data.knownAt' is in the future");
  });

  it('accepts a knownAt less than a minute ahead (clock skew)', () => {
    expect(checkIncidentEvent(input('opened', { title: 't', knownAt: plus(NOW.toISOString(), 30_000) }), NOW).kind).toBe('opened');
  });

  it('refuses an alert that is not an alert of a known rule', () => {
    expect(refusal(input('opened', { title: 't', knownAt: KNOWN_AT, alert: { ...sampleAlert(), rule: 'massive' } })).message).toContain("'data.alert.rule' must be one of massAccess");
  });

  it('refuses an unknown status, naming the statuses', () => {
    expect(refusal(input('status', { status: 'resolved' })).message).toContain("'data.status' must be one of open, contained, closed");
  });

  it('refuses an unknown field of the data, with the closest known one', () => {
    expect(refusal(input('assessment', { consequence: 'c' })).message).toContain("unknown option 'consequence'. Did you mean 'consequences'?");
  });

  it('refuses an empty assessment', () => {
    expect(refusal(input('assessment', {})).message).toContain("'assessment' data needs at least one of nature, consequences, measures, contact, delayReasons, highRisk");
  });

  it('refuses an empty note', () => {
    expect(refusal(input('note', { text: '   ' })).message).toContain("'data.text' must be a non-empty text");
  });

  it('refuses a subjects-notified event without a whole count', () => {
    expect(refusal(input('subjects-notified', { at: KNOWN_AT, count: 1.5 })).message).toContain("'data.count' must be a whole number ≥ 0");
  });

  it('refuses an authority-notified time in the future', () => {
    expect(refusal(input('authority-notified', { at: '2026-12-06T12:00:00.000+00:00' })).message).toContain("'data.at' is in the future");
  });

  it('refuses a scope whose pseudonym list disagrees with its subject count', () => {
    const scope = { filter: {}, records: 1, subjects: 2, categories: [], special: false, subjectPseudonyms: ['psn_1'], first: null, last: null };
    expect(refusal(input('scope', { scope })).message).toContain("'data.scope.subjectPseudonyms' must list 2 pseudonyms");
  });

  it('takes a large scope kept as counts only (subjectsOmitted, no list), and refuses one that says so but lists subjects', () => {
    const counts = { filter: { actor: 'psn_support', to: KNOWN_AT }, records: 20_000, subjects: 20_000, categories: [], special: false, subjectPseudonyms: [], subjectCategories: [], subjectsOmitted: true, first: null, last: null };
    expect(checkIncidentEvent(input('scope', { scope: counts }), new Date('2026-12-06T00:00:00Z')).kind).toBe('scope');
    expect(refusal(input('scope', { scope: { ...counts, subjectPseudonyms: ['psn_1'] } })).message).toContain("must be empty when 'data.scope.subjectsOmitted' is true");
  });

  it('refuses an event time that is not ISO', () => {
    expect(refusal(input('note', { text: 'x' }, { time: 'yesterday' })).message).toContain("'time' must be an ISO 8601 time with an offset");
  });

  it('refuses an incident id with characters outside letters, digits, dot, dash and underscore', () => {
    expect(refusal(input('note', { text: 'x' }, { incidentId: 'inc/../x' })).message).toContain("'incidentId' must be");
  });

  it('refuses an actor that is neither a pseudonym nor null', () => {
    expect(refusal(input('note', { text: 'x' }, { actor: 42 })).message).toContain("'actor' must be a pseudonym or null");
  });

  it('refuses unknown keys of the event', () => {
    expect(refusal(input('note', { text: 'x' }, { seq: 3 })).message).toContain("unknown option 'seq'");
  });

  it('refuses something that is not an object', () => {
    expect(refusal('note')).toMatchObject({ code: 'PK_INVALID_OPTION', message: expect.stringContaining('checkIncidentEvent(): the event must be an object') });
  });

  it('never echoes free text in its messages', () => {
    expect(refusal(input('opened', { title: 'x'.repeat(300) + ' secret-ish', knownAt: KNOWN_AT })).message).not.toContain('secret-ish');
  });
});
