import { isLuhnValid } from '../validators/luhn.validator';
import type { Detector, ReportMatch } from './detector';
import { maskKeepLastFour, normalizeAlnum } from './detector';
import type { TextProfile } from '../text/text-profile';
import { GroupReader, scanClusters } from './numeric-groups';

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;

/** Whether the group lengths are a way cards are printed: 4-4-4-4(-x), 4-6-5 (Amex) or 4-6-4 (Diners). */
function isCardGrouping(lengths: readonly number[]): boolean {
  if (lengths.length === 3 && lengths[0] === 4 && lengths[1] === 6 && (lengths[2] === 5 || lengths[2] === 4)) return true;
  for (let k = 0; k < lengths.length - 1; k++) if (lengths[k] !== 4) return false;
  const last = lengths[lengths.length - 1]!;
  return last >= 1 && last <= 4;
}

/** Whether the issuer prefix allows this length (known schemes are checked; unknown ones need 13-19 digits). */
function isPlausibleIssuer(digits: string): boolean {
  const first = digits.charCodeAt(0) - 48;
  if (first < 2) return false;
  const n = digits.length;
  if (first === 4) return n === 13 || n === 16 || n === 19;
  const two = Number(digits.slice(0, 2));
  if (two === 34 || two === 37) return n === 15;
  if (two >= 51 && two <= 55) return n === 16;
  const four = Number(digits.slice(0, 4));
  if (four >= 2221 && four <= 2720) return n === 16;
  return true;
}

/**
 * The separator between groups g and g+1 when cards are printed with it: a space, a hyphen, a dot or two
 * spaces (-1 otherwise). A number keeps one separator throughout.
 */
function gapKind(r: GroupReader, g: number): number {
  const c = r.gapChar(g);
  if (c === 32 || c === 45 || c === 46) return c;
  const end = r.end(g);
  if (r.start(g + 1) - end === 2 && r.text.charCodeAt(end) === 32 && r.text.charCodeAt(end + 1) === 32) return 64;
  return -1;
}

/**
 * Cards grouped with slashes (4111/1111/1111/1111, 3782/822463/10005): '/' joins no numeric candidate of the
 * profile, so these are found by their own search, only in texts that hold a '/'.
 */
const SLASHED = /(?<![\d/])(?:\d{4}\/\d{4}\/\d{4}\/\d{1,4}(?:\/\d{3})?|\d{4}\/\d{6}\/\d{4,5})(?![\d/])/g;

function scanSlashed(text: string, report: ReportMatch): void {
  SLASHED.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = SLASHED.exec(text)) !== null) {
    const digits = match[0].replace(/\//g, '');
    if (digits.length < MIN_DIGITS || !isPlausibleIssuer(digits) || !isLuhnValid(digits)) continue;
    if (report(match.index, match.index + match[0].length)) return;
  }
}

/** Group lengths of the number being read (scans never nest, so one array serves every call). */
const lengths: number[] = [];

/** The cards in one numeric candidate: the longest valid number from each group that can start one. */
function scanCard(r: GroupReader, first: number, last: number, report: ReportMatch): boolean {
  const text = r.text;
  let i = first;
  while (i < last) {
    let best = -1;
    // Every card starts with a group of 4+ digits (compact, or 4-4-4-4, 4-6-5) whose first digit is 2-9.
    if (r.length(i) >= 4 && r.digit(i, 0) >= 2 && r.freeBefore(i)) {
      lengths.length = 0;
      let digits = 0;
      let separator = -1;
      for (let j = i; j < last; j++) {
        digits += r.length(j);
        if (digits > MAX_DIGITS) break;
        if (j > i) {
          const gap = gapKind(r, j - 1);
          if (gap === -1) break;
          if (separator === -1) separator = gap;
          else if (gap !== separator) break;
        }
        lengths.push(r.length(j));
        if (digits < MIN_DIGITS || !r.freeAfter(j)) continue;
        if (lengths.length > 1 && !isCardGrouping(lengths)) continue;
        const candidate = text.slice(r.start(i), r.end(j));
        const compact = lengths.length > 1 ? candidate.replace(/[^0-9]/g, '') : candidate;
        if (isPlausibleIssuer(compact) && isLuhnValid(compact)) best = j;
      }
    }
    if (best >= 0) {
      if (report(r.start(i), r.end(best))) return true;
      i = best + 1;
    } else i++;
  }
  return false;
}

/**
 * Payment card numbers: 13-19 digits, written without separators or in the usual groups (4-4-4-4, 4-4-4-4-3,
 * 4-6-5 Amex, 4-6-4 Diners) joined by spaces, two spaces, hyphens, dots or slashes, with a plausible issuer prefix (not 0 or 1, the lengths of Visa/Mastercard/Amex) and a valid Luhn
 * checksum. Luhn-invalid ids, epoch timestamps and numbers inside words stay untouched.
 */
export const cardDetector: Detector = {
  name: 'card',
  category: 'user.financial.credit_card',
  label: 'card',
  secret: false,
  minLength: MIN_DIGITS,
  // Only the numeric candidates of the profile are read: a text without any has no work to give.
  minDigits: 0,
  requires: 0,
  scan(text: string, report: ReportMatch, profile: TextProfile): void {
    scanClusters(text, profile, report, MIN_DIGITS, 1, scanCard);
    if (text.indexOf('/') !== -1) scanSlashed(text, report);
  },
  mask: maskKeepLastFour,
  normalize: normalizeAlnum,
};
