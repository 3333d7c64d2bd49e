import { isoTime } from '../audit/iso-time';
import { coreError } from '../errors/core.error';
import { defineOptionKeys } from '../errors/option-keys';
import type { MonitoringRuleName } from '../monitoring/monitoring-contracts';
import type { Incident, IncidentStatus, ScopeFilter } from './incident-contracts';
import { checkKeys, checkObject, checkText, kindOf, MAX_TITLE_LENGTH } from './incident-checks';
import { incidentClock } from './incident-fold';
import { requiresSubjectNotice } from './art34-list';

/** Who the controller is, for the draft: its name and, for Art. 33(3)(b), a contact and the DPO. */
export interface Art33Controller {
  readonly name: string;
  readonly contact?: string;
  /** The data protection officer's contact details. */
  readonly dpo?: string;
}

/** Options of {@link art33Draft}. */
export interface Art33DraftOptions {
  readonly controller?: Art33Controller;
  /** The present: the draft's date and where the 72-hour clock stands. */
  readonly now: Date;
}

/** A fact the draft still lacks. */
export interface Art33Missing {
  /** `'controller' | 'nature' | 'scope' | 'contactPoint' | 'likelyConsequences' | 'measures' | 'delayReasons'`. */
  readonly field: string;
  /** e.g. "likely consequences: not assessed yet". */
  readonly message: string;
}

/**
 * The facts of an Art. 33 notification draft, as JSON (format 1; field names are stable). Counts only: the draft
 * never lists the subjects' pseudonyms (that is the Art. 34 list's job).
 */
export interface Art33Draft {
  readonly version: 1;
  /** When the draft was made. */
  readonly generatedAt: string;
  readonly incident: { readonly id: string; readonly title: string; readonly status: IncidentStatus };
  readonly controller: { readonly name: string; readonly contact: string | null; readonly dpo: string | null } | null;
  readonly timeline: {
    readonly knownAt: string;
    /** knownAt + 72 h (Art. 33(1)). */
    readonly deadline: string;
    /** Negative once the deadline has passed. */
    readonly remainingMs: number;
    readonly authorityNotifiedAt: string | null;
    readonly subjectsNotifiedAt: string | null;
    /** Past the deadline and the authority not notified. */
    readonly overdue: boolean;
    /** The authority was notified after the deadline. */
    readonly late: boolean;
    /** Overdue or late: the notification must give reasons for the delay (Art. 33(1)). */
    readonly delayReasonsRequired: boolean;
    readonly delayReasons: string | null;
  };
  /** Art. 33(3)(a): the nature of the breach, the categories and approximate numbers of subjects and records. */
  readonly nature: {
    readonly description: string | null;
    /** Distinct subjects the scope reached; null while no scope is computed. */
    readonly approximateSubjects: number | null;
    /** Allowed accesses the scope counted; null while no scope is computed. */
    readonly approximateRecords: number | null;
    readonly categories: readonly { readonly category: string; readonly special: boolean; readonly approximateSubjects: number; readonly approximateRecords: number }[];
    /** Any special category (Art. 9/10). */
    readonly special: boolean;
    /** The first and last access counted. */
    readonly period: { readonly first: string | null; readonly last: string | null } | null;
    /** Which audit records the numbers come from. */
    readonly scopeFilter: ScopeFilter | null;
  };
  /** Art. 33(3)(b): the DPO or another contact point. */
  readonly contactPoint: string | null;
  /** Art. 33(3)(c). */
  readonly likelyConsequences: string | null;
  /** Art. 33(3)(d): measures taken or proposed, including to mitigate adverse effects. */
  readonly measures: string | null;
  /** The alert that started it, if any. */
  readonly alert: {
    readonly id: string;
    readonly rule: MonitoringRuleName;
    readonly explanation: string;
    readonly window: { readonly from: string; readonly to: string };
    readonly count: number;
    readonly threshold: number;
    readonly time: string;
  } | null;
  /** Art. 34: whether the people affected likely need notice, decided by the assessment or the heuristic. */
  readonly subjectNotice: { readonly likelyRequired: boolean; readonly decidedBy: 'assessment' | 'heuristic'; readonly notifiedAt: string | null };
  /** What the draft still lacks, in the order of the notification. */
  readonly missing: readonly Art33Missing[];
}

const OPTION_KEYS = defineOptionKeys<Art33DraftOptions>({ controller: true, now: true });
const CONTROLLER_KEYS = defineOptionKeys<Art33Controller>({ name: true, contact: true, dpo: true });
const WHERE = 'art33Draft()';

