import { art33Draft, computeScope, foldIncident, type Incident, type IncidentEventKind } from '@privacy-kit/core';
import { HOUR_MS, KNOWN_AT, entry, errorOf, eventsOf, opened, plus, sampleAlert } from './incident-fixtures';

// art33Draft() writes what GDPR Art. 33(3) asks a notification to contain, from the register, in counts only.

const CONTROLLER = { name: 'Shop Ltd', contact: 'privacy@shop.example', dpo: 'dpo@shop.example' };
const BEFORE_DEADLINE = new Date(Date.parse(KNOWN_AT) + 10 * HOUR_MS);
const AFTER_DEADLINE = new Date(Date.parse(KNOWN_AT) + 80 * HOUR_MS);

async function scopeData(): Promise<Record<string, unknown>> {
  const records = Array.from({ length: 63 }, (_, n) => entry({ subject: `psn_subject_${n}`, categories: n % 3 === 0 ? ['user.contact.email', 'user.health_and_medical'] : ['user.contact.email'] }));
  return { scope: await computeScope([...records, entry({ subject: 'psn_subject_0' })], { actor: 'psn_support' }) };
}

async function fullIncident(more: (readonly [IncidentEventKind, Record<string, unknown>])[] = []): Promise<Incident> {
  return foldIncident(
    eventsOf([
      opened(KNOWN_AT, { alert: sampleAlert() }),
      ['scope', await scopeData()],
      ['assessment', { nature: 'A support account read customer profiles outside any ticket.', consequences: 'Phishing using the e-mail addresses.', measures: 'Account locked; passwords reset.' }],
      ...more,
    ]),
  );
}

