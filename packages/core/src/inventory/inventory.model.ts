import type { CallerRequirement } from '../metadata/declarations';
import type { LawfulBasis } from '../vocabulary/taxonomy';
import type { Retention } from '../retention/retention';

/**
 * The version of the inventory format; bumped on any incompatible change of {@link Inventory}.
 * Version 2 added the required {@link Inventory.retention} (each category's time limit for erasure); version 3 the
 * Art. 9(2) conditions ({@link InventoryProcessing.specialCategoryConditions}, `terms.specialCategoryConditions`)
 * and the rule 'special-category-condition'.
 */
export const INVENTORY_SCHEMA_VERSION = 3;

/** The `$id` of the JSON Schema of {@link Inventory}, also written as `$schema` into every inventory. */
export const INVENTORY_SCHEMA_ID = 'https://privacy-kit.dev/schemas/inventory/v3.json';

/** Where a route handler is defined in the app's source. `line` and `column` count from 1. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** The rules an inventory is checked against; each finding names one. */
export type InventoryRule =
  /** The route declares personal data but no lawful basis (GDPR Art. 6). */
  | 'missing-basis'
  /** The route's basis is consent but it names no purpose to consent to. */
  | 'consent-without-purpose'
  /** The route names no purpose (basis other than consent). */
  | 'missing-purpose'
  /**
   * The route processes special category data (Art. 9) or data on criminal offences (Art. 10) without naming the
   * Art. 9(2) / Art. 10 condition it relies on, or names one that does not apply.
   */
  | 'special-category-condition'
  /** A category, purpose or subject type key is not in the vocabulary. */
  | 'unknown-key'
  /** Any other declaration that cannot be enforced (two bases, a path parameter without a subject, ...). */
  | 'invalid-declaration'
  /** Personal data was seen in the route's responses that the route does not declare. */
  | 'undeclared-personal-data'
  /** The route carries no privacy annotation (an error only in strict mode). */
  | 'unannotated';

/** Every rule, in the order findings are reported. */
export const INVENTORY_RULES: readonly InventoryRule[] = [
  'missing-basis',
  'consent-without-purpose',
  'missing-purpose',
  'special-category-condition',
  'unknown-key',
  'invalid-declaration',
  'undeclared-personal-data',
  'unannotated',
];

/** A problem of one route's declaration. */
export interface InventoryProblem {
  readonly rule: InventoryRule;
  readonly message: string;
}

/** How a route finds whose data it processes. */
export interface InventorySubject {
  /** 'self': the caller; 'resolver': a function of the request such as `req => req.params.id`. */
  readonly resolution: 'self' | 'resolver';
  /** The resolver's source text (shortened), for people; null for 'self'. */
  readonly resolver: string | null;
}

/** What an annotated route declares: the processing activity of GDPR Art. 30. */
export interface InventoryProcessing {
  /** Every category processed: declared on the route and from the fields of its models. */
  readonly categories: readonly string[];
  /** The categories declared on the route itself. */
  readonly declaredCategories: readonly string[];
  /** Names of the `@PersonalData` classes the route names. */
  readonly models: readonly string[];
  readonly purposes: readonly string[];
  /** Null only when the declaration is missing one (see the route's problems). */
  readonly basis: LawfulBasis | null;
  readonly consentRequired: boolean;
  readonly consentPurposes: readonly string[];
  readonly subject: InventorySubject;
  readonly subjectTypes: readonly string[];
  /**
   * Whether the route needs an identified caller: 'required', 'optional' (identified when signed in) or
   * 'anonymous' (never: signup, login, contact forms). Always written; optional in the v2 schema, so inventories
   * written before it existed still validate.
   */
  readonly caller: CallerRequirement;
  /** Roles allowed to call the route; empty means any caller `caller` allows. */
  readonly roles: readonly string[];
  readonly retention: Retention | null;
  readonly recipients: readonly string[];
  /** Some category is an Art. 9/10 special category. */
  readonly special: boolean;
  readonly specialCategories: readonly string[];
  /** The Art. 9(2) / Art. 10 conditions the route names (keys of `SPECIAL_CATEGORY_CONDITIONS`); described in `terms`. */
  readonly specialCategoryConditions: readonly string[];
  readonly description: string | null;
}

/** What drift detection saw in a route's responses. */
export interface ObservedData {
  readonly categories: readonly string[];
  /** Responses inspected. */
  readonly samples: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
}

