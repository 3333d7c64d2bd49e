import { isoTime } from '../audit/iso-time';
import { isPrivacyKitError } from '../errors/privacy-kit.error';
import type { AppliedMeasures } from '../metadata/applied-measures';
import { CALLER_REQUIREMENTS, type CallerRequirement, type PersonalFieldDeclaration, type ProcessingOptions } from '../metadata/declarations';
import { getAnnotatedClasses, getPersonalFields } from '../metadata/readers';
import { mergeProcessingParts, resolveProcessing } from '../metadata/resolve-declarations';
import { parseRetention, type Retention } from '../retention/retention';
import { LAWFUL_BASES, type LawfulBasis } from '../vocabulary/taxonomy';
import { isKnownTerm, resolveTerm, type TermKind } from '../vocabulary/vocabulary';
import { SPECIAL_CATEGORY_CONDITIONS } from '../vocabulary/special-category-conditions';
import { categoryRetentionOf, inheritedCategoryRetention, type CategoryRetentionDeclaration } from './category-retention';
import type { DriftObservations, RouteObservation } from './drift-observations';
import { mergeDriftObservations, undeclaredCategories } from './drift-observations';
import {
  INVENTORY_SCHEMA_ID,
  INVENTORY_SCHEMA_VERSION,
  type Inventory,
  type InventoryApp,
  type InventoryCategoryRetention,
  type InventoryController,
  type InventoryModel,
  type InventoryProblem,
  type InventoryProcessing,
  type InventoryRoute,
  type InventoryRule,
  type ObservedData,
  type SourceLocation,
} from './inventory.model';

/**
 * The security measures privacy-kit itself puts in place wherever it runs, listed in every record unless replaced.
 * What depends on the app's own configuration (log redaction) is stated only when `measures` says it is in place.
 */
export const DEFAULT_SECURITY_MEASURES: readonly string[] = [
  'Lawful basis and consent checked before each annotated route runs (fail closed: no decision, no data).',
  'Role checks on routes that declare roles.',
  'Tamper-evident audit trail of every access to personal data (keyed HMAC chain with a signed head).',
  'Callers and data subjects appear in the audit trail as keyed-HMAC pseudonyms only.',
];

/** One route as an adapter found it, with its declaration parts as written. */
export interface InventoryRouteInput {
  readonly method: string;
  readonly path: string;
  readonly aliases?: readonly string[];
  readonly handler?: string;
  readonly source?: SourceLocation | null;
  /** The declaration parts on the route (one per twin or decorator); absent or empty: not annotated. */
  readonly parts?: readonly ProcessingOptions[];
  /** Problems the adapter found that the builder cannot see (e.g. a path parameter without a subject). */
  readonly problems?: readonly string[];
}

/** Facts about the app to put in the record (Art. 30(1)(a) and (g)). */
export interface InventoryAppInput {
  readonly name?: string;
  readonly controller?: Partial<InventoryController> & { readonly name: string };
  /** Replaces {@link DEFAULT_SECURITY_MEASURES} when given. */
  readonly securityMeasures?: readonly string[];
  /** Added after the default (or given) measures. */
  readonly additionalSecurityMeasures?: readonly string[];
  /**
   * The measures that depend on the app's configuration and are in place, with how (e.g. `recordedMeasures()`, or
   * what the `privacy()` kit says); each is stated after the default (or given) measures. Absent: not stated.
   */
  readonly measures?: AppliedMeasures;
}

/** What {@link buildInventory} is made from: plain data, no framework. */
export interface InventoryInput {
  readonly routes: readonly InventoryRouteInput[];
  readonly app?: InventoryAppInput;
  /** Annotated classes to list; default: every class the metadata registry knows. */
  readonly models?: readonly Function[];
  readonly observations?: DriftObservations | readonly DriftObservations[];
  /**
   * Each category's retention as the app enforces it, e.g. `kit.retentionPolicy().categories` of
   * `@privacy-kit/express` (which knows the `retention.categories` option). Categories it does not cover inherit
   * from a broader category it covers, else are worked out from the routes' and fields' periods (the longest wins).
   * Default: all worked out from the routes and fields.
   */
  readonly retention?: readonly InventoryCategoryRetention[];
  readonly warnings?: readonly string[];
  /** Default: now; also the instant periods of different units are compared at. */
  readonly generatedAt?: Date;
}

const SUBJECT_TEXT_MAX = 120;
const UNKNOWN_CODES = new Set(['PK_UNKNOWN_CATEGORY', 'PK_UNKNOWN_PURPOSE', 'PK_UNKNOWN_BASIS', 'PK_UNKNOWN_SUBJECT_TYPE']);
const CONDITIONS: ReadonlyMap<string, { readonly article: string; readonly description: string }> = new Map(SPECIAL_CATEGORY_CONDITIONS.map((c) => [c.key, c]));

