import type { TextProfile } from '../text/text-profile';
import type { Detector, ReportMatch } from './detector';
import { maskKeepLastFour, normalizeAlnum } from './detector';
import { GroupReader, scanClusters } from './numeric-groups';

/** Numbers the SSA never issues or that were published as examples and are widely misused. */
const KNOWN_INVALID = new Set(['078051120', '219099999', '457555462']);

/**
 * Whether area-group-serial is an SSN the SSA could issue: area not 000, 666 or 900-999; group not 00;
 * serial not 0000; not a famous example number.
 */
export function isValidSsn(area: number, group: number, serial: number): boolean {
  if (area === 0 || area === 666 || area >= 900) return false;
  if (group === 0 || serial === 0) return false;
  const key = `${String(area).padStart(3, '0')}${String(group).padStart(2, '0')}${String(serial).padStart(4, '0')}`;
  return !KNOWN_INVALID.has(key);
}

/** The SSNs in one numeric candidate: three standing-alone groups 3-2-4 joined by one dash or space. */
function scanSsn(r: GroupReader, first: number, last: number, report: ReportMatch): boolean {
  for (let i = first; i + 2 < last; i++) {
    if (r.length(i) !== 3 || r.length(i + 1) !== 2 || r.length(i + 2) !== 4) continue;
    const sep = r.gapChar(i);
    if ((sep !== 45 && sep !== 32) || r.gapChar(i + 1) !== sep) continue;
    if (!r.freeBefore(i) || !r.freeAfter(i + 2)) continue;
    if (i > first && r.gapChar(i - 1) === sep) continue;
    if (i + 3 < last && r.gapChar(i + 2) === sep) continue;
    if (!isValidSsn(r.value(i), r.value(i + 1), r.value(i + 2))) continue;
    if (report(r.start(i), r.end(i + 2))) return true;
    i += 2;
  }
  return false;
}

/**
 * US Social Security numbers written AAA-GG-SSSS (or with single spaces), with the ranges the SSA never
 * issues rejected. The three groups must stand alone: a dash chain like 2024-123-45-6789 is not an SSN.
 * A bare 9-digit number is left to the key=value detector (`ssn=123456789`), since bare ids look the same.
 */
export const ssnDetector: Detector = {
  name: 'ssn',
  category: 'user.government_id.national_identification_number',
  label: 'ssn',
  secret: false,
  minLength: 11,
  // Only the numeric candidates of the profile are read: a text without any has no work to give.
  minDigits: 0,
  requires: 0,
  scan(text: string, report: ReportMatch, profile: TextProfile): void {
    scanClusters(text, profile, report, 9, 3, scanSsn);
  },
  mask: maskKeepLastFour,
  normalize: normalizeAlnum,
};