/** One route of the app. */
export interface InventoryRoute {
  /** `METHOD path`, e.g. 'GET /users/:id'; unique within an inventory. */
  readonly id: string;
  /** Upper-case method, or 'ALL'. */
  readonly method: string;
  /** The full path pattern, mount prefixes included. */
  readonly path: string;
  /** Other paths that reach the same route (arrays of paths, a router mounted twice). */
  readonly aliases: readonly string[];
  /** The answering handler's name, or '<anonymous>'. */
  readonly handler: string;
  readonly source: SourceLocation | null;
  /** Carries a privacy annotation (twin, decorator, or use-middleware in front of it). */
  readonly annotated: boolean;
  /** What the route declares; null when it is not annotated. */
  readonly processing: InventoryProcessing | null;
  readonly problems: readonly InventoryProblem[];
  /** What drift detection saw; null when nothing was recorded for the route. */
  readonly observed: ObservedData | null;
  /** Observed categories the route does not declare. */
  readonly undeclared: readonly string[];
}

/** One personal field of a model class. */
export interface InventoryField {
  readonly property: string;
  readonly categories: readonly string[];
  readonly retention: Retention | null;
  readonly special: boolean;
  readonly description: string | null;
}

/** A class with `@PersonalData` fields. */
export interface InventoryModel {
  readonly name: string;
  readonly fields: readonly InventoryField[];
  readonly categories: readonly string[];
  readonly special: boolean;
  /** Ids of the routes that name the class. */
  readonly usedBy: readonly string[];
}

/**
 * How long one category of personal data is kept: the time limit for erasure of GDPR Art. 30(1)(f).
 *
 * @example
 * { category: 'user.demographic.date_of_birth', retention: { text: '2y', amount: 2, unit: 'year' }, declaredBy: ['field UserProfile.dateOfBirth'] }
 */
export interface InventoryCategoryRetention {
  readonly category: string;
  /** The period in force for the category; null when nothing declares one: the data is kept until erased. */
  readonly retention: Retention | null;
  /**
   * Who declared it: 'retention.categories' (the `privacy()` option, which wins), 'route GET /me/orders',
   * 'field Order.lines'; a period inherited from a broader category names it, e.g. 'route GET /me (user.contact)'.
   * Where several declare a period, the longest is in force. Empty when `retention` is null.
   */
  readonly declaredBy: readonly string[];
}

/** The controller of Art. 30(1)(a). */
export interface InventoryController {
  readonly name: string;
  readonly contact: string | null;
  readonly representative: string | null;
  readonly dpo: string | null;
}

/** Facts about the app that are not in its code. */
export interface InventoryApp {
  readonly name: string;
  readonly controller: InventoryController | null;
  /** Technical and organisational security measures (Art. 30(1)(g)). */
  readonly securityMeasures: readonly string[];
}

/** Descriptions of the vocabulary keys the inventory uses, so renderers need nothing else. */
export interface InventoryTerms {
  readonly categories: Readonly<Record<string, string>>;
  readonly purposes: Readonly<Record<string, string>>;
  readonly subjectTypes: Readonly<Record<string, string>>;
  /** Each Art. 9(2) / Art. 10 condition the routes name, with its article, e.g. 'Art. 9(2)(h): Preventive or ...'. */
  readonly specialCategoryConditions: Readonly<Record<string, string>>;
}

/** Counts and distinct values over the whole inventory. */
export interface InventorySummary {
  readonly routes: number;
  readonly annotated: number;
  readonly unannotated: number;
  readonly withProblems: number;
  readonly withUndeclared: number;
  readonly categories: readonly string[];
  readonly specialCategories: readonly string[];
  readonly purposes: readonly string[];
  readonly bases: readonly string[];
  readonly subjectTypes: readonly string[];
  readonly recipients: readonly string[];
}

/**
 * The compliance map of an app: every route with its declaration, every annotated model, what drift detection
 * observed. Plain data: serialise it with `JSON.stringify`; it validates against {@link INVENTORY_SCHEMA}.
 */
export interface Inventory {
  readonly $schema: typeof INVENTORY_SCHEMA_ID;
  readonly schemaVersion: typeof INVENTORY_SCHEMA_VERSION;
  /** ISO 8601. */
  readonly generatedAt: string;
  readonly generator: string;
  readonly app: InventoryApp;
  readonly routes: readonly InventoryRoute[];
  readonly models: readonly InventoryModel[];
  /**
   * Each category's time limit for erasure (Art. 30(1)(f)), sorted by category: every category the inventory
   * mentions (declared, in a model, observed) and every category a retention period is configured for.
   */
  readonly retention: readonly InventoryCategoryRetention[];
  readonly terms: InventoryTerms;
  readonly summary: InventorySummary;
  /** Things the inventory could not see (e.g. a sub-app whose routes are hidden from the router walk). */
  readonly warnings: readonly string[];
}