function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** The `models` of a declaration part, read leniently: anything but an array counts as none. */
function modelsOf(part: ProcessingOptions): readonly unknown[] {
  const models: unknown = part.models;
  return Array.isArray(models) ? (models as readonly unknown[]) : [];
}

function safeFields(model: Function): readonly PersonalFieldDeclaration[] {
  try {
    return getPersonalFields(model);
  } catch {
    return [];
  }
}

/** Whether a category key is special (Art. 9/10); an unknown key is not (the problem is reported elsewhere). */
function isSpecial(kind: TermKind, key: string): boolean {
  return isKnownTerm(kind, key) && resolveTerm(kind, key, 'inventory').special;
}

function subjectOf(subject: unknown): InventoryProcessing['subject'] {
  if (typeof subject !== 'function') return { resolution: 'self', resolver: null };
  const text = String(subject).replace(/\s+/g, ' ').trim();
  return { resolution: 'resolver', resolver: text.length > SUBJECT_TEXT_MAX ? `${text.slice(0, SUBJECT_TEXT_MAX - 1)}…` : text };
}

/**
 * What a declaration says, for the map: core's one merge of its parts (`mergeProcessingParts`), read leniently so
 * that a declaration that does not resolve still shows what it declares.
 */
function processingOf(parts: readonly ProcessingOptions[]): InventoryProcessing {
  const merged = mergeProcessingParts(parts, safeFields);
  const lawful = (b: unknown): b is LawfulBasis => (LAWFUL_BASES as readonly unknown[]).includes(b);
  const basis = lawful(merged.basis) ? merged.basis : merged.bases.find(lawful) ?? null;
  let retention: Retention | null = null;
  try {
    if (merged.retention !== undefined) retention = parseRetention(merged.retention, 'inventory');
  } catch {
    retention = null;
  }
  return {
    categories: [...merged.categories],
    declaredCategories: [...merged.declaredCategories],
    models: merged.models.map((m) => m.name || '(anonymous class)'),
    purposes: [...merged.purposes],
    basis,
    consentRequired: merged.consentPurposes.length > 0,
    consentPurposes: [...merged.consentPurposes],
    subject: subjectOf(merged.subjects[0]),
    subjectTypes: merged.subjectTypes.length > 0 ? [...merged.subjectTypes] : ['customer'],
    caller: (CALLER_REQUIREMENTS as readonly unknown[]).includes(merged.callers[0]) ? (merged.callers[0] as CallerRequirement) : 'required',
    roles: [...merged.roles],
    retention,
    recipients: [...merged.recipients],
    special: merged.specialCategories.length > 0,
    specialCategories: [...merged.specialCategories],
    specialCategoryConditions: merged.specialCategoryConditions.filter((key) => CONDITIONS.has(key)),
    description: merged.description === undefined ? null : String(merged.description),
  };
}

/** Which rule a declaration that does not resolve breaks. */
function ruleOf(error: unknown, parts: readonly ProcessingOptions[]): InventoryRule {
  if (isPrivacyKitError(error) && UNKNOWN_CODES.has(error.code)) return 'unknown-key';
  if (isPrivacyKitError(error, 'PK_SPECIAL_CATEGORY')) return 'special-category-condition';
  const merged = mergeProcessingParts(parts, safeFields);
  if (merged.bases.length === 0 && merged.basis === undefined) return 'missing-basis';
  if (merged.purposes.length === 0) return merged.basis === 'consent' ? 'consent-without-purpose' : 'missing-purpose';
  return 'invalid-declaration';
}

function analyse(parts: readonly ProcessingOptions[], where: string, extra: readonly string[]): { processing: InventoryProcessing; problems: InventoryProblem[] } {
  const problems: InventoryProblem[] = [];
  try {
    // Validates each part first (unknown keys), then the merged declaration (basis, purpose).
    resolveProcessing(parts, where, getPersonalFields);
  } catch (error) {
    problems.push({ rule: ruleOf(error, parts), message: isPrivacyKitError(error) ? error.message : String(error) });
  }
  for (const message of extra) {
    if (!problems.some((p) => p.message === message)) problems.push({ rule: 'invalid-declaration', message });
  }
  return { processing: processingOf(parts), problems };
}

/** The record's sentences for the measures the app has in place. */
function statedMeasures(measures: AppliedMeasures | undefined): string[] {
  const how = measures?.logRedaction;
  return typeof how === 'string' && how.trim() !== '' ? [`Personal data redacted from application logs (${how.trim()}).`] : [];
}

