import { NOTIFICATION_DEADLINE_MS, foldIncident, incidentClock, listIncidents } from '@privacy-kit/core';
import { HOUR_MS, INCIDENT_ID, KNOWN_AT, errorOf, eventsOf, opened, plus, sampleAlert } from './incident-fixtures';

// An incident is what its appended events add up to; its clock is GDPR Art. 33(1)'s 72 hours from knownAt.

describe('foldIncident', () => {
  it('sets the deadline to knownAt + 72 h', () => {
    const incident = foldIncident(eventsOf([opened()]));
    expect(incident.deadline).toBe('2026-12-08T09:00:00.000+00:00');
    expect(Date.parse(incident.deadline) - Date.parse(KNOWN_AT)).toBe(NOTIFICATION_DEADLINE_MS);
  });

  it('counts the 72 h from knownAt in its own offset', () => {
    expect(foldIncident(eventsOf([opened('2026-12-05T10:00:00+01:00')])).deadline).toBe('2026-12-08T09:00:00.000+00:00');
  });

  it('starts open with the title, knownAt, no alert, no scope, no notification and an empty assessment', () => {
    expect(foldIncident(eventsOf([opened()]))).toMatchObject({
      id: INCIDENT_ID,
      title: 'Support account read many profiles',
      knownAt: KNOWN_AT,
      status: 'open',
      alert: null,
      scope: null,
      authorityNotifiedAt: null,
      subjectsNotifiedAt: null,
      assessment: {},
    });
  });

  it('keeps the alert it was opened from', () => {
    expect(foldIncident(eventsOf([opened(KNOWN_AT, { alert: sampleAlert() })])).alert).toEqual(sampleAlert());
  });

  it('takes the status of the latest status event', () => {
    const events = eventsOf([opened(), ['status', { status: 'contained' }], ['status', { status: 'closed' }]]);
    expect(foldIncident(events).status).toBe('closed');
  });

  it('can be opened again after being closed', () => {
    const events = eventsOf([opened(), ['status', { status: 'closed' }], ['status', { status: 'open' }]]);
    expect(foldIncident(events).status).toBe('open');
  });

  it('merges assessments field by field, later ones winning', () => {
    const events = eventsOf([opened(), ['assessment', { nature: 'first', measures: 'locked the account' }], ['assessment', { nature: 'second', consequences: 'phishing' }]]);
    expect(foldIncident(events).assessment).toEqual({ nature: 'second', measures: 'locked the account', consequences: 'phishing' });
  });

  it('keeps the latest scope', () => {
    const scope = (records: number): Record<string, unknown> => ({
      scope: { filter: {}, records, subjects: 0, categories: [], special: false, subjectPseudonyms: [], first: null, last: null },
    });
    expect(foldIncident(eventsOf([opened(), ['scope', scope(1)], ['scope', scope(7)]])).scope?.records).toBe(7);
  });

  it('keeps the first notification of the authority and of the subjects (later ones are supplements)', () => {
    const events = eventsOf([
      opened(),
      ['authority-notified', { at: plus(KNOWN_AT, HOUR_MS) }],
      ['authority-notified', { at: plus(KNOWN_AT, 2 * HOUR_MS), reference: 'supplement' }],
      ['subjects-notified', { at: plus(KNOWN_AT, 3 * HOUR_MS), count: 4 }],
    ]);
    expect(foldIncident(events)).toMatchObject({ authorityNotifiedAt: plus(KNOWN_AT, HOUR_MS), subjectsNotifiedAt: plus(KNOWN_AT, 3 * HOUR_MS) });
  });

  it('folds events given out of seq order in seq order', () => {
    const events = eventsOf([opened(), ['status', { status: 'contained' }], ['status', { status: 'closed' }]]);
    expect(foldIncident([events[2]!, events[0]!, events[1]!]).status).toBe('closed');
  });

  it('keeps every event', () => {
    const events = eventsOf([opened(), ['note', { text: 'x' }]]);
    expect(foldIncident(events).events).toEqual(events);
  });

  it('refuses an event list that does not start with opened', () => {
    expect(errorOf(() => foldIncident(eventsOf([['note', { text: 'x' }], opened()])))).toEqual({
      code: 'PK_INVALID_OPTION',
      message: expect.stringContaining("foldIncident(): incident inc-20261205-abcdefgh starts with a 'note' event (seq 1); its first event must be 'opened'"),
    });
  });

  it('refuses a second opened event', () => {
    expect(errorOf(() => foldIncident(eventsOf([opened(), opened()]))).message).toContain("a second 'opened' event (seq 2)");
  });

  it('refuses an empty event list', () => {
    expect(errorOf(() => foldIncident([])).message).toContain('foldIncident(): no events');
  });

  it('refuses events of two incidents', () => {
    const events = [...eventsOf([opened()]), ...eventsOf([['note', { text: 'x' }]], 'inc-20261205-zzzzzzzz', 2)];
    expect(errorOf(() => foldIncident(events)).message).toContain('events of more than one incident');
  });

  it('refuses a stored event whose data has the wrong shape, naming its seq', () => {
    expect(errorOf(() => foldIncident(eventsOf([opened(), ['status', { status: 'done' }]]))).message).toContain('event 2 of inc-20261205-abcdefgh');
  });
});

