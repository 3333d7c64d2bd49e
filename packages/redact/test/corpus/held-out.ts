import * as neg from './hard-negatives';
import type { CorpusRecord, Planted } from './leak-corpus';
import * as pii from './personal-values';
import { Prng } from './prng';

/**
 * The held-back corpus: forms and sentence templates that are NOT used while tuning the detectors (the tuning
 * corpus is `generateCorpus`). It was written before the detectors it measures and is only read to report
 * leaks by type, never to adjust a detector to one of its templates.
 *
 * Every planted value carries a `type` (e-mail, card, phone, ipv4-integer, mac, coordinates...), so that leaks
 * can be reported per type (see `leaksByType` in leak-check.ts).
 */

const GIVEN = ['zoë', 'jürgen', 'łukasz', 'ægir', 'inés', 'françois', 'søren', 'chloé', 'mühlbauer', 'dáithí'];
const FAMILY = ['lefèvre', 'weiß', 'o\'neill', 'd\'arcy', 'núñez', 'çelik', 'ångström', 'dvořák'];
const UNICODE_LOCAL = ['用户', 'пользователь', 'χρήστης', 'ユーザー', 'उपयोगकर्ता'];
const UNICODE_DOMAIN = ['例子.广告', 'пример.испытание', 'παράδειγμα.δοκιμή', 'example.com', 'exämple.de'];
const STREETS_DE = ['Musterstraße', 'Beispielweg', 'Lindenallee', 'Probegasse'];
const STREETS_FR = ['rue de l\'Exemple', 'avenue du Test', 'boulevard Fictif', 'allée des Essais'];
const STREETS_ES = ['Calle Ejemplo', 'Avenida de Prueba', 'Plaza Ficticia'];
const STREETS_EN = ['Sample Road', 'Testing Lane', 'Mock Crescent', 'Placeholder Avenue'];
const CITIES = ['Berlin', 'Paris', 'Madrid', 'Springfield', 'Lyon', 'Köln', 'Sevilla', 'Leeds'];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

class HeldBuilder {
  readonly planted: Planted[] = [];
  readonly negatives: string[] = [];
  constructor(readonly rng: Prng) {}

  plant(type: string, value: string, category: string, numeric = false): string {
    this.planted.push({ value, category, numeric, type });
    return value;
  }

  keep(value: string): string {
    this.negatives.push(value);
    return value;
  }

  /** An e-mail address whose local part (or domain) is not plain ASCII, or holds an apostrophe. */
  intlEmail(): string {
    const rng = this.rng;
    const value = rng.pick([
      () => `${rng.pick(GIVEN)}.${rng.pick(FAMILY)}@example.${rng.pick(['de', 'fr', 'es', 'ie', 'org'])}`,
      () => `${rng.pick(FAMILY)}${rng.int(1, 99)}@mail.example.com`,
      () => `${rng.pick(UNICODE_LOCAL)}${rng.int(1, 9)}@${rng.pick(UNICODE_DOMAIN)}`,
      () => `${rng.pick(GIVEN)}+${rng.pick(['news', 'shop', 'ärger'])}@example.net`,
      () => `${rng.pick(FAMILY).toUpperCase()}@EXAMPLE.COM`,
    ])();
    return this.plant('email (international)', value, 'user.contact.email');
  }

  /** A Luhn-valid card grouped with dots, slashes, 4-4-4-4-3, 4-6-5 with any separator, or a space-and-dash mix. */
  groupedCard(): string {
    const rng = this.rng;
    const compact = pii.card(rng).replace(/[^0-9]/g, '');
    const digits = compact.length === 16 && rng.chance(0.25) ? nineteen(rng) : compact;
    const groups = digits.length === 15 ? [4, 6, 5] : digits.length === 14 ? [4, 6, 4] : digits.length === 19 ? [4, 4, 4, 4, 3] : [4, 4, 4, 4];
    const sep = rng.pick(['.', '/', ' ', '-', '  ']);
    const parts: string[] = [];
    let at = 0;
    for (const g of groups) {
      parts.push(digits.slice(at, at + g));
      at += g;
    }
    return this.plant('card (any grouping)', parts.join(sep), 'user.financial.credit_card', true);
  }

