import { coreError } from '../errors/core.error';
import type { PrivacyKitErrorCode } from '../errors/error-codes';
import { registry } from '../metadata/registry';
import { closest } from './suggest';
import {
  BUILT_IN_CATEGORIES,
  BUILT_IN_PURPOSES,
  BUILT_IN_SUBJECT_TYPES,
  LAWFUL_BASES,
  type LawfulBasis,
  type TermDefinition,
} from './taxonomy';

/** Which list a key belongs to. */
export type TermKind = 'category' | 'purpose' | 'subjectType';

/** A resolved term: the definition plus whether it is built in, an app extension or an implicit child. */
export interface ResolvedTerm {
  readonly key: string;
  readonly description: string;
  /** Art. 9/10 special category (inherited from an ancestor). */
  readonly special: boolean;
  /** Purpose that GPC opts out of (inherited from an ancestor). */
  readonly gpcOptOut: boolean;
  readonly origin: 'built-in' | 'registered' | 'child';
}

const BUILT_IN: Record<TermKind, ReadonlyMap<string, TermDefinition>> = {
  category: new Map(BUILT_IN_CATEGORIES.map((t) => [t.key, t])),
  purpose: new Map(BUILT_IN_PURPOSES.map((t) => [t.key, t])),
  subjectType: new Map(BUILT_IN_SUBJECT_TYPES.map((t) => [t.key, t])),
};

const NOUN: Record<TermKind, string> = { category: 'data category', purpose: 'purpose', subjectType: 'data subject type' };
const CODE: Record<TermKind, PrivacyKitErrorCode> = {
  category: 'PK_UNKNOWN_CATEGORY',
  purpose: 'PK_UNKNOWN_PURPOSE',
  subjectType: 'PK_UNKNOWN_SUBJECT_TYPE',
};
const KEY_SHAPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

function extensions(kind: TermKind): Map<string, TermDefinition> {
  const r = registry();
  return kind === 'category' ? r.categories : kind === 'purpose' ? r.purposes : r.subjectTypes;
}

function definition(kind: TermKind, key: string): TermDefinition | undefined {
  return BUILT_IN[kind].get(key) ?? extensions(kind).get(key);
}

/** Every known key of a kind: built in first, then the app's registered ones. */
export function listTerms(kind: TermKind): readonly string[] {
  return [...BUILT_IN[kind].keys(), ...extensions(kind).keys()];
}

function inherited(kind: TermKind, key: string, flag: 'special' | 'gpcOptOut'): boolean {
  for (let k: string | undefined = key; k !== undefined; k = parentKey(k)) {
    if (definition(kind, k)?.[flag] === true) return true;
  }
  return false;
}

function parentKey(key: string): string | undefined {
  const dot = key.lastIndexOf('.');
  return dot === -1 ? undefined : key.slice(0, dot);
}

/**
 * Why `key` is not acceptable, or undefined when it is. A key is acceptable when it is built in,
 * registered, or a dotted child of a known key whose new segment is not a near-miss of a known sibling
 * (so `user.contact.emial` is refused with a suggestion while `user.contact.slack_handle` is accepted).
 */
function problem(kind: TermKind, key: string): { message: string; suggestion?: string } | undefined {
  if (typeof key !== 'string' || !KEY_SHAPE.test(key)) {
    return { message: `${JSON.stringify(key)} is not a dotted lower-case key such as 'user.contact.email'` };
  }
  if (definition(kind, key) !== undefined) return undefined;
  const all = listTerms(kind);
  let ancestor = parentKey(key);
  while (ancestor !== undefined && definition(kind, ancestor) === undefined) ancestor = parentKey(ancestor);
  if (ancestor === undefined) {
    const suggestion = closest(key, all);
    return suggestion === undefined ? { message: `unknown ${NOUN[kind]} '${key}'` } : { message: `unknown ${NOUN[kind]} '${key}'`, suggestion };
  }
  const rest = key.slice(ancestor.length + 1);
  const segment = rest.split('.')[0] ?? rest;
  const siblings = all.filter((k) => parentKey(k) === ancestor).map((k) => k.slice(ancestor.length + 1));
  const near = closest(segment, siblings);
  if (near !== undefined && near !== segment) {
    return { message: `unknown ${NOUN[kind]} '${key}'`, suggestion: `${ancestor}.${near}${rest.slice(segment.length)}` };
  }
  return undefined;
}