describe('incidentClock', () => {
  const incident = foldIncident(eventsOf([opened()]));
  const deadline = Date.parse(incident.deadline);

  it('is not overdue before the deadline, with the time remaining', () => {
    expect(incidentClock(incident, new Date(deadline - HOUR_MS))).toEqual({ deadline: incident.deadline, remainingMs: HOUR_MS, overdue: false, late: false, notifiedAt: null });
  });

  it('is not overdue at the deadline itself', () => {
    expect(incidentClock(incident, new Date(deadline)).overdue).toBe(false);
  });

  it('is overdue after the deadline while the authority is not notified, remaining time negative', () => {
    expect(incidentClock(incident, new Date(deadline + 1))).toMatchObject({ overdue: true, remainingMs: -1, late: false });
  });

  it('is never overdue once the authority is notified in time', () => {
    const notified = foldIncident(eventsOf([opened(), ['authority-notified', { at: plus(KNOWN_AT, HOUR_MS) }]]));
    expect(incidentClock(notified, new Date(deadline + 100 * HOUR_MS))).toMatchObject({ overdue: false, late: false, notifiedAt: plus(KNOWN_AT, HOUR_MS) });
  });

  it('flags a notification after the deadline as late, not overdue', () => {
    const notified = foldIncident(eventsOf([opened(), ['authority-notified', { at: plus(incident.deadline, 1000) }]]));
    expect(incidentClock(notified, new Date(deadline + 2 * HOUR_MS))).toMatchObject({ overdue: false, late: true });
  });

  it('refuses an invalid now', () => {
    expect(errorOf(() => incidentClock(incident, new Date(Number.NaN))).message).toContain("incidentClock(): 'now' must be a valid Date");
  });
});

describe('listIncidents', () => {
  it('groups the register by incident, newest opened first', () => {
    const a = eventsOf([opened(), ['status', { status: 'contained' }]], 'inc-20261201-aaaaaaaa', 1);
    const b = eventsOf([opened(plus(KNOWN_AT, HOUR_MS))], 'inc-20261202-bbbbbbbb', 3);
    const aLater = eventsOf([['note', { text: 'x' }]], 'inc-20261201-aaaaaaaa', 4);
    const list = listIncidents([...a, ...b, ...aLater]);
    expect(list.map((i) => [i.id, i.status, i.events.length])).toEqual([
      ['inc-20261202-bbbbbbbb', 'open', 1],
      ['inc-20261201-aaaaaaaa', 'contained', 3],
    ]);
  });

  it('is empty for an empty register', () => {
    expect(listIncidents([])).toEqual([]);
  });
});
