import { coreError } from '../errors/core.error';
import { defineOptionKeys, rejectUnknownOptions } from '../errors/option-keys';
import type { PrivacyKitError } from '../errors/privacy-kit.error';
import { closest } from '../vocabulary/suggest';
import type { IncidentScope, ScopeFilter } from './incident-contracts';

// Shape checks shared by the event checker, the fold and the scope: messages name the field and what it takes, and
// never echo free text (notes are written by admins and may say anything).

/** ISO 8601 with a date, a time and an explicit offset (or Z), as the audit and the register write times. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const CLOCK_SKEW_MS = 60_000;
/** The longest free text an event takes (a title is shorter). */
export const MAX_TEXT_LENGTH = 20_000;
export const MAX_TITLE_LENGTH = 200;

/** An error of `where` about one field. */
export function fieldError(where: string, problem: string): PrivacyKitError {
  return coreError('PK_INVALID_OPTION', `${where}: ${problem}`);
}

/** What a value is, for a message, without its content. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty text' : `a text of ${value.length} characters`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A short, safe rendering of a value that should have been a key: at most 40 characters. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Milliseconds of an ISO 8601 time with an offset, or NaN when it is not one. */
export function isoMs(value: unknown): number {
  return typeof value === 'string' && ISO_TIME.test(value) ? Date.parse(value) : Number.NaN;
}

/** Checks an ISO time field; when `now` is given, it may not be more than a minute ahead of it. */
export function checkTime(value: unknown, field: string, where: string, now?: Date): string {
  const ms = isoMs(value);
  if (Number.isNaN(ms)) {
    throw fieldError(where, `'${field}' must be an ISO 8601 time with an offset, e.g. '2026-12-05T09:30:00.000+00:00'; got ${kindOf(value)}.`);
  }
  if (now !== undefined && ms > now.getTime() + CLOCK_SKEW_MS) {
    throw fieldError(where, `'${field}' is in the future (more than a minute after now); give the time it happened.`);
  }
  return value as string;
}

/** Checks a free text field: a non-empty string of at most `max` characters. */
export function checkText(value: unknown, field: string, where: string, max = MAX_TEXT_LENGTH): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw fieldError(where, `'${field}' must be a non-empty text of at most ${max} characters; got ${kindOf(value)}.`);
  }
  return value;
}

/** Checks that `value` is one of `allowed`, suggesting the closest one. */
export function checkOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, where: string): T {
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  const near = typeof value === 'string' ? closest(value, allowed) : undefined;
  throw fieldError(where, `'${field}' must be one of ${allowed.join(', ')}; got ${typeof value === 'string' ? shown(value) : kindOf(value)}.${near === undefined ? '' : ` Did you mean '${near}'?`}`);
}

/** Checks a whole number ≥ 0. */
export function checkCount(value: unknown, field: string, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw fieldError(where, `'${field}' must be a whole number ≥ 0; got ${typeof value === 'number' ? String(value) : kindOf(value)}.`);
  }
  return value;
}

/** Checks a plain object (not null, not a list). */
export function checkObject(value: unknown, field: string, where: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fieldError(where, `'${field}' must be an object; got ${kindOf(value)}.`);
  }
  return value as Readonly<Record<string, unknown>>;
}

/** Refuses keys of `value` outside `known`, with the closest known one. */
export function checkKeys(value: object, known: readonly string[], where: string): void {
  rejectUnknownOptions(value, known, where, (code, problem) => coreError(code, problem));
}

const SCOPE_FILTER_KEYS = defineOptionKeys<ScopeFilter>({ actor: true, route: true, from: true, to: true });
/** `'GET /users/:id'` or `'/users/:id'` (any method). */
const ROUTE_FILTER = /^(?:[A-Z]+ )?\/\S*$/;

/**
 * Checks a {@link ScopeFilter}: `actor` a pseudonym, `route` `'METHOD /pattern'` (or `'/pattern'` for every
 * method), `from`/`to` ISO times with `from` not after `to`.
 */
