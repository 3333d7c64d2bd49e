import type { MatchKind } from '../detectors/detector';

/**
 * What a field name says about its value. The same table drives structured redaction (`{ password: ... }`),
 * `key=value` pairs in text (`password=...`, `"email":"..."`) and `findPersonalData`.
 */
export interface KeyKind extends MatchKind {
  /** In text, the value runs to the end of the line (`Authorization: Bearer x`, `Cookie: a=1; b=2`). */
  readonly untilLineEnd: boolean;
}

/**
 * A key kind.
 *
 * @param label - the short name in replacements
 * @param category - the fideslang category
 * @param extra - secret, redact and untilLineEnd flags (defaults: false, true, false)
 */
export function kind(label: string, category: string, extra: Partial<Pick<KeyKind, 'secret' | 'redact' | 'untilLineEnd'>> = {}): KeyKind {
  return Object.freeze({
    label,
    category,
    secret: extra.secret ?? false,
    redact: extra.redact ?? true,
    untilLineEnd: extra.untilLineEnd ?? false,
  });
}

const CREDENTIALS = 'user.authorization.credentials';

/** The kinds of sensitive keys, by name. */
export const KEY_KINDS = {
  password: kind('password', CREDENTIALS, { secret: true }),
  secret: kind('secret', CREDENTIALS, { secret: true }),
  token: kind('token', CREDENTIALS, { secret: true }),
  apiKey: kind('api_key', CREDENTIALS, { secret: true }),
  authorization: kind('authorization', CREDENTIALS, { secret: true, untilLineEnd: true }),
  auth: kind('authorization', CREDENTIALS, { secret: true }),
  cookie: kind('cookie', 'user.device.cookie_id', { secret: true, untilLineEnd: true }),
  session: kind('session', CREDENTIALS, { secret: true }),
  ssn: kind('ssn', 'user.government_id.national_identification_number'),
  nationalId: kind('national_id', 'user.government_id.national_identification_number'),
  passport: kind('passport', 'user.government_id.passport_number'),
  driversLicense: kind('drivers_license', 'user.government_id.drivers_license_number'),
  iban: kind('iban', 'user.financial.bank_account'),
  bankAccount: kind('bank_account', 'user.financial.bank_account'),
  card: kind('card', 'user.financial.credit_card'),
  cardSecurityCode: kind('card', 'user.financial.credit_card', { secret: true }),
  email: kind('email', 'user.contact.email'),
  phone: kind('phone', 'user.contact.phone_number'),
  dateOfBirth: kind('dob', 'user.demographic.date_of_birth'),
  personName: kind('name', 'user.name'),
  name: kind('name', 'user.name', { redact: false }),
  username: kind('username', 'user.account.username'),
  address: kind('address', 'user.contact.address'),
  postalCode: kind('address', 'user.contact.address.postal_code'),
  ip: kind('ip', 'user.device.ip_address'),
  location: kind('location', 'user.location.precise'),
} as const;

type KindName = keyof typeof KEY_KINDS;

/** Normalised keys (lower case, letters and digits only) of each kind. */
const EXACT_KEYS: Readonly<Record<KindName, readonly string[]>> = {
  password: ['password', 'passwd', 'pwd', 'pass', 'passphrase', 'pin', 'otp', 'totp', 'mfacode', 'passcode'],
  secret: ['secret', 'credentials', 'credential', 'privatekey', 'secretkey', 'signingkey', 'encryptionkey', 'masterkey'],
  token: ['token', 'jwt', 'bearer', 'accesstoken', 'refreshtoken', 'idtoken'],
  apiKey: ['apikey', 'xapikey', 'apisecret', 'accesskey', 'accesskeyid', 'clientkey'],
  authorization: ['authorization', 'proxyauthorization'],
  auth: ['auth', 'xauth', 'basicauth'],
  cookie: ['cookie', 'cookies', 'setcookie'],
  session: ['session', 'sessionid', 'sid', 'sessid', 'phpsessid', 'jsessionid', 'connectsid'],
  ssn: ['ssn', 'socialsecuritynumber', 'socialsecurityno'],
  nationalId: ['nino', 'nin', 'nationalinsurancenumber', 'nationalid', 'nationalidnumber', 'taxid', 'tin', 'personalnumber', 'idnumber'],
  passport: ['passport', 'passportnumber', 'passportno'],
  driversLicense: ['driverslicense', 'driverlicense', 'drivinglicence', 'licensenumber', 'licencenumber'],
  iban: ['iban'],
  bankAccount: ['bankaccount', 'bankaccountnumber', 'accountnumber', 'routingnumber', 'sortcode'],
  card: ['card', 'cardnumber', 'creditcard', 'creditcardnumber', 'ccnumber', 'cardno', 'pan', 'debitcard'],
  cardSecurityCode: ['cvv', 'cvv2', 'cvc', 'cvc2', 'securitycode', 'cardsecuritycode', 'cardcvv', 'cardcvc'],
  email: ['email', 'emailaddress', 'mail', 'useremail'],
  phone: ['phone', 'phonenumber', 'phoneno', 'mobile', 'mobilenumber', 'mobilephone', 'cell', 'cellphone', 'tel', 'telephone', 'msisdn', 'fax'],
  dateOfBirth: ['dob', 'dateofbirth', 'birthdate', 'birthday', 'bday'],
  personName: ['firstname', 'lastname', 'fullname', 'givenname', 'familyname', 'surname', 'middlename', 'maidenname', 'forename'],
  name: ['name', 'displayname'],
  username: ['username', 'userlogin', 'login'],
  address: ['address', 'streetaddress', 'street', 'addressline', 'addressline1', 'addressline2', 'homeaddress', 'streetname', 'housenumber', 'billingaddress', 'shippingaddress', 'postaladdress'],
  postalCode: ['postcode', 'postalcode', 'zip', 'zipcode'],
  ip: ['ip', 'ipaddress', 'ipaddr', 'clientip', 'remoteip', 'userip', 'remoteaddr', 'remoteaddress', 'xforwardedfor', 'xrealip', 'forwardedfor', 'cfconnectingip', 'trueclientip'],
  location: ['lat', 'lng', 'lon', 'latitude', 'longitude', 'geolocation', 'coordinates'],
};