  /** A phone number of one of the main European countries or North America, national or international. */
  phone(): string {
    const rng = this.rng;
    const d = (n: number): string => rng.digits(n);
    const [country, value] = rng.pick<() => [string, string]>([
      () => ['DE', `+49 (0)30 ${d(8)}`],
      () => ['DE', `0049 171 ${d(7)}`],
      () => ['DE', `0176-${d(8)}`],
      () => ['FR', `+33 (0)6 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`],
      () => ['FR', `00 33 7 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`],
      () => ['FR', `06.${d(2)}.${d(2)}.${d(2)}.${d(2)}`],
      () => ['UK', `+44 (0)7700 900${d(3)}`],
      () => ['UK', `0044 7700 900${d(3)}`],
      () => ['UK', `(0161) 496 0${d(3)}`],
      () => ['IT', `+39 333 ${d(3)} ${d(4)}`],
      () => ['IT', `0039 06 ${d(4)} ${d(4)}`],
      () => ['ES', `+34 612 ${d(2)} ${d(2)} ${d(2)}`],
      () => ['ES', `0034 91 ${d(3)} ${d(2)} ${d(2)}`],
      () => ['NL', `06-${d(8)}`],
      () => ['NL', `+31 (0)20 ${d(3)} ${d(4)}`],
      () => ['BE', `0470 ${d(2)} ${d(2)} ${d(2)}`],
      () => ['BE', `+32 470 ${d(2)} ${d(2)} ${d(2)}`],
      () => ['AT', `0664 ${d(7)}`],
      () => ['AT', `+43 (0)664 ${d(7)}`],
      () => ['CH', `079 ${d(3)} ${d(2)} ${d(2)}`],
      () => ['CH', `+41 79 ${d(3)} ${d(2)} ${d(2)}`],
      () => ['PL', `+48 512 ${d(3)} ${d(3)}`],
      () => ['PL', `0048 22 ${d(3)} ${d(2)} ${d(2)}`],
      () => ['SE', `070-${d(3)} ${d(2)} ${d(2)}`],
      () => ['SE', `+46 (0)70 ${d(3)} ${d(2)} ${d(2)}`],
      () => ['PT', `+351 912 ${d(3)} ${d(3)}`],
      () => ['PT', `00351 21 ${d(3)} ${d(4)}`],
      () => ['IE', `087 ${d(3)} ${d(4)}`],
      () => ['IE', `+353 (0)87 ${d(3)} ${d(4)}`],
      () => ['NA', `(555) 01${d(1)}-${d(4)}`],
      () => ['NA', `555.01${d(1)}.${d(4)}`],
      () => ['NA', `1 (800) 555-01${d(2)}`],
      () => ['NA', `+1.604.555.01${d(2)}`],
    ])();
    return this.plant(`phone (${country})`, value, 'user.contact.phone_number', true);
  }

  /** An IPv4 address of the documentation ranges written as one integer, one hex number or dotted hex/octal. */
  ipv4Form(): { value: string; form: 'integer' | 'hex' | 'dotted' } {
    const rng = this.rng;
    const octets = rng.pick([[192, 0, 2], [198, 51, 100], [203, 0, 113]]).concat(rng.int(1, 254));
    const n = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
    const form = rng.pick(['integer', 'hex', 'dotted'] as const);
    let value: string;
    if (form === 'integer') value = String(n);
    else if (form === 'hex') value = `0x${n.toString(16).padStart(8, '0')}`;
    else value = rng.chance(0.5) ? octets.map((o) => `0x${o.toString(16).toUpperCase().padStart(2, '0')}`).join('.') : octets.map((o) => `0${o.toString(8)}`).join('.');
    this.plant(`ipv4 (${form})`, value, 'user.device.ip_address', false);
    return { value, form };
  }

