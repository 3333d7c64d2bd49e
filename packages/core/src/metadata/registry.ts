import type { TermDefinition } from '../vocabulary/taxonomy';
import type { PersonalFieldDeclaration, ProcessingOptions } from './declarations';

/** The processing parts declared on one method, as validated when applied. */
export interface MethodAnnotation {
  /** Who declared it, for messages: "ShopController.profile". */
  readonly owner: string;
  readonly parts: readonly ProcessingOptions[];
}
import { REGISTRY_KEY } from './metadata-keys';

/** The shape of the process-wide registry; versioned by its key so copies of different shape never mix. */
export interface PrivacyRegistry {
  /** Own personal fields per class constructor (legacy decorators and function twins). */
  readonly fields: WeakMap<object, Map<string, PersonalFieldDeclaration>>;
  /** Processing declarations per method function (works for both decorator modes and for twins). */
  readonly methods: WeakMap<Function, MethodAnnotation>;
  /** Classes known to carry personal fields, in order of first annotation (for the inventory). */
  readonly classes: Set<Function>;
  /** App extensions of the vocabulary. */
  readonly categories: Map<string, TermDefinition>;
  readonly purposes: Map<string, TermDefinition>;
  readonly subjectTypes: Map<string, TermDefinition>;
}

/**
 * The one registry, kept on globalThis under `Symbol.for(...)` so two installed copies of
 * @privacy-kit/core (e.g. a hoisted and a nested one) read and write the same metadata.
 */
export function registry(): PrivacyRegistry {
  const holder = globalThis as unknown as Record<symbol, PrivacyRegistry | undefined>;
  let found = holder[REGISTRY_KEY];
  if (found === undefined) {
    found = {
      fields: new WeakMap(),
      methods: new WeakMap(),
      classes: new Set(),
      categories: new Map(),
      purposes: new Map(),
      subjectTypes: new Map(),
    };
    Object.defineProperty(holder, REGISTRY_KEY, { value: found, enumerable: false });
  }
  return found;
}
