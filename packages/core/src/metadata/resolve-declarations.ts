import { defineOptionKeys, rejectUnknownOptions } from '../errors/option-keys';
import type { PrivacyKitError } from '../errors/privacy-kit.error';
import { coreError } from '../errors/core.error';
import { parseRetention } from '../retention/retention';
import { isKnownTerm, resolveLawfulBasis, resolveTerm } from '../vocabulary/vocabulary';
import { CALLER_REQUIREMENTS } from './declarations';
import {
  isCriminalOffenceCategory,
  specialCategoryConditionKeys,
  specialCategoryConditionOf,
  type SpecialCategoryCondition,
} from '../vocabulary/special-category-conditions';
import type {
  CallerRequirement,
  PersonalFieldDeclaration,
  PersonalFieldOptions,
  ProcessingDeclaration,
  ProcessingOptions,
} from './declarations';

const FIELD_OPTION_KEYS = defineOptionKeys<PersonalFieldOptions>({ category: true, retention: true, special: true, description: true, encrypt: true });
const PROCESSING_OPTION_KEYS = defineOptionKeys<ProcessingOptions>({
  categories: true, models: true, purpose: true, basis: true, subject: true, subjectTypes: true, roles: true, retention: true,
  recipients: true, consent: true, description: true, caller: true,
  specialCategoryCondition: true,
});

function invalid(where: string, message: string): PrivacyKitError {
  return coreError('PK_INVALID_OPTION', `${where}: ${message}`);
}

function toList(value: unknown, where: string, name: string): readonly string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || v === '')) {
    throw invalid(where, `'${name}' must be a string or an array of non-empty strings; got ${JSON.stringify(value)}.`);
  }
  return [...new Set(list as string[])];
}

/** Unknown keys are refused; a key of the other kind of declaration says where it belongs, any other the closest key. */
function rejectUnknownKeys(options: object, allowed: readonly string[], where: string, other: string): void {
  const misplaced = Object.keys(options).find((key) => !allowed.includes(key) && (key === 'categories' || key === 'purpose' || key === 'basis' || key === 'category'));
  if (misplaced !== undefined) {
    throw invalid(where, `unknown option '${misplaced}'. '${misplaced}' belongs to ${other}. Known options: ${allowed.join(', ')}.`);
  }
  rejectUnknownOptions(options, allowed, where, coreError);
}

/**
 * Validates the options of a personal field and resolves them.
 *
 * @param property - the field name
 * @param options - as given to `@PersonalData` or `definePersonalData`
 * @param where - e.g. "@PersonalData on UserDto.email"
 */
export function resolveFieldOptions(property: string, options: PersonalFieldOptions, where: string): PersonalFieldDeclaration {
  if (typeof options !== 'object' || options === null) {
    throw invalid(where, `expected options such as { category: 'user.contact.email' }; got ${JSON.stringify(options)}.`);
  }
  rejectUnknownKeys(options, FIELD_OPTION_KEYS, where, "a method's processing declaration ({ categories, purpose, basis })");
  if (options.category === undefined) throw invalid(where, "missing 'category', e.g. { category: 'user.contact.email' }.");
  const categories = toList(options.category, where, 'category');
  let special = options.special === true;
  for (const key of categories) special = resolveTerm('category', key, where).special || special;
  return {
    property,
    categories,
    special,
    ...(options.retention === undefined ? {} : { retention: parseRetention(options.retention, where) }),
    ...(options.description === undefined ? {} : { description: String(options.description) }),
    ...encryptOption(options.encrypt, where),
  };
}

function encryptOption(value: unknown, where: string): { encrypt?: true } {
  if (value === undefined || value === false) return {};
  if (value === true) return { encrypt: true };
  throw invalid(where, `'encrypt' must be true or false; got ${JSON.stringify(value)}.`);
}

function conditionList(value: unknown, where: string): readonly string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw coreError('PK_SPECIAL_CATEGORY', `${where}: 'specialCategoryCondition' must be a condition key or a list of them, e.g. 'health_care'; got ${JSON.stringify(value)}.`);
  }
  return [...new Set(list as unknown[])].map((key) => specialCategoryConditionOf(key, where).key);
}

function specialProblem(where: string, message: string): PrivacyKitError {
  return coreError('PK_SPECIAL_CATEGORY', `${where}: ${message}`);
}

