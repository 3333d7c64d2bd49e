import type { Prng } from './prng';

/**
 * Generators of personal values that look real to a detector but belong to no one: e-mails under example.*
 * domains, cards from test BIN ranges with a computed Luhn digit, IBANs with computed mod-97 check digits,
 * documentation IP ranges (RFC 5737, RFC 3849), fictional phone ranges (Ofcom drama numbers, NANP 555-01xx),
 * made-up names. Each returns the exact text planted.
 */

const FIRST = ['Alcibia', 'Brunhilde', 'Chiarina', 'Dmitrova', 'Elowen', 'Faridun', 'Gretchenne', 'Hirokazu', 'Isaura', 'Jonquil', 'Keziah', 'Lucasta', 'Marendra', 'Nadiyah', 'Oskarine', 'Priyanka'];
const LAST = ['Example', 'Sampleton', 'Testwood', 'Mockford', 'Placeholder', 'Fictus', 'Demoulin', 'Specimen', 'Prototyp', 'Dummett'];
const STREETS = ['Elm', 'Juniper', 'Harbour', 'Quarry', 'Lantern', 'Orchard', 'Kestrel', 'Mill'];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com', 'shop.example.org'];
const WORDS = ['river', 'copper', 'violet', 'stone', 'maple', 'falcon', 'ember', 'cobalt', 'meadow', 'quartz'];

export function personName(rng: Prng): { first: string; last: string } {
  return { first: rng.pick(FIRST), last: `${rng.pick(LAST)}${rng.int(1, 999)}` };
}

export function email(rng: Prng): string {
  const { first, last } = personName(rng);
  const local = rng.pick([
    `${first}.${last}`.toLowerCase(),
    `${first[0]}${last}`.toLowerCase(),
    `${first.toLowerCase()}+${rng.pick(WORDS)}`,
    `${first.toLowerCase()}_${rng.int(10, 9999)}`,
    `${first}.${last}`,
  ]);
  return `${local}@${rng.pick(DOMAINS)}`;
}

function luhnDigit(partial: string): string {
  let sum = 0;
  let double = true;
  for (let i = partial.length - 1; i >= 0; i--) {
    let d = partial.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return String((10 - (sum % 10)) % 10);
}

const CARD_RANGES: readonly { prefix: string; length: number; groups: readonly number[] }[] = [
  { prefix: '411111', length: 16, groups: [4, 4, 4, 4] },
  { prefix: '424242', length: 16, groups: [4, 4, 4, 4] },
  { prefix: '401288', length: 16, groups: [4, 4, 4, 4] },
  { prefix: '555555', length: 16, groups: [4, 4, 4, 4] },
  { prefix: '510510', length: 16, groups: [4, 4, 4, 4] },
  { prefix: '222300', length: 16, groups: [4, 4, 4, 4] },
  { prefix: '378282', length: 15, groups: [4, 6, 5] },
  { prefix: '371449', length: 15, groups: [4, 6, 5] },
  { prefix: '601111', length: 16, groups: [4, 4, 4, 4] },
  { prefix: '353011', length: 16, groups: [4, 4, 4, 4] },
  { prefix: '305693', length: 14, groups: [4, 6, 4] },
];

/** A Luhn-valid card number from a test BIN range, compact or grouped with spaces or dashes. */
export function card(rng: Prng): string {
  const range = rng.pick(CARD_RANGES);
  const body = range.prefix + rng.digits(range.length - range.prefix.length - 1);
  const digits = body + luhnDigit(body);
  const style = rng.int(0, 2);
  if (style === 0) return digits;
  const sep = style === 1 ? ' ' : '-';
  const parts: string[] = [];
  let at = 0;
  for (const g of range.groups) {
    parts.push(digits.slice(at, at + g));
    at += g;
  }
  return parts.join(sep);
}

/** A 16-digit number that fails the Luhn check (an order id), a hard negative. */
export function luhnInvalidId(rng: Prng): string {
  const body = '4' + rng.digits(14);
  const valid = Number(luhnDigit(body));
  return body + String((valid + rng.int(1, 9)) % 10);
}

function mod97(text: string): number {
  let r = 0;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c >= 48 && c <= 57) r = (r * 10 + (c - 48)) % 97;
    else r = (r * 100 + (c - 55)) % 97;
  }
  return r;
}

