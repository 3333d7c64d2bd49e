import { retentionCutoff } from '../retention/calendar';
import type { Retention } from '../retention/retention';
import type { InventoryCategoryRetention } from './inventory.model';

/** A retention period that one route or field declares for one category. */
export interface CategoryRetentionDeclaration {
  readonly category: string;
  readonly retention: Retention;
  /** Who declares it, e.g. 'route GET /me/orders' or 'field Order.lines'. */
  readonly by: string;
}

/** A copy with exactly the fields of {@link Retention}, for JSON that validates against the schema. */
function plain(retention: Retention): Retention {
  return { text: retention.text, amount: retention.amount, unit: retention.unit };
}

/** The category, then each broader category: 'user.contact.email', 'user.contact', 'user'. */
function ancestorsOrSelf(category: string): string[] {
  const out: string[] = [];
  for (let key: string | undefined = category; key !== undefined; key = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : undefined) out.push(key);
  return out;
}

/**
 * Works out each category's time limit for erasure from the periods that routes and fields declare. A category
 * gets the longest period declared for it, else the longest declared for its nearest broader category that has
 * one ('user.contact' covers 'user.contact.email'). Months and years are calendar units, compared at `now`. A
 * category nothing covers gets `retention: null`: it is kept until erased. This is the rule `privacy()`'s
 * `retentionPolicy()` applies when no `retention.categories` option overrides it.
 *
 * @param categories - the categories to cover (those the declarations name are covered too)
 * @param declarations - the periods declared, each with who declares it
 * @param now - the instant periods of different units are compared at; default now
 * @returns one entry per category, sorted by category
 * @example
 * const twoYears = parseRetention('2y', 'field UserProfile.dateOfBirth');
 * categoryRetentionOf(['user.name'], [{ category: 'user.demographic.date_of_birth', retention: twoYears, by: 'field UserProfile.dateOfBirth' }]);
 * // [{ category: 'user.demographic.date_of_birth', retention: twoYears, declaredBy: ['field UserProfile.dateOfBirth'] },
 * //  { category: 'user.name', retention: null, declaredBy: [] }]
 */
export function categoryRetentionOf(
  categories: Iterable<string>,
  declarations: readonly CategoryRetentionDeclaration[],
  now: Date = new Date(),
): InventoryCategoryRetention[] {
  const declared = new Map<string, CategoryRetentionDeclaration[]>();
  for (const declaration of declarations) {
    const list = declared.get(declaration.category) ?? [];
    if (!list.some((d) => d.by === declaration.by)) list.push(declaration);
    declared.set(declaration.category, list);
  }
  const longer = (a: Retention, b: Retention): boolean => retentionCutoff(a, now).getTime() < retentionCutoff(b, now).getTime();
  const all = [...new Set([...categories, ...declared.keys()])].sort();
  return all.map((category): InventoryCategoryRetention => {
    for (const key of ancestorsOrSelf(category)) {
      const list = declared.get(key);
      if (list === undefined || list.length === 0) continue;
      const longest = list.reduce((a, b) => (longer(b.retention, a.retention) ? b : a));
      return { category, retention: plain(longest.retention), declaredBy: list.map((d) => (key === category ? d.by : `${d.by} (${key})`)) };
    }
    return { category, retention: null, declaredBy: [] };
  });
}

/**
 * The entry for `category` inherited from its nearest broader category in `known` that has a period, with each
 * declarer marked by the category it was declared for; undefined when no broader category in `known` has one.
 *
 * @param category - a category `known` has no entry for
 * @param known - entries by category, e.g. from `privacy()`'s `retentionPolicy()`
 */
export function inheritedCategoryRetention(category: string, known: ReadonlyMap<string, InventoryCategoryRetention>): InventoryCategoryRetention | undefined {
  for (const key of ancestorsOrSelf(category).slice(1)) {
    const entry = known.get(key);
    if (entry === undefined) continue;
    if (entry.retention === null) return undefined;
    // An entry that already inherits names its source, e.g. 'route GET /me (user)': keep that name.
    const inherits = (by: string): boolean => {
      const from = / \(([^()]+)\)$/.exec(by)?.[1];
      return from !== undefined && key.startsWith(`${from}.`);
    };
    return { category, retention: plain(entry.retention), declaredBy: entry.declaredBy.map((by) => (inherits(by) ? by : `${by} (${key})`)) };
  }
  return undefined;
}
