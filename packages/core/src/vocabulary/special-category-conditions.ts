import { coreError } from '../errors/core.error';
import { closest } from './suggest';

/** One condition under which special category data may be processed. */
export interface SpecialCategoryConditionDefinition {
  /** The key a declaration names, e.g. 'health_care'. */
  readonly key: string;
  /** Where the GDPR states it, e.g. 'Art. 9(2)(h)'. */
  readonly article: string;
  /** What it covers, for people and the record. */
  readonly description: string;
  /** The data it is a condition for: Art. 9 special categories, or criminal convictions and offences (Art. 10). */
  readonly appliesTo: 'art9' | 'art10';
}

/**
 * The conditions of GDPR Art. 9(2)(a)–(j) for special category data, and the two of Art. 10 for data on criminal
 * convictions and offences, as a closed vocabulary with readable keys. A declaration that processes such data names
 * the condition it relies on (`specialCategoryCondition`), besides its Art. 6 lawful basis.
 */
export const SPECIAL_CATEGORY_CONDITIONS = [
  { key: 'explicit_consent', article: 'Art. 9(2)(a)', appliesTo: 'art9', description: 'Explicit consent of the data subject for one or more specified purposes' },
  { key: 'employment', article: 'Art. 9(2)(b)', appliesTo: 'art9', description: 'Obligations and rights in employment, social security and social protection law' },
  { key: 'vital_interests', article: 'Art. 9(2)(c)', appliesTo: 'art9', description: 'Vital interests of a person who is physically or legally incapable of giving consent' },
  { key: 'not_for_profit_body', article: 'Art. 9(2)(d)', appliesTo: 'art9', description: 'Legitimate activities of a not-for-profit body, about its members or regular contacts' },
  { key: 'made_public', article: 'Art. 9(2)(e)', appliesTo: 'art9', description: 'Data manifestly made public by the data subject' },
  { key: 'legal_claims', article: 'Art. 9(2)(f)', appliesTo: 'art9', description: 'Establishing, exercising or defending legal claims, or courts acting in their judicial capacity' },
  { key: 'substantial_public_interest', article: 'Art. 9(2)(g)', appliesTo: 'art9', description: 'Substantial public interest on the basis of Union or Member State law' },
  { key: 'health_care', article: 'Art. 9(2)(h)', appliesTo: 'art9', description: 'Preventive or occupational medicine, medical diagnosis, or the provision of health or social care or treatment' },
  { key: 'public_health', article: 'Art. 9(2)(i)', appliesTo: 'art9', description: 'Public interest in the area of public health' },
  { key: 'archiving_research', article: 'Art. 9(2)(j)', appliesTo: 'art9', description: 'Archiving in the public interest, scientific or historical research, or statistics' },
  { key: 'official_authority', article: 'Art. 10', appliesTo: 'art10', description: 'Processing under the control of official authority' },
  { key: 'authorised_by_law', article: 'Art. 10', appliesTo: 'art10', description: 'Processing authorised by Union or Member State law that provides appropriate safeguards' },
] as const satisfies readonly SpecialCategoryConditionDefinition[];

/** A key of {@link SPECIAL_CATEGORY_CONDITIONS}, e.g. 'health_care' (Art. 9(2)(h)). */
export type SpecialCategoryCondition = (typeof SPECIAL_CATEGORY_CONDITIONS)[number]['key'];

const BY_KEY: ReadonlyMap<string, SpecialCategoryConditionDefinition> = new Map(SPECIAL_CATEGORY_CONDITIONS.map((c) => [c.key, c]));
const KEYS: readonly string[] = SPECIAL_CATEGORY_CONDITIONS.map((c) => c.key);

/** The category of data on criminal convictions and offences (Art. 10); its children are too. */
const CRIMINAL_OFFENCES = 'user.criminal_history';

/**
 * Whether a special category key is data on criminal convictions and offences (Art. 10) rather than an Art. 9
 * special category.
 *
 * @example
 * isCriminalOffenceCategory('user.criminal_history.convictions'); // true
 */
export function isCriminalOffenceCategory(key: string): boolean {
  return key === CRIMINAL_OFFENCES || key.startsWith(`${CRIMINAL_OFFENCES}.`);
}

/**
 * The definition of a condition, or throws a `PK_SPECIAL_CATEGORY` error naming where it was used, the closest key
 * and every key.
 *
 * @param value - as declared
 * @param where - e.g. 'GET /me/health'
 * @example
 * specialCategoryConditionOf('health_care', 'GET /me/health').article; // 'Art. 9(2)(h)'
 */
export function specialCategoryConditionOf(value: unknown, where: string): SpecialCategoryConditionDefinition {
  const found = typeof value === 'string' ? BY_KEY.get(value) : undefined;
  if (found !== undefined) return found;
  const near = typeof value === 'string' ? closest(value.replace(/-/g, '_'), KEYS) ?? closest(value, KEYS) : undefined;
  throw coreError(
    'PK_SPECIAL_CATEGORY',
    `${where}: unknown specialCategoryCondition ${typeof value === 'string' ? `'${value}'` : JSON.stringify(value)}.` +
      `${near === undefined ? '' : ` Did you mean '${near}'?`} Use one of ${KEYS.join(', ')} (Art. 9(2)(a)–(j), then Art. 10).`,
  );
}

/** The keys of the conditions for Art. 9 data, or for Art. 10 data. */
export function specialCategoryConditionKeys(appliesTo: SpecialCategoryConditionDefinition['appliesTo']): readonly string[] {
  return SPECIAL_CATEGORY_CONDITIONS.filter((c) => c.appliesTo === appliesTo).map((c) => c.key);
}
