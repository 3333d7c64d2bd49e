/**
 * URL decoding that can say where each decoded character came from, so that a value found in the decoded
 * text (`alice@example.com` in `email=alice%40example.com`) is replaced in the original text. Only the
 * values that hold escapes are decoded (query parameters, form fields, path segments), not whole texts, and the
 * index map is only built for a value in which something was found.
 */

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function isEscapeAt(text: string, i: number): boolean {
  return i + 2 < text.length && hexValue(text.charCodeAt(i + 1)) >= 0 && hexValue(text.charCodeAt(i + 2)) >= 0;
}

function isUnicodeEscapeAt(text: string, i: number): boolean {
  if (i + 5 >= text.length || text.charCodeAt(i + 1) !== 117) return false;
  for (let k = i + 2; k < i + 6; k++) if (hexValue(text.charCodeAt(k)) < 0) return false;
  return true;
}

const PERCENT_ESCAPE = /%(?:[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4})/;
const PLUS = /\+/g;

/**
 * One round of decoding with the built-in `unescape` (native, and tolerant of malformed escapes): `%XX` gives
 * the byte as one character, `%uXXXX` the code unit; '+' is read as a space first when `plusAsSpace`.
 */
function decodeRound(text: string, plusAsSpace: boolean): string {
  return unescape(plusAsSpace ? text.replace(PLUS, ' ') : text);
}

/** The index map of one `decodeRound`: map[i] is the original index of decoded character i. */
function roundMap(text: string): Int32Array {
  const map = new Int32Array(text.length + 1);
  let out = 0;
  let i = 0;
  while (i < text.length) {
    map[out++] = i;
    if (text.charCodeAt(i) === 37) {
      if (isUnicodeEscapeAt(text, i)) {
        i += 6;
        continue;
      }
      if (isEscapeAt(text, i)) {
        i += 3;
        continue;
      }
    }
    i++;
  }
  map[out] = text.length;
  return map.subarray(0, out + 1);
}

/** A value of the original text, starting at `start`, and its decoded form. */
export class DecodedWindow {
  /** The decoded text (decoded twice when it was double-encoded). */
  readonly text: string;
  private readonly middle: string | undefined;
  private mapCache: Int32Array | undefined;

  constructor(
    readonly start: number,
    private readonly token: string,
    plusAsSpace: boolean,
  ) {
    const once = decodeRound(token, plusAsSpace);
    if (PERCENT_ESCAPE.test(once)) {
      this.middle = once;
      this.text = decodeRound(once, false);
    } else {
      this.middle = undefined;
      this.text = once;
    }
  }

  /** The index in the original text of decoded index `i` (`i` may be the decoded length). */
  original(i: number): number {
    if (this.mapCache === undefined) {
      const first = roundMap(this.token);
      if (this.middle === undefined) this.mapCache = first;
      else {
        const second = roundMap(this.middle);
        const map = new Int32Array(second.length);
        for (let k = 0; k < second.length; k++) map[k] = first[second[k]!]!;
        this.mapCache = map;
      }
    }
    return this.start + this.mapCache[i]!;
  }
}

/**
 * Characters that end the encoded value around an escape: white space, quotes, angle brackets, backquote,
 * and the delimiters of URLs and forms (& ? = / ; ,), so that only values are decoded, not whole URLs.
 */
function endsToken(c: number): boolean {
  return c <= 32 || c === 34 || c === 39 || c === 60 || c === 62 || c === 96 || c === 38 || c === 63 || c === 61 || c === 47 || c === 59 || c === 44;
}

/**
 * The values of `text` that hold `%XX` escapes, or a '+' when the text has `key=value` pairs (form encoding),
 * each decoded. Work is linear in the text: each value is expanded and decoded once.
 *
 * @param hasPercent - whether the text contains '%'
 * @param plusAsSpace - whether '+' means a space (the text contains '+' and '=')
 */
export function decodedWindows(text: string, hasPercent: boolean, plusAsSpace: boolean): DecodedWindow[] {
  const windows: DecodedWindow[] = [];
  const n = text.length;
  let covered = 0;
  let percent = hasPercent ? text.indexOf('%') : -1;
  let plus = plusAsSpace ? text.indexOf('+') : -1;
  while (percent !== -1 || plus !== -1) {
    const isPercent = plus === -1 || (percent !== -1 && percent < plus);
    const anchor = isPercent ? percent : plus;
    if (isPercent) percent = text.indexOf('%', anchor + 1);
    else plus = text.indexOf('+', anchor + 1);
    if (anchor < covered || (isPercent && !isEscapeAt(text, anchor) && !isUnicodeEscapeAt(text, anchor))) continue;
    let start = anchor;
    while (start > covered && !endsToken(text.charCodeAt(start - 1))) start--;
    let end = anchor + 1;
    while (end < n && !endsToken(text.charCodeAt(end))) end++;
    covered = end;
    // A '+' means a space only in a form-encoded value (right after '='): not in "+01:00" or "+44 20 ...".
    if (!isPercent && (start === 0 || text.charCodeAt(start - 1) !== 61)) continue;
    const window = new DecodedWindow(start, text.slice(start, end), plusAsSpace);
    if (window.text.length !== end - start || plusAsSpace) windows.push(window);
  }
  return windows;
}