export function checkScopeFilter(value: unknown, where: string, field = 'filter'): ScopeFilter {
  const filter = checkObject(value, field, where);
  checkKeys(filter, SCOPE_FILTER_KEYS, `${where} ('${field}')`);
  if (filter.actor !== undefined && (typeof filter.actor !== 'string' || filter.actor === '')) {
    throw fieldError(where, `'${field}.actor' must be the actor's pseudonym; got ${kindOf(filter.actor)}.`);
  }
  if (filter.route !== undefined && (typeof filter.route !== 'string' || !ROUTE_FILTER.test(filter.route))) {
    throw fieldError(where, `'${field}.route' must be a method and a route pattern such as 'GET /users/:id' (or '/users/:id' for every method); got ${kindOf(filter.route)}.`);
  }
  const from = filter.from === undefined ? undefined : isoMs(checkTime(filter.from, `${field}.from`, where));
  const to = filter.to === undefined ? undefined : isoMs(checkTime(filter.to, `${field}.to`, where));
  if (from !== undefined && to !== undefined && from > to) {
    throw fieldError(where, `'${field}.from' is after '${field}.to'; give the window's start first.`);
  }
  return filter;
}

function checkStrings(value: unknown, field: string, where: string): readonly string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw fieldError(where, `'${field}' must be a list of texts; got ${kindOf(value)}.`);
  }
  return value;
}

/** Checks the shape of an {@link IncidentScope} as stored in a 'scope' event. */
export function checkScopeShape(value: unknown, field: string, where: string): IncidentScope {
  const scope = checkObject(value, field, where);
  checkScopeFilter(scope.filter, where, `${field}.filter`);
  checkCount(scope.records, `${field}.records`, where);
  const subjects = checkCount(scope.subjects, `${field}.subjects`, where);
  if (!Array.isArray(scope.categories)) throw fieldError(where, `'${field}.categories' must be a list; got ${kindOf(scope.categories)}.`);
  scope.categories.forEach((c: unknown, i) => {
    const at = `${field}.categories[${i}]`;
    const category = checkObject(c, at, where);
    checkText(category.category, `${at}.category`, where, MAX_TITLE_LENGTH);
    checkCount(category.subjects, `${at}.subjects`, where);
    checkCount(category.records, `${at}.records`, where);
    if (typeof category.special !== 'boolean') throw fieldError(where, `'${at}.special' must be true or false; got ${kindOf(category.special)}.`);
  });
  if (typeof scope.special !== 'boolean') throw fieldError(where, `'${field}.special' must be true or false; got ${kindOf(scope.special)}.`);
  const pseudonyms = checkStrings(scope.subjectPseudonyms, `${field}.subjectPseudonyms`, where);
  if (scope.subjectsOmitted !== undefined && typeof scope.subjectsOmitted !== 'boolean') throw fieldError(where, `'${field}.subjectsOmitted' must be true or false; got ${kindOf(scope.subjectsOmitted)}.`);
  if (scope.subjectsOmitted === true) {
    if (pseudonyms.length !== 0 || (Array.isArray(scope.subjectCategories) && scope.subjectCategories.length !== 0)) {
      throw fieldError(where, `'${field}.subjectPseudonyms' and '${field}.subjectCategories' must be empty when '${field}.subjectsOmitted' is true (the register keeps the counts only).`);
    }
  } else if (pseudonyms.length !== subjects) {
    throw fieldError(where, `'${field}.subjectPseudonyms' must list ${subjects} pseudonyms ('${field}.subjects'); it lists ${pseudonyms.length}.`);
  }
  if (scope.subjectCategories !== undefined && scope.subjectsOmitted !== true) {
    const lists = scope.subjectCategories;
    const n = scope.categories.length;
    if (!Array.isArray(lists) || lists.length !== subjects || !lists.every((l) => Array.isArray(l) && l.every((i) => Number.isInteger(i) && (i as number) >= 0 && (i as number) < n))) {
      throw fieldError(where, `'${field}.subjectCategories' must give, for each of the ${subjects} subjects, a list of indexes into '${field}.categories'.`);
    }
  }
  for (const end of ['first', 'last'] as const) {
    if (scope[end] !== null) checkTime(scope[end], `${field}.${end}`, where);
  }
  return scope as unknown as IncidentScope;
}