  mac(): string {
    const rng = this.rng;
    const bytes = Array.from({ length: 6 }, () => rng.hex(2));
    const value = rng.pick([
      () => bytes.join(':'),
      () => bytes.join('-').toUpperCase(),
      () => `${bytes[0]}${bytes[1]}.${bytes[2]}${bytes[3]}.${bytes[4]}${bytes[5]}`,
      () => bytes.join(':').toUpperCase(),
    ])();
    return this.plant('mac address', value, 'user.device.device_id');
  }

  /** Coordinates as a decimal pair, with lat/lon keys, or in degrees-minutes-seconds. */
  coordinates(): string {
    const rng = this.rng;
    const lat = (rng.chance(0.5) ? 1 : -1) * (rng.int(1, 89) + rng.int(1000, 9999) / 10000);
    const lon = (rng.chance(0.5) ? 1 : -1) * (rng.int(1, 179) + rng.int(1000, 9999) / 10000);
    const la = lat.toFixed(rng.int(4, 6));
    const lo = lon.toFixed(rng.int(4, 6));
    const dms = (v: number, pos: string, negative: string): string => {
      const a = Math.abs(v);
      const deg = Math.floor(a);
      const min = Math.floor((a - deg) * 60);
      const sec = Math.floor(((a - deg) * 60 - min) * 60);
      return `${deg}°${pad(min)}'${pad(sec)}"${v >= 0 ? pos : negative}`;
    };
    return rng.pick([
      () => `${this.plant('coordinates', `${la}, ${lo}`, 'user.location.precise')}`,
      () => `${this.plant('coordinates', `${la},${lo}`, 'user.location.precise')}`,
      () => `latitude=${this.plant('coordinates', la, 'user.location.precise')}&longitude=${this.plant('coordinates', lo, 'user.location.precise')}`,
      () => `lat: ${this.plant('coordinates', la, 'user.location.precise')} lng: ${this.plant('coordinates', lo, 'user.location.precise')}`,
      () => this.plant('coordinates', `${dms(lat, 'N', 'S')} ${dms(lon, 'E', 'W')}`, 'user.location.precise'),
    ])();
  }

  /** A date of birth after a telling word in one of several languages, in one of several date writings. */
  dateOfBirth(): string {
    const rng = this.rng;
    const y = rng.int(1940, 2006);
    const m = rng.int(1, 12);
    const day = rng.int(1, 28);
    const date = rng.pick([`${y}-${pad(m)}-${pad(day)}`, `${pad(day)}/${pad(m)}/${y}`, `${pad(day)}.${pad(m)}.${y}`, `${pad(m)}/${pad(day)}/${y}`, `${pad(day)}-${pad(m)}-${y}`]);
    const word = rng.pick(['born on', 'Born:', 'D.O.B.', 'DOB -', 'birth date', 'date of birth:', 'née le', 'né le', 'geboren am', 'Geburtsdatum:', 'fecha de nacimiento:', 'nacido el', 'data di nascita:', 'nata il', 'geboortedatum', 'geboren op']);
    return `${word} ${this.plant('date of birth', date, 'user.demographic.date_of_birth')}`;
  }

