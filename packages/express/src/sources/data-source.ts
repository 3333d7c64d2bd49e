import type { Retention } from '@privacy-kit/core';

/** What a purge is asked to remove: the period, and which personal fields of the source's model it covers. */
export interface PurgeScope {
  /** The retention period that has passed, e.g. `{ text: '30d', amount: 30, unit: 'day' }`. */
  readonly retention: Retention;
  /** The personal fields of the model kept for this period. */
  readonly fields: readonly string[];
  /** Their data categories. */
  readonly categories: readonly string[];
  /**
   * True when `fields` are all the personal fields of the model: remove whole records older than `olderThan`.
   * When false, the model declares other periods for its other fields: clear only `fields` in those records.
   */
  readonly allFields: boolean;
}

/** One problem of a rectification patch, as `validate(patch)` reports it: the field and what is wrong with it. */
export interface PatchProblem {
  /** The field of the patch, e.g. 'email' (shown to the person as 'patch.email'); '' for the patch as a whole. */
  readonly property: string;
  /** What is wrong, for the person; at least one message. */
  readonly messages: readonly string[];
}

/**
 * Where an app keeps one kind of personal data (e.g. `users`, `orders`), and how privacy-kit serves the data
 * subject's rights and retention on it. Give the functions the source supports; functions receive the app's own
 * identifier of the person (the JWT `sub` or what `identify()` returned as `id`).
 *
 * @typeParam Model - the `@PersonalData` class of the source's records
 * @example
 * const users: DataSource<UserProfile> = {
 *   model: UserProfile,
 *   export: (id) => db.users.get(id),
 *   erase: (id) => { db.users.delete(id); },
 *   rectify: (id, patch) => { Object.assign(db.users.get(id)!, patch); },
 * };
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an untyped source (no Model given) accepts any model class
export interface DataSource<Model = any> {
  /**
   * The `@PersonalData` class that describes the source's records. Without `validate`, rectification patches are
   * checked against its class-validator rules.
   */
  readonly model: abstract new (...args: never[]) => Model;
  /** Returns everything the source holds about the person, as JSON-serialisable data (Art. 15/20). */
  readonly export?: (subjectId: string) => unknown;
  /** Removes the person's data. Must be idempotent: a second call for an erased person changes nothing and does not throw. */
  readonly erase?: (subjectId: string) => unknown;
  /** Applies a validated patch of personal fields to the person's records (Art. 16). */
  readonly rectify?: (subjectId: string, patch: Partial<Model>) => unknown;
  /**
   * Checks a rectification patch instead of the model's class-validator rules, and returns its problems (an empty
   * list when the patch is valid), at once or as a promise. It receives only the personal fields the person may
   * correct. For models compiled with standard decorators (class-validator's decorators need
   * `experimentalDecorators`) and for any validation library (zod, valibot, hand-written checks).
   *
   * @example
   * validate: (patch) => typeof patch.email === 'string' && patch.email.includes('@') ? [] : [{ property: 'email', messages: ['email must be an e-mail address'] }]
   */
  readonly validate?: (patch: Readonly<Record<string, unknown>>) => readonly PatchProblem[] | Promise<readonly PatchProblem[]>;
  /**
   * Removes data older than `olderThan` (retention). Return how many records (or values) were removed, so the
   * audit can say so; returning nothing records "not reported".
   */
  readonly purge?: (olderThan: Date, scope: PurgeScope) => number | void | Promise<number | void>;
  /**
   * The source's rights requests are done by a person (e.g. a paper archive or a third-party tool without an API):
   * they are queued as manual steps that an admin completes. A manual source gives no export/erase/rectify.
   */
  readonly manual?: boolean;
  /**
   * Personal fields the person may correct. Default: every personal field a patch can be checked for (with
   * `validate`, every one; without it, those with class-validator rules on the model), except identifiers and
   * credentials (categories `user.unique_id`, `user.authorization`).
   */
  readonly rectifiable?: readonly string[];
  /** How long the whole source's records are kept when neither the field nor its category says, e.g. '2y'. */
  readonly retention?: string;
  /**
   * Why the source keeps its data when the person asks for erasure (Art. 17(3)), e.g. 'invoices: 10 years under
   * tax law'. Required when the source has no `erase` and is not manual.
   */
  readonly keepOnErasure?: string;
  /** For people: what the source holds. */
  readonly description?: string;
}

/** Sources by name, as passed to `privacy({ sources })`. */
export type DataSources = Readonly<Record<string, DataSource>>;