const IBAN_FORMATS: readonly { country: string; bban: (rng: Prng) => string }[] = [
  { country: 'DE', bban: (rng) => rng.digits(18) },
  { country: 'FR', bban: (rng) => rng.digits(23) },
  { country: 'ES', bban: (rng) => rng.digits(20) },
  { country: 'BE', bban: (rng) => rng.digits(12) },
  { country: 'NL', bban: (rng) => rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4) + rng.digits(10) },
  { country: 'GB', bban: (rng) => rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4) + rng.digits(14) },
  { country: 'IT', bban: (rng) => rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1) + rng.digits(22) },
  { country: 'CH', bban: (rng) => rng.digits(17) },
];

/** An IBAN with computed mod-97 check digits, compact or in groups of four. */
export function iban(rng: Prng): string {
  const format = rng.pick(IBAN_FORMATS);
  const bban = format.bban(rng);
  const check = String(98 - mod97(`${bban}${format.country}00`)).padStart(2, '0');
  const compact = `${format.country}${check}${bban}`;
  return rng.chance(0.5) ? compact : compact.replace(/(.{4})(?=.)/g, '$1 ');
}

/** An IPv4 address from the documentation ranges (RFC 5737). */
export function ipv4(rng: Prng): string {
  const net = rng.pick(['192.0.2', '198.51.100', '203.0.113']);
  return `${net}.${rng.int(1, 254)}`;
}