/**
 * Checks that the conditions a declaration names fit the special category data it processes: Art. 9 data needs an
 * Art. 9(2) condition, Art. 10 data an Art. 10 one, a condition needs data it is for, and 'explicit_consent' a
 * consent check. Returns the conditions.
 */
function checkSpecialConditions(
  where: string,
  special: readonly string[],
  conditions: readonly SpecialCategoryCondition[],
  consentChecked: boolean,
): readonly SpecialCategoryCondition[] {
  const art10 = special.filter(isCriminalOffenceCategory);
  const art9 = special.filter((c) => !isCriminalOffenceCategory(c));
  const kinds = conditions.map((key) => specialCategoryConditionOf(key, where));
  if (art9.length > 0 && !kinds.some((c) => c.appliesTo === 'art9')) {
    const suggestion = art9.some((c) => c.startsWith('user.health_and_medical')) ? 'health_care' : 'explicit_consent';
    throw specialProblem(where, `processes ${art9.join(', ')}, special category data (Art. 9), but names no Art. 9(2) condition. ` +
      `Add specialCategoryCondition: '${suggestion}' (or the one that applies: ${specialCategoryConditionKeys('art9').join(', ')}); the record of processing activities states it.`);
  }
  if (art10.length > 0 && !kinds.some((c) => c.appliesTo === 'art10')) {
    throw specialProblem(where, `processes ${art10.join(', ')}, data on criminal convictions and offences (Art. 10), but names no Art. 10 condition. ` +
      "Add specialCategoryCondition: 'authorised_by_law' or 'official_authority'.");
  }
  for (const c of kinds) {
    if ((c.appliesTo === 'art9' ? art9 : art10).length === 0) {
      throw specialProblem(where, `names specialCategoryCondition '${c.key}' (${c.article}) but processes no special category data of ${c.appliesTo === 'art9' ? 'Art. 9' : 'Art. 10'}; ` +
        'remove it, or declare the category it is for.');
    }
  }
  if (conditions.includes('explicit_consent') && !consentChecked) {
    throw specialProblem(where, "'explicit_consent' (Art. 9(2)(a)) holds only where the route checks the person's consent: add requiresConsent('<purpose>') or basis: 'consent', or name the condition that applies.");
  }
  return conditions;
}

/**
 * Validates one part of a processing declaration (from one decorator or twin) without merging.
 * Throws the first problem, naming `where`.
 */
export function validateProcessingPart(options: ProcessingOptions, where: string): void {
  if (typeof options !== 'object' || options === null) {
    throw invalid(where, `expected options such as { categories: [...], purpose: 'essential.service', basis: 'contract' }; got ${JSON.stringify(options)}.`);
  }
  rejectUnknownKeys(options, PROCESSING_OPTION_KEYS, where, "a class property's declaration ({ category })");
  for (const key of options.categories === undefined ? [] : toList(options.categories, where, 'categories')) resolveTerm('category', key, where);
  for (const key of options.purpose === undefined ? [] : toList(options.purpose, where, 'purpose')) resolveTerm('purpose', key, where);
  for (const key of options.consent === undefined ? [] : toList(options.consent, where, 'consent')) resolveTerm('purpose', key, where);
  for (const key of options.subjectTypes === undefined ? [] : toList(options.subjectTypes, where, 'subjectTypes')) resolveTerm('subjectType', key, where);
  if (options.basis !== undefined) resolveLawfulBasis(options.basis, where);
  for (const key of options.specialCategoryCondition === undefined ? [] : conditionList(options.specialCategoryCondition, where)) specialCategoryConditionOf(key, where);
  if (options.roles !== undefined) toList(options.roles, where, 'roles');
  if (options.recipients !== undefined) toList(options.recipients, where, 'recipients');
  if (options.retention !== undefined) parseRetention(options.retention, where);
  if (options.subject !== undefined && options.subject !== 'self' && typeof options.subject !== 'function') {
    throw invalid(where, `'subject' must be 'self' or a function such as req => req.params.userId; got ${JSON.stringify(options.subject)}.`);
  }
  if (options.caller !== undefined && !CALLER_REQUIREMENTS.includes(options.caller)) {
    throw invalid(where, `'caller' must be 'required', 'optional' or 'anonymous'; got ${JSON.stringify(options.caller)}.`);
  }
  if (options.models !== undefined && (!Array.isArray(options.models) || options.models.some((m) => typeof m !== 'function'))) {
    throw invalid(where, "'models' must be an array of classes, e.g. models: [UserDto].");
  }
}