function checkOptions(options: unknown): Art33DraftOptions {
  const given = checkObject(options, 'options', WHERE);
  checkKeys(given, OPTION_KEYS, WHERE);
  if (!(given.now instanceof Date) || Number.isNaN(given.now.getTime())) {
    throw coreError('PK_INVALID_OPTION', `${WHERE}: 'now' must be a valid Date (the present); got ${kindOf(given.now)}.`);
  }
  if (given.controller !== undefined) {
    const controller = checkObject(given.controller, 'controller', WHERE);
    checkKeys(controller, CONTROLLER_KEYS, `${WHERE} ('controller')`);
    checkText(controller.name, 'controller.name', WHERE, MAX_TITLE_LENGTH);
    for (const key of ['contact', 'dpo'] as const) if (controller[key] !== undefined) checkText(controller[key], `controller.${key}`, WHERE);
  }
  return given as unknown as Art33DraftOptions;
}

/** '3 h 12 min', '45 min', '80 h': hours, as the 72 hours of Art. 33(1) are counted. */
function duration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return [hours > 0 ? `${hours} h` : '', rest > 0 || minutes === 0 ? `${rest} min` : ''].filter((p) => p !== '').join(' ');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function openedDescription(incident: Incident): string | null {
  const description = incident.events[0]?.data.description;
  return typeof description === 'string' ? description : null;
}

/**
 * A draft of the notification to the supervisory authority (GDPR Art. 33), as Markdown for the DPO and as JSON with
 * the same facts ({@link Art33Draft}): (a) the nature of the breach with the categories and the approximate numbers
 * of data subjects and records (from the latest scope), (b) the contact point (the assessment's, else the
 * controller's DPO, else its contact), (c) the likely consequences, (d) the measures taken or proposed; the timeline
 * (known at, the 72-hour deadline, notified in time, late or overdue, and the reasons for a delay, Art. 33(1)); the
 * alert that started it; whether the people affected likely need notice (Art. 34); and what is still missing. It
 * gives counts, never the subjects' pseudonyms; the free texts are the admins' own.
 *
 * @param incident - from `foldIncident`
 * @param options - the controller, and the present
 * @example
 * const { markdown } = art33Draft(incident, { controller: { name: 'Shop Ltd', dpo: 'dpo@shop.example' }, now: new Date() });
 */
export function art33Draft(incident: Incident, options: Art33DraftOptions): { markdown: string; json: Art33Draft } {
  const { controller, now } = checkOptions(options);
  const clock = incidentClock(incident, now);
  const a = incident.assessment;
  const scope = incident.scope;
  const contactPoint = a.contact ?? controller?.dpo ?? controller?.contact ?? null;
  const delayReasonsRequired = clock.overdue || clock.late;
  const missing: Art33Missing[] = [];
  const lack = (field: string, message: string): void => void missing.push({ field, message });
  if (controller === undefined) lack('controller', 'controller: not named (its name and contact details)');
  const description = a.nature ?? openedDescription(incident);
  if (description === null) lack('nature', 'nature of the breach: not described yet');
  if (scope === null) lack('scope', 'categories and numbers of data subjects and records: scope not computed yet (compute it from the audit)');
  if (contactPoint === null) lack('contactPoint', "contact point: not given (the assessment's contact, or the controller's DPO)");
  if (a.consequences === undefined) lack('likelyConsequences', 'likely consequences: not assessed yet');
  if (a.measures === undefined) lack('measures', 'measures taken or proposed: not recorded yet');
  if (delayReasonsRequired && a.delayReasons === undefined) lack('delayReasons', 'reasons for the delay (Art. 33(1)): not given yet');
  const alert = incident.alert;
  const json: Art33Draft = {
    version: 1,
    generatedAt: isoTime(now),
    incident: { id: incident.id, title: incident.title, status: incident.status },
    controller: controller === undefined ? null : { name: controller.name, contact: controller.contact ?? null, dpo: controller.dpo ?? null },
    timeline: {
      knownAt: incident.knownAt,
      deadline: clock.deadline,
      remainingMs: clock.remainingMs,
      authorityNotifiedAt: incident.authorityNotifiedAt,
      subjectsNotifiedAt: incident.subjectsNotifiedAt,
      overdue: clock.overdue,
      late: clock.late,
      delayReasonsRequired,
      delayReasons: a.delayReasons ?? null,
    },
    nature: {
      description,
      approximateSubjects: scope?.subjects ?? null,
      approximateRecords: scope?.records ?? null,
      categories: (scope?.categories ?? []).map((c) => ({ category: c.category, special: c.special, approximateSubjects: c.subjects, approximateRecords: c.records })),
      special: scope?.special ?? false,
      period: scope === null ? null : { first: scope.first, last: scope.last },
      scopeFilter: scope?.filter ?? null,
    },
    contactPoint,
    likelyConsequences: a.consequences ?? null,
    measures: a.measures ?? null,
    alert:
      alert === null
        ? null
        : { id: alert.id, rule: alert.rule, explanation: alert.explanation, window: alert.window, count: alert.count, threshold: alert.threshold, time: alert.time },
    subjectNotice: { likelyRequired: requiresSubjectNotice(scope, a), decidedBy: a.highRisk === undefined ? 'heuristic' : 'assessment', notifiedAt: incident.subjectsNotifiedAt },
    missing,
  };
  return { markdown: renderMarkdown(json), json };
}

