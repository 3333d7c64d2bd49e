import {
  art33Draft,
  art34List,
  computeScope,
  foldIncident,
  incidentClock,
  isoTime,
  STORED_SCOPE_SUBJECTS_MAX,
  listIncidents,
  newIncidentId,
  checkIncidentEvent,
  type Alert,
  type AuditEntry,
  type AuditRecord,
  type AuditStore,
  type Incident,
  type IncidentEventInput,
  type IncidentEventKind,
  type IncidentScope,
  type IncidentStore,
  type ScopeFilter,
} from '@privacy-kit/core';
import { expressError } from '../errors';

/** A store that keeps the incident register and the audit log (the SQLite and PostgreSQL stores). */
export type IncidentRegisterStore = IncidentStore & AuditStore;

/** Who changes the register: an admin's pseudonym and request, or the CLI. */
export interface IncidentActor {
  /** The admin's pseudonym, or null (an operator at the command line). */
  readonly actor: string | null;
  readonly requestId: string;
  readonly method: string | null;
  readonly route: string | null;
}

/** How the app's own sources resolve pseudonyms to the people to notify (Art. 34): only the app knows who they are. */
export type ContactResolver = (subjects: readonly string[]) => Promise<readonly { readonly subject: string; readonly contact: unknown }[]>;

/** Audit records read per page when a scope is computed. */
const SCOPE_PAGE = 10_000;
/** The kinds an admin may append after 'opened' ('scope' is computed, never written by hand). */
export const WRITABLE_KINDS: readonly IncidentEventKind[] = ['note', 'assessment', 'status', 'authority-notified', 'subjects-notified'];

/**
 * Whether a store keeps the incident register.
 *
 * @param store - any store
 */
export function keepsIncidents(store: unknown): store is IncidentRegisterStore {
  const s = store as Partial<IncidentRegisterStore> | null;
  return typeof s?.appendIncidentEvent === 'function' && typeof s.readIncidentEvents === 'function' && typeof s.readAudit === 'function';
}

/** The alert of an audit record of event 'alert', as the monitor raised it (what the register keeps). */
export function alertOfRecord(record: AuditRecord): Alert {
  const d = record.details ?? {};
  const route = record.route === null ? null : record.method === null ? record.route : `${record.method} ${record.route}`;
  const from = String(d.from ?? record.time);
  const to = String(d.to ?? record.time);
  const actor = record.actor;
  return {
    id: record.requestId, rule: String(d.rule ?? record.reason) as Alert['rule'], actor, route,
    window: { from, to }, count: Number(d.count ?? 0), threshold: Number(d.threshold ?? 0),
    explanation: typeof d.explanation === 'string' ? d.explanation : `${String(d.rule ?? record.reason)}: ${String(d.count)} (threshold ${String(d.threshold)})`,
    query: { ...(actor === null ? {} : { actor }), ...(route === null ? {} : { route }), from, to },
    command: `privacy-kit incidents scope --db FILE${actor === null ? '' : ` --actor ${actor}`} --from ${from} --to ${to}`,
    time: record.time, categories: record.categories,
  };
}

/**
 * The incident register over a store: open incidents (from an alert or by hand), append what happens to them, compute
 * their scope from the audit log, draft the Art. 33 notification and list (and, through the app's own resolver,
 * resolve) the people to notify under Art. 34. Every change is appended, never overwritten, and audited (event
 * 'incident'). Used by the admin API and by `privacy-kit incidents`.
 */
