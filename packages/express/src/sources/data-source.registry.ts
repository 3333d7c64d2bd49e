import { closest, defineOptionKeys, getPersonalFields, parseRetention, type PersonalFieldDeclaration, type Retention } from '@privacy-kit/core';
import { expressError } from '../errors';
import { classValidator } from '../on-demand';
import type { DataSource, DataSources } from './data-source';

const SOURCE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/** Every key of {@link DataSource}, checked against the interface when the package is built. */
const SOURCE_KEYS: readonly string[] = defineOptionKeys<DataSource>({
  model: true, export: true, erase: true, rectify: true, validate: true, purge: true, manual: true, rectifiable: true, retention: true, keepOnErasure: true,
  description: true,
});
/** Keys people write for a function under another name. */
const SYNONYMS: Readonly<Record<string, string>> = { delete: 'erase', remove: 'erase', update: 'rectify' };
/** Keys people try that privacy-kit does not take on purpose, and why. */
const REFUSED: Readonly<Record<string, string>> = {
  schema: "class-validator's registerSchema() is deprecated, and once any schema is registered every class-validator validate() in the process " +
    'throws a TypeError (typestack/class-validator#1901), privacy-kit\'s own included. To check patches without decorators, give validate(patch) => problems.',
};
const FUNCTION_KEYS = ['export', 'erase', 'rectify', 'purge'] as const;
/** Categories a person does not correct through the API unless the source lists the field in `rectifiable`. */
const NOT_RECTIFIABLE_BY_DEFAULT = ['user.unique_id', 'user.authorization'];
/** class-validator metadata types that constrain a value (IsOptional and whitelisting alone do not). */
const CONSTRAINING = new Set(['customValidation', 'nestedValidation']);

/** A validated data source with what privacy-kit derived from its model. */
export interface RegisteredSource {
  readonly name: string;
  readonly source: DataSource;
  /** The personal fields of the model, by property. */
  readonly fields: ReadonlyMap<string, PersonalFieldDeclaration>;
  /** Every data category of the model's personal fields. */
  readonly categories: readonly string[];
  /** Personal fields a rectification may change. */
  readonly rectifiable: ReadonlySet<string>;
  readonly retention: Retention | undefined;
  readonly manual: boolean;
}

/** The properties of a class that carry class-validator rules. */
function validatedProperties(model: Function): Set<string> {
  const metadatas = classValidator().getMetadataStorage().getTargetValidationMetadatas(model, '', false, false);
  return new Set(metadatas.filter((m) => CONSTRAINING.has(m.type)).map((m) => m.propertyName));
}

