import { isAlnum, isDigit, isLetter, isUpper } from '../text/char-class';
import { HAS_LETTER } from '../text/text-profile';
import type { Detector, MatchKind, ReportMatch } from './detector';

const MAX_ADDRESS = 160;
const MAX_POSTCODE = 10;

/**
 * A telling word (English, German, French, Spanish, Italian, Dutch) and its separator (':' '=' or a spaced
 * dash). Group 1 is the word when it names a postcode. Fixed words and bounded quantifiers: a failed attempt
 * reads a bounded span.
 */
const ADDRESS_WORD = new RegExp(
  '(?<![A-Za-z])(?:(post ?code|postal code|zip(?: ?code)?|plz|code postal|c[oó]digo postal|postleitzahl)|' +
    '(?:(?:shipping|billing|delivery|mailing|home|postal|street|invoice|residential) )?address|' +
    '(?:liefer|rechnungs|wohn|post)?adresse(?: de (?:livraison|facturation))?|anschrift|wohnort|' +
    'direcci[oó]n(?: de (?:env[ií]o|entrega|facturaci[oó]n))?|domicilio|indirizzo(?: di (?:spedizione|consegna|fatturazione))?|' +
    '(?:bezorg|aflever|woon|post)?adres|ship(?:ping)? to|deliver(?:y)? to|send to)' +
    '(?![A-Za-z])(?: ?["\']? {0,2}[:=]| [-\u2013]) {0,3}',
  'gi',
);

/** Words before "address" that make it something else than a postal address (an IP, e-mail or memory address). */
/**
 * A keyword prefilter: every telling word of {@link ADDRESS_WORD} holds one of these. Most log text holds none, and
 * this one native search (few first characters to try) proves it faster than the word search itself.
 */
const KEYWORD = /post ?code|postal|zip|plz|postleitzahl|digo postal|adres|address|anschrift|wohnort|direcci|domicilio|indirizzo|ship|deliver|send to/i;

const NOT_POSTAL = /(?:^|[^A-Za-z])(?:ip|ipv4|ipv6|mac|e-?mail|memory|bind|listen(?:ing)?|server|remote|local|return|web|wallet|base|hardware|network|socket|host|broadcast|proxy|physical|virtual|contract|url|bitcoin|eth|gateway|peer|client)\s$/i;

/** Values that are no postal address: an IP, a host and port, a hex or memory address, a URL. */
const NOT_POSTAL_VALUE = /^(?:\d{1,3}\.\d|[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:]|0x|[a-z]+:\/\/|localhost|null\b|none\b|n\/a\b|undefined\b|true\b|false\b)/i;

const POSTCODE: MatchKind = Object.freeze({ label: 'address', category: 'user.contact.address.postal_code', secret: false, redact: true });

/** Characters that end an address clause: line ends, quotes, ; | < > { } [ ] and tabs. */
function endsClause(c: number): boolean {
  return c === 10 || c === 13 || c === 9 || c === 34 || c === 59 || c === 124 || c === 60 || c === 62 || c === 123 || c === 125 || c === 91 || c === 93;
}

/** A space before the next `key=` or `key:` of a log line. */
const NEXT_KEY = / [A-Za-z_][\w.-]{0,30}[=:]/y;

/**
 * The end of an address that starts at `start`: the end of its clause, a sentence end, the next `key=` of the
 * line, or the length cap. A query parameter (`?address=12+Elm+St&`) ends at '&', '#' or white space.
 */
function addressEnd(text: string, start: number, query: boolean): number {
  const limit = Math.min(text.length, start + MAX_ADDRESS);
  let end = start;
  let word = 0;
  while (end < limit) {
    const c = text.charCodeAt(end);
    if (endsClause(c)) break;
    if (query && (c === 38 || c === 35 || c === 32)) break;
    if (c === 32) {
      NEXT_KEY.lastIndex = end;
      if (NEXT_KEY.test(text)) break;
    }
    // "... Springfield. Order total" ends a sentence; "St. Mary" and "Apt. 4" (short words) do not.
    if (c === 46 && word > 3 && end + 2 < text.length && text.charCodeAt(end + 1) === 32 && isUpper(text.charCodeAt(end + 2))) break;
    word = isLetter(c) || c >= 0x80 ? word + 1 : 0;
    end++;
  }
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 44 || text.charCodeAt(end - 1) === 46)) end--;
  return end;
}

/** The end of a postcode that starts at `start`: letters, digits, one inner space or hyphen, at most 10 characters. */
function postcodeEnd(text: string, start: number): number {
  const limit = Math.min(text.length, start + MAX_POSTCODE);
  let end = start;
  while (end < limit) {
    const c = text.charCodeAt(end);
    if (!isAlnum(c) && !((c === 32 || c === 45) && end > start)) break;
    end++;
  }
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 45)) end--;
  // Every postcode holds a digit (ZZ99 9ZZ, 10115, 1234 AB); "zip: enabled" is a setting.
  for (let i = start; i < end; i++) if (isDigit(text.charCodeAt(i))) return end;
  return start;
}

/**
 * Postal addresses and postcodes in free text after a telling word (`address:`, `ship to:`, `shipping
 * address -`, `Anschrift:`, `Lieferadresse:`, `adresse :`, `dirección:`, `indirizzo:`, `adres:`, `postcode:`,
 * `PLZ:`): the address is replaced up to the end of its clause or line (at most 160 characters), a postcode up
 * to 10 characters. IP, e-mail and memory addresses (`ip address: ...`, `bind address: 0.0.0.0`) stay untouched,
 * and a quoted or structured value is left to the key=value detector.
 */
export const postalAddressDetector: Detector = {
  name: 'postalAddress',
  category: 'user.contact.address',
  label: 'address',
  secret: false,
  minLength: 8,
  minDigits: 0,
  requires: HAS_LETTER,
  scan(text: string, report: ReportMatch): void {
    if (!KEYWORD.test(text)) return;
    ADDRESS_WORD.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = ADDRESS_WORD.exec(text)) !== null) {
      const start = match.index + match[0].length;
      if (start >= text.length) break;
      const first = text.charCodeAt(start);
      if (first === 34 || first === 39 || first === 123 || first === 91 || first === 10 || first === 13) continue;
      if (NOT_POSTAL.test(text.slice(Math.max(0, match.index - 12), match.index))) continue;
      if (NOT_POSTAL_VALUE.test(text.slice(start, start + 16))) continue;
      const postcode = match[1] !== undefined;
      const before = match.index > 0 ? text.charCodeAt(match.index - 1) : 0;
      const end = postcode ? postcodeEnd(text, start) : addressEnd(text, start, before === 63 || before === 38);
      if (end <= start) continue;
      if (report(start, end, postcode ? POSTCODE : undefined)) return;
      ADDRESS_WORD.lastIndex = end;
    }
  },
};