export class IncidentService {
  /**
   * @param store - keeps the register and the audit log
   * @param appId - the app id of the audit records
   * @param now - the clock (tests)
   */
  constructor(
    private readonly store: IncidentRegisterStore,
    private readonly appId: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Every incident, newest first, with its 72-hour clock. */
  async list(): Promise<readonly { incident: Incident; clock: ReturnType<typeof incidentClock> }[]> {
    const incidents = listIncidents(await this.store.readIncidentEvents());
    return incidents.map((incident) => ({ incident, clock: incidentClock(incident, this.now()) }));
  }

  /** One incident, or undefined. */
  async get(id: string): Promise<Incident | undefined> {
    const events = await this.store.readIncidentEvents({ incidentId: id });
    return events.length === 0 ? undefined : foldIncident(events);
  }

  /**
   * Opens an incident: by hand, or from an alert's audit record (`alertId`: the alert's id, as the webhook and the
   * audit log give it), with the time the breach became known (default now).
   */
  async open(by: IncidentActor, input: { readonly title: string; readonly knownAt?: string; readonly description?: string; readonly alertId?: string }): Promise<Incident> {
    let alert: Alert | undefined;
    if (input.alertId !== undefined) {
      const records = await this.store.readAudit({ requestId: input.alertId, event: 'alert' });
      const record = records[0];
      if (record === undefined) throw expressError('PK_NOT_FOUND', `incidents: no alert ${JSON.stringify(input.alertId)} in the audit log; give the id of an alert record (event 'alert').`);
      alert = alertOfRecord(record);
    }
    const id = newIncidentId(this.now());
    await this.append(by, {
      incidentId: id, kind: 'opened', time: isoTime(), actor: by.actor,
      data: { title: input.title, knownAt: input.knownAt ?? isoTime(this.now()), ...(input.description === undefined ? {} : { description: input.description }), ...(alert === undefined ? {} : { alert }) },
    });
    return this.must(id);
  }

  /** Appends an event an admin writes (note, assessment, status, authority-notified, subjects-notified). */
  async record(by: IncidentActor, id: string, kind: IncidentEventKind, data: Readonly<Record<string, unknown>>): Promise<Incident> {
    if (!WRITABLE_KINDS.includes(kind)) {
      throw expressError('PK_INVALID_OPTION', `incidents: '${kind}' cannot be written by hand; one of ${WRITABLE_KINDS.join(', ')} (the scope is computed: POST …/scope).`);
    }
    await this.must(id);
    await this.append(by, { incidentId: id, kind, time: isoTime(), actor: by.actor, data });
    return this.must(id);
  }

  /**
   * Computes what an actor, a route or a window reached from the audit log (default: the incident's alert), appends
   * it as the incident's scope and returns it.
   */
  async scope(by: IncidentActor, id: string, filter?: ScopeFilter): Promise<IncidentScope> {
    const incident = await this.must(id);
    const chosen = filter ?? filterOfAlert(incident.alert);
    if (chosen === undefined) {
      throw expressError('PK_INVALID_OPTION', 'incidents: say whose access the scope is about ({ actor?, route?, from?, to? }): the incident was not opened from an alert.');
    }
    // An end to the window, so that the scope (and an Art. 34 list computed again from it) can be reproduced.
    const bounded: ScopeFilter = chosen.to === undefined ? { ...chosen, to: isoTime(this.now()) } : chosen;
    const scope = await computeScope(this.records(bounded), bounded);
    const stored = scope.subjects <= STORED_SCOPE_SUBJECTS_MAX ? scope : { ...scope, subjectPseudonyms: [], subjectCategories: [], subjectsOmitted: true };
    await this.append(by, { incidentId: id, kind: 'scope', time: isoTime(), actor: by.actor, data: { scope: stored } });
    return scope;
  }

  /**
   * What an actor, a route or a window reached, computed from the audit log without recording it (the `command` of
   * an alert: a look before an incident is opened).
   */
  async preview(filter: ScopeFilter): Promise<IncidentScope> {
    return computeScope(this.records(filter), filter);
  }

  /** The Art. 33 notification draft. */
  async draft(id: string, controller?: { readonly name: string; readonly contact?: string; readonly dpo?: string }): Promise<ReturnType<typeof art33Draft>> {
    const incident = await this.must(id);
    return art33Draft(incident, { ...(controller === undefined ? {} : { controller }), now: this.now() });
  }

  /**
   * The people to notify (Art. 34), resolved through the app's own resolver; the resolution is audited (how many, by
   * whom), never the contacts.
   */
  async notifyList(by: IncidentActor, id: string, resolve: ContactResolver | undefined): Promise<{ readonly subjects: ReturnType<typeof art34List>; readonly contacts: readonly { subject: string; contact: unknown }[] | undefined }> {
    let incident = await this.must(id);
    // A large scope is kept as counts only: its subjects are computed again from the audit log, with its filter.
    if (incident.scope?.subjectsOmitted === true) incident = { ...incident, scope: await computeScope(this.records(incident.scope.filter), incident.scope.filter) };
    const subjects = art34List(incident);
    if (resolve === undefined) return { subjects, contacts: undefined };
    const contacts = await resolve(subjects.map((s) => s.subject));
    await this.store.appendAudit(this.auditEntry(by, id, 'resolve-contacts', { requested: subjects.length, resolved: contacts.length }));
    return { subjects, contacts };
  }

  private async must(id: string): Promise<Incident> {
    const incident = await this.get(id);
    if (incident === undefined) throw expressError('PK_NOT_FOUND', `incidents: no incident ${JSON.stringify(id)}; list them with GET …/admin/incidents (or privacy-kit incidents list).`);
    return incident;
  }

  private async append(by: IncidentActor, event: IncidentEventInput): Promise<void> {
    checkIncidentEvent(event);
    const stored = await this.store.appendIncidentEvent(event);
    await this.store.appendAudit(this.auditEntry(by, event.incidentId, event.kind, { seq: stored.seq }));
  }

  private auditEntry(by: IncidentActor, id: string, operation: string, extra: Readonly<Record<string, string | number | boolean | null>>): AuditEntry {
    return {
      event: 'incident', time: isoTime(), requestId: by.requestId, appId: this.appId, actor: by.actor, subject: null, method: by.method, route: by.route,
      purposes: [], basis: null, categories: [], decision: 'allowed', reason: null, status: null, durationMs: null,
      details: { incidentId: id, operation, ...extra },
    };
  }

  /** The audit records of a filter, page by page (the store filters by actor, window and route). */
  private async *records(filter: ScopeFilter): AsyncIterable<AuditRecord> {
    const space = filter.route?.indexOf(' ') ?? -1;
    const base = {
      event: 'access' as const,
      ...(filter.actor === undefined ? {} : { actor: filter.actor }),
      ...(filter.from === undefined ? {} : { from: filter.from }),
      ...(filter.to === undefined ? {} : { to: filter.to }),
      ...(filter.route === undefined || space < 0 ? {} : { method: filter.route.slice(0, space), route: filter.route.slice(space + 1) }),
    };
    let afterSeq = 0;
    for (;;) {
      const page = await this.store.readAudit({ ...base, afterSeq, limit: SCOPE_PAGE });
      if (page.length === 0) return;
      yield* page;
      afterSeq = (page[page.length - 1] as AuditRecord).seq;
      if (page.length < SCOPE_PAGE) return;
    }
  }
}

/**
 * The scope an alert points at: its actor (or route) from the start of its window up to now, not only up to the
 * record that crossed the threshold: what happened after the alert belongs to the incident too.
 */
function filterOfAlert(alert: Alert | null): ScopeFilter | undefined {
  if (alert === null) return undefined;
  return { ...(alert.query.actor === undefined ? {} : { actor: alert.query.actor }), ...(alert.query.route === undefined ? {} : { route: alert.query.route }), from: alert.query.from };
}
