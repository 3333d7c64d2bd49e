import { DOMAIN, EMAIL_LOCAL, is, isLetter } from '../text/char-class';
import { HAS_AT } from '../text/text-profile';
import type { Detector, ReportMatch } from './detector';

const MAX_LOCAL = 64;

/**
 * Non-ASCII characters that can be part of an internationalised address (RFC 6531: letters of any script):
 * everything from U+0080 except spaces, quotation marks and the punctuation blocks that end a word in text.
 */
function isIntlChar(c: number): boolean {
  if (c < 0x80) return false;
  if (c === 0xa0 || c === 0xab || c === 0xbb || c === 0xd7 || c === 0xf7 || c === 0xfeff) return false;
  return !((c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff20));
}

/** A character of a local part: ASCII atext we recognise, an apostrophe (o'brien@) or an international letter. */
function isLocalChar(c: number): boolean {
  return is(c, EMAIL_LOCAL) || c === 39 || isIntlChar(c);
}

function isDomainChar(c: number): boolean {
  return is(c, DOMAIN) || isIntlChar(c);
}
const MAX_DOMAIN = 253;

/** Whether text[start, end) is a domain name: two or more labels of 1-63 characters and a letters-only TLD. */
function isDomain(text: string, start: number, end: number): boolean {
  let labels = 0;
  let labelStart = start;
  for (let i = start; i <= end; i++) {
    if (i < end && text.charCodeAt(i) !== 46) continue;
    const length = i - labelStart;
    if (length < 1 || length > 63) return false;
    if (text.charCodeAt(labelStart) === 45 || text.charCodeAt(i - 1) === 45) return false;
    labels++;
    if (i === end) {
      if (length < 2) return false;
      for (let k = labelStart; k < end; k++) if (!isLetter(text.charCodeAt(k)) && !isIntlChar(text.charCodeAt(k))) return false;
    }
    labelStart = i + 1;
  }
  return labels >= 2;
}

/**
 * E-mail addresses, found from each '@': the local part is read backwards (at most 64 characters, never past
 * the previous '@'), the domain forwards, and the domain must have a letters-only top-level label. Local parts
 * and domains may hold letters of any script and apostrophes (RFC 6531: `josé.müller@`, `o'brien@`,
 * `用户@例子.广告`): the whole address is replaced.
 * `pkg@1.2.3` and `@mention` stay untouched.
 */
export const emailDetector: Detector = {
  name: 'email',
  category: 'user.contact.email',
  label: 'email',
  secret: false,
  minLength: 6,
  minDigits: 0,
  requires: HAS_AT,
  scan(text: string, report: ReportMatch): void {
    let floor = 0;
    let at = text.indexOf('@');
    while (at !== -1) {
      let start = at;
      while (start > floor && at - start < MAX_LOCAL && isLocalChar(text.charCodeAt(start - 1))) start--;
      // A leading dot or quote is punctuation of the text ('o'brien@example.com' in quotes), not of the address.
      while (start < at && (text.charCodeAt(start) === 46 || text.charCodeAt(start) === 39)) start++;
      let end = at + 1;
      const limit = Math.min(text.length, at + 1 + MAX_DOMAIN);
      while (end < limit && isDomainChar(text.charCodeAt(end))) end++;
      let domainEnd = end;
      while (domainEnd > at + 1 && (text.charCodeAt(domainEnd - 1) === 46 || text.charCodeAt(domainEnd - 1) === 45)) domainEnd--;
      if (start < at && domainEnd > at + 1 && isDomain(text, at + 1, domainEnd)) {
        if (report(start, domainEnd)) return;
        floor = domainEnd;
      } else {
        floor = at + 1;
      }
      at = text.indexOf('@', Math.max(at + 1, floor));
    }
  },
  mask(value: string): string {
    const at = value.lastIndexOf('@');
    return `${value[0] ?? ''}***${value.slice(at)}`;
  },
  normalize(value: string): string {
    return value.toLowerCase();
  },
};
