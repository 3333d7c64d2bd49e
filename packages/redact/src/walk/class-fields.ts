import { getAnnotatedClasses, getPersonalFields } from '@privacy-kit/core';
import type { KeyKind } from '../keys/sensitive-keys';
import { kind as keyKind, normalizeKey, setDeclaredKeys } from '../keys/sensitive-keys';

/** How a `@PersonalData` field is redacted. */
export interface FieldKind {
  readonly label: string;
  readonly category: string;
  readonly secret: boolean;
  readonly redact: boolean;
}

/** Personal fields of a class by property name, or null for a class without any. */
type Fields = ReadonlyMap<string, FieldKind> | null;

const cache = new WeakMap<Function, Fields>();
/** How many annotated classes existed when negative answers were cached (a class can be annotated later). */
let annotatedCount = -1;

function kindOf(categories: readonly string[]): FieldKind {
  const category = categories[0] ?? 'user';
  const label = category.slice(category.lastIndexOf('.') + 1);
  return { label, category, secret: category.startsWith('user.authorization'), redact: true };
}

function read(ctor: Function): Fields {
  const fields = getPersonalFields(ctor);
  if (fields.length === 0) return null;
  return new Map(fields.map((f) => [f.property, kindOf(f.categories)]));
}

/**
 * The `@PersonalData` fields of the class of `value` (inherited ones included), or undefined for plain
 * objects and classes without personal fields. Answers are cached per class; "no fields" answers are dropped
 * when a class gets annotated later (`definePersonalData` after the first log line).
 *
 * @param recheck - whether a "no fields" answer may be verified against the registry in this call
 */
export function personalFieldsOf(value: object, recheck: { done: boolean }): ReadonlyMap<string, FieldKind> | undefined {
  const ctor = (value as { constructor?: unknown }).constructor;
  if (typeof ctor !== 'function' || ctor === Object) return undefined;
  const cached = cache.get(ctor);
  if (cached !== undefined) {
    if (cached !== null) return cached;
    if (recheck.done) return undefined;
    recheck.done = true;
    const count = getAnnotatedClasses().length;
    if (count === annotatedCount) return undefined;
  }
  const fields = read(ctor);
  if (fields === null) annotatedCount = getAnnotatedClasses().length;
  cache.set(ctor, fields);
  return fields ?? undefined;
}

let declaredCount = -1;

/**
 * The personal fields of every annotated class, by normalized field name (`date_of_birth` and `dateOfBirth` are one
 * name): for each name, the classes that declare it personal, as their field maps. Rebuilt with the declared keys.
 */
let shapeIndex: ReadonlyMap<string, readonly ReadonlyMap<string, FieldKind>[]> = new Map();
/** The classes that declare `key` (in any spelling) personal, or null (the walk caches the answer per key: KeyPlans). */
export function ownersOf(key: string): readonly ReadonlyMap<string, FieldKind>[] | null {
  return shapeIndex.get(normalizeKey(key)) ?? null;
}

/** Whether any annotated class declares a personal field (plain objects can only be shaped like such a class). */
export function shapesDeclared(): boolean {
  return shapeIndex.size > 0;
}

/** The personal fields of `owner` (a class's field map) under the object's own spelling of their names. */
export function fieldsOfShape(value: object, owner: ReadonlyMap<string, FieldKind>): ReadonlyMap<string, FieldKind> {
  const fields = new Map<string, FieldKind>();
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const field = owner.get(normalizeKey(key));
    if (field !== undefined) fields.set(key, field);
  }
  return fields;
}

/**
 * Generic field names that say nothing on their own: declaring `Patient.code` personal must not redact
 * every `code` of every log line. Such fields are still redacted inside instances of their class.
 */
const GENERIC_NAMES = new Set([
  'code', 'value', 'type', 'label', 'data', 'text', 'title', 'status', 'state', 'message', 'description', 'level',
  'kind', 'role', 'roles', 'date', 'time', 'created', 'updated', 'createdat', 'updatedat', 'timestamp', 'notes',
  'note', 'comment', 'details', 'info', 'meta', 'metadata', 'body', 'content', 'payload', 'result', 'items',
]);

/**
 * Brings the declared field names used as sensitive keys up to date with the classes annotated so far
 * (cheap when nothing changed: one read of the registry's class list).
 */
export function refreshDeclaredKeys(): void {
  const classes = getAnnotatedClasses();
  if (classes.length === declaredCount) return;
  declaredCount = classes.length;
  const fields = new Map<string, KeyKind>();
  const shapes = new Map<string, ReadonlyMap<string, FieldKind>[]>();
  for (const target of classes) {
    const personal = getPersonalFields(target);
    const byName = new Map(personal.map((f) => [normalizeKey(f.property), kindOf(f.categories)]));
    for (const name of byName.keys()) {
      const owners = shapes.get(name);
      if (owners === undefined) shapes.set(name, [byName]);
      else owners.push(byName);
    }
    for (const field of personal) {
      const normalized = normalizeKey(field.property);
      if (normalized.length < 4 || GENERIC_NAMES.has(normalized) || fields.has(normalized)) continue;
      const k = kindOf(field.categories);
      fields.set(normalized, keyKind(k.label, k.category, { secret: k.secret }));
    }
  }
  setDeclaredKeys(fields);
  shapeIndex = shapes;
}
