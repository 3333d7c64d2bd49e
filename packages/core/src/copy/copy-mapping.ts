/**
 * The mapping from an app's storage to its annotations, for pseudonymized copies: which table holds which
 * `@PersonalData` class, which column which field. It is declared in a module next to the classes (it names them),
 * and `privacy-kit pseudonymize --mapping <module>` loads it. Every column of every table must be accounted for:
 * a field (transformed by its category), an explicit strategy, or `keep` with a reason. A column nobody declared
 * stops the copy before anything is written.
 */

/**
 * How a column's values are transformed.
 *
 * - `pseudonym`: a keyed pseudonym of an identifier, the same for the same value in every table and run under the
 *   same key (so foreign keys and joins keep working). Text becomes `psn_…`, an integer another integer (a keyed
 *   permutation, so keys stay unique), a UUID another UUID.
 * - `email`, `phone`, `iban`, `card`, `name`, `firstName`, `lastName`, `street`, `city`, `postalCode`, `region`,
 *   `country`, `address`, `ip`: a realistic, format-valid fake, keyed on the value (the same value gives the same
 *   fake everywhere), generated rather than taken from real people: e-mails at reserved domains (RFC 2606), phone
 *   numbers in ranges reserved for fiction, IBANs with a valid checksum, card numbers in test ranges (Luhn-valid),
 *   IP addresses from the documentation ranges.
 * - `birthDate`: a date shifted by up to `shiftDays` days, the same shift for every date of one data subject (the
 *   table's `subject` column); `birthYear`: generalised to the first of January of its year.
 * - `scrub`: free text with everything the redaction engine's detectors find replaced by a label.
 * - `shape`: the same shape, every letter and digit replaced (keyed): for codes with a format (postal codes, ids).
 * - `nullify`: NULL. `drop`: the column is not in the copy. `keep`: copied as it is (`reason` required).
 */
export type CopyStrategy =
  | 'pseudonym'
  | 'email'
  | 'phone'
  | 'iban'
  | 'card'
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'street'
  | 'city'
  | 'postalCode'
  | 'region'
  | 'country'
  | 'address'
  | 'ip'
  | 'birthDate'
  | 'birthYear'
  | 'scrub'
  | 'shape'
  | 'nullify'
  | 'drop'
  | 'keep';

/** How one column is copied: the field it stores, or an explicit strategy. */
export interface CopyColumnRule {
  /** The `@PersonalData` field of the table's model that the column stores; its category decides the strategy. */
  readonly field?: string;
  /** The strategy, when the category's default does not fit (or the column stores no annotated field). */
  readonly strategy?: CopyStrategy;
  /** Why: required with `keep`, printed in the plan and kept in the audit record. */
  readonly reason?: string;
  /** `birthDate` only: the most a date moves, in days (default 180). */
  readonly shiftDays?: number;
}

/** A column's rule: a field name (shorthand of `{ field }`), or a {@link CopyColumnRule}. */
export type CopyColumnSpec = string | CopyColumnRule;

/** How one table is copied. */
export interface CopyTableRule {
  /** The `@PersonalData` class its rows hold: the fields columns name are its fields. */
  readonly model?: Function;
  /**
   * The column naming the data subject of each row (e.g. `id` of users, `customer_id` of orders): the subject whose
   * data key opens the row's sealed fields, and whose dates of birth shift together.
   */
  readonly subject?: string;
  /** Every column of the table. */
  readonly columns?: Readonly<Record<string, CopyColumnSpec>>;
  /** Not copied at all (nor created); the reason is required. */
  readonly skip?: string;
}

/** The mapping of a whole database. */
export interface CopyMapping {
  /** Every table of the source. */
  readonly tables: Readonly<Record<string, CopyTableRule>>;
  /**
   * How the field cipher's subject derives from a row's `subject` value: 'pseudonym' (the default: the subject is
   * the app's keyed pseudonym of it, what `kit.pseudonym(id)` returns) or 'value' (the value itself).
   */
  readonly cipherSubject?: 'pseudonym' | 'value';
}
