import type { AuditEntry } from '../audit/audit-record';
import { coreError } from '../errors/core.error';
import type { Alert } from '../monitoring/monitoring-contracts';
import { isKnownTerm, resolveTerm } from '../vocabulary/vocabulary';
import type { IncidentScope, ScopeFilter } from './incident-contracts';
import { checkScopeFilter, isoMs } from './incident-checks';

/** Counts what the matching records reached, one record at a time. */
class ScopeCounter {
  private readonly actor: string | undefined;
  /** null: every method. */
  private readonly method: string | null;
  private readonly route: string | undefined;
  private readonly fromMs: number;
  private readonly toMs: number;
  private records = 0;
  private readonly categoryIndex = new Map<string, number>();
  private readonly categoryKeys: string[] = [];
  private readonly categoryRecords: number[] = [];
  private readonly categorySubjects: number[] = [];
  /** Per subject, the indexes of the categories its counted records touched: one small list per subject. */
  private readonly subjects = new Map<string, number[]>();
  private firstMs = Number.POSITIVE_INFINITY;
  private lastMs = Number.NEGATIVE_INFINITY;
  private first: string | null = null;
  private last: string | null = null;

  private readonly filter: ScopeFilter;

  constructor(filter: ScopeFilter) {
    this.filter = { ...filter };
    this.actor = filter.actor;
    const space = filter.route?.indexOf(' ') ?? -1;
    this.method = filter.route === undefined || space === -1 ? null : filter.route.slice(0, space);
    this.route = filter.route === undefined ? undefined : filter.route.slice(space + 1);
    this.fromMs = filter.from === undefined ? Number.NEGATIVE_INFINITY : isoMs(filter.from);
    this.toMs = filter.to === undefined ? Number.POSITIVE_INFINITY : isoMs(filter.to);
  }

  add(record: AuditEntry): void {
    // Outcome records repeat an allowed access; refusals reached nothing.
    if (record.event !== 'access' || record.decision !== 'allowed') return;
    if (this.actor !== undefined && record.actor !== this.actor) return;
    if (this.route !== undefined && (record.route !== this.route || (this.method !== null && record.method !== this.method))) return;
    // Instants, not texts: the records and the filter may be written with different offsets.
    const ms = Date.parse(record.time);
    if (ms < this.fromMs || ms > this.toMs || (Number.isNaN(ms) && (this.fromMs !== Number.NEGATIVE_INFINITY || this.toMs !== Number.POSITIVE_INFINITY))) return;
    this.records++;
    if (ms < this.firstMs) {
      this.firstMs = ms;
      this.first = record.time;
    }
    if (ms > this.lastMs) {
      this.lastMs = ms;
      this.last = record.time;
    }
    let touched: number[] | undefined;
    if (record.subject !== null) {
      touched = this.subjects.get(record.subject);
      if (touched === undefined) {
        touched = [];
        this.subjects.set(record.subject, touched);
      }
    }
    const categories = record.categories;
    for (let k = 0; k < categories.length; k++) {
      const category = categories[k] as string;
      if (categories.indexOf(category) !== k) continue;
      let index = this.categoryIndex.get(category);
      if (index === undefined) {
        index = this.categoryKeys.length;
        this.categoryIndex.set(category, index);
        this.categoryKeys.push(category);
        this.categoryRecords.push(0);
        this.categorySubjects.push(0);
      }
      (this.categoryRecords[index] as number)++;
      if (touched !== undefined && !touched.includes(index)) {
        touched.push(index);
        (this.categorySubjects[index] as number)++;
      }
    }
  }