/** Strings of a declaration value read leniently: one string or an array; anything else (and empty strings) left out. */
function strings(value: unknown): string[] {
  const list: unknown = typeof value === 'string' ? [value] : value;
  return Array.isArray(list) ? (list as unknown[]).filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

/**
 * The parts declared for one route or method, merged by privacy-kit's one set of merge rules and read leniently
 * (a value of the wrong shape counts as absent), so that the inventory can show what even a broken declaration says;
 * {@link resolveProcessing} validates the parts first and then applies its checks to this same merge.
 */
export interface MergedProcessingParts {
  /** The model classes of every part. */
  readonly models: readonly Function[];
  /** Their personal fields (as `fieldsOf` read them). */
  readonly fields: readonly PersonalFieldDeclaration[];
  /** The categories the parts name themselves. */
  readonly declaredCategories: readonly string[];
  /** Those and the categories of the models' fields. */
  readonly categories: readonly string[];
  /** The purposes declared, or else the consent purposes. */
  readonly purposes: readonly string[];
  /** Every `basis` the parts give, as written. */
  readonly bases: readonly unknown[];
  /** The basis: the one given (when there is exactly one), or `consent` when consent is required; else undefined. */
  readonly basis: string | undefined;
  /** The purposes that need the subject's consent: those of `consent`, or every purpose under the consent basis. */
  readonly consentPurposes: readonly string[];
  /** Every `subject` the parts give. */
  readonly subjects: readonly unknown[];
  /** Every `caller` the parts give, as written. */
  readonly callers: readonly unknown[];
  /** The special categories (Art. 9/10) among the declared categories and the models' special fields. */
  readonly specialCategories: readonly string[];
  /** The `specialCategoryCondition` keys the parts give, as written. */
  readonly specialCategoryConditions: readonly string[];
  readonly subjectTypes: readonly string[];
  readonly roles: readonly string[];
  readonly recipients: readonly string[];
  /** The first `retention` and `description` given, as written. */
  readonly retention: ProcessingOptions['retention'];
  readonly description: ProcessingOptions['description'];
}

/**
 * Merges the parts declared for one route or method (e.g. `@PersonalData` and `@RequiresConsent`) by the merge
 * rules every reader shares; never throws.
 *
 * @param parts - each part as declared
 * @param fieldsOf - reads the personal fields of a model class
 */
export function mergeProcessingParts(parts: readonly ProcessingOptions[], fieldsOf: (model: Function) => readonly PersonalFieldDeclaration[]): MergedProcessingParts {
  const models = unique(parts.flatMap((p) => {
    const given: unknown = p.models;
    return Array.isArray(given) ? (given as unknown[]).filter((m): m is Function => typeof m === 'function') : [];
  }));
  const fields = models.flatMap((m) => fieldsOf(m));
  const declaredCategories = unique(parts.flatMap((p) => strings(p.categories)));
  const consent = unique(parts.flatMap((p) => strings(p.consent)));
  const declaredPurposes = unique(parts.flatMap((p) => strings(p.purpose)));
  const bases = unique(parts.map((p) => p.basis).filter((b) => b !== undefined));
  const basis = bases.length === 1 && typeof bases[0] === 'string' ? bases[0] : bases.length === 0 && consent.length > 0 ? 'consent' : undefined;
  const purposes = declaredPurposes.length > 0 ? declaredPurposes : consent;
  return {
    models,
    fields,
    declaredCategories,
    categories: unique([...declaredCategories, ...fields.flatMap((f) => f.categories)]),
    purposes,
    bases,
    basis,
    consentPurposes: basis === 'consent' && consent.length === 0 ? purposes : consent,
    subjects: unique(parts.map((p) => p.subject).filter((s) => s !== undefined)),
    callers: unique(parts.map((p) => p.caller).filter((c) => c !== undefined)),
    specialCategories: unique([
      ...declaredCategories.filter((c) => isKnownTerm('category', c) && resolveTerm('category', c, 'merge').special),
      ...fields.filter((f) => f.special).flatMap((f) => f.categories),
    ]),
    specialCategoryConditions: unique(parts.flatMap((p) => strings(p.specialCategoryCondition))),
    subjectTypes: unique(parts.flatMap((p) => strings(p.subjectTypes))),
    roles: unique(parts.flatMap((p) => strings(p.roles))),
    recipients: unique(parts.flatMap((p) => strings(p.recipients))),
    retention: parts.map((p) => p.retention).find((r) => r !== undefined),
    description: parts.map((p) => p.description).find((d) => d !== undefined),
  };
}

/** The caller requirement of merged parts: one value at most, and a route without a required caller names its subject and has no roles. */
function callerOf(merged: MergedProcessingParts, parts: readonly ProcessingOptions[], where: string): CallerRequirement {
  const { callers } = merged;
  if (callers.length > 1) throw invalid(where, `declares two callers (${callers.join(', ')}); declare 'caller' once.`);
  const caller = (callers[0] as CallerRequirement | undefined) ?? 'required';
  const subject = merged.subjects[0];
  if (caller === 'required') return caller;
  if (typeof subject !== 'function') {
    throw invalid(where, `caller: '${caller}' needs a subject the route names, e.g. subject: (req) => req.body.email (a request without a caller has nobody else to be the subject).`);
  }
  if (parts.some((p) => p.roles !== undefined && p.roles.length > 0)) {
    throw invalid(where, `'roles' need an identified caller; remove them or remove caller: '${caller}'.`);
  }
  return caller;
}

/**
 * Merges the parts declared for one route or method (e.g. `@PersonalData` and `@RequiresConsent`) into one
 * validated declaration: each part is validated, then {@link mergeProcessingParts} merges them and the whole is
 * checked (one basis, a purpose, one subject, models with personal fields).
 *
 * @param parts - each part as declared; validated here too
 * @param where - e.g. "GET /me/profile" or "@PersonalData on ShopController.profile"
 * @param fieldsOf - reads the personal fields of a model class
 */
export function resolveProcessing(
  parts: readonly ProcessingOptions[],
  where: string,
  fieldsOf: (model: Function) => readonly PersonalFieldDeclaration[],
): ProcessingDeclaration {
  for (const part of parts) validateProcessingPart(part, where);
  const merged = mergeProcessingParts(parts, fieldsOf);
  if (merged.bases.length > 1) throw invalid(where, `declares two lawful bases (${merged.bases.join(', ')}); a processing has one basis per purpose.`);
  if (merged.basis === undefined) {
    throw invalid(where, "declares personal data but no lawful basis. Add basis: 'contract' (or another Art. 6 basis), or require consent for a purpose.");
  }
  if (merged.purposes.length === 0) throw invalid(where, "declares no purpose. Add purpose: 'essential.service' (or another purpose of the vocabulary).");
  if (merged.subjects.length > 1) throw invalid(where, "declares 'subject' twice; declare it once.");
  const caller = callerOf(merged, parts, where);
  for (const model of merged.models) {
    if (fieldsOf(model).length === 0) {
      throw invalid(where, `model ${model.name || '(anonymous class)'} has no @PersonalData fields; annotate its fields or remove it from 'models'.`);
    }
  }
  const { categories } = merged;
  const { specialCategories } = merged;
  // Each part's conditions were validated above, so the merged keys are known ones.
  const conditions = merged.specialCategoryConditions as readonly SpecialCategoryCondition[];
  const specialCategoryConditions = checkSpecialConditions(where, specialCategories, conditions, merged.consentPurposes.length > 0);
  return {
    categories: [...categories],
    models: [...merged.models],
    purposes: [...merged.purposes],
    basis: resolveLawfulBasis(merged.basis, where),
    subject: (merged.subjects[0] as ProcessingDeclaration['subject'] | undefined) ?? 'self',
    caller,
    subjectTypes: merged.subjectTypes.length > 0 ? [...merged.subjectTypes] : ['customer'],
    roles: [...merged.roles],
    recipients: [...merged.recipients],
    consentPurposes: [...merged.consentPurposes],
    special: specialCategories.length > 0,
    specialCategoryConditions,
    ...(merged.retention === undefined ? {} : { retention: parseRetention(merged.retention, where) }),
    ...(merged.description === undefined ? {} : { description: String(merged.description) }),
  };
}