function filterText(filter: ScopeFilter): string {
  const parts = [
    filter.actor === undefined ? '' : `actor ${filter.actor}`,
    filter.route === undefined ? '' : `route ${filter.route}`,
    filter.from === undefined ? '' : `from ${filter.from}`,
    filter.to === undefined ? '' : `to ${filter.to}`,
  ].filter((p) => p !== '');
  return parts.length === 0 ? 'the whole audit trail' : parts.join(', ');
}

function authorityLine(t: Art33Draft['timeline']): string {
  if (t.authorityNotifiedAt !== null) return `${t.authorityNotifiedAt} ${t.late ? '(**late**: after the deadline)' : '(in time)'}`;
  return t.overdue ? `not yet: **overdue** by ${duration(t.remainingMs)}` : `not yet (${duration(t.remainingMs)} left)`;
}

function section(title: string, text: string | null, absent: string): string[] {
  return [`## ${title}`, '', text ?? `_${absent}_`, ''];
}

function renderMarkdown(d: Art33Draft): string {
  const t = d.timeline;
  const n = d.nature;
  const lines = [
    '# Personal data breach: draft notification to the supervisory authority (GDPR Art. 33)',
    '',
    `> Draft made ${d.generatedAt} from the incident register. Check every statement before sending it.`,
    '',
    `- Incident: ${d.incident.id}, "${d.incident.title}" (status: ${d.incident.status})`,
    `- Controller: ${d.controller === null ? '_not named_' : [d.controller.name, d.controller.contact].filter((x) => x !== null).join(', ')}`,
    '',
    '## Timeline',
    '',
    `- Became known: ${t.knownAt}`,
    `- Deadline (72 hours, Art. 33(1)): ${t.deadline}`,
    `- Supervisory authority notified: ${authorityLine(t)}`,
    `- Data subjects notified (Art. 34): ${t.subjectsNotifiedAt ?? 'not yet'}`,
    ...(t.delayReasonsRequired ? [`- Reasons for the delay (Art. 33(1)): ${t.delayReasons ?? '_not given yet_'}`] : []),
    '',
    '## (a) Nature of the breach',
    '',
    n.description ?? '_Not described yet._',
    '',
  ];
  if (n.approximateSubjects === null || n.period === null) {
    lines.push('_Categories and numbers: the scope has not been computed from the audit yet._', '');
  } else {
    lines.push(
      `The audit trail shows approximately ${n.approximateSubjects} data subjects and approximately ${n.approximateRecords ?? 0} records of personal data concerned ` +
        `(accesses to personal data between ${n.period.first ?? '–'} and ${n.period.last ?? '–'}; ${filterText(n.scopeFilter ?? {})}). ` +
        `Special categories of personal data (Art. 9/10): ${n.special ? '**yes**' : 'no'}.`,
      '',
      '| Category of personal data | Special (Art. 9/10) | Data subjects (approx.) | Records (approx.) |',
      '| --- | --- | --- | --- |',
      ...n.categories.map((c) => `| ${cell(c.category)} | ${c.special ? 'yes' : 'no'} | ${c.approximateSubjects} | ${c.approximateRecords} |`),
      '',
    );
  }
  lines.push(
    ...section('(b) Contact point', d.contactPoint, 'Not given yet.'),
    ...section('(c) Likely consequences', d.likelyConsequences, 'Not assessed yet.'),
    ...section('(d) Measures taken or proposed', d.measures, 'Not recorded yet.'),
    '## How it was detected',
    '',
    d.alert === null
      ? 'Opened by hand (no monitoring alert).'
      : `Monitoring alert \`${d.alert.rule}\` at ${d.alert.time}: ${d.alert.explanation} (count ${d.alert.count}, threshold ${d.alert.threshold}, window ${d.alert.window.from} to ${d.alert.window.to}).`,
    '',
    '## Communication to the data subjects (Art. 34)',
    '',
    `Likely high risk to the people affected: ${d.subjectNotice.likelyRequired ? '**yes**' : 'no'} (${d.subjectNotice.decidedBy === 'assessment' ? 'as assessed' : 'heuristic: special, financial, government-id or credential data reached'}). ` +
      `Notified: ${d.subjectNotice.notifiedAt ?? 'not yet'}.`,
    '',
  );
  if (d.missing.length > 0) lines.push('## Still missing', '', ...d.missing.map((m) => `- ${m.message}`), '');
  return lines.join('\n');
}