  /** A postal address after a telling word: the street line and the postcode/city are planted separately. */
  postalAddress(): string {
    const rng = this.rng;
    const n = rng.int(1, 199);
    return rng.pick([
      () => `Lieferadresse: ${this.plant('postal address', `${rng.pick(STREETS_DE)} ${n}`, 'user.contact.address')}, ${this.plant('postal address', `${rng.int(10000, 99999)} ${rng.pick(CITIES)}`, 'user.contact.address')}`,
      () => `adresse de livraison : ${this.plant('postal address', `${n} ${rng.pick(STREETS_FR)}`, 'user.contact.address')}, ${this.plant('postal address', `${rng.int(10000, 95999)} ${rng.pick(CITIES)}`, 'user.contact.address')}`,
      () => `dirección de envío: ${this.plant('postal address', `${rng.pick(STREETS_ES)} ${n}`, 'user.contact.address')}, ${this.plant('postal address', `${rng.int(10000, 52999)} ${rng.pick(CITIES)}`, 'user.contact.address')}`,
      () => `Shipping address - ${this.plant('postal address', `${n} ${rng.pick(STREETS_EN)}`, 'user.contact.address')}, ${rng.pick(CITIES)} ${this.plant('postal address', `ZZ${rng.int(1, 99)} ${rng.int(1, 9)}ZZ`, 'user.contact.address')}`,
      () => `billing address: ${this.plant('postal address', `${n} ${rng.pick(STREETS_EN)}`, 'user.contact.address')} ${this.plant('postal address', `${rng.pick(['Apt', 'Suite', 'Unit'])} ${rng.int(1, 40)}`, 'user.contact.address')}, ${rng.pick(CITIES)}`,
      () => `indirizzo: ${this.plant('postal address', `Via Esempio ${n}`, 'user.contact.address')}, ${this.plant('postal address', `${rng.int(10000, 99999)} Roma`, 'user.contact.address')}`,
      () => `adres: ${this.plant('postal address', `Voorbeeldstraat ${n}`, 'user.contact.address')}, ${this.plant('postal address', `${rng.int(1000, 9999)} AB Utrecht`, 'user.contact.address')}`,
    ])();
  }