  result(): IncidentScope {
    const order = this.categoryKeys
      .map((_, i) => i)
      .sort((a, b) => this.count(this.categorySubjects, b) - this.count(this.categorySubjects, a) || this.count(this.categoryRecords, b) - this.count(this.categoryRecords, a) || this.key(a).localeCompare(this.key(b)));
    const position = new Array<number>(order.length);
    order.forEach((index, at) => (position[index] = at));
    const categories = order.map((i) => ({ category: this.key(i), subjects: this.count(this.categorySubjects, i), records: this.count(this.categoryRecords, i), special: isSpecial(this.key(i)) }));
    const subjectPseudonyms = [...this.subjects.keys()].sort();
    return {
      filter: this.filter,
      records: this.records,
      subjects: subjectPseudonyms.length,
      categories,
      special: categories.some((c) => c.special),
      subjectPseudonyms,
      subjectCategories: subjectPseudonyms.map((s) => (this.subjects.get(s) ?? []).map((i) => position[i] as number).sort((a, b) => a - b)),
      first: this.first,
      last: this.last,
    };
  }

  private count(list: readonly number[], i: number): number {
    return list[i] ?? 0;
  }

  private key(i: number): string {
    return this.categoryKeys[i] ?? '';
  }
}

/** Whether a category is special (Art. 9/10) in the vocabulary of this process (built in or registered, children inherit); unknown keys are not. */
function isSpecial(category: string): boolean {
  return isKnownTerm('category', category) && resolveTerm('category', category, 'computeScope()').special;
}

/**
 * What an actor, a route or a window reached, computed from the audit: the allowed 'access' records that match the
 * filter (actor; route as `'METHOD /pattern'`, or `'/pattern'` for every method; `from`/`to` inclusive, compared as
 * instants), counted as records, distinct subjects overall and per category, whether any category is special
 * (Art. 9/10, as the vocabulary of this process says, app-registered categories included), the first and last time,
 * and the subjects' pseudonyms, sorted. Outcome records (the end of an access already counted), refusals and other
 * events are not counted; an access without a known subject counts as a record, not a subject.
 *
 * One pass over the records, in any order: the caller streams them (e.g. pages of `readAudit({ afterSeq, limit })`,
 * possibly already filtered by actor). Memory grows with the distinct subjects reached (one map entry and a small
 * list of category indexes each), not with the records.
 *
 * @param records - audit entries (or records), sync or async
 * @param filter - which records the incident is about; `{}` for all
 * @throws PrivacyKitError PK_INVALID_OPTION for a filter of the wrong shape
 * @example
 * const scope = await computeScope(pagesOf(store), { actor: alert.actor, from: alert.window.from, to: alert.window.to });
 */
export async function computeScope(records: AsyncIterable<AuditEntry> | Iterable<AuditEntry>, filter: ScopeFilter): Promise<IncidentScope> {
  checkScopeFilter(filter, 'computeScope()');
  const counter = new ScopeCounter(filter);
  if (typeof (records as Partial<AsyncIterable<AuditEntry>> | null)?.[Symbol.asyncIterator] === 'function') {
    for await (const record of records as AsyncIterable<AuditEntry>) counter.add(record);
  } else if (typeof (records as Partial<Iterable<AuditEntry>> | null)?.[Symbol.iterator] === 'function') {
    // A plain loop: `for await` over a sync iterable would add a microtask per record.
    for (const record of records as Iterable<AuditEntry>) counter.add(record);
  } else {
    throw coreError('PK_INVALID_OPTION', "computeScope(): 'records' must be an iterable or async iterable of audit entries (e.g. an array or an async generator over store pages).");
  }
  return counter.result();
}

/**
 * The scope filter of the records an alert counted: its actor, its route and its window. Widen it (e.g. drop `from`)
 * to see what else the actor reached.
 *
 * @param alert - as the monitor raised it
 * @example
 * const scope = await computeScope(records, scopeFilterOf(alert));
 */
export function scopeFilterOf(alert: Alert): ScopeFilter {
  const { actor, route, from, to } = alert.query;
  return { ...(actor === undefined ? {} : { actor }), ...(route === undefined ? {} : { route }), from, to };
}