const EXACT = new Map<string, KindName>();
for (const name of Object.keys(EXACT_KEYS) as KindName[]) for (const key of EXACT_KEYS[name]) EXACT.set(key, name);

/** Rules for the many spellings that compose these words (`db_password`, `x-auth-token`, `billing_email`). */
const CONTAINS: readonly (readonly [string, KindName])[] = [
  ['password', 'password'],
  ['passwd', 'password'],
  ['passphrase', 'password'],
  ['secret', 'secret'],
  ['privatekey', 'secret'],
];
const SUFFIXES: readonly (readonly [string, KindName])[] = [
  ['token', 'token'],
  ['apikey', 'apiKey'],
  ['accesskey', 'apiKey'],
  ['authorization', 'authorization'],
  ['cookie', 'cookie'],
  ['sessionid', 'session'],
  ['ssn', 'ssn'],
  ['iban', 'iban'],
  ['cardnumber', 'card'],
  ['creditcard', 'card'],
  ['cvv', 'cardSecurityCode'],
  ['email', 'email'],
  ['emailaddress', 'email'],
  ['phone', 'phone'],
  ['phonenumber', 'phone'],
  ['dateofbirth', 'dateOfBirth'],
  ['birthdate', 'dateOfBirth'],
  ['firstname', 'personName'],
  ['lastname', 'personName'],
  ['fullname', 'personName'],
  ['surname', 'personName'],
  ['ipaddress', 'ip'],
  ['clientip', 'ip'],
  ['address', 'address'],
  ['street', 'address'],
  ['postcode', 'postalCode'],
  ['postalcode', 'postalCode'],
  ['zipcode', 'postalCode'],
];

/** Lower-cases a key and keeps only its letters and digits: 'X-Api-Key', 'api_key' and 'apiKey' all give 'apikey'. */
export function normalizeKey(key: string): string {
  let plain = true;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) {
      plain = false;
      break;
    }
  }
  return plain ? key : key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function classifyNormalized(normalized: string): KeyKind | undefined {
  const exact = EXACT.get(normalized);
  if (exact !== undefined) return KEY_KINDS[exact];
  const field = declared.get(normalized);
  if (field !== undefined) return field;
  if (normalized.length < 3) return undefined;
  for (const [word, name] of CONTAINS) if (normalized.includes(word)) return KEY_KINDS[name];
  for (const [word, name] of SUFFIXES) if (normalized.endsWith(word)) return KEY_KINDS[name];
  return undefined;
}

const CACHE_LIMIT = 4096;
const cache = new Map<string, KeyKind | null>();

/** Field names declared personal with `@PersonalData` anywhere in the app (normalised), with their kinds. */
let declared: ReadonlyMap<string, KeyKind> = new Map();

/**
 * Makes the names of `@PersonalData` fields sensitive keys too, so that a declared field is recognised when
 * it appears outside its class: in `key=value` text, in `util.inspect`/`%o` output, in a plain-object copy.
 *
 * @param fields - normalised field name to kind (see `refreshDeclaredKeys` in walk/class-fields)
 */
export function setDeclaredKeys(fields: ReadonlyMap<string, KeyKind>): void {
  declared = fields;
  declaredVersion++;
  cache.clear();
}

let declaredVersion = 0;

/** Changes whenever the declared keys change: what text was found clean under the old ones must be looked at again. */
export function declaredKeysVersion(): number {
  return declaredVersion;
}

/**
 * What a field name says about its value, matched case-insensitively in its common spellings
 * (`password`, `Passwd`, `db_password`, `X-Api-Key`, `set-cookie`, `cardNumber`, `e_mail`, `dateOfBirth`),
 * or undefined for an ordinary key.
 *
 * @param key - a property name, header name or the key of a `key=value` pair
 * @example
 * classifyKey('X-Api-Key')?.label; // 'api_key'
 * classifyKey('max_tokens'); // undefined
 */
export function classifyKey(key: string): KeyKind | undefined {
  const cached = cache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  if (key.length > 64) return undefined;
  const found = classifyNormalized(normalizeKey(key));
  if (cache.size < CACHE_LIMIT) cache.set(key, found ?? null);
  return found;
}