/** An IPv6 address in the documentation prefix 2001:db8::/32 (RFC 3849), in one of its written forms. */
export function ipv6(rng: Prng): string {
  const group = (): string => rng.hex(rng.int(1, 4)).replace(/^0+(?=.)/, '');
  switch (rng.int(0, 5)) {
    case 0:
      return `2001:db8::${group()}:${group()}`;
    case 1:
      return `2001:0db8:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}`;
    case 2:
      return `2001:DB8:${group().toUpperCase()}::${group().toUpperCase()}`;
    case 3:
      return `::ffff:${ipv4(rng)}`;
    case 4:
      return `2001:db8:${group()}:${group()}::${rng.int(1, 9)}`;
    default:
      return `fe80::${rng.hex(4)}:${rng.hex(4)}`;
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** A JWT (HS256 header, a made-up subject, a random signature). */
export function jwt(rng: Prng): string {
  const header = base64url(JSON.stringify({ alg: rng.pick(['HS256', 'RS256', 'ES256']), typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ sub: `user-${rng.int(1, 99999)}`, iat: 1705314600 + rng.int(0, 99999), scope: rng.pick(WORDS) }));
  const signature = rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 43);
  return `${header}.${payload}.${signature}`;
}

/** A US SSN in a range the SSA issues (area not 000/666/9xx, group not 00, serial not 0000). */
export function ssn(rng: Prng): string {
  let area = rng.int(1, 899);
  if (area === 666) area = 667;
  const text = `${String(area).padStart(3, '0')}-${String(rng.int(1, 99)).padStart(2, '0')}-${String(rng.int(1, 9999)).padStart(4, '0')}`;
  return rng.chance(0.8) ? text : text.replace(/-/g, ' ');
}

/** A UK National Insurance number with valid prefix letters, compact or spaced. */
export function nino(rng: Prng): string {
  const first = rng.pick([...'ABCEGHJKLMNOPRSTWXYZ']);
  let second = rng.pick([...'ABCEGHJKLMNPRSTWXYZ']);
  if (['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(first + second)) second = 'A';
  const digits = rng.digits(6);
  const suffix = rng.pick(['A', 'B', 'C', 'D']);
  return rng.chance(0.5) ? `${first}${second}${digits}${suffix}` : `${first}${second} ${digits.slice(0, 2)} ${digits.slice(2, 4)} ${digits.slice(4)} ${suffix}`;
}

/** A phone number in a range set aside for fiction, in E.164 or a national format. */
export function phone(rng: Prng): string {
  const d3 = (): string => rng.digits(3);
  const area = rng.pick(['201', '212', '303', '415', '646', '718', '917']);
  const line = `01${rng.digits(2)}`;
  switch (rng.int(0, 11)) {
    case 0:
      return `+44 20 7946 0${d3()}`;
    case 1:
      return `+447700900${d3()}`;
    case 2:
      return `020 7946 0${d3()}`;
    case 3:
      return `07700 900${d3()}`;
    case 4:
      return `+1 (${area}) 555-${line}`;
    case 5:
      return `(${area}) 555-${line}`;
    case 6:
      return `${area}-555-${line}`;
    case 7:
      return `${area}.555.${line}`;
    case 8:
      return `+33 1 99 00 ${rng.digits(2)} ${rng.digits(2)}`;
    case 9:
      return `01 99 00 ${rng.digits(2)} ${rng.digits(2)}`;
    case 10:
      return `0044 113 496 0${d3()}`;
    default:
      return `+1-${area}-555-${line}`;
  }
}

/** A bearer token (random base64url, not a JWT). */
export function bearerToken(rng: Prng): string {
  return rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 4) + rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 32);
}

/** A password: words, digits and a symbol, without characters that end a value in text (space & , ; quotes). */
export function password(rng: Prng): string {
  return `${rng.pick(WORDS)}${rng.pick(['!', '#', '$', '*', '-', '_'])}${rng.pick(WORDS).toUpperCase()}${rng.digits(3)}`;
}

/** An API key in the style of common providers. */
export function apiKey(rng: Prng): string {
  return `${rng.pick(['sk_test_', 'pk_test_', 'key-', 'ak_'])}${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 24)}`;
}

/** A session cookie value. */
export function sessionId(rng: Prng): string {
  return `s%3A${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 32)}`;
}

export function dateOfBirth(rng: Prng): string {
  return `${rng.int(1940, 2005)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}

export function street(rng: Prng): string {
  return `${rng.int(1, 240)} ${rng.pick(STREETS)} ${rng.pick(['Street', 'Lane', 'Road', 'Avenue'])}`;
}

const ACCENTED = ['josé', 'müller', 'françoise', 'ødegaard', 'nuñez', 'šimek', 'grâce', 'björk'];

/** An e-mail address with an apostrophe, accented letters or a local part and domain in another script. */
export function internationalEmail(rng: Prng): string {
  return rng.pick([
    () => `${rng.pick(["o'brien", "d'angelo", "l'amour"])}${rng.int(1, 99)}@${rng.pick(DOMAINS)}`,
    () => `${rng.pick(ACCENTED)}.${rng.pick(ACCENTED)}@${rng.pick(DOMAINS)}`,
    () => `${rng.pick(['用户', 'почта', 'δοκιμή'])}${rng.int(1, 9)}@${rng.pick(['例子.广告', 'пример.рф', 'example.com'])}`,
  ])();
}

/** A Luhn-valid card grouped with dots, slashes or a hyphen, or compact. */
export function groupedCard(rng: Prng): string {
  const digits = card(rng).replace(/[^0-9]/g, '');
  const groups = digits.length === 15 ? [4, 6, 5] : digits.length === 14 ? [4, 6, 4] : [4, 4, 4, 4];
  const parts: string[] = [];
  let at = 0;
  for (const g of groups) {
    parts.push(digits.slice(at, at + g));
    at += g;
  }
  return parts.join(rng.pick(['.', '/', '-', ' ']));
}

/** A phone number of a European country or North America, in national or international writing. */
export function internationalPhone(rng: Prng): string {
  const d = (n: number): string => rng.digits(n);
  return rng.pick([
    () => `+44 (0)20 7946 0${d(3)}`,
    () => `0044 20 7946 0${d(3)}`,
    () => `00 33 1 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
    () => `06 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
    () => `0171 ${d(7)}`,
    () => `+49 171 ${d(7)}`,
    () => `(555) 01${d(1)}-${d(4)}`,
    () => `555.01${d(1)}.${d(4)}`,
    () => `+39 06 ${d(4)} ${d(4)}`,
    () => `+34 91 ${d(3)} ${d(2)} ${d(2)}`,
    () => `+31 20 ${d(3)} ${d(4)}`,
    () => `+32 2 ${d(3)} ${d(2)} ${d(2)}`,
    () => `+43 1 ${d(3)} ${d(4)}`,
    () => `+41 44 ${d(3)} ${d(2)} ${d(2)}`,
    () => `+48 22 ${d(3)} ${d(2)} ${d(2)}`,
    () => `+46 8 ${d(3)} ${d(3)} ${d(2)}`,
    () => `+351 21 ${d(3)} ${d(4)}`,
    () => `+353 1 ${d(3)} ${d(4)}`,
  ])();
}

/** An IPv4 documentation address (RFC 5737) written as an integer, a hex number or in dotted hex. */
export function numericIpv4(rng: Prng): string {
  const octets = [203, 0, 113, rng.int(1, 254)];
  const n = 0xcb007100 + octets[3]!;
  return rng.pick([String(n), `0x${n.toString(16).toUpperCase()}`, octets.map((o) => `0x${o.toString(16).padStart(2, '0')}`).join('.')]);
}

/** A MAC address in colon, hyphen or Cisco dot notation. */
export function mac(rng: Prng): string {
  const b = Array.from({ length: 6 }, () => rng.hex(2));
  return rng.pick([b.join(':'), b.join('-').toUpperCase(), `${b[0]}${b[1]}.${b[2]}${b[3]}.${b[4]}${b[5]}`]);
}

/** A decimal latitude/longitude pair with at least four decimals. */
export function coordinatePair(rng: Prng): string {
  const lat = (rng.int(-80, 80) + rng.int(1000, 99999) / 100000).toFixed(rng.int(4, 5));
  const lon = (rng.int(-170, 170) + rng.int(1000, 99999) / 100000).toFixed(rng.int(4, 5));
  return `${lat}, ${lon}`;
}

/** A birth date in one of the writings used after a telling word. */
export function birthDate(rng: Prng): string {
  const y = rng.int(1940, 2005);
  const m = String(rng.int(1, 12)).padStart(2, '0');
  const d = String(rng.int(1, 28)).padStart(2, '0');
  return rng.pick([`${y}-${m}-${d}`, `${d}/${m}/${y}`, `${d}.${m}.${y}`]);
}

/** A street line and a postcode with its town. */
export function postalLines(rng: Prng): { street: string; town: string } {
  return rng.pick([
    () => ({ street: street(rng), town: `Springfield ZZ${rng.int(1, 99)} ${rng.int(1, 9)}ZZ` }),
    () => ({ street: `${rng.pick(['Hauptstraße', 'Gartenweg'])} ${rng.int(1, 99)}`, town: `${rng.int(10000, 99999)} Berlin` }),
    () => ({ street: `${rng.int(1, 99)} rue des ${rng.pick(['Lilas', 'Tests'])}`, town: `${rng.int(10000, 95999)} Paris` }),
    () => ({ street: `Calle ${rng.pick(['Mayor', 'Prueba'])} ${rng.int(1, 99)}`, town: `${rng.int(10000, 52999)} Madrid` }),
  ])();
}
