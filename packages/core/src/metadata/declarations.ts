import type { LawfulBasis } from '../vocabulary/taxonomy';
import type { SpecialCategoryCondition } from '../vocabulary/special-category-conditions';
import type { Retention } from '../retention/retention';

/** Options of `@PersonalData` on a class property (or of `definePersonalData`). */
export interface PersonalFieldOptions {
  /** The data category (or categories) of the value, e.g. 'user.contact.email'. */
  readonly category: string | readonly string[];
  /** How long values of this field are kept, e.g. '2y'. */
  readonly retention?: string;
  /** Mark as an Art. 9 special category even when the category key is not one. */
  readonly special?: boolean;
  readonly description?: string;
  /**
   * Encrypt the field at rest: `createFieldCipher().seal()` seals it under the data subject's key before the app
   * stores it, `open()` opens it after the app reads it (AES-256-GCM bound to class, field and subject).
   */
  readonly encrypt?: boolean;
}

/** A resolved personal field of a class. */
export interface PersonalFieldDeclaration {
  readonly property: string;
  readonly categories: readonly string[];
  readonly retention?: Retention;
  readonly special: boolean;
  readonly description?: string;
  /** Whether the field is encrypted at rest (see `PersonalFieldOptions.encrypt`). */
  readonly encrypt?: boolean;
}

/**
 * Finds the data subject of a request, e.g. `req => req.params.userId`. Anything but a non-empty string
 * (undefined, null, '', an array) means "no subject can be found" and the request is refused.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the default lets `req => req.params.userId` compile without naming the framework's request type
export type SubjectResolver<Req = any> = (req: Req) => unknown;

/**
 * Whether a route needs an identified caller: 'required' (the default: 401 without one), 'optional' (identified
 * when the request carries a valid identity, processed without a caller otherwise) or 'anonymous' (never
 * identified: signup, login, password reset, contact forms). Routes whose caller is not required name their subject.
 */
export type CallerRequirement = 'required' | 'optional' | 'anonymous';

/** Every {@link CallerRequirement}, in order. */
export const CALLER_REQUIREMENTS: readonly CallerRequirement[] = ['required', 'optional', 'anonymous'];

/** Options of `@PersonalData` on a method, and of the `personalData()` route twin: the processing a route does. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the default lets `req => req.params.userId` compile without naming the framework's request type
export interface ProcessingOptions<Req = any> {
  /** Categories of personal data the route processes. */
  readonly categories?: readonly string[];
  /** `@PersonalData` classes the route reads or returns; their fields' categories count as processed. */
  readonly models?: readonly (abstract new (...args: never[]) => unknown)[];
  /** The purpose(s) of the processing, e.g. 'essential.service'. */
  readonly purpose?: string | readonly string[];
  /** The lawful basis (GDPR Art. 6(1)). Defaults to 'consent' when consent is required. */
  readonly basis?: LawfulBasis;
  /**
   * Whose data: 'self' (the caller, the default) or a resolver such as `req => req.params.userId`.
   * A route whose path names someone (has parameters) must say which.
   */
  readonly subject?: 'self' | SubjectResolver<Req>;
  /**
   * Whether the route needs an identified caller. Default 'required'. 'anonymous' for routes people use before
   * they are signed in (signup, login, password reset, contact forms), 'optional' for routes open to both; either
   * needs a `subject` resolver (e.g. `req => req.body.email`), is audited with no actor (or, for 'optional', the
   * caller when there is one) and the subject's pseudonym, and cannot have `roles`.
   */
  readonly caller?: CallerRequirement;
  /** Kinds of data subjects, e.g. 'customer' (default) or 'employee'. */
  readonly subjectTypes?: readonly string[];
  /** Roles allowed to call the route; empty or absent means any authenticated caller. */
  readonly roles?: readonly string[];
  /** How long the data produced by this processing is kept, e.g. '30d'. */
  readonly retention?: string;
  /** Who receives the data besides the app (processors, third parties), e.g. 'Stripe (payments)'. */
  readonly recipients?: readonly string[];
  /** Purposes the subject must have consented to; usually set with `@RequiresConsent`. */
  readonly consent?: string | readonly string[];
  /**
   * Required when the route processes special category data: the condition of GDPR Art. 9(2) it relies on besides
   * its lawful basis, e.g. 'health_care' (Art. 9(2)(h)) or 'explicit_consent' (Art. 9(2)(a), which needs the
   * route to check consent); for data on criminal offences, the Art. 10 condition ('authorised_by_law',
   * 'official_authority'). Printed in the record of processing activities.
   */
  readonly specialCategoryCondition?: SpecialCategoryCondition | readonly SpecialCategoryCondition[];
  readonly description?: string;
}

/** A resolved, validated processing declaration of a route or method. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the default lets `req => req.params.userId` compile without naming the framework's request type
export interface ProcessingDeclaration<Req = any> {
  readonly categories: readonly string[];
  readonly models: readonly Function[];
  readonly purposes: readonly string[];
  readonly basis: LawfulBasis;
  readonly subject: 'self' | SubjectResolver<Req>;
  /** Whether the route needs an identified caller ('required' unless declared). */
  readonly caller: CallerRequirement;
  readonly subjectTypes: readonly string[];
  readonly roles: readonly string[];
  readonly retention?: Retention;
  readonly recipients: readonly string[];
  readonly consentPurposes: readonly string[];
  /** Any category (declared or from a model) is an Art. 9/10 special category. */
  readonly special: boolean;
  /** The Art. 9(2) / Art. 10 conditions the processing of special category data relies on; empty without any. */
  readonly specialCategoryConditions: readonly SpecialCategoryCondition[];
  readonly description?: string;
}
