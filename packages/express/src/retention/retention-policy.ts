import { categoryRetentionOf, getAnnotatedClasses, getPersonalFields, retentionCutoff, type CategoryRetentionDeclaration, type Retention } from '@privacy-kit/core';
import type { CompiledRoute } from '../engine/route-compiler';
import type { PurgeScope } from '../sources/data-source';
import type { RegisteredSource } from '../sources/data-source.registry';

/** The retention period of one data category and where it was declared. */
export interface CategoryRetention {
  readonly category: string;
  /** The period in force for the category, or null when nothing declares one (kept until erased). */
  readonly retention: Retention | null;
  /**
   * Who declared it: 'retention.categories' (the option, which wins), 'route GET /me/orders', 'field Order.lines'.
   * Several routes or fields may declare periods for one category; the longest is in force.
   */
  readonly declaredBy: readonly string[];
}

/** How a sweep purges one source: one call of `purge()` per period. */
export interface SourceRetentionPlan {
  readonly source: string;
  /** The source has a `purge()`. */
  readonly purge: boolean;
  readonly scopes: readonly PurgeScope[];
  /** Personal fields for which nothing declares a period: they are kept until erased. */
  readonly unlimited: readonly string[];
}

/** Each category's retention and each source's purge plan: what the inventory shows and what `sweep()` runs. */
export interface RetentionPolicy {
  readonly categories: readonly CategoryRetention[];
  readonly sources: readonly SourceRetentionPlan[];
}

/** What the policy is built from. */
export interface RetentionInputs {
  /** `retention.categories` of the options. */
  readonly categories: ReadonlyMap<string, Retention>;
  /** The app's annotated routes. */
  readonly routes: readonly CompiledRoute[];
  readonly sources: readonly RegisteredSource[];
  /** Used to compare periods of different units (months and years are calendar units). */
  readonly now: Date;
}

/** The category, then each broader one: 'user.contact.email', 'user.contact', 'user'. */
function ancestorsOrSelf(category: string): string[] {
  const out: string[] = [];
  for (let key: string | undefined = category; key !== undefined; key = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : undefined) out.push(key);
  return out;
}

/**
 * Works out each category's retention and each source's purge plan. Precedence for a category: the
 * `retention.categories` option (nearest ancestor included), else the longest period declared on routes and fields
 * for it (or its nearest declared ancestor). For a source's field: the field's own period, else its categories' (the
 * longest), else the source's `retention`.
 *
 * @param inputs - options, routes and sources
 */
export function buildRetentionPolicy(inputs: RetentionInputs): RetentionPolicy {
  const longer = (a: Retention, b: Retention): boolean => retentionCutoff(a, inputs.now).getTime() < retentionCutoff(b, inputs.now).getTime();
  const declarations: CategoryRetentionDeclaration[] = [];
  const seen = new Set<string>(inputs.categories.keys());
  const add = (category: string, retention: Retention | undefined, by: string): void => {
    seen.add(category);
    if (retention !== undefined) declarations.push({ category, retention, by });
  };
  for (const route of inputs.routes) {
    for (const category of route.declaration.categories) add(category, route.declaration.retention, `route ${route.method} ${route.pattern}`);
  }
  const classes = new Set<Function>([...getAnnotatedClasses(), ...inputs.sources.map((s) => s.source.model)]);
  for (const model of classes) {
    for (const field of getPersonalFields(model)) {
      for (const category of field.categories) add(category, field.retention, `field ${model.name}.${field.property}`);
    }
  }
  for (const registered of inputs.sources) for (const category of registered.categories) seen.add(category);
  // The rule without the option is core's, shared with the inventory: longest declared period, nearest ancestor.
  const derived = new Map(categoryRetentionOf(seen, declarations, inputs.now).map((entry) => [entry.category, entry]));

  const effective = (category: string): CategoryRetention => {
    for (const key of ancestorsOrSelf(category)) {
      const option = inputs.categories.get(key);
      if (option !== undefined) return { category, retention: option, declaredBy: [key === category ? 'retention.categories' : `retention.categories (${key})`] };
    }
    return derived.get(category) ?? (categoryRetentionOf([category], declarations, inputs.now).find((e) => e.category === category) as CategoryRetention);
  };

  const sources = inputs.sources.map((registered): SourceRetentionPlan => {
    const groups = new Map<string, { retention: Retention; fields: string[]; categories: Set<string> }>();
    const unlimited: string[] = [];
    for (const field of registered.fields.values()) {
      let period = field.retention;
      if (period === undefined) {
        for (const category of field.categories) {
          const found = effective(category).retention;
          if (found !== null && (period === undefined || longer(found, period))) period = found;
        }
      }
      period ??= registered.retention;
      if (period === undefined) {
        unlimited.push(field.property);
        continue;
      }
      const key = `${period.amount}:${period.unit}`;
      const group = groups.get(key) ?? { retention: period, fields: [], categories: new Set<string>() };
      group.fields.push(field.property);
      for (const category of field.categories) group.categories.add(category);
      groups.set(key, group);
    }
    const scopes = [...groups.values()]
      .sort((a, b) => (longer(a.retention, b.retention) ? 1 : longer(b.retention, a.retention) ? -1 : 0))
      .map((g): PurgeScope => ({ retention: g.retention, fields: g.fields, categories: [...g.categories], allFields: g.fields.length === registered.fields.size }));
    return { source: registered.name, purge: registered.source.purge !== undefined, scopes, unlimited };
  });

  const categories = [...seen].sort().map(effective);
  return { categories, sources };
}