function appOf(input: InventoryAppInput | undefined): InventoryApp {
  const base = input?.securityMeasures ?? DEFAULT_SECURITY_MEASURES;
  const c = input?.controller;
  return {
    name: input?.name ?? 'app',
    controller: c === undefined ? null : { name: c.name, contact: c.contact ?? null, representative: c.representative ?? null, dpo: c.dpo ?? null },
    securityMeasures: unique([...base, ...statedMeasures(input?.measures), ...(input?.additionalSecurityMeasures ?? [])]),
  };
}

function describe(kind: TermKind, keys: Iterable<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [...new Set(keys)].sort()) {
    try {
      out[key] = resolveTerm(kind, key, 'inventory').description;
    } catch {
      out[key] = '(not in the vocabulary)';
    }
  }
  return out;
}

function observedFor(ids: readonly string[], observations: DriftObservations | undefined, used: Set<string>): ObservedData | null {
  const found: RouteObservation[] = [];
  for (const id of ids) {
    const seen = observations?.routes[id];
    if (seen !== undefined) {
      found.push(seen);
      used.add(id);
    }
  }
  if (found.length === 0) return null;
  return {
    categories: unique(found.flatMap((o) => o.categories)).sort(),
    samples: found.reduce((n, o) => n + o.samples, 0),
    firstSeen: found.map((o) => o.firstSeen).sort()[0] ?? '',
    lastSeen: found.map((o) => o.lastSeen).sort().at(-1) ?? '',
  };
}

/** The periods the routes and the fields of the models declare, one per category they name. */
function retentionDeclarations(routes: readonly InventoryRoute[], models: readonly InventoryModel[]): CategoryRetentionDeclaration[] {
  const out: CategoryRetentionDeclaration[] = [];
  for (const route of routes) {
    const retention = route.processing?.retention;
    if (retention === null || retention === undefined) continue;
    for (const category of route.processing?.categories ?? []) out.push({ category, retention, by: `route ${route.id}` });
  }
  for (const model of models) {
    for (const field of model.fields) {
      if (field.retention === null) continue;
      for (const category of field.categories) out.push({ category, retention: field.retention, by: `field ${model.name}.${field.property}` });
    }
  }
  return out;
}

/** Each category's retention: as given (copied to plain data), inherited from a broader given one, else worked out. */
function retentionOf(
  categories: readonly string[],
  given: readonly InventoryCategoryRetention[] | undefined,
  declarations: readonly CategoryRetentionDeclaration[],
  now: Date,
): InventoryCategoryRetention[] {
  const known = new Map<string, InventoryCategoryRetention>();
  for (const entry of given ?? []) {
    const r = entry.retention;
    known.set(entry.category, {
      category: entry.category,
      retention: r === null ? null : { text: r.text, amount: r.amount, unit: r.unit },
      declaredBy: [...entry.declaredBy],
    });
  }
  const derived = new Map(categoryRetentionOf([...categories, ...known.keys()], declarations, now).map((e) => [e.category, e]));
  return [...derived.keys()].map((category) => known.get(category) ?? inheritedCategoryRetention(category, known) ?? (derived.get(category) as InventoryCategoryRetention));
}

/**
 * Builds the inventory (the compliance map) from plain data: the routes an adapter discovered with their
 * declaration parts, the annotated model classes, and what drift detection observed. Declarations that do not
 * resolve are still shown, with their problems; nothing throws for a bad declaration.
 *
 * @param input - routes, app facts, models, observations
 * @example
 * const inventory = buildInventory({
 *   app: { name: 'shop', controller: { name: 'Shop Ltd', contact: 'privacy@shop.example' } },
 *   routes: [{ method: 'GET', path: '/me/profile', handler: 'getProfile', parts: [{ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }] }],
 * });
 */