/**
 * Resolves a key of the vocabulary, or throws a {@link PrivacyKitError} that names where it was used and
 * suggests the closest known key.
 *
 * @param kind - category, purpose or subject type
 * @param key - the dotted key
 * @param where - who used it, for the message (e.g. "@PersonalData on UserDto.email")
 * @example
 * resolveTerm('category', 'user.contact.email', '@PersonalData on UserDto.email').special; // false
 */
export function resolveTerm(kind: TermKind, key: string, where: string): ResolvedTerm {
  const found = problem(kind, key);
  if (found !== undefined) {
    const hint = found.suggestion === undefined ? '' : ` Did you mean '${found.suggestion}'?`;
    throw coreError(
      CODE[kind],
      `${where}: ${found.message}.${hint} Use a key of the vocabulary, a dotted child of one, ` +
        `or register your own with extendVocabulary({ ${kind === 'subjectType' ? 'subjectTypes' : kind === 'category' ? 'categories' : 'purposes'}: [...] }).`,
    );
  }
  const own = definition(kind, key);
  return {
    key,
    description: own?.description ?? `${key.slice(key.lastIndexOf('.') + 1).replace(/_/g, ' ')} (custom)`,
    special: inherited(kind, key, 'special'),
    gpcOptOut: inherited(kind, key, 'gpcOptOut'),
    origin: BUILT_IN[kind].has(key) ? 'built-in' : own !== undefined ? 'registered' : 'child',
  };
}

/**
 * Whether `key` is acceptable as a term of `kind` (see {@link resolveTerm}); never throws.
 *
 * @example
 * isKnownTerm('purpose', 'personalize.content'); // true
 */
export function isKnownTerm(kind: TermKind, key: string): boolean {
  return problem(kind, key) === undefined;
}

/** Resolves a lawful basis or throws with the list of the six valid ones. */
export function resolveLawfulBasis(basis: unknown, where: string): LawfulBasis {
  if ((LAWFUL_BASES as readonly unknown[]).includes(basis)) return basis as LawfulBasis;
  const suggestion = typeof basis === 'string' ? closest(basis, LAWFUL_BASES) : undefined;
  throw coreError(
    'PK_UNKNOWN_BASIS',
    `${where}: unknown lawful basis ${JSON.stringify(basis)}.` +
      (suggestion === undefined ? '' : ` Did you mean '${suggestion}'?`) +
      ` Use one of ${LAWFUL_BASES.join(', ')}.`,
  );
}

/** App-specific terms to add to the vocabulary. */
export interface VocabularyExtension {
  readonly categories?: readonly TermDefinition[];
  readonly purposes?: readonly TermDefinition[];
  readonly subjectTypes?: readonly TermDefinition[];
}

/**
 * Adds app-specific keys to the vocabulary. Call it before the classes that use them are defined.
 * Registering a key twice with the same definition is harmless; a conflicting one throws.
 *
 * @example
 * extendVocabulary({ categories: [{ key: 'user.loyalty_tier', description: 'Loyalty programme tier' }] });
 */
export function extendVocabulary(extension: VocabularyExtension): void {
  const lists: [TermKind, readonly TermDefinition[] | undefined][] = [
    ['category', extension.categories],
    ['purpose', extension.purposes],
    ['subjectType', extension.subjectTypes],
  ];
  for (const [kind, terms] of lists) {
    for (const term of terms ?? []) {
      if (typeof term?.key !== 'string' || !KEY_SHAPE.test(term.key) || typeof term.description !== 'string') {
        throw coreError(
          'PK_INVALID_OPTION',
          `extendVocabulary(): each ${NOUN[kind]} needs a dotted lower-case 'key' and a 'description'; got ${JSON.stringify(term)}.`,
        );
      }
      const existing = definition(kind, term.key);
      if (existing !== undefined && (existing.special ?? false) !== (term.special ?? false)) {
        throw coreError(
          'PK_INVALID_OPTION',
          `extendVocabulary(): ${NOUN[kind]} '${term.key}' is already defined with special=${existing.special ?? false}; remove the conflicting definition.`,
        );
      }
      if (existing === undefined) extensions(kind).set(term.key, { ...term });
    }
  }
}
