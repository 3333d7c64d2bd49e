import type { ConsentEvent, ConsentEventInput } from '@privacy-kit/core';
import { deriveConsentStates, validateConsentEvent, validateConsentEvents } from '@privacy-kit/core/store';

let seq = 0;
function event(purpose: string, action: ConsentEvent['action'], time: string, expiresAt: string | null = null): ConsentEvent {
  seq += 1;
  return { seq, id: `event-${seq}`, subject: 'psn_subject-1', purpose, action, policyVersion: '2026-01', method: 'api', expiresAt, time };
}

const input = (overrides: Partial<Record<keyof ConsentEventInput, unknown>> = {}): ConsentEventInput =>
  ({ subject: 'psn_subject-1', purpose: 'marketing.communications.email', action: 'granted', policyVersion: '2026-01', method: 'api', ...overrides }) as ConsentEventInput;

describe('deriveConsentStates', () => {
  it('takes the latest event of each purpose as its state', () => {
    const states = deriveConsentStates([
      event('marketing.communications.email', 'granted', '2026-01-01T00:00:00Z'),
      event('personalize.content', 'granted', '2026-01-02T00:00:00Z'),
      event('marketing.communications.email', 'withdrawn', '2026-01-03T00:00:00Z'),
    ], new Date('2026-02-01T00:00:00Z'));
    expect(states.map((s) => [s.purpose, s.status, s.granted, s.since])).toEqual([
      ['marketing.communications.email', 'withdrawn', false, '2026-01-03T00:00:00Z'],
      ['personalize.content', 'granted', true, '2026-01-02T00:00:00Z'],
    ]);
  });

  it('reads a grant whose expiry has passed as expired, since the moment it lapsed', () => {
    const [state] = deriveConsentStates([event('personalize.content', 'granted', '2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z')], new Date('2026-01-31T00:00:00Z'));
    expect(state).toEqual(expect.objectContaining({ status: 'expired', granted: false, since: '2026-01-31T00:00:00Z', expiresAt: '2026-01-31T00:00:00Z' }));
  });

  it('reads a grant before its expiry as granted, since the grant', () => {
    const [state] = deriveConsentStates([event('personalize.content', 'granted', '2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z')], new Date('2026-01-30T23:59:59Z'));
    expect(state).toEqual(expect.objectContaining({ status: 'granted', granted: true, since: '2026-01-01T00:00:00Z' }));
  });

  it('has no state for a subject without events', () => {
    expect(deriveConsentStates([])).toEqual([]);
  });
});

describe('validateConsentEvent', () => {
  it('refuses an event naming every problem, after the store, with the problems as details', () => {
    const attempt = (): void => validateConsentEvent(input({ subject: '', action: 'maybe', method: '' }), '@privacy-kit/sqlite');
    expect(attempt).toThrow(expect.objectContaining({
      code: 'PK_INVALID_OPTION',
      package: '@privacy-kit/sqlite',
      message: expect.stringMatching(/^@privacy-kit\/sqlite: refused consent event: 'subject' must be .*; 'action' must be one of granted, withdrawn, expired; 'method' must be .*\. Nothing was stored\.$/),
      details: [expect.stringContaining("'subject'"), expect.stringContaining("'action'"), expect.stringContaining("'method'")],
    }));
  });

  it.each(['2026-01-01T00:00:00', '2026-01-01', 'tomorrow'])('refuses an expiresAt of %p: an ISO time with its offset is required', (expiresAt) => {
    expect(() => validateConsentEvent(input({ expiresAt }), '@privacy-kit/postgres')).toThrow(/'expiresAt' must be an ISO 8601 time with offset/);
  });
});

describe('validateConsentEvents', () => {
  it('refuses a change without events', () => {
    expect(() => validateConsentEvents([], '@privacy-kit/sqlite')).toThrow(/recordConsentChange\(\) needs an array of at least one consent event\. Nothing was stored\./);
  });

  it('refuses a change whose second event is bad, naming it', () => {
    expect(() => validateConsentEvents([input(), input({ purpose: '' })], '@privacy-kit/sqlite')).toThrow(/'purpose' must be a non-empty purpose key/);
  });
});
