import { isAlnum, isUpper } from '../text/char-class';
import type { TextProfile } from '../text/text-profile';
import { HAS_LETTER } from '../text/text-profile';
import type { Detector, ReportMatch } from './detector';
import { maskKeepLastFour, normalizeAlnum } from './detector';
import { GroupReader, scanClusters } from './numeric-groups';

const INVALID_FIRST = 'DFIQUV';
const INVALID_SECOND = 'DFIOQUV';
const INVALID_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/** Whether two letters can start a National Insurance number (HMRC allocation rules). */
export function isValidNinoPrefix(prefix: string): boolean {
  return (
    prefix.length === 2 &&
    !INVALID_FIRST.includes(prefix[0]!) &&
    !INVALID_SECOND.includes(prefix[1]!) &&
    !INVALID_PREFIXES.has(prefix)
  );
}

/** The NI number a numeric candidate can be the digits of: six digits, compact or 2-2-2 with spaces. */
function scanNino(r: GroupReader, first: number, last: number, report: ReportMatch): boolean {
  const text = r.text;
  let lastGroup: number;
  if (r.length(first) === 6) lastGroup = first;
  else if (first + 2 < last && r.length(first) === 2 && r.length(first + 1) === 2 && r.length(first + 2) === 2 && r.gapChar(first) === 32 && r.gapChar(first + 1) === 32) lastGroup = first + 2;
  else return false;
  let p = r.start(first);
  if (p > 0 && text.charCodeAt(p - 1) === 32) p--;
  const start = p - 2;
  if (start < 0 || !isUpper(text.charCodeAt(start)) || !isUpper(text.charCodeAt(start + 1))) return false;
  if (start > 0 && isAlnum(text.charCodeAt(start - 1))) return false;
  let q = r.end(lastGroup);
  if (q < text.length && text.charCodeAt(q) === 32) q++;
  const suffix = text.charCodeAt(q);
  if (!(suffix >= 65 && suffix <= 68)) return false;
  if (q + 1 < text.length && isAlnum(text.charCodeAt(q + 1))) return false;
  if (!isValidNinoPrefix(text.slice(start, start + 2))) return false;
  return report(start, q + 1);
}

/**
 * UK National Insurance numbers: two prefix letters (HMRC's invalid letters and prefixes rejected), six
 * digits and a suffix A-D, compact (`AB123456C`) or spaced (`AB 12 34 56 C`). Upper case only.
 */
export const ninoDetector: Detector = {
  name: 'nino',
  category: 'user.government_id.national_identification_number',
  label: 'nino',
  secret: false,
  minLength: 9,
  // Only the numeric candidates of the profile are read: a text without any has no work to give.
  minDigits: 0,
  requires: HAS_LETTER,
  scan(text: string, report: ReportMatch, profile: TextProfile): void {
    scanClusters(text, profile, report, 6, 1, scanNino);
  },
  mask: maskKeepLastFour,
  normalize: normalizeAlnum,
};
