import { coreError } from '../errors/core.error';
import type { PersonalFieldDeclaration, ProcessingDeclaration, ProcessingOptions } from './declarations';
import { PERSONAL_FIELDS_KEY } from './metadata-keys';
import { registry } from './registry';
import { resolveProcessing } from './resolve-declarations';

type MetadataBag = Record<PropertyKey, unknown>;

/** `Symbol.metadata`, polyfilled by `standard-metadata.ts` on import of @privacy-kit/core. */
function metadataSymbol(): symbol | undefined {
  return (Symbol as unknown as { metadata?: symbol }).metadata;
}

function standardFieldsChain(target: Function): Map<string, PersonalFieldDeclaration>[] {
  const key = metadataSymbol();
  const bag = key === undefined ? undefined : ((target as unknown as Record<symbol, unknown>)[key] as MetadataBag | null | undefined);
  const chain: Map<string, PersonalFieldDeclaration>[] = [];
  // TC39 metadata objects inherit from the parent class's object; walk from the root down.
  for (let b: MetadataBag | null | undefined = bag; b != null; b = Object.getPrototypeOf(b) as MetadataBag | null) {
    if (Object.prototype.hasOwnProperty.call(b, PERSONAL_FIELDS_KEY)) chain.unshift(b[PERSONAL_FIELDS_KEY] as Map<string, PersonalFieldDeclaration>);
  }
  return chain;
}

function legacyFieldsChain(target: Function): Map<string, PersonalFieldDeclaration>[] {
  const chain: Map<string, PersonalFieldDeclaration>[] = [];
  for (let c: unknown = target; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const own = registry().fields.get(c);
    if (own !== undefined) chain.unshift(own);
  }
  return chain;
}

/**
 * The personal fields of a class, its ancestors' first; a subclass's declaration of the same property wins.
 * Works for classes annotated with legacy or standard decorators or with `definePersonalData`.
 *
 * @param target - the class
 * @example
 * getPersonalFields(UserDto).map((f) => f.property); // ['email', 'name']
 */
export function getPersonalFields(target: Function): readonly PersonalFieldDeclaration[] {
  if (typeof target !== 'function') {
    throw coreError('PK_INVALID_OPTION', `getPersonalFields() takes a class; got ${typeof target}.`);
  }
  const merged = new Map<string, PersonalFieldDeclaration>();
  for (const own of [...legacyFieldsChain(target), ...standardFieldsChain(target)]) {
    for (const [property, field] of own) merged.set(property, field);
  }
  if (merged.size > 0) registry().classes.add(target);
  return [...merged.values()];
}

/**
 * Whether a value is an instance of a class with personal fields (used by redaction to find them without paths).
 *
 * @example
 * isPersonalDataInstance(new UserDto()); // true
 */
export function isPersonalDataInstance(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const ctor = (value as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor !== Object && getPersonalFields(ctor).length > 0;
}

/**
 * Every class known to carry personal fields: annotated with legacy decorators or twins, or read once
 * through {@link getPersonalFields} (standard field decorators cannot see their class until then).
 */
export function getAnnotatedClasses(): readonly Function[] {
  return [...registry().classes];
}

/** Makes a class known to {@link getAnnotatedClasses} (useful with standard decorators). */
export function registerModel(target: Function): void {
  if (getPersonalFields(target).length === 0) {
    throw coreError('PK_INVALID_OPTION', `registerModel(${target.name}): the class has no @PersonalData fields.`);
  }
}

/**
 * The validated processing declaration of a method (from `@PersonalData`, `@RequiresConsent` or their twins),
 * or undefined when it carries none.
 *
 * @param method - the method function, e.g. `ShopController.prototype.profile`
 */
export function getProcessing(method: Function): ProcessingDeclaration | undefined {
  const annotation = registry().methods.get(method);
  if (annotation === undefined) return undefined;
  return resolveProcessing(annotation.parts, annotation.owner, getPersonalFields);
}

/**
 * The raw processing parts declared on a method (one per decorator or twin), for adapters that merge them with
 * route-level declarations. Undefined when the method carries none.
 */
export function getProcessingParts(method: Function): { readonly owner: string; readonly parts: readonly ProcessingOptions[] } | undefined {
  return registry().methods.get(method);
}

/**
 * The annotated methods of a class (own and inherited), with their declarations.
 *
 * @example
 * getProcessingMethods(ShopController).map((m) => m.method); // ['profile', 'recommendations']
 */
export function getProcessingMethods(target: Function): readonly { readonly method: string; readonly declaration: ProcessingDeclaration }[] {
  const found = new Map<string, ProcessingDeclaration>();
  const seen = new Set<string>();
  for (let proto: unknown = target.prototype; proto != null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || seen.has(name)) continue;
      seen.add(name);
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof descriptor?.value !== 'function') continue;
      const declaration = getProcessing(descriptor.value as Function);
      if (declaration !== undefined) found.set(name, declaration);
    }
  }
  return [...found].map(([method, declaration]) => ({ method, declaration }));
}
