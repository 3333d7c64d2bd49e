import type { CopyColumnAffinity } from './copy-contracts';
import type { CopyStrategy } from './copy-mapping';

/** Every copy strategy, in the order the docs list them. */
export const COPY_STRATEGIES: readonly CopyStrategy[] = [
  'pseudonym', 'email', 'phone', 'iban', 'card', 'name', 'firstName', 'lastName', 'street', 'city', 'postalCode', 'region',
  'country', 'address', 'ip', 'birthDate', 'birthYear', 'scrub', 'shape', 'nullify', 'drop', 'keep',
];

/** How far `birthDate` moves a date by default, in days. */
export const DEFAULT_SHIFT_DAYS = 180;

/**
 * The strategy a category gets when a column rule names none, by category key; a category takes the entry of its
 * longest prefix (on dot boundaries). Categories with no entry (special categories, location, most demographics,
 * the workplace) need an explicit strategy: guessing how to pseudonymize them would be a silent choice.
 */
const CATEGORY_DEFAULTS: ReadonlyMap<string, CopyStrategy> = new Map<string, CopyStrategy>([
  ['user.contact.email', 'email'],
  ['user.contact.phone_number', 'phone'],
  ['user.financial.bank_account', 'iban'],
  ['user.financial.credit_card', 'card'],
  ['user.name', 'name'],
  ['user.name.first', 'firstName'],
  ['user.name.last', 'lastName'],
  ['user.contact.address', 'address'],
  ['user.contact.address.street', 'street'],
  ['user.contact.address.city', 'city'],
  ['user.contact.address.postal_code', 'postalCode'],
  ['user.contact.address.state', 'region'],
  ['user.contact.address.country', 'country'],
  ['user.demographic.date_of_birth', 'birthDate'],
  ['user.device.ip_address', 'ip'],
  ['user.unique_id', 'pseudonym'],
  ['user.account.username', 'pseudonym'],
  ['user.device.cookie_id', 'pseudonym'],
  ['user.device.device_id', 'pseudonym'],
  ['user.government_id', 'pseudonym'],
  ['user.authorization', 'pseudonym'],
  ['user.content', 'scrub'],
  ['user.behavior', 'scrub'],
]);

/**
 * The default strategy of one category: the entry of its longest prefix, or undefined when it has none.
 *
 * @param category - a category key, e.g. 'user.contact.address.street'
 */
export function defaultStrategyOfCategory(category: string): CopyStrategy | undefined {
  for (let key = category; key !== ''; key = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : '') {
    const found = CATEGORY_DEFAULTS.get(key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The default strategy of a field with these categories: the first category that has one.
 *
 * @param categories - the field's categories, in declaration order
 */
export function defaultStrategyOf(categories: readonly string[]): CopyStrategy | undefined {
  for (const category of categories) {
    const found = defaultStrategyOfCategory(category);
    if (found !== undefined) return found;
  }
  return undefined;
}

const TEXT: readonly CopyColumnAffinity[] = ['text'];
/** The column affinities each strategy can write; `keep`, `drop` and `nullify` fit any column. */
const FITS: Readonly<Partial<Record<CopyStrategy, readonly CopyColumnAffinity[]>>> = {
  pseudonym: ['text', 'integer', 'uuid'],
  email: TEXT, phone: TEXT, iban: TEXT, card: TEXT, name: TEXT, firstName: TEXT, lastName: TEXT, street: TEXT, city: TEXT,
  postalCode: TEXT, region: TEXT, country: TEXT, address: TEXT, shape: TEXT,
  // PostgreSQL's inet and cidr have no affinity of their own.
  ip: ['text', 'other'],
  birthDate: ['date', 'timestamp', 'text'],
  birthYear: ['date', 'timestamp', 'text'],
  scrub: ['text', 'json'],
};

/**
 * The affinities a strategy can write, or undefined when it fits any column.
 *
 * @param strategy - the column's strategy
 */
export function affinitiesOf(strategy: CopyStrategy): readonly CopyColumnAffinity[] | undefined {
  return FITS[strategy];
}
