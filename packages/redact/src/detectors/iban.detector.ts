import { isAlnum } from '../text/char-class';
import { HAS_LETTER } from '../text/text-profile';
import { IBAN_LENGTHS, isValidIban } from '../validators/iban.validator';
import type { Detector, ReportMatch } from './detector';
import { maskKeepLastFour, normalizeAlnum } from './detector';

/** IBAN lengths keyed by the two upper-cased char codes of the country, so a lookup allocates nothing. */
const LENGTH_BY_CODE = new Map<number, number>(
  Object.entries(IBAN_LENGTHS).map(([country, length]) => [(country.charCodeAt(0) << 8) | country.charCodeAt(1), length]),
);

/** Two letters and two digits: where an IBAN can start (the character before is checked apart). */
const ANCHOR = /[A-Za-z]{2}\d\d/g;

/**
 * Reads an IBAN of `expected` letters and digits starting at `start`, allowing one space between characters
 * (the printed groups of four). Returns the end, or -1.
 */
function readIban(text: string, start: number, expected: number): number {
  let count = 0;
  let i = start;
  while (count < expected && i < text.length) {
    const c = text.charCodeAt(i);
    if (isAlnum(c)) {
      count++;
      i++;
    } else if (c === 32 && count > 0 && i + 1 < text.length && isAlnum(text.charCodeAt(i + 1))) {
      i++;
    } else return -1;
  }
  if (count < expected || (i < text.length && isAlnum(text.charCodeAt(i)))) return -1;
  return i;
}

/**
 * IBANs, compact or in groups of four (`DE89 3704 0044 0532 0130 00`): a known country code, that country's
 * length and a valid ISO 7064 mod-97 checksum.
 */
export const ibanDetector: Detector = {
  name: 'iban',
  category: 'user.financial.bank_account',
  label: 'iban',
  secret: false,
  minLength: 15,
  minDigits: 2,
  requires: HAS_LETTER,
  scan(text: string, report: ReportMatch): void {
    // Every IBAN starts with two letters directly followed by the two check digits; a native search finds them.
    const anchor = ANCHOR;
    anchor.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = anchor.exec(text)) !== null) {
      const start = match.index;
      if (start > 0 && isAlnum(text.charCodeAt(start - 1))) {
        anchor.lastIndex = start + 1;
        continue;
      }
      const expected = LENGTH_BY_CODE.get(((text.charCodeAt(start) & 0xdf) << 8) | (text.charCodeAt(start + 1) & 0xdf));
      if (expected === undefined) continue;
      const end = readIban(text, start, expected);
      if (end === -1 || !isValidIban(text.slice(start, end))) continue;
      if (report(start, end)) return;
      anchor.lastIndex = end;
    }
  },
  mask: maskKeepLastFour,
  normalize: normalizeAlnum,
};
