import { defineOptionKeys, parseRetention, rejectUnknownOptions, resolveTerm, type Retention } from '@privacy-kit/core';
import { expressError } from '../errors';

/** The shortest interval between scheduled sweeps: one minute. */
export const MIN_SWEEP_INTERVAL_MS = 60_000;

/** Options of retention (`privacy({ retention })`). */
export interface RetentionOptions {
  /**
   * Retention periods per data category; a period covers the category's children unless they have their own.
   * These win over periods declared on routes and fields for the category as a whole.
   *
   * @example { 'user.behavior.browsing_history': '90d', 'user.device': '30d' }
   */
  readonly categories?: Readonly<Record<string, string>>;
  /** Run `sweep()` every this many ms in this process (at least one minute). Default: never; run it from a job or `privacy-kit sweep`. */
  readonly schedule?: number;
}

/** {@link RetentionOptions} with the defaults applied. */
export interface ResolvedRetentionOptions {
  readonly categories: ReadonlyMap<string, Retention>;
  readonly scheduleMs: number | undefined;
}

/** Every option of {@link RetentionOptions}, checked against the interface when the package is built. */
const RETENTION_OPTION_KEYS = defineOptionKeys<RetentionOptions>({ categories: true, schedule: true });

/**
 * Validates the `retention` options: category keys against the vocabulary, periods with `parseRetention`.
 *
 * @param options - as passed to `privacy({ retention })`
 * @example
 * resolveRetentionOptions({ categories: { 'user.device': '30d' } }).categories.get('user.device')?.text; // '30d'
 */
export function resolveRetentionOptions(options: RetentionOptions | undefined): ResolvedRetentionOptions {
  const given = options ?? {};
  if (typeof given !== 'object' || given === null) throw expressError('PK_INVALID_OPTION', "privacy({ retention }): expected an object such as { categories: { 'user.device': '30d' } }.");
  rejectUnknownOptions(given, RETENTION_OPTION_KEYS, 'privacy({ retention })', expressError);
  const categories = new Map<string, Retention>();
  if (given.categories !== undefined) {
    if (typeof given.categories !== 'object' || given.categories === null || Array.isArray(given.categories)) {
      throw expressError('PK_INVALID_OPTION', "privacy({ retention }): 'categories' must map category keys to periods, e.g. { 'user.device': '30d' }.");
    }
    for (const [category, period] of Object.entries(given.categories)) {
      const where = `privacy({ retention: { categories: { '${category}' } } })`;
      resolveTerm('category', category, where);
      categories.set(category, parseRetention(period, where));
    }
  }
  const schedule = given.schedule;
  if (schedule !== undefined && (typeof schedule !== 'number' || !Number.isInteger(schedule) || schedule < MIN_SWEEP_INTERVAL_MS)) {
    throw expressError('PK_INVALID_OPTION', `privacy({ retention }): 'schedule' must be a whole number of ms ≥ ${MIN_SWEEP_INTERVAL_MS} (e.g. 86_400_000 for daily); got ${JSON.stringify(schedule)}.`);
  }
  return { categories, scheduleMs: schedule };
}
