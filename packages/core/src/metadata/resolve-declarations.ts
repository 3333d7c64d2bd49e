import { defineOptionKeys, rejectUnknownOptions } from '../errors/option-keys';
import type { PrivacyKitError } from '../errors/privacy-kit.error';
import { coreError } from '../errors/core.error';
import { parseRetention } from '../retention/retention';
import { resolveLawfulBasis, resolveTerm } from '../vocabulary/vocabulary';
import type {
  PersonalFieldDeclaration,
  PersonalFieldOptions,
  ProcessingDeclaration,
  ProcessingOptions,
} from './declarations';

const FIELD_OPTION_KEYS = defineOptionKeys<PersonalFieldOptions>({ category: true, retention: true, special: true, description: true });
const PROCESSING_OPTION_KEYS = defineOptionKeys<ProcessingOptions>({
  categories: true, models: true, purpose: true, basis: true, subject: true, subjectTypes: true, roles: true, retention: true,
  recipients: true, consent: true, description: true,
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
  };
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
  if (options.roles !== undefined) toList(options.roles, where, 'roles');
  if (options.recipients !== undefined) toList(options.recipients, where, 'recipients');
  if (options.retention !== undefined) parseRetention(options.retention, where);
  if (options.subject !== undefined && options.subject !== 'self' && typeof options.subject !== 'function') {
    throw invalid(where, `'subject' must be 'self' or a function such as req => req.params.userId; got ${JSON.stringify(options.subject)}.`);
  }
  if (options.models !== undefined && (!Array.isArray(options.models) || options.models.some((m) => typeof m !== 'function'))) {
    throw invalid(where, "'models' must be an array of classes, e.g. models: [UserDto].");
  }
}

/**
 * Merges the parts declared for one route or method (e.g. `@PersonalData` and `@RequiresConsent`) into one
 * validated declaration.
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
  const union = (pick: (p: ProcessingOptions) => unknown, name: string): string[] => [
    ...new Set(parts.flatMap((p) => (pick(p) === undefined ? [] : [...toList(pick(p), where, name)]))),
  ];
  const models = [...new Set(parts.flatMap((p) => p.models ?? []))];
  const modelFields = models.flatMap((m) => fieldsOf(m));
  const consentPurposes = union((p) => p.consent, 'consent');
  const declaredPurposes = union((p) => p.purpose, 'purpose');
  const bases = [...new Set(parts.map((p) => p.basis).filter((b) => b !== undefined))];
  if (bases.length > 1) throw invalid(where, `declares two lawful bases (${bases.join(', ')}); a processing has one basis per purpose.`);
  const basis = bases[0] ?? (consentPurposes.length > 0 ? 'consent' : undefined);
  if (basis === undefined) {
    throw invalid(where, "declares personal data but no lawful basis. Add basis: 'contract' (or another Art. 6 basis), or require consent for a purpose.");
  }
  const purposes = declaredPurposes.length > 0 ? declaredPurposes : consentPurposes;
  if (purposes.length === 0) throw invalid(where, "declares no purpose. Add purpose: 'essential.service' (or another purpose of the vocabulary).");
  const consent = basis === 'consent' && consentPurposes.length === 0 ? purposes : consentPurposes;
  const subjects = [...new Set(parts.map((p) => p.subject).filter((s) => s !== undefined))];
  if (subjects.length > 1) throw invalid(where, "declares 'subject' twice; declare it once.");
  for (const model of models) {
    if (fieldsOf(model).length === 0) {
      throw invalid(where, `model ${model.name || '(anonymous class)'} has no @PersonalData fields; annotate its fields or remove it from 'models'.`);
    }
  }
  const categories = [...new Set([...union((p) => p.categories, 'categories'), ...modelFields.flatMap((f) => f.categories)])];
  const retentions = parts.map((p) => p.retention).filter((r) => r !== undefined);
  const descriptions = parts.map((p) => p.description).filter((d) => d !== undefined);
  const subjectTypes = union((p) => p.subjectTypes, 'subjectTypes');
  return {
    categories,
    models,
    purposes,
    basis,
    subject: subjects[0] ?? 'self',
    subjectTypes: subjectTypes.length > 0 ? subjectTypes : ['customer'],
    roles: union((p) => p.roles, 'roles'),
    recipients: union((p) => p.recipients, 'recipients'),
    consentPurposes: consent,
    special: categories.some((c) => resolveTerm('category', c, where).special) || modelFields.some((f) => f.special),
    ...(retentions[0] === undefined ? {} : { retention: parseRetention(retentions[0], where) }),
    ...(descriptions[0] === undefined ? {} : { description: String(descriptions[0]) }),
  };
}