describe('art33Draft', () => {
  it('gives the nature of the breach with the categories and approximate numbers of subjects and records (Art. 33(3)(a))', async () => {
    const { markdown, json } = art33Draft(await fullIncident(), { controller: CONTROLLER, now: BEFORE_DEADLINE });
    expect(json.nature).toMatchObject({
      description: 'A support account read customer profiles outside any ticket.',
      approximateSubjects: 63,
      approximateRecords: 64,
      special: true,
      categories: [
        { category: 'user.contact.email', special: false, approximateSubjects: 63, approximateRecords: 64 },
        { category: 'user.health_and_medical', special: true, approximateSubjects: 21, approximateRecords: 21 },
      ],
    });
    expect(markdown).toContain('approximately 63 data subjects');
    expect(markdown).toContain('approximately 64 records');
    expect(markdown).toMatch(/\| user\.health_and_medical \| yes \| 21 \| 21 \|/);
  });

  it('gives the contact point: the DPO when the assessment names none (Art. 33(3)(b))', async () => {
    const { markdown, json } = art33Draft(await fullIncident(), { controller: CONTROLLER, now: BEFORE_DEADLINE });
    expect(json.contactPoint).toBe('dpo@shop.example');
    expect(json.controller).toEqual({ name: 'Shop Ltd', contact: 'privacy@shop.example', dpo: 'dpo@shop.example' });
    expect(markdown).toContain('## (b) Contact point');
    expect(markdown).toContain('dpo@shop.example');
  });

  it("prefers the assessment's contact point", async () => {
    const incident = await fullIncident([['assessment', { contact: 'security team, +00 000 000' }]]);
    expect(art33Draft(incident, { controller: CONTROLLER, now: BEFORE_DEADLINE }).json.contactPoint).toBe('security team, +00 000 000');
  });

  it('gives the likely consequences (Art. 33(3)(c)) and the measures (Art. 33(3)(d))', async () => {
    const { markdown, json } = art33Draft(await fullIncident(), { controller: CONTROLLER, now: BEFORE_DEADLINE });
    expect(json).toMatchObject({ likelyConsequences: 'Phishing using the e-mail addresses.', measures: 'Account locked; passwords reset.' });
    expect(markdown).toContain('## (c) Likely consequences\n\nPhishing using the e-mail addresses.');
    expect(markdown).toContain('## (d) Measures taken or proposed\n\nAccount locked; passwords reset.');
  });

  it('lists nothing as missing when every item is there', async () => {
    expect(art33Draft(await fullIncident(), { controller: CONTROLLER, now: BEFORE_DEADLINE }).json.missing).toEqual([]);
  });

  it('names what is still missing, in the JSON and the Markdown', async () => {
    const { markdown, json } = art33Draft(foldIncident(eventsOf([opened()])), { now: BEFORE_DEADLINE });
    expect(json.missing.map((m) => m.field)).toEqual(['controller', 'nature', 'scope', 'contactPoint', 'likelyConsequences', 'measures']);
    expect(markdown).toContain('likely consequences: not assessed yet');
    expect(markdown).toContain('## Still missing');
    expect(json.nature).toMatchObject({ approximateSubjects: null, approximateRecords: null, categories: [] });
  });

  it('gives the timeline: known at, the deadline and the time left', async () => {
    const { markdown, json } = art33Draft(await fullIncident(), { controller: CONTROLLER, now: BEFORE_DEADLINE });
    expect(json.timeline).toMatchObject({ knownAt: KNOWN_AT, deadline: '2026-12-08T09:00:00.000+00:00', authorityNotifiedAt: null, overdue: false, late: false, remainingMs: 62 * HOUR_MS, delayReasonsRequired: false });
    expect(markdown).toContain('not yet (62 h left)');
  });

  it('marks an overdue notification and asks for the reasons for the delay (Art. 33(1))', async () => {
    const { markdown, json } = art33Draft(await fullIncident(), { controller: CONTROLLER, now: AFTER_DEADLINE });
    expect(json.timeline).toMatchObject({ overdue: true, delayReasonsRequired: true, delayReasons: null });
    expect(json.missing.map((m) => m.field)).toContain('delayReasons');
    expect(markdown).toContain('**overdue** by 8 h');
    expect(markdown).toContain('reasons for the delay (Art. 33(1)): not given yet');
  });

  it('marks a late notification and gives the recorded reasons for the delay', async () => {
    const incident = await fullIncident([['authority-notified', { at: plus(KNOWN_AT, 75 * HOUR_MS) }], ['assessment', { delayReasons: 'The logs were only available after a restore.' }]]);
    const { markdown, json } = art33Draft(incident, { controller: CONTROLLER, now: AFTER_DEADLINE });
    expect(json.timeline).toMatchObject({ late: true, overdue: false, delayReasons: 'The logs were only available after a restore.' });
    expect(json.missing).toEqual([]);
    expect(markdown).toContain('**late**');
    expect(markdown).toContain('The logs were only available after a restore.');
  });

  it('notes a notification in time', async () => {
    const incident = await fullIncident([['authority-notified', { at: plus(KNOWN_AT, 20 * HOUR_MS), reference: 'SA-2026-17' }]]);
    const { markdown, json } = art33Draft(incident, { controller: CONTROLLER, now: AFTER_DEADLINE });
    expect(json.timeline).toMatchObject({ authorityNotifiedAt: plus(KNOWN_AT, 20 * HOUR_MS), late: false, overdue: false, delayReasonsRequired: false });
    expect(markdown).toContain('(in time)');
  });

  it('names the alert that started it, with its explanation', async () => {
    const { markdown, json } = art33Draft(await fullIncident(), { controller: CONTROLLER, now: BEFORE_DEADLINE });
    expect(json.alert).toMatchObject({ rule: 'massAccess', explanation: sampleAlert().explanation, count: 63, threshold: 50 });
    expect(markdown).toContain(sampleAlert().explanation);
  });

  it('says whether the data subjects are likely to need notice (Art. 34)', async () => {
    expect(art33Draft(await fullIncident(), { controller: CONTROLLER, now: BEFORE_DEADLINE }).json.subjectNotice).toEqual({ likelyRequired: true, decidedBy: 'heuristic', notifiedAt: null });
  });

  it('gives counts, never the list of subject pseudonyms', async () => {
    const { markdown, json } = art33Draft(await fullIncident(), { controller: CONTROLLER, now: BEFORE_DEADLINE });
    const text = `${markdown}\n${JSON.stringify(json)}`;
    expect(text).not.toMatch(/psn_subject_/);
  });

  it('refuses an unknown option and a controller without a name', async () => {
    const incident = await fullIncident();
    expect(errorOf(() => art33Draft(incident, { now: BEFORE_DEADLINE, controler: CONTROLLER } as never)).message).toContain("unknown option 'controler'. Did you mean 'controller'?");
    expect(errorOf(() => art33Draft(incident, { now: BEFORE_DEADLINE, controller: { dpo: 'x' } } as never)).message).toContain("'controller.name' must be a non-empty text");
  });

  it('refuses a missing now', async () => {
    expect(errorOf(() => art33Draft(foldIncident(eventsOf([opened()])), {} as never)).message).toContain("art33Draft(): 'now' must be a valid Date");
  });
});