/** Checks one source's definition and derives its fields, categories and rectifiable fields. */
function registerOne(name: string, source: DataSource): RegisteredSource {
  const where = `source '${typeof name === 'string' ? name : String(name)}'`;
  if (typeof name !== 'string' || !SOURCE_NAME.test(name)) {
    throw expressError('PK_INVALID_OPTION', `sources: ${JSON.stringify(name)} is not a source name; use letters, digits, '_', '.' or '-', starting with a letter (e.g. 'users').`);
  }
  if (typeof source !== 'object' || source === null) {
    throw expressError('PK_INVALID_OPTION', `${where}: expected { model, export?, erase?, rectify?, purge?, manual? }.`);
  }
  for (const key of Object.keys(source)) {
    if (!SOURCE_KEYS.includes(key)) {
      if (Object.hasOwn(REFUSED, key)) throw expressError('PK_INVALID_OPTION', `${where}: unknown key '${key}'. ${REFUSED[key] as string}`);
      const meant = SYNONYMS[key] ?? closest(key, SOURCE_KEYS);
      throw expressError('PK_INVALID_OPTION', `${where}: unknown key '${key}'.${meant === undefined ? '' : ` Did you mean '${meant}'?`} Known keys: ${SOURCE_KEYS.join(', ')}.`);
    }
  }
  if (typeof source.model !== 'function') {
    throw expressError('PK_INVALID_OPTION', `${where}: 'model' must be the @PersonalData class that describes the source's records, e.g. model: UserProfile.`);
  }
  const modelName = source.model.name || '(anonymous class)';
  const fields = getPersonalFields(source.model);
  if (fields.length === 0) {
    throw expressError('PK_INVALID_OPTION', `${where}: model ${modelName} has no @PersonalData fields; annotate the fields that hold personal data.`);
  }
  for (const key of FUNCTION_KEYS) {
    if (source[key] !== undefined && typeof source[key] !== 'function') throw expressError('PK_INVALID_OPTION', `${where}: '${key}' must be a function.`);
  }
  if (source.validate !== undefined && typeof source.validate !== 'function') {
    throw expressError('PK_INVALID_OPTION', `${where}: 'validate' must be a function (patch) => problems, e.g. (patch) => patch.email?.includes('@') === false ? [{ property: 'email', messages: ['not an e-mail address'] }] : [].`);
  }
  if (source.manual !== undefined && typeof source.manual !== 'boolean') throw expressError('PK_INVALID_OPTION', `${where}: 'manual' must be true or false.`);
  const manual = source.manual === true;
  if (manual) {
    const given = (['export', 'erase', 'rectify'] as const).filter((k) => source[k] !== undefined);
    if (given.length > 0) {
      throw expressError('PK_INVALID_OPTION', `${where}: is manual but also gives ${given.join(', ')}(). A manual source's requests are queued for a person; remove manual: true to run the functions instead.`);
    }
  }
  if (!manual && FUNCTION_KEYS.every((k) => source[k] === undefined)) {
    throw expressError('PK_INVALID_OPTION', `${where}: gives none of export, erase, rectify or purge. Give the functions the source supports, or mark it manual: true.`);
  }
  if (source.keepOnErasure !== undefined && (typeof source.keepOnErasure !== 'string' || source.keepOnErasure.trim() === '')) {
    throw expressError('PK_INVALID_OPTION', `${where}: 'keepOnErasure' must say why the data is kept, e.g. 'invoices: 10 years under tax law'.`);
  }
  if (source.validate !== undefined && source.rectify === undefined && !manual) {
    throw expressError('PK_INVALID_OPTION', `${where}: gives validate(patch), which checks rectification patches, but neither rectify() nor manual: true; add rectify(subjectId, patch) or remove validate.`);
  }
  if (!manual && source.erase === undefined && source.keepOnErasure === undefined) {
    throw expressError('PK_INVALID_OPTION', `${where}: cannot erase. Give erase(subjectId), mark it manual: true, or say why its data survives an erasure request with keepOnErasure: '<legal reason>' (Art. 17(3)).`);
  }
  const byProperty = new Map(fields.map((f) => [f.property, f]));
  // validate(patch) checks any field; without it, a field can only be checked through its class-validator rules.
  const checkable = source.validate !== undefined ? new Set(byProperty.keys()) : validatedProperties(source.model);
  let rectifiable: Set<string>;
  if (source.rectifiable !== undefined) {
    const given: unknown = source.rectifiable;
    if (!Array.isArray(given) || given.some((p) => typeof p !== 'string')) {
      throw expressError('PK_INVALID_OPTION', `${where}: 'rectifiable' must be an array of field names, e.g. ['name', 'email'].`);
    }
    for (const property of source.rectifiable) {
      if (!byProperty.has(property)) throw expressError('PK_INVALID_OPTION', `${where}: rectifiable field '${property}' is not a @PersonalData field of ${modelName}.`);
      if (!checkable.has(property)) {
        throw expressError('PK_INVALID_OPTION', `${where}: rectifiable field '${property}' has no class-validator rules on ${modelName}; add one (e.g. @IsString()) or give validate(patch), so that patches can be checked.`);
      }
    }
    rectifiable = new Set(source.rectifiable);
  } else {
    const identifying = (category: string): boolean => NOT_RECTIFIABLE_BY_DEFAULT.some((key) => category === key || category.startsWith(`${key}.`));
    rectifiable = new Set(fields.filter((f) => checkable.has(f.property) && !f.categories.some(identifying)).map((f) => f.property));
  }
  if (source.rectify !== undefined && rectifiable.size === 0) {
    throw expressError('PK_INVALID_OPTION', source.validate !== undefined
      ? `${where}: gives rectify() but every personal field of ${modelName} is an identifier or a credential; list the fields a person may correct in rectifiable: [...].`
      : `${where}: gives rectify() but no personal field of ${modelName} has class-validator rules to check a patch against. Add rules to the fields a person may ` +
        "correct (e.g. @IsEmail(); class-validator's decorators need experimentalDecorators), or give validate(patch) => problems (works with standard decorators and any validation library).");
  }
  return {
    name,
    source,
    fields: byProperty,
    categories: [...new Set(fields.flatMap((f) => f.categories))],
    rectifiable,
    retention: source.retention === undefined ? undefined : parseRetention(source.retention, where),
    manual,
  };
}

/**
 * The data sources of an app: validated when registered, looked up by the rights API and the retention sweep.
 */
export class DataSourceRegistry {
  private readonly byName = new Map<string, RegisteredSource>();

  constructor(sources: DataSources = {}) {
    if (typeof sources !== 'object' || sources === null || Array.isArray(sources)) {
      throw expressError('PK_INVALID_OPTION', 'sources: expected an object of sources by name, e.g. sources: { users: { model: UserProfile, export, erase } }.');
    }
    for (const [name, source] of Object.entries(sources)) this.register(name, source);
  }

  /**
   * Adds a source; throws a `PK_INVALID_OPTION` error naming the problem when its definition cannot work.
   *
   * @param name - e.g. 'users'
   * @param source - the model and the functions the source supports
   */
  register(name: string, source: DataSource): RegisteredSource {
    if (this.byName.has(name)) throw expressError('PK_INVALID_OPTION', `source '${name}': is already registered; each source has one name.`);
    const registered = registerOne(name, source);
    this.byName.set(name, registered);
    return registered;
  }

  /** The source of that name, if registered. */
  get(name: string): RegisteredSource | undefined {
    return this.byName.get(name);
  }

  /** Every source, in registration order. */
  list(): readonly RegisteredSource[] {
    return [...this.byName.values()];
  }
}
