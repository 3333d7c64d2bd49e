import { isAlnum, isDigit } from '../text/char-class';
import type { TextProfile } from '../text/text-profile';
import type { Detector, ReportMatch } from './detector';
import { maskKeepLastFour, normalizeAlnum } from './detector';
import { GroupReader, scanClusters } from './numeric-groups';

const MAX_GROUPS = 8;
const MAX_DIGITS = 17;

/** Whether every joiner between groups i..j is made of space, dash, dot and parentheses (no '+'). */
function joinersArePhoneLike(r: GroupReader, i: number, j: number): boolean {
  for (let g = i; g < j; g++) {
    for (let k = r.end(g); k < r.start(g + 1); k++) if (r.text.charCodeAt(k) === 43) return false;
  }
  return true;
}

/**
 * Whether the joiners of a national number agree: a number is written with one kind of separator
 * ("020 7946 0958", "01.99.00.12.34"); "04.271202-05" (the fraction and offset of a timestamp) mixes them.
 * A closing parenthesis may start a gap: "(020) 7946 0958".
 */
function joinersAgree(r: GroupReader, i: number, j: number): boolean {
  let kind = '';
  for (let g = i; g < j; g++) {
    let gap = r.text.slice(r.end(g), r.start(g + 1));
    if (gap.startsWith(')')) gap = gap.slice(1) || ' ';
    if (gap.length !== 1) return false;
    // A hyphen after the area code may precede groups joined by spaces: "070-123 45 67" (Sweden).
    if (g === i && gap === '-' && j - i > 2) continue;
    if (kind === '') kind = gap;
    else if (gap !== kind) return false;
  }
  return true;
}

/** The start of the number including a leading '+' and/or '(' right before group i, or -1 if not at a boundary. */
function numberStart(r: GroupReader, i: number, first: boolean): { start: number; plus: boolean } | undefined {
  let s = r.start(i);
  let plus = false;
  for (let k = 0; k < 2 && s > 0; k++) {
    const c = r.text.charCodeAt(s - 1);
    if (c === 43) plus = true;
    else if (c !== 40) break;
    s--;
  }
  if (first && s > 0 && isAlnum(r.text.charCodeAt(s - 1))) return undefined;
  // "10:30:04.271202": digits right after "<digit>:" are the rest of a time, not a number of their own.
  if (first && s > 1 && r.text.charCodeAt(s - 1) === 58 && isDigit(r.text.charCodeAt(s - 2))) return undefined;
  if (!first && !plus && s === r.start(i) && !r.freeBefore(i)) return undefined;
  // "2223-0055-0163-4485": a group right after "<digit>-" or "<digit>." continues another number.
  if (!first && !plus && s > 1 && (r.text.charCodeAt(s - 1) === 45 || r.text.charCodeAt(s - 1) === 46) && isDigit(r.text.charCodeAt(s - 2))) return undefined;
  return { start: s, plus };
}

/**
 * A cheap test before trying windows: a number starts with a '+' or '(' before it, a 0 (trunk or 00 prefix),
 * a 3-digit area code (2-9xx), or the NANP country code 1.
 */
function mayStartNumber(r: GroupReader, g: number): boolean {
  const s = r.start(g);
  const before = s > 0 ? r.text.charCodeAt(s - 1) : 0;
  if (before === 43 || before === 40) return true;
  const d0 = r.digit(g, 0);
  const length = r.length(g);
  return d0 === 0 ? length >= 2 : (length === 3 && d0 >= 2) || (length === 1 && d0 === 1);
}

function isNanp(r: GroupReader, i: number, j: number): boolean {
  let g = i;
  if (j - i === 3) {
    if (r.length(g) !== 1 || r.digit(g, 0) !== 1) return false;
    g++;
  } else if (j - i !== 2) return false;
  if (r.length(g) !== 3 || r.length(g + 1) !== 3 || r.length(g + 2) !== 4) return false;
  // The area code starts with 2-9; the exchange may start with any digit in writing ("(555) 012-3456").
  return r.digit(g, 0) >= 2;
}

function isValidPhone(r: GroupReader, i: number, j: number, plus: boolean, digits: number): boolean {
  if (!joinersArePhoneLike(r, i, j)) return false;
  const d0 = r.digit(i, 0);
  if (plus) return digits >= 8 && digits <= 15 && d0 !== 0;
  if (r.length(i) >= 2 && d0 === 0) {
    const d1 = r.digit(i, 1);
    // 00 + country code: the international prefix used across Europe.
    if (d1 === 0) {
      // "0044 20 7946 0958", or the prefix as a group of its own: "00 33 1 99 00 12 34".
      if (r.length(i) === 2) return i < j && r.digit(i + 1, 0) !== 0 && digits >= 11 && digits <= 17;
      return digits >= 10 && digits <= 17 && r.digit(i, 2) !== 0;
    }
    // 0 + area code: national trunk format (UK, FR, DE, NL, ...); German mobiles reach 12 digits.
    if (i === j) return digits === 10 || digits === 11;
    if (!joinersAgree(r, i, j)) return false;
    for (let g = i; g <= j; g++) if (r.length(g) < 2) return false;
    return digits >= 9 && (digits <= 11 || (digits === 12 && j - i === 1 && r.length(i) <= 5));
  }
  return isNanp(r, i, j);
}

/** The phone numbers in one numeric candidate: the longest valid number from each group that can start one. */
function scanPhone(r: GroupReader, first: number, last: number, report: ReportMatch): boolean {
  let i = first;
  while (i < last) {
    if (!mayStartNumber(r, i)) {
      i++;
      continue;
    }
    const at = numberStart(r, i, i === first);
    let found = -1;
    if (at !== undefined) {
      let hi = i;
      let total = r.length(i);
      while (hi + 1 < last && hi - i + 1 < MAX_GROUPS && total + r.length(hi + 1) <= MAX_DIGITS) {
        hi++;
        total += r.length(hi);
      }
      for (let j = hi; j >= i; j--) {
        if (total <= MAX_DIGITS && r.freeAfter(j) && isValidPhone(r, i, j, at.plus, total)) {
          found = j;
          break;
        }
        total -= r.length(j);
      }
      if (found >= 0) {
        if (report(at.start, r.end(found))) return true;
        i = found + 1;
        continue;
      }
    }
    i++;
  }
  return false;
}

/**
 * Telephone numbers: E.164 with or without separators (`+447700900123`, `+44 20 7946 0958`, `+1 (201) 555-0123`),
 * the 00 international prefix, national trunk formats starting with 0 (`020 7946 0958`, `07700 900123`,
 * `01 23 45 67 89`) and North American numbers in groups (`(201) 555-0123`, `201.555.0123`).
 * A bare 10-digit number without a leading 0 or + is not taken for a phone number (ids, epoch seconds, counts).
 */
export const phoneDetector: Detector = {
  name: 'phone',
  category: 'user.contact.phone_number',
  label: 'phone',
  secret: false,
  minLength: 8,
  // Only the numeric candidates of the profile are read: a text without any has no work to give.
  minDigits: 0,
  requires: 0,
  scan(text: string, report: ReportMatch, profile: TextProfile): void {
    scanClusters(text, profile, report, 8, 1, scanPhone);
  },
  mask: maskKeepLastFour,
  normalize: normalizeAlnum,
};
