import { KEY_CHAR, is, isDigit, isLetter, isSpace } from '../text/char-class';
import { HAS_COLON, HAS_EQUALS } from '../text/text-profile';
import { KEY_KINDS, classifyKey, normalizeKey } from '../keys/sensitive-keys';
import type { KeyKind } from '../keys/sensitive-keys';
import type { Detector, ReportMatch } from './detector';

const MAX_KEY = 48;
const MAX_VALUE = 1024;
const MAX_PADDING = 3;

/** Characters that end an unquoted value: white space & , ; " ' } ] ) < > \ */
function endsValue(c: number): boolean {
  return isSpace(c) || c === 38 || c === 44 || c === 59 || c === 34 || c === 39 || c === 125 || c === 93 || c === 41 || c === 60 || c === 62 || c === 92;
}

function isQuote(c: number): boolean {
  return c === 34 || c === 39;
}

/**
 * Keys that are too generic alone (`name=widget` in a config line) but name a person in a query string or form
 * body (`?name=Alice%20Smith&`), and short spellings forms use for personal fields.
 */
const QUERY_KEYS: ReadonlyMap<string, KeyKind> = new Map<string, KeyKind>([
  ...['name', 'displayname', 'customername', 'contactname', 'recipientname', 'personname', 'holdername', 'cardholder', 'cardholdername', 'fname', 'lname', 'nickname'].map(
    (key) => [key, KEY_KINDS.personName] as const,
  ),
  ...['addr', 'addr1', 'addr2', 'address1', 'address2', 'line1', 'line2', 'city', 'town'].map((key) => [key, KEY_KINDS.address] as const),
  ...['zip', 'plz', 'cp', 'cap'].map((key) => [key, KEY_KINDS.postalCode] as const),
  ...['birth', 'birthdt', 'bdate'].map((key) => [key, KEY_KINDS.dateOfBirth] as const),
]);

/** Whether the key starting at `keyStart` is a parameter of a query string or form body (after '?' or '&'). */
function isQueryParameter(text: string, keyStart: number): boolean {
  if (keyStart === 0) return false;
  const c = text.charCodeAt(keyStart - 1);
  return c === 63 || c === 38;
}

const LITERALS = new Set(['null', 'true', 'false', 'undefined', 'none', 'nil', '[redacted]']);

/**
 * `key=value` and `key: value` pairs whose key is sensitive (the same key table as structured redaction:
 * password, secret, token, api keys, authorization, cookie, ssn, iban, card number, email, phone, dob...),
 * in their usual written forms: query strings and form bodies (`password=x&`), headers (`Authorization: Bearer x`,
 * `Cookie: a=1; b=2`), JSON inside strings (`"password":"x"`, `{\"token\":\"x\"}`) and config dumps
 * (`DB_PASSWORD=x`). In a query string or form body, keys too generic alone name a person too (`?name=`,
 * `&fname=`, `&addr1=`, `&zip=`). Only the value is replaced; `null`, booleans and nested objects are left alone.
 */
export const keyValueDetector: Detector = {
  name: 'keyValue',
  category: 'user.authorization.credentials',
  label: 'secret',
  secret: true,
  minLength: 4,
  minDigits: 0,
  requires: HAS_EQUALS | HAS_COLON,
  scan(text: string, report: ReportMatch): void {
    const n = text.length;
    // The anchors '=' and ':' are found with indexOf (native search), the rest of the text is never looped over.
    let equals = text.indexOf('=', 1);
    let colon = text.indexOf(':', 1);
    let from = 1;
    while (equals !== -1 || colon !== -1) {
      const i = colon === -1 || (equals !== -1 && equals < colon) ? equals : colon;
      if (i === equals) equals = text.indexOf('=', i + 1);
      else colon = text.indexOf(':', i + 1);
      if (i < from) continue;
      const c = text.charCodeAt(i);
      // The key, read backwards: optional spaces, an optional (escaped) closing quote, then key characters.
      let k = i - 1;
      for (let pad = 0; pad < MAX_PADDING && k >= 0 && text.charCodeAt(k) === 32; pad++) k--;
      if (k >= 0 && isQuote(text.charCodeAt(k))) {
        k--;
        if (k >= 0 && text.charCodeAt(k) === 92) k--;
      }
      const keyEnd = k + 1;
      // Sensitive keys end with a letter; this drops times (10:30), ratios and URLs' ports cheaply.
      // Form fields may end with a digit (`addr1=`): only for '=' pairs, never for a time.
      if (keyEnd === 0 || !(isLetter(text.charCodeAt(keyEnd - 1)) || (c === 61 && keyEnd > 1 && isDigit(text.charCodeAt(keyEnd - 1)) && isLetter(text.charCodeAt(keyEnd - 2))))) continue;
      while (k >= 0 && keyEnd - k <= MAX_KEY && is(text.charCodeAt(k), KEY_CHAR)) k--;
      const keyStart = k + 1;
      if (keyStart === keyEnd || (k >= 0 && is(text.charCodeAt(k), KEY_CHAR))) continue;
      let kind = classifyKey(text.slice(keyStart, keyEnd));
      if ((kind === undefined || !kind.redact) && c === 61 && isQueryParameter(text, keyStart)) kind = QUERY_KEYS.get(normalizeKey(text.slice(keyStart, keyEnd))) ?? kind;
      if (kind === undefined) continue;
      // The value: optional spaces, then a quoted string (quotes may be escaped) or a bare word.
      let v = i + 1;
      if (c === 61 && v < n && text.charCodeAt(v) === 61) continue;
      // 'key' => 'value' (util.inspect of a Map, PHP and Ruby hashes).
      if (c === 61 && v < n && text.charCodeAt(v) === 62) v++;
      for (let pad = 0; pad < MAX_PADDING && v < n && text.charCodeAt(v) === 32; pad++) v++;
      let quote = -1;
      let escaped = false;
      if (v + 1 < n && text.charCodeAt(v) === 92 && isQuote(text.charCodeAt(v + 1))) {
        escaped = true;
        quote = text.charCodeAt(v + 1);
        v += 2;
      } else if (v < n && isQuote(text.charCodeAt(v))) {
        quote = text.charCodeAt(v);
        v++;
      }
      const limit = Math.min(n, v + MAX_VALUE);
      let end = v;
      if (quote !== -1) {
        while (end < limit) {
          const d = text.charCodeAt(end);
          if (d === 10 || d === 13) break;
          if (!escaped && d === 92) {
            end += 2;
            continue;
          }
          if (d === quote && (!escaped || (end > v && text.charCodeAt(end - 1) === 92))) break;
          end++;
        }
        if (end > limit) end = limit;
        if (escaped && end < limit && text.charCodeAt(end) === quote) end--;
      } else if (kind.untilLineEnd) {
        while (end < limit) {
          const d = text.charCodeAt(end);
          if (d === 10 || d === 13 || d === 34 || d === 39 || d === 92) break;
          end++;
        }
        while (end > v && text.charCodeAt(end - 1) === 32) end--;
      } else {
        while (end < limit && !endsValue(text.charCodeAt(end))) end++;
      }
      if (end <= v) continue;
      const first = text.charCodeAt(v);
      if (quote === -1 && (first === 123 || first === 91)) continue;
      if (quote === -1 && end - v <= 11 && LITERALS.has(text.slice(v, end).toLowerCase())) continue;
      if (report(v, end, kind)) return;
      from = end;
      if (equals !== -1 && equals < end) equals = text.indexOf('=', end);
      if (colon !== -1 && colon < end) colon = text.indexOf(':', end);
    }
  },
};