  /** A person's name or other personal value under a telling key in a query string. */
  queryParams(): string {
    const rng = this.rng;
    const { first, last } = pii.personName(rng);
    const name = this.plant('query string value', `${first} ${last}`, 'user.name');
    const phone = this.plant('query string value', `+44${rng.digits(10)}`, 'user.contact.phone_number', true);
    const street = this.plant('query string value', `${rng.int(1, 99)} ${rng.pick(STREETS_EN)}`, 'user.contact.address');
    const params = [
      `${rng.pick(['name', 'full_name', 'customerName'])}=${rng.chance(0.5) ? encodeURIComponent(name) : name.replace(/ /g, '+')}`,
      `${rng.pick(['dob', 'birthdate', 'date_of_birth'])}=${this.plant('query string value', `${rng.int(1950, 2004)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`, 'user.demographic.date_of_birth')}`,
      `${rng.pick(['phone', 'tel', 'mobile'])}=${encodeURIComponent(phone)}`,
      `${rng.pick(['address', 'street', 'addr1'])}=${rng.chance(0.5) ? encodeURIComponent(street) : street.replace(/ /g, '+')}`,
      `page=${rng.int(1, 9)}`,
      `sort=${rng.pick(['asc', 'desc'])}`,
    ];
    for (let k = params.length - 1; k > 0; k--) {
      const j = rng.int(0, k);
      [params[k], params[j]] = [params[j]!, params[k]!];
    }
    return params.join('&');
  }

  /** A hard negative that a careless detector for the kinds above would take. */
  negative(): string {
    const rng = this.rng;
    return this.keep(
      rng.pick([
        () => neg.hardNegative(rng),
        () => String(rng.int(1_000_000_000, 4_294_967_295)),
        () => String(1_700_000_000 + rng.int(0, 99_999_999)),
        () => neg.epochMillis(rng),
        () => `${rng.int(1, 40)}.${rng.int(0, 99)}.${rng.int(0, 999)}`,
        () => `${rng.int(1, 9)}.${rng.int(10, 9999)}, ${rng.int(1, 9)}.${rng.int(10, 9999)}`,
        () => `${rng.int(1, 30)}.${rng.int(0, 30)}, ${rng.int(1, 30)}.${rng.int(0, 30)}`,
        () => `${rng.int(2019, 2026)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`,
        () => `${pad(rng.int(0, 23))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}`,
        () => `0x${rng.hex(4)}`,
        () => rng.hex(12),
        () => `${rng.int(100, 9999)} bytes`,
        () => `${rng.int(1, 99)}.${rng.int(0, 99)} €`,
        () => `v${rng.int(1, 9)}.${rng.int(0, 9)}.${rng.int(0, 9)}.${rng.int(0, 9)}`,
      ])(),
    );
  }
}

/** A 19-digit Luhn-valid number on a test Visa prefix (printed 4-4-4-4-3). */
function nineteen(rng: Prng): string {
  const body = '4000' + rng.digits(14);
  let sum = 0;
  let double = true;
  for (let i = body.length - 1; i >= 0; i--) {
    let d = body.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return body + String((10 - (sum % 10)) % 10);
}

type Template = (b: HeldBuilder) => string;

const TEMPLATES: readonly Template[] = [
  (b) => `${b.keep(neg.isoTimestamp(b.rng))} notice [crm] contact updated: ${b.intlEmail()} (was ${b.intlEmail()}) rev ${b.negative()}`,
  (b) => `payment method stored for customer ${b.keep(`cus_${b.rng.hex(14)}`)}: ${b.groupedCard()} exp ${b.keep(`${pad(b.rng.int(1, 12))}/${b.rng.int(27, 33)}`)}, fee ${b.negative()}`,
  (b) => `callback requested; reach me on ${b.phone()} or ${b.phone()} after ${b.keep(`${b.rng.int(9, 18)}h`)}; ticket ${b.negative()}`,
  (b) => {
    const ip = b.ipv4Form();
    if (ip.form === 'integer') return `${b.rng.pick(['GET http://', 'fetch https://', 'redirect to http://'])}${ip.value}/${b.rng.pick(['admin', 'login', 'status'])} took ${b.negative()}`;
    return `${b.rng.pick(['remote_host=', 'client addr ', 'peer ip: ', 'host '])}${ip.value} size=${b.negative()}`;
  },
  (b) => `wifi association: station ${b.mac()} joined ap ${b.keep(`ap-${b.rng.int(1, 40)}`)} rssi=${b.keep(`-${b.rng.int(30, 90)}dBm`)} at ${b.negative()}`,
  (b) => `rider position ${b.coordinates()} eta ${b.keep(`${b.rng.int(2, 30)} min`)} build ${b.negative()}`,
  (b) => `kyc check for applicant ${b.keep(`APP-${b.rng.digits(6)}`)}: ${b.dateOfBirth()}, checked ${b.keep(neg.date(b.rng))}, score ${b.negative()}`,
  (b) => `order ${b.keep(`ORD-${b.rng.digits(7)}`)} ${b.postalAddress()}\nnext: ${b.negative()}`,
  (b) => `${b.rng.pick(['GET', 'POST'])} /api/v2/signup?${b.queryParams()} ${b.rng.pick([200, 201, 400])} in ${b.negative()}`,
  (b) => `unrelated: version ${b.negative()}, ${b.negative()}, ${b.negative()}, at ${b.negative()}`,
];

/**
 * A seeded held-back corpus (see the top of this file): international e-mails, cards in any grouping,
 * European and North American phones, integer/hex/dotted-hex IPv4 forms, MAC addresses, coordinates, dates of
 * birth and postal addresses after telling words, personal values in query strings, and hard negatives.
 *
 * @param seed - the PRNG seed (same seed, same corpus)
 * @param count - how many records (the templates take turns)
 */
export function generateHeldOut(seed: number, count: number): CorpusRecord[] {
  const rng = new Prng(seed);
  const records: CorpusRecord[] = [];
  for (let id = 0; id < count; id++) {
    const b = new HeldBuilder(rng);
    const value = TEMPLATES[id % TEMPLATES.length]!(b);
    records.push({ id, shape: 'prose', value, planted: b.planted, negatives: b.negatives });
  }
  return records;
}