export function buildInventory(input: InventoryInput): Inventory {
  const observationList = input.observations === undefined ? [] : Array.isArray(input.observations) ? input.observations : [input.observations as DriftObservations];
  const generatedAt = input.generatedAt ?? new Date();
  const observations = observationList.length === 0 ? undefined : mergeDriftObservations(...(observationList as DriftObservations[]));
  const usedObservations = new Set<string>();
  const seenIds = new Map<string, number>();
  const routeModels = new Map<Function, string[]>();

  const routes: InventoryRoute[] = input.routes.map((r) => {
    const method = r.method.toUpperCase();
    const baseId = `${method} ${r.path}`;
    const n = (seenIds.get(baseId) ?? 0) + 1;
    seenIds.set(baseId, n);
    const id = n === 1 ? baseId : `${baseId}#${n}`;
    const aliases = [...(r.aliases ?? [])].filter((a) => a !== r.path);
    const parts = r.parts ?? [];
    const annotated = parts.length > 0;
    const analysed = annotated ? analyse(parts, baseId, r.problems ?? []) : undefined;
    if (annotated) {
      for (const model of unique(parts.flatMap(modelsOf))) {
        if (typeof model === 'function') routeModels.set(model, [...(routeModels.get(model) ?? []), id]);
      }
    }
    const observed = n === 1 ? observedFor([baseId, ...aliases.map((a) => `${method} ${a}`)], observations, usedObservations) : null;
    const undeclared = observed === null ? [] : undeclaredCategories(observed.categories, analysed?.processing.categories ?? []);
    const problems = [...(analysed?.problems ?? [])];
    if (undeclared.length > 0) {
      problems.push({
        rule: 'undeclared-personal-data',
        message: annotated
          ? `${baseId}: its responses contained ${undeclared.join(', ')} (seen in ${observed?.samples ?? 0} sampled response(s)), which the route does not declare. Add them to the route's categories or models, or stop returning them.`
          : `${baseId}: its responses contained ${undeclared.join(', ')} (seen in ${observed?.samples ?? 0} sampled response(s)) but the route carries no annotation. Declare it with personalData({ categories, purpose, basis }) or stop returning personal data.`,
      });
    }
    return {
      id,
      method,
      path: r.path,
      aliases,
      handler: r.handler ?? '<anonymous>',
      source: r.source ?? null,
      annotated,
      processing: analysed?.processing ?? null,
      problems,
      observed,
      undeclared,
    };
  });

  const modelClasses = unique([...(input.models ?? getAnnotatedClasses()), ...routeModels.keys()]);
  const models: InventoryModel[] = modelClasses
    .map((model) => ({ model, fields: safeFields(model) }))
    .filter(({ fields }) => fields.length > 0)
    .map(({ model, fields }) => ({
      name: model.name || '(anonymous class)',
      fields: fields.map((f) => ({
        property: f.property,
        categories: [...f.categories],
        retention: f.retention ?? null,
        special: f.special,
        description: f.description ?? null,
      })),
      categories: unique(fields.flatMap((f) => f.categories)),
      special: fields.some((f) => f.special),
      usedBy: routeModels.get(model) ?? [],
    }));

  const processings = routes.map((r) => r.processing).filter((p): p is InventoryProcessing => p !== null);
  const categories = unique([
    ...processings.flatMap((p) => p.categories),
    ...models.flatMap((m) => m.categories),
    ...routes.flatMap((r) => r.observed?.categories ?? []),
  ]).sort();
  const retention = retentionOf(categories, input.retention, retentionDeclarations(routes, models), generatedAt);
  const purposes = unique(processings.flatMap((p) => [...p.purposes, ...p.consentPurposes])).sort();
  const subjectTypes = unique(processings.flatMap((p) => p.subjectTypes)).sort();
  const warnings = [...(input.warnings ?? [])];
  for (const id of Object.keys(observations?.routes ?? {})) {
    if (!usedObservations.has(id)) warnings.push(`Observed responses of '${id}', which is not a route of this app (a stale observations file, or a route the router walk cannot see).`);
  }

  return {
    $schema: INVENTORY_SCHEMA_ID,
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    generatedAt: isoTime(generatedAt),
    generator: 'privacy-kit',
    app: appOf(input.app),
    routes,
    models,
    retention,
    terms: {
      categories: describe('category', [...categories, ...retention.map((r) => r.category)]),
      purposes: describe('purpose', purposes),
      subjectTypes: describe('subjectType', subjectTypes),
      specialCategoryConditions: Object.fromEntries(unique(processings.flatMap((p) => p.specialCategoryConditions)).sort().map((key) => {
        const c = CONDITIONS.get(key) as { readonly article: string; readonly description: string };
        return [key, `${c.article}: ${c.description}`];
      })),
    },
    summary: {
      routes: routes.length,
      annotated: routes.filter((r) => r.annotated).length,
      unannotated: routes.filter((r) => !r.annotated).length,
      withProblems: routes.filter((r) => r.problems.some((p) => p.rule !== 'undeclared-personal-data')).length,
      withUndeclared: routes.filter((r) => r.undeclared.length > 0).length,
      categories,
      specialCategories: categories.filter((c) => isSpecial('category', c)),
      purposes,
      bases: unique(processings.map((p) => p.basis).filter((b): b is LawfulBasis => b !== null)).sort(),
      subjectTypes,
      recipients: unique(processings.flatMap((p) => p.recipients)).sort(),
    },
    warnings,
  };
}
